import os
import secrets
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

DEFAULT_USERNAME = "teacher"


class Command(BaseCommand):
    help = (
        "Create the first teacher (a superuser) with a random password, if no teacher exists. "
        "The username comes from --username, else FIRST_TEACHER, else a question when run "
        f"at a terminal, else {DEFAULT_USERNAME!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=None)
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Never ask."
        )

    def handle(self, *args, username: str | None, interactive: bool, **options):
        User = get_user_model()
        if User.objects.filter(is_staff=True).exists():
            self.stdout.write("A teacher account already exists; none created.")
            return
        username = username or os.environ.get("FIRST_TEACHER", "").strip()
        if username:
            username = self.valid(username)
        elif interactive and sys.stdin.isatty():
            username = self.ask()
        else:
            username = DEFAULT_USERNAME
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, password=password, email="")
        self.stdout.write(
            "\n".join(
                [
                    "=" * 60,
                    "First teacher account created. Write this down: it is shown once.",
                    f"  username: {username}",
                    f"  password: {password}",
                    "Sign in at /accounts/login/ ; the admin is at /admin/ .",
                    "=" * 60,
                ]
            )
        )

    def valid(self, username: str) -> str:
        """The username if Django would accept it, else a CommandError saying why."""
        User = get_user_model()
        field = User._meta.get_field(User.USERNAME_FIELD)
        try:
            field.run_validators(username)
            field.validate(username, None)
        except ValidationError as error:
            raise CommandError(
                f"{username!r} cannot be a username: {' '.join(error.messages)}"
            ) from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"{username!r} is taken: a student already has it.")
        return username

    def ask(self) -> str:
        # A name nobody guesses first: pupils know a teacher is probably "teacher".
        while True:
            answer = input(
                f"Username for the first teacher (Enter for {DEFAULT_USERNAME!r}): "
            ).strip()
            try:
                return self.valid(answer or DEFAULT_USERNAME)
            except CommandError as error:
                self.stderr.write(str(error))
