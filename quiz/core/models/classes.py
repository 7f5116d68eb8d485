"""Classes, their students and the sets assigned to them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .sets import QuestionSet
from .window import Window


class TeacherScopedQuerySet(models.QuerySet):
    """The one rule of who sees a class and what hangs off it: its teacher, and the
    school admin (a superuser), who sees every class."""

    teacher_path = "teacher"

    def for_teacher(self, user):
        return self if user.is_superuser else self.filter(**{self.teacher_path: user})


class ClassroomQuerySet(TeacherScopedQuerySet):
    teacher_path = "teacher"


class InClassQuerySet(TeacherScopedQuerySet):
    teacher_path = "classroom__teacher"


class Classroom(models.Model):
    """A teacher's class: a roster of students and the sets assigned to it."""

    name = models.CharField(_("name"), max_length=100)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="classrooms",
        verbose_name=_("teacher"),
    )
    join_code = models.CharField(_("join code"), max_length=8, unique=True)
    joining_open = models.BooleanField(
        _("students may join with the code"),
        default=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(fields=["teacher", "name"], name="quiz_class_name_once"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("teach:classroom", args=[self.pk])


class ExtraTime(models.TextChoices):
    NONE = "1", _("none")
    QUARTER = "1.25", _("×1.25")
    HALF = "1.5", _("×1.5")
    DOUBLE = "2", _("×2")


class StudentProfile(models.Model):
    """What a class needs to know about a student: a display name, nothing more."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_profile"
    )
    display_name = models.CharField(_("name"), max_length=60)
    classroom = models.ForeignKey(
        Classroom,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="students",
        verbose_name=_("class"),
    )
    extra_time = models.CharField(
        _("extra time"), max_length=4, choices=ExtraTime.choices, default=ExtraTime.NONE
    )

    objects = InClassQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("student")

    def __str__(self):
        return self.display_name

    @property
    def time_factor(self) -> float:
        return float(self.extra_time)


class Assignment(Window):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="assignments"
    )
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")

    objects = InClassQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "classroom"], name="quiz_assign_set_once_per_class"
            ),
        ]

    def __str__(self):
        return f"{self.question_set} → {self.classroom}"

    closes_too_early = _("An assignment must close after it opens.")

    def is_open(self, now) -> bool:
        return self.window_holds(now)
