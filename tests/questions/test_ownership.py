"""A teacher edits and deletes only their own work; a colleague's is read-only or copied.

The sweep at the end walks every admin changelist, change and delete view as a second
teacher and checks that nothing the first teacher made was changed or lost.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.core.models import (
    Answer,
    Assignment,
    Attempt,
    Classroom,
    Question,
    QuestionSet,
    SetQuestion,
    StudentProfile,
)
from quiz.play import sitting
from tests.factories import (
    ClassroomFactory,
    StudentFactory,
    TeacherFactory,
    multiple_choice,
    question_set_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def first_teacher():
    return TeacherFactory(username="ms.first")


@pytest.fixture
def colleague():
    return TeacherFactory(username="mr.second")


@pytest.fixture
def colleague_client(colleague):
    client = Client(raise_request_exception=False)
    client.force_login(colleague)
    return client


@pytest.fixture
def work(first_teacher):
    """The first teacher's class, question, set and one student's finished attempt."""
    classroom = ClassroomFactory(teacher=first_teacher, name="8A")
    student = StudentFactory(classroom=classroom, username="zoe.b")
    question = multiple_choice()
    question.created_by = first_teacher
    question.save()
    question_set = question_set_with(
        [question], assign_to=classroom, owner=first_teacher, title="Revolution quiz"
    )
    attempt = sitting.start(student, question_set, timezone.now())
    sitting.state(attempt.pk, timezone.now())  # shows the first question
    right = question.options.get(is_correct=True)
    sitting.answer(attempt.pk, 0, {"option": right.pk}, timezone.now())
    return {
        "classroom": classroom,
        "student": student,
        "question": question,
        "set": question_set,
        "attempt": attempt,
    }


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def delete_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def test_a_colleagues_set_opens_read_only_and_saying_whose_it_is(colleague_client, work):
    response = colleague_client.get(change_url(work["set"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ms.first" in page and "duplicate it" in page
    assert 'name="_save"' not in page
    assert 'name="title"' not in page


def test_a_colleague_cannot_save_or_delete_a_set_and_its_attempts_survive(colleague_client, work):
    question_set = work["set"]
    saved = colleague_client.post(change_url(question_set), {"title": "Mine now"})
    assert saved.status_code == 403
    assert colleague_client.get(delete_url(question_set)).status_code == 403
    assert colleague_client.post(delete_url(question_set), {"post": "yes"}).status_code == 403
    question_set.refresh_from_db()
    assert question_set.title == "Revolution quiz"
    assert Attempt.objects.filter(question_set=question_set).count() == 1


def test_delete_selected_is_not_offered_for_sets_or_questions(colleague_client, work):
    for model in (QuestionSet, Question):
        url = reverse(f"admin:quiz_{model._meta.model_name}_changelist")
        response = colleague_client.post(
            url, {"action": "delete_selected", "_selected_action": [work["set"].pk], "post": "yes"}
        )
        assert response.status_code in (200, 302)
    assert QuestionSet.objects.filter(pk=work["set"].pk).exists()
    assert Question.objects.filter(pk=work["question"].pk).exists()


def test_the_owner_cannot_delete_a_set_students_have_sat_but_can_archive_it(work, first_teacher):
    client = Client()
    client.force_login(first_teacher)
    question_set = work["set"]
    page = client.get(change_url(question_set)).content.decode()
    assert "archive it instead" in page
    assert client.get(delete_url(question_set)).status_code == 403
    response = client.post(
        reverse("admin:quiz_questionset_changelist"),
        {"action": "archive", "_selected_action": [question_set.pk]},
        follow=True,
    )
    assert "1 set archived" in response.content.decode()
    question_set.refresh_from_db()
    assert question_set.archived and not question_set.published
    assert Attempt.objects.filter(question_set=question_set).exists()
    # Out of the students' way and out of the default list, but one click away.
    assert not sitting.sets_open_to(work["student"], timezone.now())
    listing = client.get(reverse("admin:quiz_questionset_changelist")).content.decode()
    assert "Revolution quiz" not in listing
    archived = client.get(reverse("admin:quiz_questionset_changelist") + "?archived=yes")
    assert "Revolution quiz" in archived.content.decode()


def test_an_archived_set_cannot_be_published_without_unarchiving(work, first_teacher):
    question_set = work["set"]
    question_set.archived = True
    with pytest.raises(Exception, match="un-archive"):
        question_set.full_clean()


def test_a_set_nobody_has_sat_is_deleted_by_its_owner(first_teacher):
    question_set = question_set_with([multiple_choice()], owner=first_teacher)
    client = Client()
    client.force_login(first_teacher)
    response = client.post(delete_url(question_set), {"post": "yes"})
    assert response.status_code == 302
    assert not QuestionSet.objects.filter(pk=question_set.pk).exists()


def test_a_colleague_duplicates_a_set_into_an_unpublished_copy_of_their_own(
    colleague_client, colleague, work
):
    original = work["set"]
    response = colleague_client.post(
        reverse("admin:quiz_questionset_changelist"),
        {"action": "duplicate", "_selected_action": [original.pk]},
        follow=True,
    )
    assert "1 copy made" in response.content.decode()
    copy = QuestionSet.objects.get(owner=colleague)
    assert copy.title == "Revolution quiz (copy)"
    assert not copy.published
    assert copy.ordered_questions() == original.ordered_questions()
    assert not copy.attempts.exists() and not copy.assignments.exists()
    assert colleague_client.get(change_url(copy)).content.decode().count('name="_save"') == 1


def test_a_colleague_cannot_archive_someone_elses_set(colleague_client, work):
    response = colleague_client.post(
        reverse("admin:quiz_questionset_changelist"),
        {"action": "archive", "_selected_action": [work["set"].pk]},
        follow=True,
    )
    assert "colleague" in response.content.decode()
    work["set"].refresh_from_db()
    assert not work["set"].archived


def test_the_sets_list_offers_generating_only_for_ones_own_sets(colleague_client, work):
    page = colleague_client.get(reverse("admin:quiz_questionset_changelist")).content.decode()
    assert "Revolution quiz" in page  # a colleague may use it
    assert reverse("admin:quiz_questionset_generate", args=[work["set"].pk]) not in page
    generate = colleague_client.get(
        reverse("admin:quiz_questionset_generate", args=[work["set"].pk])
    )
    assert generate.status_code == 302
    assert SetQuestion.objects.filter(question_set=work["set"]).count() == 1


def test_a_colleagues_question_is_read_only(colleague_client, work):
    question = work["question"]
    assert 'name="_save"' not in colleague_client.get(change_url(question)).content.decode()
    assert colleague_client.post(change_url(question), {"prompt": "Changed?"}).status_code == 403
    assert colleague_client.post(delete_url(question), {"post": "yes"}).status_code == 403
    question.refresh_from_db()
    assert question.prompt.startswith("Who did thing")


def test_attempts_and_answers_in_the_admin_are_only_the_teachers_own_classes(
    colleague_client, colleague, work
):
    own_class = ClassroomFactory(teacher=colleague)
    own_student = StudentFactory(classroom=own_class, username="omar.q")
    Assignment.objects.create(question_set=work["set"], classroom=own_class)
    own_attempt = sitting.start(own_student, work["set"], timezone.now())
    attempts = colleague_client.get(reverse("admin:quiz_attempt_changelist")).content.decode()
    assert "omar.q" in attempts and "zoe.b" not in attempts
    answers = colleague_client.get(reverse("admin:quiz_answer_changelist"))
    assert answers.context["cl"].result_count == own_attempt.answers.count()
    for obj in (work["attempt"], work["attempt"].answers.get()):
        assert colleague_client.get(change_url(obj)).status_code == 302  # "does not exist"
        assert colleague_client.post(delete_url(obj), {"post": "yes"}).status_code in (302, 403)
    assert Attempt.objects.filter(pk=work["attempt"].pk).exists()


def test_a_teacher_cannot_delete_even_their_own_students_attempts(work, first_teacher):
    client = Client()
    client.force_login(first_teacher)
    assert client.post(delete_url(work["attempt"]), {"post": "yes"}).status_code == 403
    assert Attempt.objects.filter(pk=work["attempt"].pk).exists()


def quiz_rows():
    """Everything of the first teacher's that a colleague must not change or lose."""
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (
            QuestionSet,
            SetQuestion,
            Question,
            Attempt,
            Answer,
            Classroom,
            StudentProfile,
            Assignment,
        )
    }


def test_a_second_teacher_walks_every_admin_page_and_changes_nothing_of_the_first(
    colleague_client, work
):
    before = quiz_rows()
    titles = dict(QuestionSet.objects.values_list("pk", "title"))
    seen = set()
    for model in admin.site._registry:
        meta = model._meta
        changelist = colleague_client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        )
        assert changelist.status_code in (200, 403), meta.label
        if meta.app_label != "quiz":
            continue  # the knowledge base (history) is the whole department's
        for obj in model.objects.all():
            seen.add(meta.model_name)
            assert colleague_client.get(change_url(obj)).status_code in (200, 302, 403)
            assert colleague_client.get(delete_url(obj)).status_code in (302, 403)
            assert colleague_client.post(delete_url(obj), {"post": "yes"}).status_code in (
                302,
                403,
            )
            colleague_client.post(change_url(obj), {"title": "x", "name": "x", "prompt": "x"})
    assert seen >= {"questionset", "question", "attempt", "answer", "classroom", "assignment"}
    assert quiz_rows() == before
    assert dict(QuestionSet.objects.values_list("pk", "title")) == titles
    assert get_user_model().objects.filter(username="zoe.b").exists()
