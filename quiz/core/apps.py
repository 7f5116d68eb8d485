from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

TEACHERS_GROUP = "Teachers"


def ensure_teachers_group(sender=None, **kwargs):
    """Teachers (staff in this group) may edit content, questions, sets and classes.

    Superusers (the school admin) can do anything; a teacher is given the group
    in the admin under Users.
    """
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=TEACHERS_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label__in=["history", "quiz"]
    ).exclude(content_type__model="signinthrottle")
    group.permissions.set(permissions)


class QuizConfig(AppConfig):
    """Every model of the app. The label stays "quiz": tables, migrations and
    permissions are named by it, and the areas (quiz.play, quiz.classes, …) have none."""

    name = "quiz.core"
    label = "quiz"
    verbose_name = _("Quizzes")

    def ready(self):
        post_migrate.connect(ensure_teachers_group, sender=self)
