"""Hardening: a strict CSP on every page, security headers, limits, error pages that leak nothing.

The error-page tests route through this module's own `urlpatterns` (the project's
URLs plus a few views that fail on purpose) with DEBUG off, as on a school server.
"""

import json
import re

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.utils import timezone
from django.views.defaults import server_error

from history.models import Event, Person
from quiz import urls as project_urls
from quiz.core.models import Attempt
from tests.factories import multiple_choice, question_set_with

SECRET_DETAIL = "the-exception-message-students-must-never-see"


def _raises_error(request):
    raise RuntimeError(SECRET_DETAIL)


def _raises_permission_denied(request):
    raise PermissionDenied(SECRET_DETAIL)


def _raises_suspicious(request):
    raise SuspiciousOperation(SECRET_DETAIL)


urlpatterns = [
    path("test-only/error/", _raises_error),
    path("test-only/forbidden/", _raises_permission_denied),
    path("test-only/suspicious/", _raises_suspicious),
    *project_urls.urlpatterns,
]

# An inline <script> (one without src; JSON data blocks are not run), a <style>
# block, a style="" attribute or an onclick=""-style handler: all refused by our CSP.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)
EXTERNAL = re.compile(r"""(?:src|href|action)=["']?(?:https?:)?//""", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    header = response.headers["Content-Security-Policy"]
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:"):
        assert loophole not in header.split(), loophole


def assert_no_inline_code(response):
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    assert not INLINE_CODE.findall(html), INLINE_CODE.findall(html)[:3]
    assert not EXTERNAL.findall(html), "pages load nothing from outside the server"


@pytest.fixture
def quiz_set(classroom):
    return question_set_with([multiple_choice(), multiple_choice()], assign_to=classroom)


@pytest.fixture
def attempts(student, quiz_set):
    """A sitting in progress (its question shown) and a finished one."""
    client = Client()
    client.force_login(student)
    client.post(reverse("quiz:start", args=[quiz_set.pk]))
    playing = Attempt.objects.get(student=student, finished_at__isnull=True)
    client.get(reverse("quiz:play", args=[playing.pk]))
    finished = Attempt.objects.create(
        student=student,
        question_set=quiz_set,
        question_ids=playing.question_ids,
        finished_at=timezone.now(),
    )
    return playing, finished


def study_pages(unit):
    event = Event.objects.filter(unit=unit).first()
    person = Person.objects.filter(unit=unit).first()
    return [
        reverse("home"),
        unit.get_absolute_url(),
        reverse("history:event", args=[unit.slug, event.slug]),
        reverse("history:person", args=[unit.slug, person.slug]),
        reverse("login"),
    ]


@pytest.mark.django_db
def test_study_pages_and_sign_in_carry_a_strict_csp_and_no_inline_code(client, curated_unit):
    pages = study_pages(curated_unit)
    assert pages
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert_strict_csp(response)
        assert_no_inline_code(response)


@pytest.mark.django_db
def test_quiz_pages_carry_a_strict_csp_and_no_inline_code(client, student, quiz_set, attempts):
    playing, finished = attempts
    client.force_login(student)
    pages = [
        (reverse("quiz:my_quizzes"), {}),
        (reverse("quiz:history"), {}),
        (reverse("quiz:play", args=[playing.pk]), {}),
        (reverse("quiz:play", args=[playing.pk]), {"HTTP_HX_REQUEST": "true"}),
        (reverse("quiz:result", args=[finished.pk]), {}),
        (reverse("quiz:leaderboard", args=[quiz_set.pk]), {}),
    ]
    for url, headers in pages:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert_strict_csp(response)
        assert_no_inline_code(response)


@pytest.mark.django_db
def test_every_admin_list_and_add_page_carries_a_strict_csp_and_no_inline_code(
    client, admin_user, curated_unit
):
    signed_out = Client().get(reverse("admin:login"))
    assert_strict_csp(signed_out)
    assert_no_inline_code(signed_out)
    client.force_login(admin_user)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls += [reverse("admin:{}_{}_changelist".format(*info))]
        urls += [reverse("admin:{}_{}_add".format(*info))]
    event = Event.objects.filter(unit=curated_unit).first()
    urls.append(reverse("admin:history_event_change", args=[event.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: read-only models
        assert_strict_csp(response)
        assert_no_inline_code(response)


def _routes(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _concrete(route: str, ids: dict[str, int]) -> str | None:
    """A path for a route like 'quiz/attempts/<int:pk>/'; None for regex routes."""
    if any(mark in route for mark in ("^", "$", "(?", "\\")):
        return None

    def fill(match):
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        if match.group(1) == "int":
            return str(ids.get(before, 1))
        return "no-such-thing"

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)


@pytest.mark.django_db
def test_every_route_answers_with_the_csp_whoever_asks(
    student, teacher, classroom, quiz_set, attempts
):
    """New pages are covered too: every route in the URLconf, anonymous, student, teacher."""
    playing, _ = attempts
    ids = {
        "attempts": playing.pk,
        "sets": quiz_set.pk,
        "classes": classroom.pk,
        "students": student.pk,
    }
    paths = {p for p in (_concrete(r, ids) for r in _routes(get_resolver())) if p}
    assert len(paths) > 10
    for user in (None, student, teacher):
        client = Client(raise_request_exception=False)
        if user:
            client.force_login(user)
        for url in sorted(paths):
            response = client.get(url)
            assert_strict_csp(response)
            if response.status_code == 200:
                assert_no_inline_code(response)


@pytest.mark.django_db
def test_pages_send_the_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(client, student):
    from tests.factories import PASSWORD

    client.get(reverse("login"))
    client.post(reverse("login"), {"username": student.username, "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_htmx_runs_without_eval_inline_styles_or_a_history_cache(client):
    html = client.get(reverse("login")).content.decode()
    meta = re.search(r"""<meta name="htmx-config" content='([^']*)'>""", html)
    assert meta, "base.html configures htmx"
    config = json.loads(meta.group(1))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["historyCacheSize"] == 0  # shared lab PCs keep no copy of a quiz
    assert config["selfRequestsOnly"] is True


@pytest.mark.django_db
def test_a_request_body_over_the_limit_is_refused_with_400(settings):
    client = Client(raise_request_exception=False)
    body = "x=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert_strict_csp(response)


@pytest.mark.django_db
def test_too_many_form_fields_are_refused_with_400(settings):
    client = Client(raise_request_exception=False)
    fields = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post(reverse("login"), fields).status_code == 400


@pytest.fixture
def failing_site(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def assert_leaks_nothing(response, settings):
    html = response.content.decode()
    for secret in (SECRET_DETAIL, "Traceback", "RuntimeError", settings.SECRET_KEY, "/work/"):
        assert secret not in html
    assert "DATABASES" not in html and "SECRET_KEY" not in html


@pytest.mark.django_db
def test_a_crash_shows_the_friendly_500_page_and_leaks_nothing(failing_site, settings, caplog):
    response = failing_site.get("/test-only/error/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert_leaks_nothing(response, settings)
    assert_strict_csp(response)
    assert_no_inline_code(response)
    # The detail goes to the server's log (stdout), not to the student.
    assert SECRET_DETAIL in caplog.text


def test_the_500_page_needs_neither_a_database_nor_a_request():
    # No django_db mark: any query here would fail the test.
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_an_unknown_address_shows_the_friendly_404_page(failing_site, settings):
    response = failing_site.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "no-such-page" not in response.content.decode()
    assert_leaks_nothing(response, settings)
    assert_strict_csp(response)


@pytest.mark.django_db
def test_permission_denied_shows_the_friendly_403_page(failing_site, settings):
    response = failing_site.get("/test-only/forbidden/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert_leaks_nothing(response, settings)
    assert_strict_csp(response)


@pytest.mark.django_db
def test_a_suspicious_request_shows_the_friendly_400_page(failing_site, settings):
    response = failing_site.get("/test-only/suspicious/")
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()
    assert_leaks_nothing(response, settings)


@pytest.mark.django_db
def test_an_unknown_host_name_gets_the_400_page(failing_site, settings):
    response = failing_site.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()
    assert_leaks_nothing(response, settings)


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_friendly_403(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "ada", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please try again" in html
    assert "cookie not set" not in html  # no jargon, no reason string
    assert_strict_csp(response)
    assert_no_inline_code(response)
