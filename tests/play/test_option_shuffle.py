"""Hand-written options are shuffled per sitting, and the order shown is stored."""

import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.core.models import Answer, Kind, Option, Question
from quiz.play import sitting
from tests.factories import (
    ClassroomFactory,
    QuestionFactory,
    StudentFactory,
    chronology,
    question_set_with,
)

pytestmark = pytest.mark.django_db


def written_right_answer_first(**fields):
    """What a teacher types: the right answer first, then three wrong ones."""
    question = QuestionFactory(prompt="Who founded the Red Army?", **fields)
    for position, text in enumerate(["Leon Trotsky", "Lenin", "Stalin", "Kamenev"]):
        Option.objects.create(
            question=question, text=text, position=position, is_correct=position == 0
        )
    return question


def first_option_each_student_sees(question, students=12):
    classroom = ClassroomFactory()
    question_set = question_set_with([question], assign_to=classroom)
    firsts = []
    for n in range(students):
        student = StudentFactory(classroom=classroom, username=f"pupil{n}")
        attempt = sitting.start(student, question_set, timezone.now())
        state = sitting.state(attempt.pk, timezone.now())
        firsts.append(state.answer.shown_options()[0].text)
    return firsts


def test_the_right_answer_typed_first_is_not_first_for_every_student():
    firsts = first_option_each_student_sees(written_right_answer_first())
    assert len(set(firsts)) > 1  # twelve students all seeing it first: one in 4 million


def test_the_teacher_can_keep_the_order_they_wrote():
    firsts = first_option_each_student_sees(written_right_answer_first(shuffle_options=False))
    assert firsts == ["Leon Trotsky"] * 12


def test_the_page_shows_the_stored_order_and_a_reload_does_not_reshuffle(client, classroom):
    student = StudentFactory(classroom=classroom)
    question = written_right_answer_first()
    question_set = question_set_with([question], assign_to=classroom)
    client.force_login(student)
    client.post(reverse("quiz:start", args=[question_set.pk]))
    attempt = student.attempts.get()
    pages = [client.get(reverse("quiz:play", args=[attempt.pk])).content.decode() for _ in "ab"]
    stored = Answer.objects.get(attempt=attempt).option_order
    assert sorted(stored) == sorted(question.options.values_list("pk", flat=True))
    texts = dict(question.options.values_list("pk", "text"))
    for page in pages:
        shown = re.findall(r'name="option" value="(\d+)"', page)
        assert [int(pk) for pk in shown] == stored
        assert page.index(texts[stored[0]]) < page.index(texts[stored[-1]])


def test_the_review_names_the_option_the_student_picked_whatever_its_place(client, classroom):
    student = StudentFactory(classroom=classroom)
    question = written_right_answer_first()
    question_set = question_set_with([question], assign_to=classroom)
    client.force_login(student)
    client.post(reverse("quiz:start", args=[question_set.pk]))
    attempt = student.attempts.get()
    client.get(reverse("quiz:play", args=[attempt.pk]))
    shown_last = Answer.objects.get(attempt=attempt).shown_options()[-1]
    client.post(reverse("quiz:answer", args=[attempt.pk]), {"position": 0, "option": shown_last.pk})
    client.post(reverse("quiz:next", args=[attempt.pk]), {"position": 0})
    review = client.get(reverse("quiz:result", args=[attempt.pk])).content.decode()
    assert f"Your answer: {shown_last.text}" in re.sub(r"\s+", " ", review)


def test_year_options_stay_earliest_first():
    question = QuestionFactory(kind=Kind.YEAR, answer_year=1924, prompt="When?")
    for position, year in enumerate([1917, 1921, 1924, 1927]):
        Option.objects.create(
            question=question, text=str(year), position=position, is_correct=year == 1924
        )
    in_order = list(question.options.values_list("pk", flat=True))
    orders = {tuple(sitting.option_order(question, random.Random(seed))) for seed in range(5)}
    assert orders == {tuple(in_order)}


class NoShuffle:
    def shuffle(self, items):
        pass


def test_a_chronology_is_never_shown_already_solved():
    question = chronology(titles=("1905", "1917", "1924", "1940"))
    Option.objects.filter(question=question).update(position=0)  # stored in solved order
    solved = [o.pk for o in question.correct_order()]
    order = sitting.option_order(question, NoShuffle())
    assert sorted(order) == sorted(solved) and order != solved


def test_a_typed_year_question_has_no_option_order():
    question = QuestionFactory(kind=Kind.YEAR, answer_year=1917, prompt="When?")
    assert sitting.option_order(question) == []


def test_the_admin_saves_the_teachers_choice_not_to_shuffle(client, teacher):
    from tests.questions.test_admin import FOUR, question_post

    client.force_login(teacher)
    unit = QuestionFactory().unit
    data = question_post(unit, Kind.MULTIPLE_CHOICE, FOUR)  # shuffle_options left unticked
    assert client.post(reverse("admin:quiz_question_add"), data).status_code == 302
    assert not Question.objects.latest("pk").shuffle_options
    data = question_post(unit, Kind.MULTIPLE_CHOICE, FOUR, prompt="Who else?")
    data["shuffle_options"] = "on"
    client.post(reverse("admin:quiz_question_add"), data)
    assert Question.objects.latest("pk").shuffle_options
