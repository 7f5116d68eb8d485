import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, multiple_choice, question_set_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_class_from_a_pasted_list_plays_a_set_and_the_teacher_sees_the_result(
    browser, live_server, teacher
):
    first = multiple_choice(correct="Leon Trotsky")
    question_set_with(
        [
            first,
            multiple_choice(
                first.unit, correct="Ramón Mercader", wrong=("Rivera", "Dewey", "Reed")
            ),
        ],
        title="Exile and murder",
    )
    teacher_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(teacher_page, teacher.username, PASSWORD)
    teacher_page.get_by_role("link", name="My classes").click()
    teacher_page.get_by_label("Class name").fill("9A")
    teacher_page.get_by_role("button", name="Create class").click()
    teacher_page.get_by_label("Names, one per line").fill("Ada Lovelace\n\nBen Okri\n")
    teacher_page.get_by_role("button", name="Create accounts and print the sign-in sheet").click()
    slips = teacher_page.locator(".slip")
    expect(slips).to_have_count(2)
    ada_slip = slips.filter(has_text="Ada Lovelace")
    username = ada_slip.locator("code").nth(0).inner_text()
    password = ada_slip.locator("code").nth(1).inner_text()
    teacher_page.get_by_role("link", name="Back to the class").click()
    teacher_page.get_by_label("Question set").select_option(label="Exile and murder")
    teacher_page.get_by_role("button", name="Assign").click()
    expect(teacher_page.get_by_text("Exile and murder assigned to 9A.")).to_be_visible()

    student_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(student_page, username, password)
    student_page.get_by_role("link", name="My quizzes").click()
    student_page.get_by_role("button", name="Start Exile and murder").click()
    for _ in range(2):
        prompt = student_page.locator("legend").inner_text()
        assert prompt
        student_page.locator(".options input[type=radio]").first.check()
        student_page.get_by_role("button", name="Answer").click()
        student_page.locator("#step form button").click()
    expect(student_page.get_by_role("heading", level=1)).to_contain_text("your score")

    teacher_page.goto("/teach/reports/")
    teacher_page.get_by_role("link", name="Exile and murder").first.click()
    expect(teacher_page.get_by_text("Ada Lovelace")).to_be_visible()
    expect(teacher_page.get_by_text("Ben Okri")).to_be_visible()  # has not started
