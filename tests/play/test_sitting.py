"""The sitting's state machine (quiz/play/sitting.py) under races and restarts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quiz.core.models import Answer, Attempt, ExtraTime, Feedback, Scoring, StudentProfile
from quiz.play import sitting
from tests.factories import multiple_choice, question_set_with


@pytest.mark.django_db(transaction=True)
def test_two_tabs_answering_at_the_same_moment_score_once(student, classroom):
    question = multiple_choice()
    question_set = question_set_with(
        [question, multiple_choice(question.unit)], assign_to=classroom
    )
    attempt = sitting.start(student, question_set, timezone.now())
    sitting.state(attempt.pk, timezone.now())
    correct = next(o for o in question.options.all() if o.is_correct)
    barrier = threading.Barrier(8)
    outcomes = []

    def tab():
        try:
            barrier.wait()
            outcomes.append(sitting.answer(attempt.pk, 0, {"option": correct.pk}, timezone.now()))
        finally:
            connection.close()

    threads = [threading.Thread(target=tab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(o.accepted for o in outcomes) == 1
    assert {o.reason for o in outcomes if not o.accepted} == {"already_answered"}
    attempt.refresh_from_db()
    assert attempt.score == 100
    assert Answer.objects.filter(attempt=attempt).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_starting_at_once_share_one_attempt(student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    barrier = threading.Barrier(6)
    attempts = []

    def tab():
        try:
            barrier.wait()
            attempts.append(sitting.start(student, question_set, timezone.now()).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(attempts)) == 1
    assert Attempt.objects.count() == 1


@pytest.mark.django_db
def test_deadlines_are_stored_so_a_restart_resumes_the_clock(student, classroom):
    question_set = question_set_with(
        [multiple_choice()], seconds_per_question=40, assign_to=classroom
    )
    now = timezone.now()
    attempt = sitting.start(student, question_set, now)
    shown = sitting.state(attempt.pk, now)
    # Nothing is held in memory: a "new server" reads the same deadline.
    later = sitting.state(attempt.pk, now + timedelta(seconds=15))
    assert later.answer.pk == shown.answer.pk
    assert later.seconds_left == 25


@pytest.mark.django_db
def test_extra_time_stretches_every_deadline(student, classroom):
    question_set = question_set_with(
        [multiple_choice()], seconds_per_question=20, assign_to=classroom
    )
    StudentProfile.objects.filter(user=student).update(extra_time=ExtraTime.HALF)
    now = timezone.now()
    attempt = sitting.start(student, question_set, now)
    assert sitting.state(attempt.pk, now).seconds_left == 30


@pytest.mark.django_db
def test_finish_abandoned_leaves_active_sittings_alone(student, other_student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    now = timezone.now()
    idle = sitting.start(student, question_set, now - timedelta(hours=1))
    sitting.state(idle.pk, now - timedelta(hours=1))
    active = sitting.start(other_student, question_set, now)
    sitting.state(active.pk, now)
    assert sitting.finish_abandoned(now) == 1
    idle.refresh_from_db()
    active.refresh_from_db()
    assert idle.is_finished and not active.is_finished


@pytest.mark.django_db
def test_the_cron_command_finishes_abandoned_sittings(student, classroom):
    from io import StringIO

    from django.core.management import call_command

    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    then = timezone.now() - timedelta(hours=1)
    attempt = sitting.start(student, question_set, then)
    sitting.state(attempt.pk, then)
    out = StringIO()
    call_command("finish_abandoned_attempts", stdout=out)
    assert out.getvalue().strip() == "Finished 1 abandoned attempts; ended 0 forgotten live games."
    attempt.refresh_from_db()
    assert attempt.is_finished


@pytest.mark.django_db
def test_students_see_and_start_only_sets_assigned_to_their_class(student, classroom):
    from tests.factories import ClassroomFactory

    mine = question_set_with([multiple_choice()], assign_to=classroom)
    elsewhere = question_set_with([multiple_choice()], assign_to=ClassroomFactory())
    unassigned = question_set_with([multiple_choice()])
    now = timezone.now()
    assert sitting.sets_open_to(student, now) == [mine]
    for question_set in (elsewhere, unassigned):
        with pytest.raises(sitting.NotAllowed):
            sitting.start(student, question_set, now)


@pytest.mark.django_db
def test_an_assignment_window_limits_when_the_class_sees_the_set(student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    now = timezone.now()
    question_set.assignments.update(opens_at=now + timedelta(hours=1))
    assert sitting.sets_open_to(student, now) == []
    assert sitting.sets_open_to(student, now + timedelta(hours=2)) == [question_set]
    question_set.assignments.update(closes_at=now + timedelta(hours=3))
    assert sitting.sets_open_to(student, now + timedelta(hours=4)) == []


def streak_sitting(student, classroom, questions=8):
    """A started streak-scored sitting of `questions` multiple-choice questions."""
    first = multiple_choice()
    more = [multiple_choice(first.unit) for _ in range(questions - 1)]
    question_set = question_set_with(
        [first, *more], scoring=Scoring.STREAK, feedback=Feedback.END, assign_to=classroom
    )
    return sitting.start(student, question_set, timezone.now())


def answer_current(attempt, now, *, right=True):
    """Answer the question on screen at `now`; the points it earned."""
    shown = sitting.state(attempt.pk, now)
    assert shown.step == sitting.QUESTION
    options = list(shown.answer.question.options.all())
    assert options
    option = next(o for o in options if o.is_correct == right)
    sitting.answer(attempt.pk, shown.answer.position, {"option": option.pk}, now)
    return Answer.objects.get(pk=shown.answer.pk).points


@pytest.mark.django_db
def test_right_answers_in_a_row_earn_a_growing_bonus_up_to_the_cap(student, classroom):
    attempt = streak_sitting(student, classroom, questions=8)
    now = timezone.now()
    points = [answer_current(attempt, now) for _ in range(8)]
    # The third right answer in a row earns 20 more; from the sixth the bonus is capped at 50.
    assert points == [100, 110, 120, 130, 140, 150, 150, 150]
    attempt.refresh_from_db()
    assert attempt.score == sum(points) and attempt.streak == 8 and attempt.correct_count == 8


@pytest.mark.django_db
def test_a_wrong_answer_resets_the_streak(student, classroom):
    attempt = streak_sitting(student, classroom, questions=5)
    now = timezone.now()
    points = [answer_current(attempt, now, right=right) for right in (1, 1, 0, 1, 1)]
    assert points == [100, 110, 0, 100, 110]


@pytest.mark.django_db
def test_a_late_answer_resets_the_streak(student, classroom):
    attempt = streak_sitting(student, classroom, questions=5)
    now = timezone.now()
    assert [answer_current(attempt, now) for _ in range(2)] == [100, 110]
    shown = sitting.state(attempt.pk, now)
    late = shown.answer.deadline + sitting.grace() + timedelta(seconds=1)
    correct = next(o for o in shown.answer.question.options.all() if o.is_correct)
    outcome = sitting.answer(attempt.pk, shown.answer.position, {"option": correct.pk}, late)
    assert outcome.reason == "late"
    attempt.refresh_from_db()
    assert attempt.streak == 0
    # The next right answer starts a new streak: no bonus.
    assert [answer_current(attempt, late) for _ in range(2)] == [100, 110]


@pytest.mark.django_db
def test_a_question_left_to_time_out_resets_the_streak(student, classroom):
    attempt = streak_sitting(student, classroom, questions=5)
    now = timezone.now()
    assert [answer_current(attempt, now) for _ in range(2)] == [100, 110]
    shown = sitting.state(attempt.pk, now)
    # Nobody answers; the next page view finds the time is up.
    later = shown.answer.deadline + sitting.grace() + timedelta(seconds=1)
    after = sitting.state(attempt.pk, later)
    assert after.answer.position == shown.answer.position + 1
    assert Answer.objects.get(pk=shown.answer.pk).timed_out
    attempt.refresh_from_db()
    assert attempt.streak == 0
    assert [answer_current(attempt, later) for _ in range(2)] == [100, 110]


@pytest.mark.django_db
@pytest.mark.parametrize("second_right", [True, False], ids=["same-answer", "other-answer"])
def test_a_second_answer_that_slips_past_the_checks_is_not_recorded(
    student, classroom, monkeypatch, second_right
):
    # sitting.answer locks the attempt and returns early for a closed answer; this
    # plays the race those checks would lose (a second request holding the
    # answer as it was before the first was saved), so only the guarded UPDATE
    # of the answer stands between it and a second score.
    question = multiple_choice()
    question_set = question_set_with(
        [question, multiple_choice(question.unit)], assign_to=classroom
    )
    now = timezone.now()
    attempt = sitting.start(student, question_set, now)
    shown = sitting.state(attempt.pk, now)
    stale = Answer.objects.get(pk=shown.answer.pk)
    correct = next(o for o in question.options.all() if o.is_correct)
    wrong = next(o for o in question.options.all() if not o.is_correct)

    first = sitting.answer(attempt.pk, 0, {"option": correct.pk}, now)
    monkeypatch.setattr(sitting, "_current_answer", lambda attempt, **kwargs: stale)
    again = {"option": (correct if second_right else wrong).pk}
    second = sitting.answer(attempt.pk, 0, again, now + timedelta(seconds=1))

    assert first.accepted
    assert not second.accepted and second.reason == "already_answered"
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.correct_count == 1
    recorded = Answer.objects.get(pk=stale.pk)
    assert recorded.response == {"option": correct.pk}
    assert recorded.answered_at == now and recorded.points == 100
