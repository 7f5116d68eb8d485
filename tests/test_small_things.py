"""Small things that looked unfinished (#9 item 13), each through the page a person sees."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.core.models import Answer, StudentProfile
from quiz.play import sitting
from quiz.play.templatetags.quiz_tags import duration
from tests.factories import (
    StudentFactory,
    chronology,
    multiple_choice,
    question_set_with,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (4.975001, "5 seconds"),
        (1, "1 second"),
        (0.2, "0 seconds"),
        (125, "2 min 5 s"),
        (3 * 3600 + 61, "3 h 1 min"),
    ],
)
def test_time_taken_reads_in_words_not_microseconds(seconds, words):
    assert duration(timedelta(seconds=seconds)) == words


def test_the_review_shows_time_taken_in_seconds(client, student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    now = timezone.now()
    attempt = sitting.start(student, question_set, now - timedelta(seconds=4.975001))
    attempt.finished_at = now
    attempt.save()
    client.force_login(student)
    page = text_of(client.get(reverse("quiz:result", args=[attempt.pk])))
    assert "Time taken 5 seconds" in page
    assert "0:00:04" not in page


def test_a_student_with_extra_time_is_told_the_time_they_get(client, classroom):
    student = StudentFactory(classroom=classroom)
    StudentProfile.objects.filter(user=student).update(extra_time=1.5)
    question_set_with([multiple_choice()], assign_to=classroom, seconds_per_question=20)
    client.force_login(student)
    page = text_of(client.get(reverse("quiz:my_quizzes")))
    assert "30 s with your extra time" in page
    assert "20 s" not in page


def test_the_time_up_heading_has_an_svg_icon_not_an_emoji(client, student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    attempt = sitting.start(student, question_set, timezone.now())
    sitting.state(attempt.pk, timezone.now())
    Answer.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    client.force_login(student)
    html = client.get(reverse("quiz:play", args=[attempt.pk])).content.decode()
    assert "Time's up" in html
    assert "icons/timer.svg" in html and "⏱" not in html


def key_hint(client, student, classroom, question):
    question_set = question_set_with([question], assign_to=classroom)
    attempt = sitting.start(student, question_set, timezone.now())
    client.force_login(student)
    html = client.get(reverse("quiz:play", args=[attempt.pk])).content.decode()
    return re.search(r"Tip: keys [^<]*", html).group(0)


def test_the_keys_hint_counts_the_options_there_are(client, student, classroom):
    two = multiple_choice(correct="Trotsky", wrong=("Stalin",))
    assert key_hint(client, student, classroom, two) == "Tip: keys 1 and 2 pick an answer."


def test_the_keys_hint_for_three_options_says_1_to_3(client, student, classroom):
    three = multiple_choice(correct="Trotsky", wrong=("Stalin", "Lenin"))
    assert key_hint(client, student, classroom, three) == "Tip: keys 1–3 pick an answer."


def test_one_second_left_is_singular(client, student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    attempt = sitting.start(student, question_set, timezone.now())
    sitting.state(attempt.pk, timezone.now())
    Answer.objects.update(deadline=timezone.now() + timedelta(seconds=1.2))
    client.force_login(student)
    page = text_of(client.get(reverse("quiz:play", args=[attempt.pk])))
    assert "1 second left" in page and "1 seconds" not in page


def test_lists_name_the_quiz_in_their_leaderboard_and_review_links(client, student, classroom):
    question_set = question_set_with(
        [multiple_choice()], assign_to=classroom, title="Revolution quiz"
    )
    attempt = sitting.start(student, question_set, timezone.now())
    attempt.finished_at = timezone.now()
    attempt.save()
    question_set_with([multiple_choice()], assign_to=classroom, title="Exile quiz")
    client.force_login(student)
    quizzes = text_of(client.get(reverse("quiz:my_quizzes")))
    assert "Leaderboard of Exile quiz" in quizzes
    history = text_of(client.get(reverse("quiz:history")))
    assert "Review Revolution quiz" in history


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def sit(student, question_set, responses):
    """One whole sitting with these responses (a callable of the question, or None)."""
    now = timezone.now()
    attempt = sitting.start(student, question_set, now)
    for position, respond in enumerate(responses):
        state = sitting.state(attempt.pk, now)
        if respond:
            sitting.answer(attempt.pk, position, respond(state.answer.question), now)
        else:
            Answer.objects.filter(pk=state.answer.pk).update(deadline=now - timedelta(minutes=1))
        sitting.next_question(attempt.pk, position, now)
    return attempt


def test_the_student_report_never_says_nothing_missed_beside_misses(
    teacher_client, student, classroom
):
    question = multiple_choice()  # linked to no event
    question_set = question_set_with([question], assign_to=classroom)
    wrong = question.options.filter(is_correct=False).first()
    sit(student, question_set, [lambda q: {"option": wrong.pk}])
    page = text_of(teacher_client.get(reverse("reports:student", args=[student.pk])))
    assert "Nothing missed so far" not in page.split("Units most often missed")[0]
    assert "The 1 question missed is not about an event of the timeline." in page


def test_item_analysis_breaks_a_chronology_down_by_place_and_order(
    teacher_client, student, classroom
):
    question = chronology(titles=("1905", "1917", "1924"))
    question_set = question_set_with([question], assign_to=classroom)
    solved = [o.pk for o in question.correct_order()]
    swapped = [solved[1], solved[0], solved[2]]
    sit(student, question_set, [lambda q: {"order": swapped}])
    other = StudentFactory(classroom=classroom)
    sit(other, question_set, [lambda q: {"order": solved}])
    response = teacher_client.get(reverse("reports:items", args=[question_set.pk]))
    page = text_of(response)
    assert "1. 1905 1 (50%)" in page
    assert "3. 1924 2 (100%)" in page
    assert "✔ 1905 → 1917 → 1924 (correct) 1" in page
    assert "1917 → 1905 → 1924 1" in page
    csv = teacher_client.get(
        reverse("reports:items", args=[question_set.pk]) + "?format=csv&table=answers"
    ).content.decode("utf-8-sig")
    assert "1917 → 1905 → 1924" in csv


def test_the_grid_and_the_item_analysis_count_the_same_attempt_and_say_so(
    teacher_client, student, classroom
):
    question = multiple_choice()
    question_set = question_set_with([question], assign_to=classroom, attempts_allowed=0)
    right = question.options.get(is_correct=True)
    wrong = question.options.filter(is_correct=False).first()
    sit(student, question_set, [lambda q: {"option": wrong.pk}])
    sit(student, question_set, [lambda q: {"option": right.pk}])
    grid = teacher_client.get(reverse("reports:set", args=[question_set.pk]))
    items = teacher_client.get(reverse("reports:items", args=[question_set.pk]))
    for page in (grid, items):
        assert "counts the first attempt unless you choose another" in text_of(page)
    assert grid.context["form"].counted == items.context["form"].counted == "first"
