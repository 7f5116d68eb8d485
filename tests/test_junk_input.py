"""Every URL, fed junk by every kind of user, answers 4xx or the form again: never 5xx.

The walk covers every route in the URLconf (with real ids and junk ids), every admin page of
every registered model (changelist, add, change, delete, history) and the admin's autocomplete
endpoint; each gets junk query strings, and each form it shows is posted back with junk in every
field. A refused request (4xx) must change nothing, and nothing sent is reflected unescaped.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from history.models import Event, Person, Unit
from quiz.core.models import Assignment, Attempt
from tests.factories import (
    ClassroomFactory,
    StudentFactory,
    TeacherFactory,
    chronology,
    multiple_choice,
    question_set_with,
    year_question,
)

# Reflected unescaped, this would run as markup.
MARKUP = '"><svg onload=alert(1)>'
# What POST-only views (answer, start, merge...) read, for a page that shows no form.
GUESSED_FIELDS = ["option", "year", "order", "student", "keep", "merge", "pk", "name", "code"]
JUNK_QUERY = {
    "page": "abc",
    "p": "²",
    "o": "zz.-1",
    "q": MARKUP,
    "e": "1",
    "all": "",
    "_changelist_filters": "a=%ZZ",
    "next": "http://example.invalid/",
    "year": "nineteen",
    "kind": "bogus",
    "attempt": "xyz",
    "classroom": "-5",
    "format": "csv\x00",
    "replace": "²",
    "sources__id__exact": "abc",
    "unit__id__exact": "abc",
}


class FormValues(HTMLParser):
    """The fields of a page's forms with the values a browser would send unchanged."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self.values.setdefault(name, [])
                return
            self.values.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, [""])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data


def _form_values(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


def _routes(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _fill(route: str, ids: dict[str, list[str]]) -> list[str]:
    """Concrete paths for a route like 'quiz/attempts/<int:pk>/': real ids, then junk ids."""
    if any(mark in route for mark in ("^", "$", "(?", "\\")):
        return []
    converters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not converters:
        return ["/" + route]

    def fill(choice):
        def one(match):
            before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            values = ids.get(before) or ids.get(match.group(2)) or ["1"]
            if choice == "real":
                return values[0]
            if match.group(1) == "int":
                return "999999"
            return "no-such-thing"

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", one, route)

    return [fill("real"), fill("junk")]


def _admin_paths(objects) -> list[str]:
    paths = [reverse("admin:index"), "/admin/quiz/", "/admin/history/", "/admin/auth/"]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        paths += [
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_add".format(*info)),
        ]
        obj = objects.get(model) or model._default_manager.order_by("pk").first()
        for pk in ([obj.pk] if obj else []) + ["abc", "999999"]:
            for view in ("change", "history", "delete"):
                paths.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[pk]))
    for model, model_admin in admin.site._registry.items():
        for field in getattr(model_admin, "autocomplete_fields", ()):
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
                "term": MARKUP,
                "page": "abc",
            }
            paths.append(reverse("admin:autocomplete") + "?" + urlencode(query))
    # "View on site" for everything that has a page of its own.
    for model in apps.get_models():
        obj = model._default_manager.order_by("pk").first()
        if obj is not None and hasattr(obj, "get_absolute_url"):
            content_type = ContentType.objects.get_for_model(model)
            paths.append(reverse("admin:view_on_site", args=[content_type.pk, obj.pk]))
    return paths


def _fingerprint():
    """Row counts of every model: a refused request must leave them as they were."""
    return tuple(
        model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("quiz", "history", "auth")
    )


def _junk_posts(html: str) -> list[dict]:
    """The page's forms sent back unchanged, then junk in every field of them.

    A page without a form gets the names POST-only views read.
    """
    unchanged = _form_values(html)
    names = sorted(unchanged) or GUESSED_FIELDS
    posts = [{}, unchanged] if unchanged else [{}]
    posts += [{name: value for name in names} for value in ("abc", "²", MARKUP)]
    # Repeated fields and out-of-range numbers, as no form would send them.
    posts.append({name: ["-1", "9" * 25, "\x00"] for name in names})
    return posts


def _order(path: str) -> tuple:
    # Destructive pages last, so the rest of the walk still has its objects.
    return ("delete" in path or "logout" in path or "merge" in path, path)


@pytest.fixture
def school(db, curated_unit, admin_user):
    teacher = TeacherFactory(username="ms-novak")
    colleague = TeacherFactory(username="mr-okafor")
    classroom = ClassroomFactory(name="7B", teacher=teacher)
    ClassroomFactory(name="8C", teacher=colleague)
    student = StudentFactory(username="ada", classroom=classroom)
    quiz_set = question_set_with(
        [multiple_choice(curated_unit), year_question(curated_unit), chronology(curated_unit)],
        assign_to=classroom,
        owner=teacher,
    )
    client = Client()
    client.force_login(student)
    client.post(reverse("quiz:start", args=[quiz_set.pk]))
    attempt = Attempt.objects.get(student=student)
    client.get(reverse("quiz:play", args=[attempt.pk]))
    Attempt.objects.create(
        student=student,
        question_set=quiz_set,
        question_ids=attempt.question_ids,
        finished_at=timezone.now(),
    )
    unit = Unit.objects.get(slug="trotsky-and-stalin")
    ids = {
        "attempts": [str(attempt.pk)],
        "sets": [str(quiz_set.pk)],
        "classes": [str(classroom.pk)],
        "students": [str(student.pk)],
        "assignments": [str(Assignment.objects.first().pk)],
        "units": [unit.slug],
        "events": [Event.objects.filter(unit=unit).first().slug],
        "people": [Person.objects.filter(unit=unit).first().slug],
        "slug": [unit.slug],
    }
    users = {"anonymous": None, "student": student, "teacher": teacher, "superuser": admin_user}
    return users, ids


def _walk(user, ids):
    client = Client(raise_request_exception=False)
    if user:
        client.force_login(user)
    paths = {p for route in _routes(get_resolver()) for p in _fill(route, ids)}
    paths |= set(_admin_paths({}))
    assert len(paths) > 80
    failures = []
    for path in sorted(paths, key=_order):
        junk = urlencode(JUNK_QUERY)
        separator = "&" if "?" in path else "?"
        for url in (path, f"{path}{separator}{junk}"):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(("GET", url, _error(response)))
            _assert_not_reflected(response, url)
        html = response.content.decode(errors="replace") if response.status_code == 200 else ""
        posts = _junk_posts(html)
        assert posts
        for data in posts:
            before = _fingerprint()
            response = client.post(path, data)
            if response.status_code >= 500:
                failures.append(("POST", path, sorted(data)[:3], _error(response)))
            elif response.status_code >= 400:
                assert _fingerprint() == before, f"refused POST {path} changed data"
            _assert_not_reflected(response, path)
        if user and "logout" in path:
            client.force_login(user)
    return failures


def _error(response) -> str:
    exc_info = getattr(response, "exc_info", None)
    return repr(exc_info[1])[:160] if exc_info else str(response.status_code)


def _assert_not_reflected(response, url):
    if response.get("Content-Type", "").startswith(("text/html", "application/json")):
        assert MARKUP not in response.content.decode(errors="replace"), url


@pytest.mark.parametrize("who", ["anonymous", "student", "teacher", "superuser"])
def test_no_url_answers_junk_with_a_server_error(school, who):
    users, ids = school
    failures = _walk(users[who], ids)
    assert not failures, "\n".join(map(str, failures))
