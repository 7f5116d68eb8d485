"""The migration that gave sources a title: old rows are read back into the new fields."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("history", "0001_initial")]
AFTER = [("history", "0002_source_titles")]
SEED = "000_1d8253ec5883a8d2.txt"


@pytest.fixture
def migrate(transactional_db):
    def to(target):
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield to
    to(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_old_sources_get_a_readable_title_and_keep_the_file_name_beside_it(migrate):
    old = migrate(BEFORE).get_model("history", "Source")
    names = [
        SEED,
        "Isaac Deutscher, The Prophet Armed (1954)",
        "notes_on_trotsky.txt",
        "a1b2c3.txt",
        "Untitled document",
    ]
    pks = [old.objects.create(name=name).pk for name in names]
    new = migrate(AFTER).get_model("history", "Source")
    rows = [new.objects.values_list("title", "author", "year", "file").get(pk=pk) for pk in pks]
    assert rows == [
        ("Web pages about Trotsky and Stalin (collected scrape)", "", None, SEED),
        ("The Prophet Armed", "Isaac Deutscher", 1954, ""),
        ("Notes on trotsky", "", None, "notes_on_trotsky.txt"),
        ("Untitled document 2", "", None, "a1b2c3.txt"),  # the teacher's own title is kept
        ("Untitled document", "", None, ""),
    ]


def test_going_back_gives_each_source_its_old_line(migrate):
    old = migrate(BEFORE).get_model("history", "Source")
    old.objects.create(name=SEED)
    old.objects.create(name="Isaac Deutscher, The Prophet Armed (1954)")
    migrate(AFTER)
    back = migrate(BEFORE).get_model("history", "Source")
    assert sorted(back.objects.values_list("name", flat=True)) == [
        SEED,
        "Isaac Deutscher, The Prophet Armed (1954)",
    ]
