"""What the teacher reads: the set, question, class and student reports and their CSVs."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """An area of the app without models of its own (they live in quiz.core, label "quiz")."""

    name = "quiz.reports"
