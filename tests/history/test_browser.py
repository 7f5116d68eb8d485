import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_filters_the_timeline_by_person_with_htmx(page, curated_unit):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(curated_unit.title)
    page.get_by_label("Show events involving").select_option(label="Ramón Mercader")
    expect(page.locator("#timeline-heading")).to_contain_text("involving Ramón Mercader")
    assert "person=ramon-mercader" in page.url  # pushed, so the filtered view can be shared
    page.get_by_role("link", name="Mercader's ice-axe attack on Trotsky").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mercader's ice-axe attack on Trotsky"
    )
    page.get_by_role("link", name="Ramón Mercader").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ramón Mercader")


def test_the_timeline_filter_works_without_javascript(page_without_js, curated_unit):
    page = page_without_js
    page.goto(f"/units/{curated_unit.slug}/")
    page.get_by_label("Show events involving").select_option(label="Ramón Mercader")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#timeline-heading")).to_contain_text("involving Ramón Mercader")


def test_the_timeline_can_be_used_with_the_keyboard(page, curated_unit):
    page.goto(f"/units/{curated_unit.slug}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in {"SELECT", "A", "BUTTON"}
