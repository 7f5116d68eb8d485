"""Joining under a taken name, and merging two accounts of one student (/teach/)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quiz.classes import roster
from quiz.core.models import Answer, Attempt, StudentProfile
from quiz.play import sitting
from tests.factories import ClassroomFactory, TeacherFactory, multiple_choice, question_set_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def three_question_set(classroom):
    first = multiple_choice()
    questions = [first, multiple_choice(first.unit), multiple_choice(first.unit)]
    return question_set_with(questions, assign_to=classroom)


def roster_student(classroom, name) -> StudentProfile:
    new = roster.create_student(name, classroom)
    return StudentProfile.objects.select_related("user").get(user__username=new.username)


def sat_at(profile, question_set, *, answered, started_minutes_ago=5, finish=False):
    """An attempt with its first `answered` questions answered (right)."""
    now = timezone.now()
    attempt = sitting.start(
        profile.user, question_set, now - timedelta(minutes=started_minutes_ago)
    )
    for position in range(answered):
        state = sitting.state(attempt.pk, now)
        right = state.answer.question.options.get(is_correct=True)
        sitting.answer(attempt.pk, position, {"option": right.pk}, now)
        sitting.next_question(attempt.pk, position, now)
    if finish:
        while not sitting.state(attempt.pk, now).attempt.is_finished:
            state = sitting.state(attempt.pk, now)
            sitting.answer(attempt.pk, state.attempt.current_index, {}, now)
            sitting.next_question(attempt.pk, state.attempt.current_index, now)
    attempt.refresh_from_db()
    return attempt


def merge_url(classroom):
    return reverse("teach:merge_students", args=[classroom.pk])


def merge(client, classroom, keep, into, confirmed=True):
    data = {"keep": keep.pk, "merge": into.pk}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(merge_url(classroom), data)


# Joining under a name already in the class --------------------------------------


@pytest.mark.parametrize("typed", ["Zoe B.", "zoe b", "  ZOË   B "])
def test_joining_with_a_name_already_in_the_class_is_refused(client, classroom, typed):
    roster.add_students(classroom, "Zoe B.\n")
    users_before = get_user_model().objects.count()
    response = client.post(reverse("join"), {"code": classroom.join_code, "display_name": typed})
    html = response.content.decode()
    assert response.status_code == 400
    assert "already in this class" in html
    assert "sign-in slip" in html and "Ask your teacher" in html
    assert get_user_model().objects.count() == users_before
    assert not get_user_model().objects.filter(username="zoe.b2").exists()
    assert "_auth_user_id" not in client.session  # not signed in as anyone


def test_the_same_name_may_join_a_different_class(client, teacher, classroom):
    roster.add_students(classroom, "Zoe B.\n")
    other = ClassroomFactory(teacher=teacher, name="8C")
    response = client.post(reverse("join"), {"code": other.join_code, "display_name": "Zoe B."})
    assert response.status_code == 200
    assert StudentProfile.objects.filter(classroom=other, display_name="Zoe B.").exists()


def test_a_roster_name_already_in_the_class_is_refused_in_any_spelling(classroom):
    roster.add_students(classroom, "Zoë B.\n")
    result = roster.add_students(classroom, "zoe b\n")
    assert result.created == []
    assert "already in this class" in result.problems[0]


# Merging: the form and the confirmation -------------------------------------------


def test_the_class_page_offers_the_merge_form(teacher_client, classroom):
    roster.add_students(classroom, "Zoe B.\nZoe B.\n")
    html = teacher_client.get(reverse("teach:classroom", args=[classroom.pk])).content.decode()
    assert merge_url(classroom) in html
    assert "Zoe B. (zoe.b)" in html and "Zoe B. (zoe.b2)" in html


def test_merging_asks_for_confirmation_first_and_changes_nothing(
    teacher_client, classroom, three_question_set
):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    sat_at(dupe, three_question_set, answered=3)
    response = merge(teacher_client, classroom, keep, dupe, confirmed=False)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 attempt of zoe.b2 moves to zoe.b" in html
    assert 'name="confirmed" value="yes"' in html and "csrfmiddlewaretoken" in html
    assert get_user_model().objects.filter(username="zoe.b2").exists()
    assert Attempt.objects.get().student == dupe.user


def test_merging_moves_every_attempt_and_answer_and_removes_the_other_account(
    teacher_client, classroom, three_question_set
):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    mine = sat_at(keep, three_question_set, answered=3, finish=True)
    theirs = sat_at(dupe, three_question_set, answered=3, finish=True)
    answers = {a.pk: (a.attempt_id, a.points) for a in Answer.objects.all()}
    assert len(answers) == 6
    response = merge(teacher_client, classroom, keep, dupe)
    assert response.status_code == 302
    assert response["Location"] == classroom.get_absolute_url()
    assert set(Attempt.objects.filter(student=keep.user)) == {mine, theirs}
    assert {a.pk: (a.attempt_id, a.points) for a in Answer.objects.all()} == answers
    assert not get_user_model().objects.filter(username="zoe.b2").exists()
    assert not StudentProfile.objects.filter(pk=dupe.pk).exists()
    page = teacher_client.get(response["Location"]).content.decode()
    assert "zoe.b2 merged into zoe.b: 1 attempt moved" in page


def test_merging_two_open_attempts_at_one_set_finishes_the_older_and_keeps_its_answers(
    teacher_client, classroom, three_question_set
):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    older = sat_at(dupe, three_question_set, answered=2, started_minutes_ago=20)
    newer = sat_at(keep, three_question_set, answered=1, started_minutes_ago=2)
    given = set(Answer.objects.filter(answered_at__isnull=False).values_list("pk", "points"))
    assert len(given) == 3
    assert merge(teacher_client, classroom, keep, dupe).status_code == 302
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.student == newer.student == keep.user
    assert older.is_finished and not newer.is_finished
    assert older.score == 200  # the two answers it had still count
    assert set(Answer.objects.filter(answered_at__isnull=False).values_list("pk", "points")) == (
        given
    )
    # The one left open plays on.
    assert sitting.state(newer.pk, timezone.now()).answer.position == 1


def test_merging_keeps_the_older_open_attempt_of_the_kept_account_too(
    classroom, three_question_set
):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    older = sat_at(keep, three_question_set, answered=1, started_minutes_ago=20)
    newer = sat_at(dupe, three_question_set, answered=0, started_minutes_ago=2)
    result = roster.merge_students(keep, dupe, timezone.now())
    assert (result.attempts_moved, result.attempts_finished) == (1, 1)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.is_finished and older.score == 100
    assert not newer.is_finished and newer.student == keep.user


# Merging: who may, and bad input --------------------------------------------------


def test_merging_only_answers_post(teacher_client, classroom):
    assert teacher_client.get(merge_url(classroom)).status_code == 405


def test_merging_another_teachers_students_is_a_404(client, classroom, three_question_set):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    sat_at(dupe, three_question_set, answered=1)
    intruder = TeacherFactory()
    ClassroomFactory(teacher=intruder)
    client.force_login(intruder)
    assert merge(client, classroom, keep, dupe).status_code == 404
    assert get_user_model().objects.filter(username="zoe.b2").exists()
    assert Attempt.objects.get().student == dupe.user


def test_merging_needs_a_teacher(client, classroom):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    client.force_login(keep.user)
    response = merge(client, classroom, keep, dupe)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert StudentProfile.objects.count() == 2


def test_merging_checks_the_csrf_token(classroom, teacher):
    from django.test import Client

    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert merge(client, classroom, keep, dupe).status_code == 403
    assert StudentProfile.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keep": "KEEP", "merge": "KEEP", "confirmed": "yes"}, "Choose two different accounts"),
        ({"keep": "KEEP", "merge": "ELSEWHERE", "confirmed": "yes"}, "Select a valid choice"),
        ({"keep": "ELSEWHERE", "merge": "DUPE", "confirmed": "yes"}, "Select a valid choice"),
        ({"keep": "abc", "merge": "DUPE", "confirmed": "yes"}, "Select a valid choice"),
        ({"keep": "1e9", "merge": "²", "confirmed": "yes"}, "Select a valid choice"),
        ({"keep": "KEEP", "confirmed": "yes"}, "This field is required"),
        ({"keep": "KEEP", "merge": "DUPE", "confirmed": "on"}, "Confirm the merge on the page"),
        (
            {"keep": "KEEP", "merge": "DUPE", "confirmed": "maybe\x00"},
            "Confirm the merge on the page",
        ),
    ],
)
def test_bad_merge_input_is_explained_and_changes_nothing(
    teacher_client, teacher, classroom, three_question_set, data, message
):
    keep, dupe = roster_student(classroom, "Zoe B."), roster_student(classroom, "Zoe B.")
    elsewhere = roster_student(ClassroomFactory(teacher=teacher, name="8C"), "Zoe B.")
    sat_at(dupe, three_question_set, answered=1)
    ids = {"KEEP": keep.pk, "DUPE": dupe.pk, "ELSEWHERE": elsewhere.pk}
    response = teacher_client.post(
        merge_url(classroom), {key: ids.get(value, value) for key, value in data.items()}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert StudentProfile.objects.count() == 3
    assert Attempt.objects.get().student == dupe.user


def test_a_teacher_account_cannot_be_merged_away(teacher_client, teacher, classroom):
    keep = roster_student(classroom, "Zoe B.")
    StudentProfile.objects.create(user=teacher, display_name="Ms Novak", classroom=classroom)
    response = merge(teacher_client, classroom, keep, teacher.student_profile)
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=teacher.pk).exists()
