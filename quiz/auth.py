"""Sign-in at classroom scale.

Django's default hasher spends about half a second of CPU per sign-in on
purpose. Student accounts (generated passwords, throttled per username, little
worth stealing) use a cheaper PBKDF2 so a whole school can sign in at 9:00;
teachers and admins keep the default. The student hasher is only ever chosen
by the roster code, and a staff account's password is never verified cheaply.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quiz.models import SignInThrottle

FREE_FAILURES = 5
MAX_BLOCK = timedelta(minutes=5)


class StudentPasswordHasher(PBKDF2PasswordHasher):
    algorithm = "student_pbkdf2_sha256"
    iterations = 12_000


class StudentBackend(ModelBackend):
    """Checks student passwords without upgrading them to the slow hasher."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None or user.is_staff or user.is_superuser:
            return None
        try:
            hasher = identify_hasher(user.password)
        except ValueError:
            return None
        if hasher.algorithm != StudentPasswordHasher.algorithm:
            return None
        if hasher.verify(password, user.password) and self.user_can_authenticate(user):
            return user
        return None


def blocked_for(username: str, now) -> timedelta | None:
    throttle = SignInThrottle.objects.filter(username=username.lower()).first()
    if throttle and throttle.blocked_until and throttle.blocked_until > now:
        return throttle.blocked_until - now
    return None


def record_failure(username: str, now) -> None:
    """After five failures, each further one blocks that username a little longer."""
    key = username.lower()[:150]
    with transaction.atomic():
        throttle, _ = SignInThrottle.objects.get_or_create(username=key)
        SignInThrottle.objects.filter(pk=throttle.pk).update(failures=F("failures") + 1)
        throttle.refresh_from_db()
        if throttle.failures >= FREE_FAILURES:
            seconds = 2 ** (throttle.failures - FREE_FAILURES + 1)
            throttle.blocked_until = now + min(MAX_BLOCK, timedelta(seconds=seconds))
            throttle.save(update_fields=["blocked_until"])


def record_success(username: str) -> None:
    SignInThrottle.objects.filter(username=username.lower()).delete()


def now():
    return timezone.now()
