from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse
from django.utils import timezone

from quiz import roster
from quiz.models import SignInThrottle
from tests.factories import PASSWORD, ClassroomFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def make_student():
    new = roster.add_students(ClassroomFactory(), "Ada Lovelace").created[0]
    return get_user_model().objects.get(username=new.username), new.password


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_student_signs_in_with_the_cheap_hash_and_it_stays_cheap(client):
    user, password = make_student()
    assert user.password.startswith("student_pbkdf2_sha256$12000$")
    response = sign_in(client, user.username, password)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("student_pbkdf2_sha256$")  # not "upgraded" to the slow one


def test_usernames_are_not_case_sensitive_for_students(client):
    user, password = make_student()
    assert sign_in(client, user.username.upper(), password).status_code == 302


def test_teachers_keep_the_strong_default_hash():
    teacher = TeacherFactory()
    assert teacher.password.startswith("pbkdf2_sha256$")
    assert authenticate(username=teacher.username, password=PASSWORD) == teacher


def test_a_staff_account_with_a_cheap_hash_is_never_checked_cheaply():
    user, password = make_student()
    user.is_staff = True
    user.save()
    # The model backend still accepts it, and re-hashes it with the strong default.
    assert authenticate(username=user.username, password=password) == user
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")


def test_wrong_passwords_slow_down_that_username_only(client):
    user, password = make_student()
    other, other_password = make_student()
    for _ in range(6):
        assert sign_in(client, user.username, "wrong-wrong-00").status_code == 200
    response = sign_in(client, user.username, password)
    assert response.status_code == 200
    assert "Too many wrong passwords for this username" in response.content.decode()
    # Classmates behind the same address sign in as usual.
    assert sign_in(client, other.username, other_password).status_code == 302


def test_the_block_expires_and_a_success_clears_the_count(client):
    user, password = make_student()
    for _ in range(6):
        sign_in(client, user.username, "nope")
    SignInThrottle.objects.update(blocked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, user.username, password).status_code == 302
    assert not SignInThrottle.objects.exists()


def test_the_block_grows_but_never_beyond_five_minutes(client):
    user, _password = make_student()
    for _ in range(30):
        SignInThrottle.objects.update(blocked_until=None)
        sign_in(client, user.username, "nope")
    throttle = SignInThrottle.objects.get()
    assert throttle.blocked_until - timezone.now() <= timedelta(minutes=5)


def test_the_admin_sign_in_is_throttled_too(client):
    teacher = TeacherFactory()
    for _ in range(6):
        client.post(reverse("admin:login"), {"username": teacher.username, "password": "x"})
    response = client.post(
        reverse("admin:login"), {"username": teacher.username, "password": PASSWORD}
    )
    assert "Too many wrong passwords" in response.content.decode()
