"""A student's sitting at a set, and each answer given in it."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .questions import Option, Question
from .sets import QuestionSet


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
    # Set when this sitting is a player's part in a live game (the game sets the pace).
    live_game = models.ForeignKey(
        "quiz.LiveGame",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("live game"),
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        constraints = [
            # A second tab or a double click on "Start" resumes, never forks, a sitting
            # (a live game's are its own: a student may be in one and have a quiz open).
            models.UniqueConstraint(
                fields=["student", "question_set"],
                condition=models.Q(finished_at__isnull=True, live_game__isnull=True),
                name="quiz_one_open_attempt",
            ),
            # A student is in a game once: joining again (another device, a reload) resumes.
            models.UniqueConstraint(
                fields=["live_game", "student"],
                condition=models.Q(live_game__isnull=False),
                name="quiz_live_player_once",
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
    def is_live(self) -> bool:
        return self.live_game_id is not None

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
