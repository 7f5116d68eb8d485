"""Signing in: the student backend, throttling, the first teacher."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """An area of the app without models of its own (they live in quiz.core, label "quiz")."""

    name = "quiz.accounts"
