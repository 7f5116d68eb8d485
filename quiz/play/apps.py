"""A student's sitting at a set: start, answer, feedback, result, leaderboard."""

from django.apps import AppConfig


class PlayConfig(AppConfig):
    """An area of the app without models of its own (they live in quiz.core, label "quiz")."""

    name = "quiz.play"
