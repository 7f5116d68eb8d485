"""A pupil signed in before quiz/ was split stays signed in after it (issue 10)."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

OLD_PATH = "quiz.auth.StudentBackend"


def test_a_session_signed_in_through_the_old_backend_path_is_still_signed_in(client, classroom):
    student = StudentFactory(classroom=classroom)
    session = client.session
    session[SESSION_KEY] = str(student.pk)
    session[BACKEND_SESSION_KEY] = OLD_PATH
    session[HASH_SESSION_KEY] = student.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    response = client.get(reverse("quiz:my_quizzes"))

    assert response.status_code == 200
    assert response.wsgi_request.user == student


def test_a_new_sign_in_stores_the_new_backend_path(client, classroom):
    student = StudentFactory(classroom=classroom)
    # As the roster makes them: the student hasher, which only the student backend checks.
    student.password = make_password(PASSWORD, hasher="student_pbkdf2_sha256")
    student.save()
    response = client.post(reverse("login"), {"username": student.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "quiz.accounts.backends.StudentBackend"
