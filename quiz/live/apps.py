"""The live game: the teacher's projector sets the pace, the whole class answers at once."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    """An area of the app without models of its own (they live in quiz.core, label "quiz")."""

    name = "quiz.live"
