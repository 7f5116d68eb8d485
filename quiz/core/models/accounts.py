"""What sign-in remembers between requests."""

from django.db import models


class SignInThrottle(models.Model):
    """Failed sign-ins per (username, address), and per username from anywhere ("*").

    A guesser at one PC is slowed at that PC; a pupil cannot lock a teacher (or a classmate)
    out of the PCs they sign in from, which are trusted once a sign-in there succeeded.
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True)
    failures = models.PositiveIntegerField(default=0)
    blocked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    trusted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["username", "address"], name="sign_in_throttle_username_address"
            )
        ]

    def __str__(self):
        return f"{self.username} at {self.address or '?'}"
