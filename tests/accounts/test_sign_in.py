from datetime import timedelta

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.urls import reverse
from django.utils import timezone

from quiz.classes import roster
from quiz.core.models import SignInThrottle
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
    here = SignInThrottle.objects.get()
    assert (here.address, here.failures, here.blocked_until, here.trusted) == (
        "127.0.0.1",
        0,
        None,
        True,
    )


def test_the_block_grows_but_never_beyond_five_minutes(client):
    user, _password = make_student()
    for _ in range(30):
        SignInThrottle.objects.update(blocked_until=None)
        sign_in(client, user.username, "nope")
    throttle = SignInThrottle.objects.get(address="127.0.0.1")
    assert throttle.blocked_until - timezone.now() <= timedelta(minutes=5)


def test_the_admin_sign_in_is_throttled_too(client):
    teacher = TeacherFactory()
    for _ in range(6):
        client.post(reverse("admin:login"), {"username": teacher.username, "password": "x"})
    response = client.post(
        reverse("admin:login"), {"username": teacher.username, "password": PASSWORD}
    )
    assert "Too many wrong passwords" in response.content.decode()


def from_address(client, address, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_pupil_guessing_elsewhere_never_locks_the_teacher_out_of_their_own_pc(client):
    teacher = TeacherFactory()
    for _ in range(50):
        from_address(client, "10.0.0.66", teacher.username, "guess")
    guesser = from_address(client, "10.0.0.66", teacher.username, PASSWORD)
    assert "Too many wrong passwords" in guesser.content.decode()
    response = from_address(client, "10.0.0.5", teacher.username, PASSWORD)
    assert response.status_code == 302


def test_guessing_from_one_address_slows_that_address_after_five_tries(client):
    user, password = make_student()
    for _ in range(5):
        from_address(client, "10.0.0.66", user.username, "guess")
    blocked = SignInThrottle.objects.get(address="10.0.0.66").blocked_until
    assert blocked is not None and blocked > timezone.now()
    assert (
        "Wait 2 seconds"
        in from_address(client, "10.0.0.66", user.username, password).content.decode()
    )


def test_a_hundred_failures_from_many_addresses_block_the_username_where_it_is_not_trusted(client):
    teacher = TeacherFactory()
    assert from_address(client, "10.0.0.5", teacher.username, PASSWORD).status_code == 302
    client.logout()
    for n in range(100):
        from_address(client, f"10.1.{n // 4}.1", teacher.username, "guess")
    fresh_pc = from_address(client, "10.2.0.1", teacher.username, PASSWORD)
    assert "Too many wrong passwords" in fresh_pc.content.decode()
    assert from_address(client, "10.0.0.5", teacher.username, PASSWORD).status_code == 302
    # The owner's success clears the username-wide block.
    client.logout()
    assert from_address(client, "10.2.0.1", teacher.username, PASSWORD).status_code == 302


def test_failures_a_day_old_are_forgotten(client):
    user, password = make_student()
    for _ in range(6):
        from_address(client, "10.0.0.66", user.username, "guess")
    SignInThrottle.objects.update(
        blocked_until=None, last_failure_at=timezone.now() - timedelta(days=2)
    )
    from_address(client, "10.0.0.66", user.username, "guess")
    assert SignInThrottle.objects.get(address="10.0.0.66").failures == 1
    assert from_address(client, "10.0.0.66", user.username, password).status_code == 302


def test_after_four_wrong_passwords_the_right_one_still_signs_in(client):
    user, password = make_student()
    for _ in range(4):
        assert sign_in(client, user.username, "wrong").status_code == 200
    assert sign_in(client, user.username, password).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, user.username, "wrong")
    # The fifth failure in a row is the first that slows the next try down.
    sign_in(client, user.username, "wrong")
    assert "Too many wrong passwords" in sign_in(client, user.username, password).content.decode()


@pytest.mark.parametrize("https", [False, True])
def test_behind_the_tls_proxy_the_forwarded_address_counts(client, settings, https):
    settings.HTTPS = https
    user, _password = make_student()
    for n in range(6):
        client.post(
            reverse("login"),
            {"username": user.username, "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 10.0.0.66",
            REMOTE_ADDR="127.0.0.1",
        )
    addresses = set(SignInThrottle.objects.values_list("address", flat=True)) - {"*"}
    assert addresses == ({"10.0.0.66"} if https else {"127.0.0.1"})
