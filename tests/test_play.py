"""The sitting's state machine (quiz/play.py) under races and restarts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quiz import play
from quiz.models import Answer, Attempt, ExtraTime, StudentProfile
from tests.factories import multiple_choice, question_set_with


@pytest.mark.django_db(transaction=True)
def test_two_tabs_answering_at_the_same_moment_score_once(student, classroom):
    question = multiple_choice()
    question_set = question_set_with(
        [question, multiple_choice(question.unit)], assign_to=classroom
    )
    attempt = play.start(student, question_set, timezone.now())
    play.state(attempt.pk, timezone.now())
    correct = next(o for o in question.options.all() if o.is_correct)
    barrier = threading.Barrier(8)
    outcomes = []

    def tab():
        try:
            barrier.wait()
            outcomes.append(play.answer(attempt.pk, 0, {"option": correct.pk}, timezone.now()))
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
            attempts.append(play.start(student, question_set, timezone.now()).pk)
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
    attempt = play.start(student, question_set, now)
    shown = play.state(attempt.pk, now)
    # Nothing is held in memory: a "new server" reads the same deadline.
    later = play.state(attempt.pk, now + timedelta(seconds=15))
    assert later.answer.pk == shown.answer.pk
    assert later.seconds_left == 25


@pytest.mark.django_db
def test_extra_time_stretches_every_deadline(student, classroom):
    question_set = question_set_with(
        [multiple_choice()], seconds_per_question=20, assign_to=classroom
    )
    StudentProfile.objects.filter(user=student).update(extra_time=ExtraTime.HALF)
    now = timezone.now()
    attempt = play.start(student, question_set, now)
    assert play.state(attempt.pk, now).seconds_left == 30


@pytest.mark.django_db
def test_finish_abandoned_leaves_active_sittings_alone(student, other_student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    now = timezone.now()
    idle = play.start(student, question_set, now - timedelta(hours=1))
    play.state(idle.pk, now - timedelta(hours=1))
    active = play.start(other_student, question_set, now)
    play.state(active.pk, now)
    assert play.finish_abandoned(now) == 1
    idle.refresh_from_db()
    active.refresh_from_db()
    assert idle.is_finished and not active.is_finished


@pytest.mark.django_db
def test_the_cron_command_finishes_abandoned_sittings(student, classroom):
    from io import StringIO

    from django.core.management import call_command

    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    then = timezone.now() - timedelta(hours=1)
    attempt = play.start(student, question_set, then)
    play.state(attempt.pk, then)
    out = StringIO()
    call_command("finish_abandoned_attempts", stdout=out)
    assert out.getvalue().strip() == "Finished 1 abandoned attempts."
    attempt.refresh_from_db()
    assert attempt.is_finished


@pytest.mark.django_db
def test_students_see_and_start_only_sets_assigned_to_their_class(student, classroom):
    from tests.factories import ClassroomFactory

    mine = question_set_with([multiple_choice()], assign_to=classroom)
    elsewhere = question_set_with([multiple_choice()], assign_to=ClassroomFactory())
    unassigned = question_set_with([multiple_choice()])
    now = timezone.now()
    assert play.sets_open_to(student, now) == [mine]
    for question_set in (elsewhere, unassigned):
        with pytest.raises(play.NotAllowed):
            play.start(student, question_set, now)


@pytest.mark.django_db
def test_an_assignment_window_limits_when_the_class_sees_the_set(student, classroom):
    question_set = question_set_with([multiple_choice()], assign_to=classroom)
    now = timezone.now()
    question_set.assignments.update(opens_at=now + timedelta(hours=1))
    assert play.sets_open_to(student, now) == []
    assert play.sets_open_to(student, now + timedelta(hours=2)) == [question_set]
    question_set.assignments.update(closes_at=now + timedelta(hours=3))
    assert play.sets_open_to(student, now + timedelta(hours=4)) == []
