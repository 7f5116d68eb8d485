"""The school's server as `make run` starts it: deploy checks, static files, crashes mid-quiz."""

import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quiz.bench.server import Server, free_port
from quiz.core.models import Answer, Attempt
from tests.factories import multiple_choice, question_set_with

ROOT = Path(__file__).resolve().parent.parent


def _production(tmp_path, **env) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return {**base, "DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "quiz.settings", **env}


def _manage(tmp_path, *args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_production(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("https", ["off", "on"])
def test_check_deploy_is_clean_in_production_settings(tmp_path, https):
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", HTTPS=https)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _settings_in_subprocess(tmp_path, **env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'SILENCED_SYSTEM_CHECKS']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_plain_http_silences_exactly_the_four_https_only_checks(tmp_path):
    values = _settings_in_subprocess(tmp_path)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert sorted(values["SILENCED_SYSTEM_CHECKS"]) == [
        "security.W004",  # HSTS
        "security.W008",  # redirect to https
        "security.W012",  # secure session cookie
        "security.W016",  # secure CSRF cookie
    ]


def test_https_on_switches_on_every_https_protection(tmp_path):
    values = _settings_in_subprocess(tmp_path, HTTPS="on")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    # Behind the TLS proxy, which must set X-Forwarded-Proto.
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert not values["SILENCED_SYSTEM_CHECKS"]


@pytest.mark.django_db
def test_a_signed_in_page_view_writes_no_session_row(client, student):
    client.force_login(student)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("quiz:my_quizzes")).status_code == 200
    assert not [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies"


def test_logs_go_to_stdout():
    handlers = django_settings.LOGGING["handlers"]
    assert handlers
    assert all(h.get("stream") == "ext://sys.stdout" for h in handlers.values())
    assert django_settings.LOGGING["root"]["handlers"]


@pytest.fixture
def collected_static(settings, tmp_path):
    """Static files as `make run` serves them: collected, hashed, compressed."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_hashed_static_files_that_are_cached_for_ever_and_compressed(
    collected_static,
):
    client = Client()  # a new client loads whitenoise with the collected files
    html = client.get(reverse("login")).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert any(re.search(r"/css/app\.[0-9a-f]{12}\.css$", a) for a in assets), assets
    assert any(re.search(r"/js/app\.[0-9a-f]{12}\.js$", a) for a in assets), assets
    for asset in assets:
        response = client.get(asset, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, asset
        assert "immutable" in response["Cache-Control"]
        assert "max-age=315360000" in response["Cache-Control"]
        if asset.endswith((".css", ".js")):
            assert response["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in response["Vary"]


@pytest.mark.django_db
def test_unhashed_static_names_are_only_cached_briefly(collected_static):
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


# --- A quiz survives a killed worker and a crashed server ---------------------------------


class Browser:
    """Just enough of a browser: cookies, CSRF header, htmx header, no redirects."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = dict(cookies)

    def request(self, method, path, form=None, htmx=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            body = urlencode(form or {})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        conn.close()
        return response, text


def _step(text: str) -> tuple[str, int]:
    position = int(re.search(r'name="position" value="(\d+)"', text).group(1))
    return ("question" if "/answer/" in text else "feedback"), position


def _database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(config['NAME']).resolve()}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config.get("PASSWORD") else "")
    return f"postgres://{auth}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.fixture(scope="session")
def server_data_dir(tmp_path_factory):
    """A DATA_DIR with the static files collected, as `make run` leaves it."""
    folder = tmp_path_factory.mktemp("server-data")
    result = _manage(folder, "collectstatic", "--noinput", "--verbosity", "0")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def server(transactional_db, server_data_dir, tmp_path):
    """gunicorn as `make run` starts it, on the test database."""
    live = Server(
        port=free_port(),
        env={
            "DATABASE_URL": _database_url(),
            "SECRET_KEY": django_settings.SECRET_KEY,
            "DATA_DIR": str(server_data_dir),
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        },
        log_path=tmp_path / "server.log",
        workers=2,
    )
    live.start()
    yield live
    live.stop()


def test_a_killed_worker_or_a_crashed_server_loses_no_acknowledged_answer(
    server, student, classroom
):
    first, second = multiple_choice(correct="Trotsky"), multiple_choice(correct="Bukharin")
    quiz_set = question_set_with([first, second], assign_to=classroom, seconds_per_question=300)
    session = Client()
    session.force_login(student)
    browser = Browser(server.port, {k: m.value for k, m in session.cookies.items()})
    browser.request("GET", "/quiz/")  # the CSRF cookie
    response, _ = browser.request("POST", f"/quiz/sets/{quiz_set.pk}/start/")
    assert response.status == 302
    play = response.headers["Location"]
    attempt = Attempt.objects.get(student=student)

    _, page = browser.request("GET", play, htmx=True)
    assert _step(page) == ("question", 0)
    option = re.findall(r'name="option" value="(\d+)"', page)[0]
    _, page = browser.request(
        "POST", f"{play}answer/", {"position": "0", "option": option}, htmx=True
    )
    assert _step(page) == ("feedback", 0)  # acknowledged

    for _ in range(2):  # every worker, SIGKILLed; the master starts new ones
        server.kill_worker()
    server._wait_until_ready(60)
    _, page = browser.request("GET", play)
    assert _step(page) == ("feedback", 0), "the student is where they were"
    _, page = browser.request("POST", f"{play}next/", {"position": "0"}, htmx=True)
    assert _step(page) == ("question", 1)
    deadline = Answer.objects.get(attempt=attempt, position=1).deadline

    server.crash_and_restart()
    _, page = browser.request("GET", play)
    assert _step(page) == ("question", 1)
    assert Answer.objects.get(attempt=attempt, position=1).deadline == deadline
    option = re.findall(r'name="option" value="(\d+)"', page)[-1]
    _, page = browser.request(
        "POST", f"{play}answer/", {"position": "1", "option": option}, htmx=True
    )
    assert _step(page) == ("feedback", 1)

    server.crash_and_restart()
    _, page = browser.request("GET", play)
    assert _step(page) == ("feedback", 1)
    answers = list(Answer.objects.filter(attempt=attempt).order_by("position"))
    assert [a.position for a in answers] == [0, 1]
    assert [a.answered_at is not None for a in answers] == [True, True]
    assert answers[1].response == {"option": int(option)}


@pytest.mark.django_db
def test_the_benchmark_reads_the_quiz_fragments_as_the_page_does(client, student, classroom):
    """`make bench` parses these fragments: a template change must not silently break it."""
    from quiz.bench.http import Response
    from quiz.bench.students import parse_step
    from tests.factories import chronology, year_question

    first = multiple_choice()
    quiz_set = question_set_with(
        [first, year_question(first.unit), chronology(first.unit)], assign_to=classroom
    )
    client.force_login(student)
    play = client.post(reverse("quiz:start", args=[quiz_set.pk]))["Location"]

    def step(response):
        headers = {k.lower(): v for k, v in response.items()}
        return parse_step(Response(response.status_code, headers, [], response.content.decode(), 0))

    forms = []
    shown = step(client.get(play, HTTP_HX_REQUEST="true"))
    while shown.kind != "finished":
        assert shown.kind == "question" and shown.seconds_left > 0
        if shown.options:
            form = {"option": shown.options[0]}
        elif shown.places:
            form = {f"place_{pk}": n for n, pk in enumerate(shown.places, start=1)}
        else:
            assert shown.has_year
            form = {"year": 1917}
        forms.append(form)
        answered = client.post(
            f"{play}answer/", {"position": shown.position, **form}, HTTP_HX_REQUEST="true"
        )
        feedback = step(answered)
        assert (feedback.kind, feedback.position) == ("feedback", shown.position)
        assert not feedback.timed_out
        shown = step(
            client.post(f"{play}next/", {"position": shown.position}, HTTP_HX_REQUEST="true")
        )
    assert len(forms) == 3


@pytest.mark.django_db
def test_the_benchmark_tells_a_timed_out_question_from_an_answered_one(client, student, classroom):
    from datetime import timedelta

    from django.utils import timezone

    from quiz.bench.http import Response
    from quiz.bench.students import parse_step

    quiz_set = question_set_with([multiple_choice()], assign_to=classroom)
    client.force_login(student)
    play = client.post(reverse("quiz:start", args=[quiz_set.pk]))["Location"]
    client.get(play)
    Answer.objects.update(deadline=timezone.now() - timedelta(minutes=1))
    response = client.get(play, HTTP_HX_REQUEST="true")
    shown = parse_step(Response(200, {}, [], response.content.decode(), 0))
    assert (shown.kind, shown.position, shown.timed_out) == ("feedback", 0, True)
