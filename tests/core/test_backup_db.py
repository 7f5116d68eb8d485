import sqlite3
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from history.models import Unit
from quiz.core.management.commands.backup_db import backup_sqlite

BATCH = 20


def _live_database(path):
    live = sqlite3.connect(path, isolation_level=None)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE answer (batch INTEGER, n INTEGER)")
    live.close()


def _keep_writing(path, stop: threading.Event, batches: list[int]):
    """Commit batches of BATCH rows until told to stop: a busy quiz in miniature."""
    writer = sqlite3.connect(path, isolation_level=None, timeout=20)
    batch = 0
    while not stop.is_set():
        writer.execute("BEGIN IMMEDIATE")
        writer.executemany("INSERT INTO answer VALUES (?, ?)", [(batch, n) for n in range(BATCH)])
        writer.execute("COMMIT")
        batches.append(batch)
        batch += 1
    writer.close()


def test_backup_of_a_database_being_written_is_consistent_and_passes_integrity_check(tmp_path):
    live_path = tmp_path / "db.sqlite3"
    _live_database(live_path)
    stop, batches = threading.Event(), []
    writer = threading.Thread(target=_keep_writing, args=(live_path, stop, batches))
    writer.start()
    try:
        while len(batches) < 50:  # the writer is well under way
            threading.Event().wait(0.01)
        copies = [tmp_path / f"copy{n}.sqlite3" for n in range(3)]
        for copy in copies:
            backup_sqlite(live_path, copy)
    finally:
        stop.set()
        writer.join()

    for copy in copies:
        restored = sqlite3.connect(copy)
        assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert restored.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        sizes = restored.execute("SELECT batch, count(*) FROM answer GROUP BY batch").fetchall()
        restored.close()
        # A snapshot of one instant: whole transactions only, none missing before the last.
        assert sizes, "the copy holds the rows committed before it started"
        assert all(count == BATCH for _, count in sizes)
        assert [batch for batch, _ in sizes] == list(range(len(sizes)))
    assert not list(tmp_path.glob("*.partial"))


def test_backup_never_creates_a_database_where_there_was_none(tmp_path):
    with pytest.raises(sqlite3.OperationalError):
        backup_sqlite(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()
    assert not (tmp_path / "copy.sqlite3").exists()


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup; PostgreSQL is backed up with pg_dump")


@pytest.mark.django_db(transaction=True)
def test_backup_db_copies_the_live_database_while_the_app_writes(sqlite_only, tmp_path):
    Unit.objects.create(slug="before", title="Before the back-up")
    stop = threading.Event()

    def write_units():
        n = 0
        while not stop.is_set():
            Unit.objects.create(slug=f"during-{n}", title="Written during the back-up")
            n += 1
        connections.close_all()

    writer = threading.Thread(target=write_units)
    writer.start()
    out = StringIO()
    try:
        call_command("backup_db", str(tmp_path / "copy.sqlite3"), stdout=out)
    finally:
        stop.set()
        writer.join()

    assert "integrity check ok" in out.getvalue()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    slugs = {row[0] for row in copy.execute("SELECT slug FROM history_unit")}
    copy.close()
    assert "before" in slugs


@pytest.mark.django_db
def test_backup_db_names_the_copy_by_date_and_keeps_only_the_newest(
    sqlite_only, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in ("20250101-000000", "20250102-000000", "20250103-000000"):
        (folder / f"db-{day}.sqlite3").write_text("old")

    out = StringIO()
    call_command("backup_db", "--keep", "2", stdout=out)

    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2
    assert kept[0] == "db-20250103-000000.sqlite3"
    assert kept[1].startswith("db-2") and kept[1] != kept[0]
    assert "removed 2 older back-ups" in out.getvalue()


@pytest.mark.django_db
def test_backup_db_refuses_to_overwrite_the_live_database(sqlite_only):
    with pytest.raises(CommandError, match="cannot overwrite"):
        call_command("backup_db", connection.settings_dict["NAME"])


@pytest.mark.django_db
def test_backup_db_on_postgresql_points_to_pg_dump_and_fails(monkeypatch):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection, "vendor", "postgresql")
        monkeypatch.setattr(connection, "display_name", "PostgreSQL")
    with pytest.raises(CommandError, match="pg_dump --format=custom"):
        call_command("backup_db", stdout=StringIO())
