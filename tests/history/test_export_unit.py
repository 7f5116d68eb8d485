import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from history.models import Event, Person, Place, Source, Unit
from tests.history.test_import_unit import (
    DEUTSCHER,
    SEED,
    SEED_TITLE,
    SMALL_UNIT,
    import_unit,
    old_format,
    write,
)

pytestmark = pytest.mark.django_db


def export(*args):
    out = StringIO()
    call_command("export_unit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def empty_database():
    for model in (Event, Person, Unit, Place, Source):
        model.objects.all().delete()
    assert connection.in_atomic_block  # still inside the test's transaction


def test_export_import_export_is_identical(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    first = export("small")
    empty_database()
    import_unit(write(tmp_path, first, "again.json"))
    assert export("small") == first


def test_export_writes_the_unit_file_format(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    data = json.loads(export("small"))
    assert list(data) == [
        "title",
        "slug",
        "summary",
        "sources",
        "people",
        "events",
        "works",
        "ideas",
    ]
    assert data["sources"] == [  # what each cites, sorted as pupils read them
        {"title": "The Prophet Outcast", "author": "Isaac Deutscher", "year": 1963},
        {"title": SEED_TITLE, "file": SEED},
    ]
    assert data["events"][1]["sources"] == [DEUTSCHER, SEED_TITLE]
    assert data["events"][0]["title"] == "The Moscow Trials"  # date order
    assert data["events"][1]["people"] == [
        {"name": "Ramón Mercader", "role": "assassin"},
        {"name": "Leon Trotsky", "role": "victim"},
    ]
    assert data["people"][0]["born"] == "1879-11-07"


def test_an_old_file_comes_back_out_in_the_new_format_and_round_trips(tmp_path):
    import_unit(write(tmp_path, old_format(SMALL_UNIT)))
    first = export("small")
    assert json.loads(first)["sources"] == SMALL_UNIT["sources"]
    empty_database()
    import_unit(write(tmp_path, first, "again.json"))
    assert export("small") == first


def test_export_all_writes_one_file_per_unit(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    other = dict(SMALL_UNIT, slug="other", title="Other")
    import_unit(write(tmp_path, other, "other.json"))
    folder = tmp_path / "out"
    call_command("export_unit", "--all", "-o", str(folder), stderr=StringIO())
    assert sorted(p.name for p in folder.iterdir()) == ["other.json", "small.json"]


def test_export_of_an_unknown_unit_lists_the_known_ones(tmp_path):
    import_unit(write(tmp_path, SMALL_UNIT))
    with pytest.raises(CommandError, match=r'No unit "nope"\. Units: small\.'):
        export("nope")


def test_export_needs_a_slug_or_all():
    with pytest.raises(CommandError, match="Give a unit slug or --all"):
        export()
