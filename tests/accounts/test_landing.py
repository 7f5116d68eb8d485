"""After signing in, each person lands where their work is (#9 item 14)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quiz.classes import roster
from tests.factories import PASSWORD, ClassroomFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def make_student():
    new = roster.add_students(ClassroomFactory(), "Ada Lovelace").created[0]
    return get_user_model().objects.get(username=new.username), new.password


def test_a_student_lands_on_my_quizzes(client):
    student, password = make_student()
    response = client.post(reverse("login"), {"username": student.username, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:my_quizzes")


def test_a_teacher_lands_on_their_classes(client):
    teacher = TeacherFactory()
    response = client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert response["Location"] == reverse("teach:classes")


def test_a_teacher_with_no_classes_is_told_the_next_steps(client):
    teacher = TeacherFactory()
    response = client.post(
        reverse("login"), {"username": teacher.username, "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "Getting started" in page
    assert "Create a class below" in page
    assert reverse("admin:quiz_questionset_changelist") in page


def test_a_teacher_with_a_class_sees_the_class_not_the_steps(client):
    classroom = ClassroomFactory()
    client.force_login(classroom.teacher)
    page = client.get(reverse("teach:classes")).content.decode()
    assert classroom.name in page
    assert "Getting started" not in page


def test_a_next_page_asked_for_still_wins(client):
    student, password = make_student()
    history = reverse("quiz:history")
    response = client.post(
        f"{reverse('login')}?next={history}", {"username": student.username, "password": password}
    )
    assert response["Location"] == history


def test_a_next_page_on_another_site_is_ignored(client):
    student, password = make_student()
    response = client.post(
        f"{reverse('login')}?next=https://evil.example/",
        {"username": student.username, "password": password},
    )
    assert response["Location"] == reverse("quiz:my_quizzes")
