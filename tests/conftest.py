import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
UNIT_FILE = ROOT / "history" / "units" / "trotsky-and-stalin.json"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The hashed-name storage needs collectstatic; tests serve static files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def curated_unit(db):
    from history.models import Unit

    call_command("import_unit", str(UNIT_FILE), stdout=StringIO())

    return Unit.objects.get(slug="trotsky-and-stalin")


@pytest.fixture
def teacher(db):
    from tests.factories import TeacherFactory

    return TeacherFactory(username="ms-novak")


@pytest.fixture
def classroom(teacher):
    from tests.factories import ClassroomFactory

    return ClassroomFactory(name="7B", teacher=teacher)


@pytest.fixture
def student(classroom):
    from tests.factories import StudentFactory

    return StudentFactory(username="ada", classroom=classroom)


@pytest.fixture
def other_student(classroom):
    from tests.factories import StudentFactory

    return StudentFactory(username="ben", classroom=classroom)


@pytest.fixture
def live_set(db):
    """A set for a live game: multiple choice, a year and a chronology."""
    from tests.factories import chronology, multiple_choice, question_set_with, year_question

    first = multiple_choice(correct="Leon Trotsky")
    second = year_question(first.unit, year=1917, tolerance=2)
    third = chronology(first.unit)
    return question_set_with([first, second, third], seconds_per_question=20)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install it with "
            "`apt-get install chromium` (or set CHROMIUM=/path/to/chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _watch_csp(page) -> list[str]:
    """Collect Content-Security-Policy violations the browser reports."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = _watch_csp(page)
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
