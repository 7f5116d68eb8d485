import pytest
from django.urls import reverse

from history.models import Event, Person, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.mark.parametrize("model", ["unit", "event", "person", "work", "idea", "place", "source"])
def test_every_history_admin_list_and_add_page_loads(teacher_client, curated_unit, model):
    assert teacher_client.get(reverse(f"admin:history_{model}_changelist")).status_code == 200
    assert teacher_client.get(reverse(f"admin:history_{model}_add")).status_code == 200


def test_event_change_page_shows_roles_and_dates_as_written(teacher_client, curated_unit):
    event = Event.objects.filter(unit=curated_unit).exclude(roles=None).first()
    response = teacher_client.get(reverse("admin:history_event_change", args=[event.pk]))
    assert response.status_code == 200
    assert event.start.isoformat() in response.content.decode()
    assert event.roles.first().person.name in response.content.decode()


def test_event_list_shows_historians_dates(teacher_client, curated_unit):
    response = teacher_client.get(reverse("admin:history_event_changelist"))
    event = Event.objects.filter(unit=curated_unit).first()
    assert event.when in response.content.decode()


def test_event_search_finds_by_person_and_title(teacher_client, curated_unit):
    url = reverse("admin:history_event_changelist")
    response = teacher_client.get(url, {"q": "Mercader"})
    assert response.status_code == 200
    found = response.context["cl"].result_list
    assert found
    assert all(
        "Mercader" in e.title
        or "Mercader" in e.summary
        or "Mercader" in e.notes
        or e.people.filter(name__contains="Mercader").exists()
        for e in found
    )


def test_event_filters_by_decade_and_person(teacher_client, curated_unit):
    url = reverse("admin:history_event_changelist")
    response = teacher_client.get(url, {"decade": "1930"})
    assert {e.start.year // 10 for e in response.context["cl"].result_list} == {193}
    trotsky = Person.objects.get(unit=curated_unit, slug="leon-trotsky")
    response = teacher_client.get(url, {"people__id__exact": trotsky.pk})
    results = response.context["cl"].result_list
    assert results and all(e.people.filter(pk=trotsky.pk).exists() for e in results)


def test_a_bad_date_in_the_admin_form_is_shown_on_the_field(teacher_client, curated_unit):
    response = teacher_client.post(
        reverse("admin:history_event_add"),
        {
            "unit": curated_unit.pk,
            "title": "Test",
            "slug": "test",
            "summary": "x",
            "start": "1940-02-30",
            "end": "",
            "old_style": "",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "start" in response.context["adminform"].form.errors
    assert not Event.objects.filter(slug="test").exists()


def test_students_cannot_open_the_admin(client, student):
    client.force_login(student)
    response = client.get(reverse("admin:history_event_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_teacher_signs_in_and_searches_events_in_the_admin(page, teacher, curated_unit):
    from playwright.sync_api import expect

    from tests.factories import PASSWORD

    page.goto("/admin/")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Events").first.click()
    page.locator("#searchbar").fill("Mercader")
    page.locator("#searchbar").press("Enter")
    expect(page.get_by_role("link", name="Mercader's ice-axe attack on Trotsky")).to_be_visible()
    page.get_by_role("link", name="Mercader's ice-axe attack on Trotsky").click()
    expect(page.locator("#id_start")).to_have_value("1940-08-20")


def test_the_source_list_shows_titles_with_the_file_name_beside_them(teacher_client, curated_unit):
    response = teacher_client.get(reverse("admin:history_source_changelist"))
    html = response.content.decode()
    assert '<th class="field-title">' in html and '<td class="field-file">' in html
    seed = next(s for s in response.context["cl"].result_list if s.file)
    assert seed.title == "Web pages about Trotsky and Stalin (collected scrape)"
    assert seed.file == "000_1d8253ec5883a8d2.txt"


def test_choosing_a_source_for_an_event_offers_it_by_its_citation(teacher_client, curated_unit):
    response = teacher_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "history", "model_name": "event", "field_name": "sources", "term": "web"},
    )
    assert [r["text"] for r in response.json()["results"]] == [
        "Web pages about Trotsky and Stalin (collected scrape)"
    ]
    response = teacher_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "history", "model_name": "event", "field_name": "sources", "term": "000_"},
    )
    assert [r["text"] for r in response.json()["results"]] == [
        "Web pages about Trotsky and Stalin (collected scrape)"
    ]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        (
            {"title": "The Prophet Armed", "author": "Isaac Deutscher", "year": "1954"},
            "__all__",
            "A source with this title, author and year exists.",
        ),
        (
            {"title": "Another copy", "file": "000_1d8253ec5883a8d2.txt"},
            "__all__",
            "Another source is already kept for this file.",
        ),
        ({"title": "A book", "year": "0"}, "year", "greater than or equal to 1"),
        ({"title": "000_1d8253ec5883a8d2.txt"}, "title", "This is a file name."),
        ({"title": "A page", "url": "not a web address"}, "url", "Enter a valid URL."),
    ],
)
def test_a_bad_source_in_the_admin_comes_back_with_an_error(
    teacher_client, curated_unit, form, field, message
):
    count = Source.objects.count()
    data = {"title": "", "author": "", "year": "", "url": "", "file": ""} | form
    response = teacher_client.post(reverse("admin:history_source_add"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert Source.objects.count() == count
