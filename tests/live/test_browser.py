"""A whole live game in Chromium: the teacher's host screen, the projector, four students.

SCREENSHOT_DIR=folder keeps a screenshot of each screen (ada's device is 360 px wide)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from quiz.core.models import Answer, Attempt, LiveGame
from tests.conftest import CHROMIUM_ARGS  # noqa: F401  (the browser fixture launches with them)
from tests.factories import (
    PASSWORD,
    StudentFactory,
    chronology,
    multiple_choice,
    question_set_with,
    year_question,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def game_set(db):
    first = multiple_choice(correct="Leon Trotsky")
    second = year_question(first.unit, year=1917, tolerance=2)
    third = chronology(first.unit, titles=("February", "October", "Kronstadt"))
    return question_set_with(
        [first, second, third], title="Revolution live", seconds_per_question=60
    )


def signed_in(browser, live_server, username, *, width=1280):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def snap(page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/live-{name}.png", full_page=True)


def serious_axe_violations(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_class_plays_a_live_game_through_a_reload_and_a_dropped_connection(
    browser, live_server, teacher, classroom, game_set, settings
):
    settings.LIVE_WSGI_RECONNECT_MS = 300
    students = [
        StudentFactory(username=name, classroom=classroom) for name in ("ada", "ben", "cy", "dee")
    ]
    contexts = []
    try:
        host_context, host = signed_in(browser, live_server, teacher.username)
        contexts.append(host_context)
        host.goto(f"/live/host/{game_set.pk}/")
        host.get_by_label("Class").select_option(label=classroom.name)
        host.get_by_role("button", name="Open the lobby").click()
        game = LiveGame.objects.get()
        code = game.code

        screen_context, screen = signed_in(browser, live_server, teacher.username)
        contexts.append(screen_context)
        screen.goto(f"/live/{game.pk}/screen/")
        expect(screen.locator(".join-code")).to_have_text(code)
        expect(screen.locator(".qr svg")).to_be_visible()
        assert serious_axe_violations(screen) == []

        devices = []
        for index, student in enumerate(students):
            context, page = signed_in(
                browser, live_server, student.username, width=360 if index == 0 else 1280
            )
            contexts.append(context)
            page.goto("/live/")
            page.get_by_label("Game code").fill(code)
            page.get_by_role("button", name="Join").click()
            expect(
                page.get_by_role("heading", name="You're in — watch the screen.")
            ).to_be_visible()
            devices.append((context, page))
        assert serious_axe_violations(devices[0][1]) == []
        snap(devices[0][1], "1-device-lobby-360")
        # The names arrive on the projector as they join.
        expect(screen.locator(".joined li")).to_have_count(4)
        expect(screen.get_by_text("dee", exact=True)).to_be_visible()
        snap(screen, "1-projector-lobby")
        snap(host, "1-host-lobby")

        # Question 1, multiple choice: the devices show it without anyone reloading.
        host.get_by_role("button", name="Start the first question").click()
        expect(screen.locator(".board-options li")).to_have_count(4)
        shown = screen.locator(".board-options li").all_inner_texts()
        trotsky = next(n for n, text in enumerate(shown, start=1) if text.endswith("Leon Trotsky"))
        for _context, page in devices:
            expect(page.locator("#live .choices button.choice")).to_have_count(4)
        assert serious_axe_violations(devices[1][1]) == []
        snap(screen, "2-projector-question")
        snap(devices[0][1], "2-device-question-360")
        snap(devices[1][1], "2-device-question-1280")
        ada, ben, cy, dee = (page for _context, page in devices)
        ada.keyboard.press(str(trotsky))  # keys 1-4, in the projector's order
        expect(ada.get_by_role("heading", name="Your answer is in")).to_be_visible()
        snap(ada, "3-device-answer-in-360")
        # Said by the page's live region (the countdown's milestones go there too).
        expect(ada.locator("#announcer")).to_have_text("Your answer is in")
        expect(ada.locator("#announcer")).to_have_attribute("aria-live", "polite")
        ben.reload()  # a reload mid-question: back on the same question
        expect(ben.locator("#live .choices button.choice")).to_have_count(4)
        ben.locator("#live .choices button.choice").nth(trotsky - 1).click()
        expect(ben.get_by_role("heading", name="Your answer is in")).to_be_visible()
        cy_context = devices[2][0]
        cy_context.set_offline(True)  # cy's Wi-Fi drops; dee does not answer
        expect(screen.get_by_text("2 of 4 players have answered")).to_be_visible()
        host.get_by_role("button", name="Show the answer now").click()
        expect(screen.locator("table.bars")).to_be_visible()
        expect(screen.locator("tr.right th")).to_contain_text("Leon Trotsky")
        assert serious_axe_violations(screen) == []
        expect(ada.get_by_role("heading", name="Correct")).to_be_visible()
        expect(dee.get_by_role("heading", name="No answer in time")).to_be_visible()
        snap(screen, "4-projector-chart")
        snap(ada, "4-device-correct-360")
        snap(host, "4-host-chart")
        cy_context.set_offline(False)  # back: the stream reconnects, the screen catches up
        expect(cy.get_by_role("heading", name="No answer in time")).to_be_visible()

        host.get_by_role("button", name="Show the leaderboard").click()
        expect(screen.locator(".leaders li")).to_have_count(4)
        expect(ada.get_by_role("heading", name="You are number 1 of 4")).to_be_visible()
        snap(screen, "5-projector-leaderboard")

        # Question 2, a typed year.
        host.get_by_role("button", name="Next question").click()
        for page in (ada, ben, cy, dee):
            page.get_by_role("spinbutton", name="Year").fill("1917")
            page.get_by_role("button", name="Send my answer").click()
        # Everyone answered: the answer shows without the teacher.
        expect(screen.locator("table.bars")).to_be_visible()
        expect(cy.get_by_role("heading", name="Correct")).to_be_visible()
        host.get_by_role("button", name="Show the leaderboard").click()

        # Question 3, a chronology, then the podium.
        host.get_by_role("button", name="Next question").click()
        expect(ada.get_by_text("Give each event its place")).to_be_visible()
        snap(ada, "6-device-chronology-360")
        for place, title in enumerate(("February", "October", "Kronstadt"), start=1):
            ada.get_by_label(title).select_option(str(place))
        ada.get_by_role("button", name="Send my order").click()
        expect(ada.get_by_role("heading", name="Your answer is in")).to_be_visible()
        host.get_by_role("button", name="Show the answer now").click()
        host.get_by_role("button", name="Show the leaderboard").click()
        host.get_by_role("button", name="Finish: show the podium").click()
        expect(screen.locator(".podium li")).to_have_count(3)
        assert serious_axe_violations(screen) == []
        expect(ada.get_by_text("You finished number 1 of 4")).to_be_visible()
        snap(screen, "7-projector-podium")
        snap(ada, "7-device-podium-360")
        assert serious_axe_violations(ada) == []

        # An attempt per student, like any other: in the database and the reports.
        attempts = Attempt.objects.filter(live_game=game)
        assert attempts.count() == 4 and all(a.is_finished for a in attempts)
        assert Answer.objects.filter(attempt__live_game=game).count() == 12
        scores = {a.student.username: a.score for a in attempts}
        assert scores["ada"] == 300 and scores["ben"] == 200 and scores["dee"] == 100
        report = host.goto(f"/teach/reports/students/{students[0].pk}/")
        assert report.ok
        expect(host.get_by_text("Revolution live").first).to_be_visible()
        expect(host.locator(".badge", has_text="live").first).to_be_visible()
    finally:
        for context in contexts:
            context.close()
