"""The project's URLs plus /health/, for a checkout where quiz/urls.py lacks it."""

from django.urls import path

from quiz.health import health
from quiz.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("health/", health, name="health"), *project_urlpatterns]
