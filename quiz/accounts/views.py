"""Sign-in that lands each person where their work is."""

from django.contrib.auth import views as auth_views
from django.urls import reverse

from quiz.accounts.forms import SignInForm


def landing_url(user) -> str:
    """A teacher starts at their classes, a student at the quizzes open to them."""
    if user.is_staff:
        return reverse("teach:classes")
    return reverse("quiz:my_quizzes")


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm

    def get_default_redirect_url(self):
        # Only used when the sign-in link carried no (safe) ?next=.
        return landing_url(self.request.user)
