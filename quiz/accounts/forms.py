from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext

from quiz.accounts.throttle import blocked_for, client_address, record_failure, record_success


class ThrottledMixin:
    """Throttling per (username, address): a guesser is slowed where they sit, and a whole
    class behind one address, or a teacher at their own PC, is never locked out by others."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = client_address(self.request)
        now = timezone.now()
        if username:
            wait = blocked_for(username, address, now)
            if wait:
                seconds = max(1, round(wait.total_seconds()))
                raise ValidationError(
                    ngettext(
                        "Too many wrong passwords for this username. "
                        "Wait %(seconds)d second and try again.",
                        "Too many wrong passwords for this username. "
                        "Wait %(seconds)d seconds and try again.",
                        seconds,
                    ),
                    code="throttled",
                    params={"seconds": seconds},
                )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if username and any(e.code == "invalid_login" for e in error.error_list):
                record_failure(username, address, now)
            raise
        if username:
            record_success(username, address)
        return cleaned


class SignInForm(ThrottledMixin, AuthenticationForm):
    pass


class AdminSignInForm(ThrottledMixin, AdminAuthenticationForm):
    pass
