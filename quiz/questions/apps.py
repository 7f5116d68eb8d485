"""Writing questions and sets: the admin pages and the generator page."""

from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    """An area of the app without models of its own (they live in quiz.core, label "quiz")."""

    name = "quiz.questions"
