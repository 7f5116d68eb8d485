"""What the set editor does to a set: add, change, move and remove its questions.

A question students have answered, or that another set also asks, or that is a
colleague's, is never changed under them: the edit is saved as a new question,
which takes the old one's place in this set only.
"""

import random

from django.db import transaction
from django.db.models import Max

from quiz.core.models import Answer, Option, Question, QuestionSet, SetQuestion
from quiz.generator import facts_from_unit, generate_set
from quiz.questions.saving import as_generated, save_generated


def _next_position(question_set: QuestionSet) -> int:
    return (question_set.set_questions.aggregate(m=Max("position"))["m"] or 0) + 1


def _store(question: Question, form) -> Question:
    form.fill(question)
    question.save()
    question.options.all().delete()
    options = form.options()
    for option in options:
        option.question = question
    Option.objects.bulk_create(options)
    return question


@transaction.atomic
def add(question_set: QuestionSet, form, user) -> SetQuestion:
    """A new question, written by `user`, at the end of the set."""
    question = _store(Question(unit=question_set.unit, created_by=user), form)
    return SetQuestion.objects.create(
        question_set=question_set, question=question, position=_next_position(question_set)
    )


def is_shared(question: Question, user) -> bool:
    """Whether changing this question would change what someone else asked or answered."""
    return (
        not question.editable_by(user)
        or Answer.objects.filter(question=question).exists()
        or SetQuestion.objects.filter(question=question).count() > 1
    )


@transaction.atomic
def change(item: SetQuestion, form, user) -> bool:
    """Save the edit; whether it was saved as a new question (see is_shared)."""
    question = item.question
    if is_shared(question, user):
        copy = Question(
            unit=question.unit, event=question.event, person=question.person, created_by=user
        )
        copy.shuffle_options = question.shuffle_options
        copy = _store(copy, form)
        copy.sources.set(question.sources.all())
        item.question = copy
        item.save(update_fields=["question"])
        return True
    # Edited by hand, a generated question is the teacher's own words now.
    question.template = ""
    _store(question, form)
    return False


@transaction.atomic
def move(item: SetQuestion, step: int) -> None:
    """One place up (-1) or down (+1); the first cannot go up nor the last down."""
    items = list(
        SetQuestion.objects.select_for_update().filter(question_set_id=item.question_set_id)
    )
    pks = [i.pk for i in items]
    where = pks.index(item.pk)
    to = where + step
    if not 0 <= to < len(items):
        return
    items[where], items[to] = items[to], items[where]
    for position, each in enumerate(items, start=1):
        each.position = position
    SetQuestion.objects.bulk_update(items, ["position"])


@transaction.atomic
def remove(item: SetQuestion) -> None:
    """Out of the set; the question stays in the question bank (and in others' sets)."""
    item.delete()


@transaction.atomic
def add_generated(question_set: QuestionSet, *, kinds, count: int, user) -> tuple[int, int]:
    """`count` new generated questions of these kinds at the end of the set (fewer if the
    unit has no more): (how many were added, how many were asked for)."""
    in_set = question_set.questions.select_related("event", "person").prefetch_related("options")
    batch = generate_set(
        facts_from_unit(question_set.unit),
        count=count,
        seed=random.SystemRandom().randrange(10**6),
        kinds=kinds,
        already=[as_generated(q) for q in in_set],
    )
    position = _next_position(question_set)
    added = 0
    for generated in batch.questions[:count]:
        question = save_generated(question_set.unit, generated, user)
        _item, made = SetQuestion.objects.get_or_create(
            question_set=question_set, question=question, defaults={"position": position}
        )
        if made:
            position += 1
            added += 1
    return added, count
