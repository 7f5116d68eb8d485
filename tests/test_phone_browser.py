"""Every page a student or a teacher uses fits a 360 px phone without sideways scrolling,
and a whole set can be played on one."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from history.models import Event, Person
from quiz.core.models import Attempt
from quiz.play import sitting
from tests.factories import PASSWORD
from tests.reports.school import build_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
SHOTS = None  # set to a folder (e.g. "/tmp/shots") to look at every page


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def too_wide(page, urls) -> list[tuple[str, int]]:
    assert urls
    offenders = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if SHOTS:
            name = url.strip("/").replace("/", "_").replace("?", "_") or "home"
            page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
        if width > PHONE["width"]:
            offenders.append((url, width))
    return offenders


@pytest.fixture
def school(curated_unit):
    return build_school()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def finished_attempt(student, question_set):
    return Attempt.objects.filter(student=student, question_set=question_set).exclude(
        finished_at=None
    )[0]


def test_every_page_a_student_uses_fits_a_phone(phone, school, curated_unit):
    student = next(iter(school.students.values()))
    event = Event.objects.filter(unit=curated_unit).first()
    person = Person.objects.filter(unit=curated_unit).first()
    public = [
        "/",
        f"/units/{curated_unit.slug}/",
        f"/units/{curated_unit.slug}/events/{event.slug}/",
        f"/units/{curated_unit.slug}/people/{person.slug}/",
        "/join/",
        "/accounts/login/",
    ]
    assert too_wide(phone, public) == []
    sign_in(phone, student.username)
    attempt = finished_attempt(student, school.question_set)
    pages = [
        "/quiz/",
        "/quiz/history/",
        f"/quiz/sets/{school.question_set.pk}/leaderboard/",
        f"/quiz/attempts/{attempt.pk}/result/",
    ]
    assert too_wide(phone, pages) == []


def test_every_page_a_teacher_uses_fits_a_phone(phone, school):
    sign_in(phone, school.teacher.username)
    student = next(iter(school.students.values()))
    classroom = school.classroom
    pages = [
        "/teach/",
        f"/teach/classes/{classroom.pk}/",
        "/teach/reports/",
        f"/teach/reports/sets/{school.question_set.pk}/",
        f"/teach/reports/sets/{school.question_set.pk}/questions/",
        f"/teach/reports/classes/{classroom.pk}/",
        f"/teach/reports/students/{student.pk}/",
        f"/quiz/sets/{school.question_set.pk}/preview/",
        "/admin/",
        "/admin/quiz/questionset/",
        f"/admin/quiz/questionset/{school.question_set.pk}/change/",
        f"/admin/quiz/questionset/{school.question_set.pk}/generate/",
        "/admin/quiz/question/",
        "/admin/history/event/",
    ]
    assert too_wide(phone, pages) == []


def test_a_student_plays_a_whole_set_on_a_phone(phone, school):
    student = next(iter(school.students.values()))
    question_set = school.rome_set
    question_set.attempts_allowed = 0
    question_set.save()
    used = sitting.attempts_used(student, question_set)
    sign_in(phone, student.username)
    phone.goto("/quiz/")
    start = phone.get_by_role("button", name=f"Start {question_set.title}")
    expect(start).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    start.click()
    questions = range(question_set.set_questions.count())
    assert questions
    for _ in questions:
        expect(phone.get_by_role("button", name="Answer")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.locator("#step .options label").first.click()
        phone.get_by_role("button", name="Answer").click()
        go_on = phone.locator("#step form button[type=submit]")
        expect(go_on).to_be_visible()
        # The way on is on screen without scrolling: the feedback fits above it.
        expect(go_on).to_be_in_viewport()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        go_on.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("your score")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert sitting.attempts_used(student, question_set) == used + 1
    latest = Attempt.objects.filter(student=student, question_set=question_set).latest("pk")
    assert latest.finished_at <= timezone.now()
