"""A teacher reads the reports in Chromium: links work, charts draw, the CSP holds."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.reports.school import build_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_teacher_walks_from_the_index_to_every_report(page):
    school = build_school()
    sign_in(page, school.teacher.username)
    page.goto("/teach/reports/")
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()

    page.get_by_role("link", name="Exile quiz", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: Exile quiz")
    grid = page.get_by_role("region", name="Student by question")
    expect(grid.get_by_role("row")).to_have_count(1 + 6 + 1)  # head, students, average
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()

    # The filter form works with the keyboard alone.
    page.get_by_label("Attempt that counts").select_option("latest")
    page.get_by_label("Attempt that counts").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"attempt=latest"))

    page.get_by_role("link", name="Question analysis").first.click()
    expect(page.get_by_text("⚠ nobody got it right")).to_be_visible()
    expect(page.get_by_role("img", name="Facility by question")).to_be_visible()

    page.goto("/teach/reports/")
    page.get_by_role("link", name="7B").first.click()
    page.get_by_role("link", name="Ann", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ann")
    expect(page.get_by_role("rowheader", name="October Revolution")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the attempts (CSV)").click()
    assert download.value.suggested_filename.endswith("-attempts.csv")


def test_the_grid_scrolls_inside_its_box_on_a_phone(page):
    school = build_school()
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, school.teacher.username)
    page.goto(f"/teach/reports/sets/{school.question_set.pk}/")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 360
