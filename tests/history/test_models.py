import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from history.dates import PartialDate
from history.models import Event, Source
from tests.factories import EventFactory, EventRoleFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_events_are_ordered_by_date_whatever_their_precision():
    unit = UnitFactory()
    late = EventFactory(unit=unit, slug="late", start=PartialDate(1940, 8, 20))
    year_only = EventFactory(unit=unit, slug="year", start=PartialDate(1940))
    early = EventFactory(unit=unit, slug="early", start=PartialDate(1879, 11, 7))
    assert list(Event.objects.filter(unit=unit)) == [early, year_only, late]


def test_partial_dates_survive_the_database():
    event = EventFactory(start=PartialDate(1906, circa=True), end=None)
    event.refresh_from_db()
    assert event.start == PartialDate(1906, circa=True)
    assert event.when == "c. 1906"


def test_an_event_range_shows_both_ends():
    event = EventFactory(start=PartialDate(1936), end=PartialDate(1938))
    assert event.when == "1936–1938"


def test_an_event_cannot_end_before_it_starts():
    event = EventFactory.build(start=PartialDate(1938), end=PartialDate(1936))
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "end" in error.value.message_dict


def test_a_person_cannot_die_before_being_born():
    person = PersonFactory.build(born=PartialDate(1940), died=PartialDate(1879))
    with pytest.raises(ValidationError):
        person.clean()


def test_a_person_takes_one_role_per_event():
    role = EventRoleFactory()
    with pytest.raises(IntegrityError):
        EventRoleFactory(event=role.event, person=role.person)


def test_slugs_are_unique_within_a_unit_but_not_across_units():
    first = EventFactory(slug="congress")
    EventFactory(slug="congress")  # another unit
    with pytest.raises(IntegrityError):
        EventFactory(unit=first.unit, slug="congress")


def test_lifespan_shows_what_is_known():
    assert PersonFactory(born=PartialDate(1879, 11, 7), died=PartialDate(1940, 8, 21)).lifespan == (
        "7 November 1879 – 21 August 1940"
    )
    assert PersonFactory(born=PartialDate(1908), died=None).lifespan == "born 1908"


def test_a_source_reads_as_author_title_and_year_where_known():
    assert str(Source(title="The Prophet Armed", author="Isaac Deutscher", year=1954)) == (
        "Isaac Deutscher, The Prophet Armed (1954)"
    )
    assert str(Source(title="Web pages about Trotsky", file="000_1d8253ec5883a8d2.txt")) == (
        "Web pages about Trotsky"
    )


def test_two_sources_never_read_the_same_even_without_a_year():
    Source.objects.create(title="Notes on Trotsky")
    Source.objects.create(title="Notes on Trotsky", year=1990)
    with pytest.raises(IntegrityError):
        Source.objects.create(title="Notes on Trotsky")


def test_two_sources_never_share_a_file_but_many_have_none():
    Source.objects.create(title="One", file="seed.txt")
    Source.objects.create(title="Two")
    Source.objects.create(title="Three")
    with pytest.raises(IntegrityError):
        Source.objects.create(title="Four", file="seed.txt")


def test_a_citation_names_the_source_that_reads_the_same_or_keeps_the_file():
    seed = Source.objects.create(title="Web pages about Trotsky", file="000_1d8253ec5883a8d2.txt")
    book = Source.objects.create(title="The Prophet Armed", author="Isaac Deutscher", year=1954)
    assert Source.objects.cited_as(
        ["Web pages about Trotsky", "000_1d8253ec5883a8d2.txt", str(book)]
    ) == [seed, seed, book]
    assert Source.objects.count() == 2


def test_a_citation_of_no_known_source_makes_one_with_a_title_of_its_own():
    Source.objects.create(title="Untitled document", file="a1b2.txt")
    made = Source.objects.cited_as(["c3d4.txt", "Robert Service, Trotsky (2009)"])
    assert [(s.title, s.author, s.year, s.file) for s in made] == [
        ("Untitled document 2", "", None, "c3d4.txt"),
        ("Trotsky", "Robert Service", 2009, ""),
    ]
