"""The production settings, with /health/ routed (used only until quiz/urls.py has it)."""

from quiz.settings import *  # noqa: F403

ROOT_URLCONF = "quiz.bench.urls"
