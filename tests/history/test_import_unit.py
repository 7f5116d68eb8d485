import copy
import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from history.dates import PartialDate
from history.models import Event, EventRole, Idea, Person, Source, Unit, Work
from tests.conftest import UNIT_FILE

pytestmark = pytest.mark.django_db

SEED = "000_1d8253ec5883a8d2.txt"
SEED_TITLE = "Web pages about Trotsky and Stalin (collected scrape)"
DEUTSCHER = "Isaac Deutscher, The Prophet Outcast (1963)"

SMALL_UNIT = {
    "title": "A small unit",
    "slug": "small",
    "summary": "For tests.",
    "sources": [
        {"title": "The Prophet Outcast", "author": "Isaac Deutscher", "year": 1963},
        {"title": SEED_TITLE, "file": SEED},
    ],
    "people": [
        {
            "slug": "leon-trotsky",
            "name": "Leon Trotsky",
            "aliases": ["Lev Bronstein"],
            "born": "1879-11-07",
            "died": "1940-08-21",
            "summary": "A revolutionary.",
            "sources": [SEED_TITLE],
            "notes": "",
        },
        {
            "slug": "ramon-mercader",
            "name": "Ramón Mercader",
            "aliases": [],
            "born": "1913-02-07",
            "died": "1978-10-18",
            "summary": "His assassin.",
            "sources": [SEED_TITLE],
            "notes": "",
        },
    ],
    "events": [
        {
            "slug": "assassination",
            "title": "Assassination of Trotsky",
            "summary": "He was attacked.",
            "start": "1940-08-20",
            "end": None,
            "place": "Coyoacán, Mexico City",
            "people": [
                {"name": "Ramón Mercader", "role": "assassin"},
                {"name": "Leon Trotsky", "role": "victim"},
            ],
            "sources": [DEUTSCHER, SEED_TITLE],
            "notes": "The seed says ice pick; it was an ice axe.",
        },
        {
            "slug": "moscow-trials",
            "title": "The Moscow Trials",
            "summary": "Show trials.",
            "start": "1936",
            "end": "1938",
            "place": "Moscow",
            "people": [{"name": "Leon Trotsky", "role": "defendant"}],
            "sources": [SEED_TITLE],
            "notes": "",
        },
    ],
    "works": [
        {
            "slug": "results-and-prospects",
            "title": "Results and Prospects",
            "author": "Leon Trotsky",
            "published": "1906",
            "summary": "Permanent revolution.",
            "sources": [SEED_TITLE],
            "notes": "",
        },
    ],
    "ideas": [
        {
            "slug": "permanent-revolution",
            "name": "Permanent revolution",
            "summary": "An idea.",
            "people": ["Leon Trotsky"],
            "sources": [SEED_TITLE],
            "notes": "",
        },
    ],
}


def write(tmp_path, data, name="unit.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def import_unit(path, *args):
    out = StringIO()
    call_command("import_unit", str(path), *args, stdout=out)
    return out.getvalue()


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Unit, Person, Event, EventRole, Work, Idea, Source)
    ]


def test_it_imports_a_unit_and_says_what_it_did(tmp_path):
    output = import_unit(write(tmp_path, SMALL_UNIT))
    assert 'Imported "A small unit": 2 events, 2 people, 1 works, 1 ideas' in output
    event = Event.objects.get(slug="assassination")
    assert event.start == PartialDate(1940, 8, 20)
    assert event.place.name == "Coyoacán, Mexico City"
    assert {(r.person.name, r.role) for r in event.roles.all()} == {
        ("Ramón Mercader", "assassin"),
        ("Leon Trotsky", "victim"),
    }
    assert [(s.author, s.title, s.year, s.file) for s in event.sources.all()] == [
        ("Isaac Deutscher", "The Prophet Outcast", 1963, ""),
        ("", SEED_TITLE, None, SEED),
    ]
    assert Person.objects.get(slug="leon-trotsky").aliases == ["Lev Bronstein"]
    assert Work.objects.get().author.name == "Leon Trotsky"
    assert list(Idea.objects.get().people.values_list("name", flat=True)) == ["Leon Trotsky"]


def test_importing_twice_changes_nothing(tmp_path):
    path = write(tmp_path, SMALL_UNIT)
    import_unit(path)
    before = snapshot()
    output = import_unit(path)
    assert "(0 created, 0 updated, 0 deleted)" in output
    assert snapshot() == before


def test_reimport_updates_in_place_and_removes_what_the_file_dropped(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    event_pk = Event.objects.get(slug="assassination").pk
    changed = copy.deepcopy(SMALL_UNIT)
    changed["events"][0]["summary"] = "Rewritten."
    del changed["events"][1]
    output = import_unit(write(tmp_path, changed))
    assert "(0 created, 1 updated, 1 deleted)" in output
    event = Event.objects.get(slug="assassination")
    assert event.pk == event_pk  # questions pointing at it survive
    assert event.summary == "Rewritten."
    assert not Event.objects.filter(slug="moscow-trials").exists()


def test_keep_existing_leaves_a_teachers_edits_alone(tmp_path):
    path = write(tmp_path, SMALL_UNIT)
    import_unit(path)
    Event.objects.filter(slug="assassination").update(summary="Edited by a teacher.")
    output = import_unit(path, "--keep-existing")
    assert "already loaded" in output
    assert Event.objects.get(slug="assassination").summary == "Edited by a teacher."


def bad(**changes):
    data = copy.deepcopy(SMALL_UNIT)
    for dotted, value in changes.items():
        target = data
        *path, last = dotted.split("__")
        for key in path:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is KeyError:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            bad(events__0__start="1940-13-01"),
            'event "Assassination of Trotsky": "start": month must be 01 to 12',
        ),
        (bad(people__1__born="7 Feb 1913"), 'person "Ramón Mercader": "born"'),
        (bad(events__1__summary=KeyError), 'event "The Moscow Trials": missing field "summary"'),
        (bad(people__0__name=KeyError), 'people[1]: missing field "name"'),
        (bad(slug=KeyError), 'missing top-level field "slug"'),
        (
            bad(events__0__people__0__name="Ramon Mercader"),
            "unknown person 'Ramon Mercader'",
        ),
        (bad(works__0__author="Nobody"), 'work "Results and Prospects": "author": unknown person'),
        (bad(events__1__slug="assassination"), 'duplicate slug "assassination"'),
        (bad(events__0__people__0__role="villain"), "'villain' is not one of"),
        (bad(events__1__end="1935"), '"end" must come after "start"'),
        (bad(events__0__sources="seed"), '"sources" must be a list'),
        (
            bad(sources__1__title=KeyError),
            'sources[2]: missing field "title": the name pupils read',
        ),
        (bad(sources__1__title="  "), 'sources[2]: "title" must not be empty'),
        (bad(sources__0__year="1963"), '"year" must be a year like 1954'),
        (bad(sources__1__title=SEED), f'"title": {SEED!r} is a file name; put it in "file"'),
        (bad(sources__0__author="x" * 201), '"author" is longer than 200 characters'),
        (bad(sources__0__url="not a web address"), '"url" must be a web address'),
        (
            bad(sources__0__title=SEED_TITLE, sources__0__author="", sources__0__year=None),
            f'source "{SEED_TITLE}": "{SEED_TITLE}" is listed twice',
        ),
        (bad(sources="seed"), '"sources" must be a list of objects'),
        (
            bad(events__1__sources=[SEED]),
            f'event "The Moscow Trials": "sources": unknown source {SEED!r}',
        ),
    ],
)
def test_bad_input_names_record_and_field_and_loads_nothing(tmp_path, data, message):
    path = write(tmp_path, data)
    with pytest.raises(CommandError) as error:
        import_unit(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)
    assert not Unit.objects.exists()
    assert not Person.objects.exists()


def old_format(data):
    """The unit file as it was before sources had titles: each source one line of text."""
    old = copy.deepcopy(data)
    del old["sources"]
    for key in ("people", "events", "works", "ideas"):
        for record in old[key]:
            record["sources"] = [SEED if s == SEED_TITLE else s for s in record["sources"]]
    return old


def test_an_old_file_citing_sources_by_one_line_still_imports(tmp_path):
    output = import_unit(write(tmp_path, old_format(SMALL_UNIT)))
    assert "2 events, 2 people" in output
    seed = Source.objects.get(file=SEED)
    assert seed.title == SEED_TITLE  # the file name moved aside, a title a pupil can read
    deutscher = Source.objects.get(author="Isaac Deutscher")
    assert (deutscher.title, deutscher.year, deutscher.file) == ("The Prophet Outcast", 1963, "")
    assert Source.objects.count() == 2
    event = Event.objects.get(slug="assassination")
    assert {s.pk for s in event.sources.all()} == {seed.pk, deutscher.pk}


def test_an_old_file_naming_an_unknown_file_gets_a_title_from_its_words(tmp_path):
    data = old_format(SMALL_UNIT)
    data["events"][1]["sources"] = ["trotsky_trial-notes.txt", "e3b0c44298fc.html"]
    import_unit(write(tmp_path, data))
    assert Source.objects.get(file="trotsky_trial-notes.txt").title == "Trotsky trial notes"
    assert Source.objects.get(file="e3b0c44298fc.html").title == "Untitled document"


def test_an_old_file_keeps_the_title_an_earlier_import_gave_its_source(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    Source.objects.filter(file=SEED).update(title="The seed, as a teacher named it")
    before = snapshot()
    output = import_unit(write(tmp_path, old_format(SMALL_UNIT), "old.json"))
    assert "(0 created, 0 updated, 0 deleted)" in output
    assert snapshot() == before


def test_a_corrected_source_title_updates_the_source_in_place(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    seed = Source.objects.get(file=SEED)
    changed = json.loads(json.dumps(SMALL_UNIT).replace(SEED_TITLE, "Web pages about Trotsky"))
    output = import_unit(write(tmp_path, changed))
    assert "(0 created, 1 updated, 0 deleted)" in output
    seed.refresh_from_db()
    assert seed.title == "Web pages about Trotsky"
    assert Event.objects.get(slug="moscow-trials").sources.get() == seed


def test_a_source_that_clashes_with_the_database_is_a_clear_error(tmp_path):
    Source.objects.create(title=SEED_TITLE)  # a teacher's source with the same title, no file
    path = write(tmp_path, SMALL_UNIT)
    Source.objects.create(title="Old seed title", file=SEED)
    with pytest.raises(CommandError) as error:
        import_unit(path)
    assert f'{path}: source "{SEED_TITLE}": A source with this title' in str(error.value)
    assert not Unit.objects.exists()


def test_a_bad_file_leaves_an_existing_unit_unchanged(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    before = snapshot()
    with pytest.raises(CommandError):
        import_unit(write(tmp_path, bad(events__1__slug="assassination", summary="Changed")))
    assert snapshot() == before


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    import_unit(write(tmp_path, SMALL_UNIT))
    before = snapshot()
    changed = copy.deepcopy(SMALL_UNIT)
    changed["title"] = "Renamed"
    changed["events"][0]["summary"] = "Changed"

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("history.models.Work.save", explode)
    changed["works"][0]["summary"] = "Changed too"
    with pytest.raises(RuntimeError):
        import_unit(write(tmp_path, changed))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
    ],
)
def test_it_explains_a_file_that_is_not_a_unit(tmp_path, raw, message):
    with pytest.raises(CommandError) as error:
        import_unit(write(tmp_path, raw))
    assert message in str(error.value)


def test_it_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as error:
        import_unit(tmp_path / "nope.json")
    assert "cannot read the file" in str(error.value)


def test_the_curated_unit_is_big_enough_and_cites_the_seed(curated_unit):
    assert curated_unit.event_set.count() >= 40
    assert curated_unit.person_set.count() >= 20
    records = [r for m in (Event, Person, Work, Idea) for r in m.objects.filter(unit=curated_unit)]
    assert records
    for record in records:
        assert SEED in [s.file for s in record.sources.all()], record


def test_every_curated_source_has_a_title_a_pupil_can_read(curated_unit):
    sources = list(Source.objects.all())
    assert sources
    for source in sources:
        assert not re.search(r"\.(txt|html?|pdf)$", source.title), source.title
        assert "_" not in source.title, source.title
    assert Source.objects.get(file=SEED).title == SEED_TITLE


def test_the_curated_unit_round_trips_byte_for_byte(curated_unit, tmp_path):
    out = tmp_path / "export.json"
    call_command("export_unit", curated_unit.slug, "-o", str(out), stderr=StringIO())
    assert out.read_text(encoding="utf-8") == UNIT_FILE.read_text(encoding="utf-8")
