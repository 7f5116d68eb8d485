import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first teacher (a superuser) with a random password, if no teacher exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="teacher")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        if User.objects.filter(is_staff=True).exists():
            self.stdout.write("A teacher account already exists; none created.")
            return
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
