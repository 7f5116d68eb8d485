"""Turning generated questions into stored ones, and stored ones back."""

from django.db import transaction

from history.models import Event, Person, Source
from quiz.core.models import Kind, Option, Question
from quiz.generator import GeneratedQuestion, question_key


def as_generated(question: Question) -> GeneratedQuestion:
    """A stored question (generated or hand-written) as the generator sees one, so new
    questions can be checked against a set's; prefetch options, event and person."""
    options = list(question.options.all())
    if question.kind == Kind.CHRONOLOGY:
        answer = [o.text for o in sorted(options, key=lambda o: o.correct_position or 0)]
    elif question.kind == Kind.YEAR:
        answer = question.answer_year
    else:
        answer = next((o.text for o in options if o.is_correct), "")
    return GeneratedQuestion(
        kind=question.kind,
        prompt=question.prompt,
        options=[o.text for o in options],
        answer=answer,
        explanation=question.explanation,
        template=question.template,
        tolerance=question.tolerance,
        event_slugs=[question.event.slug] if question.event else [],
        person_slugs=[question.person.slug] if question.person else [],
    )


def _stored_twin(unit, generated, user) -> Question | None:
    """The same question (kind, prompt and answer), generated before by the same teacher.

    Only their own: a colleague may edit theirs, and would change this set with it.
    """
    made_before = (
        Question.objects.filter(
            unit=unit, kind=generated.kind, template=generated.template, created_by=user
        )
        .select_related("event", "person")
        .prefetch_related("options")
    )
    key = question_key(generated)
    return next((q for q in made_before if question_key(as_generated(q)) == key), None)


@transaction.atomic
def save_generated(unit, generated, user=None) -> Question:
    """Store one generator.GeneratedQuestion, positions as generated; or, if the same
    teacher has stored the same question before, that one."""
    twin = _stored_twin(unit, generated, user)
    if twin is not None:
        return twin
    event = Event.objects.filter(unit=unit, slug__in=generated.event_slugs[:1]).first()
    person = Person.objects.filter(unit=unit, slug__in=generated.person_slugs[:1]).first()
    question = Question.objects.create(
        unit=unit,
        kind=generated.kind,
        prompt=generated.prompt,
        explanation=generated.explanation,
        answer_year=generated.answer if generated.kind == Kind.YEAR else None,
        tolerance=generated.tolerance or 0,
        template=generated.template,
        event=event,
        person=person,
        created_by=user,
    )
    question.sources.set(Source.objects.cited_as(generated.sources))
    options = []
    for position, text in enumerate(generated.options):
        option = Option(question=question, text=text, position=position)
        if generated.kind == Kind.CHRONOLOGY:
            option.correct_position = generated.answer.index(text) + 1
        elif generated.kind == Kind.YEAR:
            option.is_correct = text == str(generated.answer)
        else:
            option.is_correct = text == generated.answer
        options.append(option)
    Option.objects.bulk_create(options)
    return question
