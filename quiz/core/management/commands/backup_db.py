"""A consistent copy of the live SQLite database, safe while the server runs."""

import os
import sqlite3
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

PREFIX = "db-"


def backup_sqlite(source: Path, destination: Path) -> int:
    """Copy `source` to `destination` with SQLite's online backup; return the page count.

    The copy is taken in one step, inside one read transaction: in WAL mode the
    server's writers carry on meanwhile, and the copy is the database as it was
    at one instant (a step-by-step copy would restart on every write). It is
    written next to `destination` and renamed into place only once it passes
    `PRAGMA integrity_check`, so a failed run never leaves half a file.
    """
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    # mode=rw: never create an empty database when the path is wrong.
    live = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)
        # One self-contained file: no -wal or -shm needed to open it.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
    finally:
        copy.close()
        live.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise CommandError(f"The copy failed SQLite's integrity check: {verdict}")
    with partial.open("r+b") as written:
        os.fsync(written.fileno())
    os.replace(partial, destination)
    return pages


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the SQLite database while the server runs "
        "(SQLite's online backup). PostgreSQL: use pg_dump."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="file or folder to write to (default: DATA_DIR/backups/db-<date-time>.sqlite3)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="afterwards delete all but the newest KEEP db-*.sqlite3 files in that folder",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, destination, keep, database, **options):
        connection = connections[database]
        if connection.vendor != "sqlite":
            raise CommandError(self._not_sqlite(connection))
        source = Path(connection.settings_dict["NAME"])
        if not source.is_file():
            raise CommandError(f"There is no SQLite database at {source}.")
        target = self._target(destination)
        if target.resolve() == source.resolve():
            raise CommandError("The back-up cannot overwrite the live database.")
        target.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        pages = backup_sqlite(source, target)
        removed = self._prune(target.parent, keep) if keep else []
        size = target.stat().st_size / 1_000_000
        self.stdout.write(
            f"Backed up {source.name} to {target} ({pages} pages, {size:.1f} MB) in "
            f"{time.monotonic() - started:.1f} s; integrity check ok"
            + (f"; removed {len(removed)} older back-ups." if removed else ".")
        )

    def _not_sqlite(self, connection) -> str:
        config = connection.settings_dict
        where = " ".join(
            f"--{flag}={config[key]}"
            for flag, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER"))
            if config.get(key)
        )
        return (
            f"This server's database is {connection.display_name} ({config['NAME']}), not "
            "SQLite: back it up with PostgreSQL's own tool, which takes a consistent copy "
            "while the servers run:\n"
            f"  pg_dump --format=custom {where} --file=historyquiz-$(date +%F).dump "
            f"{config['NAME']}\n"
            "and restore it with pg_restore (README: 'One district, many servers')."
        )

    def _target(self, destination: str | None) -> Path:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        if destination is None:
            return Path(settings.DATA_DIR) / "backups" / f"{PREFIX}{stamp}.sqlite3"
        path = Path(destination)
        if path.is_dir():
            return path / f"{PREFIX}{stamp}.sqlite3"
        return path

    def _prune(self, folder: Path, keep: int) -> list[Path]:
        backups = sorted(folder.glob(f"{PREFIX}*.sqlite3"))
        old = backups[:-keep] if keep > 0 else []
        for path in old:
            path.unlink()
        return old
