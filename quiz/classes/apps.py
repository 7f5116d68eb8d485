"""Classes and their rosters, joining with a code, extra time and assignments."""

from django.apps import AppConfig


class ClassesConfig(AppConfig):
    """An area of the app without models of its own (they live in quiz.core, label "quiz")."""

    name = "quiz.classes"
