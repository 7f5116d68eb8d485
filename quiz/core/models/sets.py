"""Question sets: questions in order, with the rules a sitting follows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from history.models import Unit

from .questions import Question
from .window import Window, open_at


class Scoring(models.TextChoices):
    ACCURACY = "accuracy", _("accuracy only")
    SPEED = "speed", _("speed bonus")
    STREAK = "streak", _("streak bonus")


class Feedback(models.TextChoices):
    EACH = "each", _("after each question")
    END = "end", _("at the end")


class LeaderboardNames(models.TextChoices):
    HIDDEN = "hidden", _("students do not see the leaderboard")
    INITIALS = "initials", _("students see initials")
    NAMES = "names", _("students see names")


class QuestionSetQuerySet(models.QuerySet):
    def open_for(self, user, now):
        """Published sets open now and assigned (and open) to the student's class."""
        assigned = models.Q(assignments__classroom__students__user=user)
        return self.filter(
            open_at(now) & assigned & open_at(now, "assignments__"), published=True, archived=False
        ).distinct()


class QuestionSet(Window):
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("unit"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="question_sets",
        verbose_name=_("teacher"),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    seconds_per_question = models.PositiveSmallIntegerField(
        _("seconds per question"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(300)],
    )
    question_count = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty to ask every question in the set."),
    )
    shuffle = models.BooleanField(_("shuffle questions"), default=True)
    scoring = models.CharField(
        _("scoring"), max_length=10, choices=Scoring.choices, default=Scoring.ACCURACY
    )
    feedback = models.CharField(
        _("show feedback"), max_length=10, choices=Feedback.choices, default=Feedback.EACH
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means unlimited.")
    )
    published = models.BooleanField(_("published"), default=False)
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_(
            "Hidden from students and from the sets list; every result is kept. "
            "A set that has attempts cannot be deleted: archive it instead."
        ),
    )
    leaderboard = models.CharField(
        _("leaderboard"),
        max_length=10,
        choices=LeaderboardNames.choices,
        default=LeaderboardNames.INITIALS,
    )
    questions = models.ManyToManyField(Question, through="SetQuestion", related_name="sets")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question set")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seconds_per_question__gte=5, seconds_per_question__lte=300),
                name="quiz_set_sane_time",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("quiz:preview", args=[self.pk])

    closes_too_early = _("A set must close after it opens.")

    def clean(self):
        super().clean()
        if self.archived and self.published:
            raise ValidationError(
                {"published": _("An archived set cannot be published: un-archive it first.")}
            )

    def editable_by(self, user) -> bool:
        """Its owner edits it (and the school admin); a set whose owner has left is
        everyone's. Colleagues may use it read-only, or duplicate it."""
        return user.is_superuser or self.owner_id in (None, user.pk)

    def is_open(self, now) -> bool:
        return self.published and self.window_holds(now)

    def ordered_questions(self):
        return [sq.question for sq in self.set_questions.select_related("question")]

    @transaction.atomic
    def duplicate(self, *, owner) -> "QuestionSet":
        """An unpublished copy with the same questions and settings, owned by `owner`;
        assignments and attempts stay with the original."""
        copy = QuestionSet.objects.get(pk=self.pk)
        copy.pk = None
        copy.owner = owner
        copy.published = False
        copy.archived = False
        copy.title = _("%(title)s (copy)") % {"title": self.title}
        copy.save()
        SetQuestion.objects.bulk_create(
            SetQuestion(question_set=copy, question_id=sq.question_id, position=sq.position)
            for sq in self.set_questions.all()
        )
        return copy


class SetQuestion(models.Model):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="set_questions"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question in set")
        verbose_name_plural = _("questions in set")
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "question"], name="quiz_set_question_once"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.question}"
