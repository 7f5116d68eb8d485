import os
import shutil
import sqlite3
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection


def make_database(path, *units: str, wal: bool = False) -> sqlite3.Connection:
    """A database with this app's tables (in miniature) holding `units`; left open."""
    db = sqlite3.connect(path, isolation_level=None)
    if wal:
        db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
    db.execute("CREATE TABLE history_unit (slug TEXT)")
    db.executemany("INSERT INTO history_unit VALUES (?)", [(unit,) for unit in units])
    return db


def units_in(path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [slug for (slug,) in db.execute("SELECT slug FROM history_unit ORDER BY slug")]
    finally:
        db.close()


@pytest.fixture
def data_dir(tmp_path, settings, monkeypatch):
    """A DATA_DIR of its own, holding the live database the command restores over."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL is restored with pg_restore")
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    monkeypatch.setitem(connection.settings_dict, "NAME", str(folder / "db.sqlite3"))
    return folder


def restore(path) -> str:
    out = StringIO()
    call_command("restore_db", str(path), stdout=out)
    return out.getvalue()


def test_restore_db_twice_in_a_row_restores_each_backup_and_keeps_each_replaced_db(
    data_dir, tmp_path
):
    # The live database as a crash leaves it: its last commits still in the -wal file.
    server = make_database(tmp_path / "crashed.sqlite3", "live", wal=True)
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(tmp_path / f"crashed.sqlite3{suffix}", data_dir / f"db.sqlite3{suffix}")
    server.close()
    make_database(tmp_path / "monday.sqlite3", "monday").close()
    make_database(tmp_path / "tuesday.sqlite3", "tuesday").close()

    first = restore(tmp_path / "monday.sqlite3")
    assert units_in(data_dir / "db.sqlite3") == ["monday"]
    assert not (data_dir / "db.sqlite3-wal").exists()
    assert not (data_dir / "db.sqlite3-shm").exists()

    # The usual case: after a clean stop there are no -wal and -shm files.
    second = restore(tmp_path / "tuesday.sqlite3")
    assert units_in(data_dir / "db.sqlite3") == ["tuesday"]

    kept = sorted((data_dir / "replaced").iterdir())
    assert len(kept) == 2, "a second restore within the same second gets a folder of its own"
    assert sorted(p.name for p in kept[0].iterdir()) == [
        "db.sqlite3",
        "db.sqlite3-shm",
        "db.sqlite3-wal",
    ]
    assert units_in(kept[0] / "db.sqlite3") == ["live"], "kept with its WAL, nothing lost"
    assert [p.name for p in kept[1].iterdir()] == ["db.sqlite3"]
    assert units_in(kept[1] / "db.sqlite3") == ["monday"]
    assert str(kept[0]) in first and str(kept[1]) in second
    assert not list(data_dir.glob("*.restoring"))
    assert units_in(tmp_path / "monday.sqlite3") == ["monday"], "the back-up is left as it was"


def test_restore_db_onto_a_server_with_no_database_yet(data_dir, tmp_path):
    make_database(tmp_path / "backup.sqlite3", "monday").close()

    out = restore(tmp_path / "backup.sqlite3")

    assert units_in(data_dir / "db.sqlite3") == ["monday"]
    assert "there was none before" in out
    assert not (data_dir / "replaced").exists()


def test_restore_db_keeps_the_replaced_databases_owner_and_mode(data_dir, tmp_path):
    make_database(data_dir / "db.sqlite3", "live").close()
    os.chmod(data_dir / "db.sqlite3", 0o600)
    root = os.geteuid() == 0
    if root:  # as a server that runs as its own user, restored by root
        os.chown(data_dir / "db.sqlite3", 65534, 65534)
    make_database(tmp_path / "backup.sqlite3", "monday").close()
    os.chmod(tmp_path / "backup.sqlite3", 0o644)

    restore(tmp_path / "backup.sqlite3")

    status = (data_dir / "db.sqlite3").stat()
    assert status.st_mode & 0o777 == 0o600
    if root:
        assert (status.st_uid, status.st_gid) == (65534, 65534)


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def gunicorn(data_dir, tmp_path):
    """A gunicorn that writes its pid where `make run` has it write it."""
    (tmp_path / "hello.py").write_text(
        "def application(environ, start_response):\n"
        "    start_response('200 OK', [])\n"
        "    return [b'ok']\n"
    )
    pid_file = data_dir / "gunicorn.pid"
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(tmp_path), "--bind", "127.0.0.1:0"]
    command += [
        "--workers",
        "1",
        "--pid",
        str(pid_file),
        "--no-control-socket",
        "hello:application",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not pid_file.exists() or not pid_file.read_text().strip():
        assert process.poll() is None, "gunicorn exited"
        assert time.monotonic() < deadline, "gunicorn wrote no pid file"
        time.sleep(0.05)
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_restore_db_refuses_while_the_server_runs_and_changes_nothing(data_dir, tmp_path, gunicorn):
    make_database(data_dir / "db.sqlite3", "live").close()
    make_database(tmp_path / "backup.sqlite3", "monday").close()
    before = snapshot(data_dir)

    with pytest.raises(CommandError, match=rf"server is running \(gunicorn, pid {gunicorn.pid}"):
        restore(tmp_path / "backup.sqlite3")

    assert snapshot(data_dir) == before


def test_restore_db_goes_ahead_once_the_server_has_stopped(data_dir, tmp_path, gunicorn):
    make_database(data_dir / "db.sqlite3", "live").close()
    make_database(tmp_path / "backup.sqlite3", "monday").close()
    gunicorn.terminate()
    gunicorn.wait(timeout=30)

    restore(tmp_path / "backup.sqlite3")

    assert units_in(data_dir / "db.sqlite3") == ["monday"]


def test_restore_db_ignores_a_pid_file_left_by_a_crash(data_dir, tmp_path):
    make_database(data_dir / "db.sqlite3", "live").close()
    make_database(tmp_path / "backup.sqlite3", "monday").close()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (data_dir / "gunicorn.pid").write_text(f"{gone.pid}\n")

    restore(tmp_path / "backup.sqlite3")

    assert units_in(data_dir / "db.sqlite3") == ["monday"]


def cut_in_half(path):
    make_database(path, *(f"unit-{n}" for n in range(2000))).close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def another_apps_database(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.close()


@pytest.mark.parametrize(
    ("make_backup", "error"),
    [
        (lambda path: path.write_text("name,score\nZoe,7\n"), "is not a SQLite database"),
        (cut_in_half, "(is not a SQLite database|failed SQLite's integrity check)"),
        (another_apps_database, "not one of"),
        (lambda path: None, "There is no file"),
    ],
    ids=["a CSV file", "a truncated database", "another app's database", "a missing file"],
)
def test_restore_db_refuses_what_is_not_a_sound_backup_and_changes_nothing(
    data_dir, tmp_path, make_backup, error
):
    make_database(data_dir / "db.sqlite3", "live").close()
    backup = tmp_path / "backup.sqlite3"
    make_backup(backup)
    before = snapshot(data_dir)

    with pytest.raises(CommandError, match=error):
        restore(backup)

    assert snapshot(data_dir) == before
    assert units_in(data_dir / "db.sqlite3") == ["live"]


def test_restore_db_refuses_a_live_database_with_its_wal_beside_it(data_dir, tmp_path):
    make_database(data_dir / "db.sqlite3", "live").close()
    server = make_database(tmp_path / "other.sqlite3", "copied-live", wal=True)
    before = snapshot(data_dir)
    try:
        with pytest.raises(CommandError, match="write-ahead log beside it"):
            restore(tmp_path / "other.sqlite3")
    finally:
        server.close()
    assert snapshot(data_dir) == before


def test_restore_db_refuses_the_live_database_itself(data_dir):
    make_database(data_dir / "db.sqlite3", "live").close()

    with pytest.raises(CommandError, match="live database itself"):
        restore(data_dir / "db.sqlite3")


def test_restore_db_on_postgresql_points_to_pg_restore(monkeypatch, tmp_path):
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection, "vendor", "postgresql")
        monkeypatch.setattr(connection, "display_name", "PostgreSQL")

    with pytest.raises(CommandError, match="pg_restore"):
        restore(tmp_path / "backup.dump")
