"""A live game: the teacher's projector sets the pace, the whole class answers at once.

Each player's part is an ordinary Attempt (with `live_game` set) and its Answers, so
history, reports and the item analysis read a live game like any other sitting.
The game row holds only what everyone shares: the phase, the current question and
its clock, and a version bumped on every change that the screens show.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .classes import Classroom
from .sets import QuestionSet


class LivePhase(models.TextChoices):
    LOBBY = "lobby", _("waiting for players")
    QUESTION = "question", _("question open")
    REVEAL = "reveal", _("answer shown")
    LEADERBOARD = "leaderboard", _("leaderboard")
    ENDED = "ended", _("ended")


CODE_DIGITS = 6


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


class LiveGame(models.Model):
    question_set = models.ForeignKey(
        QuestionSet, on_delete=models.PROTECT, related_name="live_games", verbose_name=_("set")
    )
    classroom = models.ForeignKey(
        Classroom, on_delete=models.PROTECT, related_name="live_games", verbose_name=_("class")
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hosted_games",
        verbose_name=_("host"),
    )
    # What students type: digits only, unique among the games not yet ended.
    code = models.CharField(_("game code"), max_length=CODE_DIGITS)
    phase = models.CharField(max_length=12, choices=LivePhase.choices, default=LivePhase.LOBBY)
    question_ids = models.JSONField(default=list)
    # -1 in the lobby; the question on screen (or just shown) after that.
    current_index = models.SmallIntegerField(default=-1)
    # The options of the current question in the order the projector shows them:
    # every device shows the same order, so "the second one" means the same thing.
    option_order = models.JSONField(default=list, blank=True)
    question_started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    # Bumped on every change of what a screen shows; screens ask "still version N?".
    version = models.PositiveIntegerField(default=1)
    # Students the teacher removed: they may not join again.
    removed_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("live game")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(phase="ended"),
                name="quiz_live_code_once",
            ),
        ]

    def __str__(self):
        return f"{self.question_set} — {self.classroom} ({self.code})"

    def get_absolute_url(self):
        return reverse("live:host", args=[self.pk])

    @property
    def is_over(self) -> bool:
        return self.phase == LivePhase.ENDED

    @property
    def question_total(self) -> int:
        return len(self.question_ids)

    @property
    def number(self) -> int:
        return self.current_index + 1

    @property
    def is_last_question(self) -> bool:
        return self.current_index + 1 >= self.question_total

    def seconds_allowed(self) -> int:
        return self.question_set.seconds_per_question
