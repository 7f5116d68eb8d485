"""Turning generated questions into stored ones."""

from django.db import transaction

from history.models import Event, Person, Source
from quiz.models import Kind, Option, Question


@transaction.atomic
def save_generated(unit, generated, user=None) -> Question:
    """Store one generator.GeneratedQuestion; positions are kept as generated."""
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
