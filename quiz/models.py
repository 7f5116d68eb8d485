from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
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
        window = (
            models.Q(published=True)
            & (models.Q(opens_at__isnull=True) | models.Q(opens_at__lte=now))
            & (models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=now))
        )
        assigned = (
            models.Q(
                assignments__classroom__students__user=user,
            )
            & (
                models.Q(assignments__opens_at__isnull=True)
                | models.Q(assignments__opens_at__lte=now)
            )
            & (
                models.Q(assignments__closes_at__isnull=True)
                | models.Q(assignments__closes_at__gt=now)
            )
        )
        return self.filter(window & assigned, archived=False).distinct()


class QuestionSet(models.Model):
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
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
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

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A set must close after it opens.")})
        if self.archived and self.published:
            raise ValidationError(
                {"published": _("An archived set cannot be published: un-archive it first.")}
            )

    def editable_by(self, user) -> bool:
        """Its owner edits it (and the school admin); a set whose owner has left is
        everyone's. Colleagues may use it read-only, or duplicate it."""
        return user.is_superuser or self.owner_id in (None, user.pk)

    def is_open(self, now) -> bool:
        return (
            self.published
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or now < self.closes_at)
        )

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


class Attempt(models.Model):
    """One sitting of one student at one question set."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    # PROTECT: deleting a set must never delete a student's result (archive it instead).
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="attempts")
    # The questions of this sitting in the order asked, fixed at the start.
    question_ids = models.JSONField(default=list)
    current_index = models.PositiveSmallIntegerField(default=0)
    time_factor = models.FloatField(default=1.0, help_text=_("Extra time, e.g. 1.5 or 2."))
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    correct_count = models.PositiveSmallIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        constraints = [
            # A second tab or a double click on "Start" resumes, never forks, a sitting.
            models.UniqueConstraint(
                fields=["student", "question_set"],
                condition=models.Q(finished_at__isnull=True),
                name="quiz_one_open_attempt",
            ),
        ]
        indexes = [
            # Serves "my attempts at this set" (attempts left, best score, leaderboard).
            models.Index(fields=["question_set", "student"], name="quiz_attempt_set_student"),
        ]

    def __str__(self):
        return f"{self.student} — {self.question_set}"

    def get_absolute_url(self):
        return reverse("quiz:play", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def question_total(self) -> int:
        return len(self.question_ids)

    @property
    def max_score(self) -> int:
        return self.question_total * POINTS

    def seconds_allowed(self) -> float:
        return self.question_set.seconds_per_question * self.time_factor

    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None


# Points for a fully correct answer before any bonus.
POINTS = 100


class Answer(models.Model):
    """Made when a question is shown (its deadline starts then), filled when answered."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    position = models.PositiveSmallIntegerField()
    shown_at = models.DateTimeField()
    deadline = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    # The options' ids in the order this student saw them, fixed when the question is shown
    # so the review and the item analysis agree with the screen. Empty: the stored order.
    option_order = models.JSONField(default=list, blank=True)
    # What the student sent: {"option": id}, {"year": 1917} or {"order": [id, ...]}.
    response = models.JSONField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    credit = models.FloatField(default=0.0)
    points = models.IntegerField(default=0)
    feedback_seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        verbose_name = _("answer")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="quiz_answer_once"),
            models.UniqueConstraint(
                fields=["attempt", "position"], name="quiz_answer_position_once"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} #{self.position + 1}"

    @property
    def is_closed(self) -> bool:
        return self.answered_at is not None or self.timed_out

    def shown_options(self) -> list["Option"]:
        """The question's options in the order this student saw them (new ones last)."""
        options = list(self.question.options.all())
        rank = {pk: i for i, pk in enumerate(self.option_order or [])}
        return sorted(options, key=lambda o: rank.get(o.pk, len(rank)))

    @property
    def is_correct(self) -> bool:
        return self.credit >= 1.0 and not self.late


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

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("student")

    def __str__(self):
        return self.display_name

    @property
    def time_factor(self) -> float:
        return float(self.extra_time)


class Assignment(models.Model):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.CASCADE, related_name="assignments"
    )
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

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

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("An assignment must close after it opens.")})

    def is_open(self, now) -> bool:
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


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
