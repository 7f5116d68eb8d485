"""Sign-in at classroom scale.

Django's default hasher spends about half a second of CPU per sign-in on
purpose. Student accounts (generated passwords, throttled per username, little
worth stealing) use a cheaper PBKDF2 so a whole school can sign in at 9:00;
teachers and admins keep the default. The student hasher is only ever chosen
by the roster code, and a staff account's password is never verified cheaply.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher


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
