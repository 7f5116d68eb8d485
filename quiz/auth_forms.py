from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz.auth import blocked_for, record_failure, record_success


class ThrottledMixin:
    """Per-username throttling: a whole class behind one address is never locked out."""

    throttled_message = _(
        "Too many wrong passwords for this username. Wait %(seconds)d seconds and try again."
    )

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        now = timezone.now()
        if username:
            wait = blocked_for(username, now)
            if wait:
                raise ValidationError(
                    self.throttled_message,
                    code="throttled",
                    params={"seconds": max(1, round(wait.total_seconds()))},
                )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if username and any(e.code == "invalid_login" for e in error.error_list):
                record_failure(username, now)
            raise
        if username:
            record_success(username)
        return cleaned


class SignInForm(ThrottledMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledMixin, AdminAuthenticationForm):
    pass
