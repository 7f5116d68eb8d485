import pytest
from django.urls import reverse

from history.models import Event, Person, Source

pytestmark = pytest.mark.django_db


def timeline_url(unit):
    return reverse("history:timeline", args=[unit.slug])


def test_home_redirects_to_the_only_units_timeline(client, curated_unit):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == timeline_url(curated_unit)


def test_home_lists_units_when_there_are_several(client, curated_unit):
    from tests.factories import UnitFactory

    UnitFactory(title="Ancient Rome")
    response = client.get("/")
    assert response.status_code == 200
    assert "Ancient Rome" in response.content.decode()


def test_timeline_lists_every_event_grouped_by_year_in_date_order(client, curated_unit):
    response = client.get(timeline_url(curated_unit))
    assert response.status_code == 200
    html = response.content.decode()
    events = list(Event.objects.filter(unit=curated_unit))
    positions = [html.index(f'href="{e.get_absolute_url()}"') for e in events]
    assert positions == sorted(positions)
    years = [year for year, _ in response.context["years"]]
    assert years == sorted(set(years))
    assert "<html" in html


def test_timeline_filters_by_person_without_javascript(client, curated_unit):
    person = Person.objects.get(unit=curated_unit, slug="ramon-mercader")
    response = client.get(timeline_url(curated_unit), {"person": person.slug})
    shown = [e for _, group in response.context["years"] for e in group]
    assert shown and all(e.people.filter(pk=person.pk).exists() for e in shown)
    assert len(shown) < Event.objects.filter(unit=curated_unit).count()


def test_timeline_htmx_request_gets_only_the_fragment(client, curated_unit):
    response = client.get(
        timeline_url(curated_unit), {"person": "leon-trotsky"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="timeline"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_an_unknown_person_in_the_filter_shows_everyone_with_a_message(client, curated_unit):
    response = client.get(timeline_url(curated_unit), {"person": "nobody"})
    assert response.status_code == 200
    assert "not in this unit" in response.content.decode()
    shown = [e for _, group in response.context["years"] for e in group]
    assert len(shown) == Event.objects.filter(unit=curated_unit).count()


def test_event_page_links_to_its_people_and_cites_sources(client, curated_unit):
    event = Event.objects.get(unit=curated_unit, slug="mercader-attack")
    html = client.get(event.get_absolute_url()).content.decode()
    roles = event.roles.all()
    assert roles
    for role in roles:
        assert role.person.get_absolute_url() in html
    assert "<cite>Web pages about Trotsky and Stalin (collected scrape)</cite>" in html
    assert "000_1d8253ec5883a8d2" not in html
    assert event.when in html


def test_history_pages_cite_author_title_and_year_and_link_a_web_source(client, curated_unit):
    person = Person.objects.get(unit=curated_unit, slug="leon-trotsky")
    person.sources.add(
        Source.objects.create(
            title="Leon Trotsky", author="Encyclopaedia Britannica", url="https://example.org/lt"
        )
    )
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Isaac Deutscher, <cite>The Prophet Armed</cite> (1954)" in html
    assert (
        'Encyclopaedia Britannica, <a href="https://example.org/lt" rel="noopener noreferrer">'
        "<cite>Leon Trotsky</cite></a>"
    ) in html
    assert "000_1d8253ec5883a8d2" not in html


def test_person_page_links_back_to_their_events(client, curated_unit):
    person = Person.objects.get(unit=curated_unit, slug="leon-trotsky")
    html = client.get(person.get_absolute_url()).content.decode()
    events = person.events.all()
    assert events
    for event in events:
        assert event.get_absolute_url() in html


@pytest.mark.parametrize(
    "url",
    [
        "/units/nope/",
        "/units/trotsky-and-stalin/events/nope/",
        "/units/trotsky-and-stalin/people/nope/",
    ],
)
def test_unknown_pages_are_404(client, curated_unit, url):
    assert client.get(url).status_code == 404


def test_study_pages_only_answer_get(client, curated_unit):
    assert client.post(timeline_url(curated_unit)).status_code == 405


def test_pages_load_nothing_from_outside_the_server(client, curated_unit):
    person = Person.objects.get(unit=curated_unit, slug="leon-trotsky")
    for url in ["/accounts/login/", timeline_url(curated_unit), person.get_absolute_url()]:
        html = client.get(url).content.decode()
        for attribute in ('src="http', "src='http", 'href="http', "href='http", "//cdn", "fonts.g"):
            assert attribute not in html, (url, attribute)
