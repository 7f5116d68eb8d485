"""A question and its options: what a teacher writes or the generator drafts."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from history.models import Event, Person, Source, Unit


class Kind(models.TextChoices):
    MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
    YEAR = "year", _("year")
    CHRONOLOGY = "chronology", _("chronology")
    WHICH_FIRST = "which_first", _("which came first?")


class Question(models.Model):
    """A stored question: an attempt always refers to exactly what was shown."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    prompt = models.TextField(_("prompt"))
    explanation = models.TextField(_("explanation"), blank=True)
    answer_year = models.IntegerField(
        _("correct year"), null=True, blank=True, help_text=_("Year questions only.")
    )
    tolerance = models.PositiveSmallIntegerField(
        _("tolerance (years)"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("Year questions: answers this many years off earn partial credit."),
    )
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    shuffle_options = models.BooleanField(
        _("shuffle options"),
        default=True,
        help_text=_(
            "Each student sees the options in an order of their own, so the right answer is "
            "not always in the same place. Untick to keep the order given here (for "
            "“None of these” last, say). Year options always run from earliest to latest."
        ),
    )
    # Provenance of generated questions; hand-written ones leave these empty.
    template = models.CharField(_("generator template"), max_length=60, blank=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("question")

    def __str__(self):
        return self.prompt[:80]

    @property
    def is_generated(self) -> bool:
        return bool(self.template)

    def editable_by(self, user) -> bool:
        """The teacher who made it edits it (and the school admin); one made by a command,
        or by a teacher who has left, is everyone's."""
        return user.is_superuser or self.created_by_id in (None, user.pk)

    def correct_options(self):
        return [o for o in self.options.all() if o.is_correct]

    def wrong_options(self):
        return [o for o in self.options.all() if not o.is_correct]

    def correct_order(self):
        return sorted(self.options.all(), key=lambda o: o.correct_position or 0)

    def correct_answer_text(self) -> str:
        if self.kind == Kind.YEAR:
            return str(self.answer_year)
        if self.kind == Kind.CHRONOLOGY:
            return " → ".join(o.text for o in self.correct_order())
        return ", ".join(o.text for o in self.correct_options())


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("text"), max_length=300)
    # Display order, fixed when the question is made so every student sees the
    # same layout and a review shows exactly what was on screen.
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_correct = models.BooleanField(_("correct"), default=False)
    correct_position = models.PositiveSmallIntegerField(
        _("place in the correct order"),
        null=True,
        blank=True,
        help_text=_("Chronology questions only: 1 for the earliest."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="quiz_option_text_once"),
        ]

    def __str__(self):
        return self.text
