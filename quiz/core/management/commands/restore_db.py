"""Put a back-up of the SQLite database in place of the live one, keeping the replaced one."""

import os
import shutil
import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

# Where gunicorn writes its master's pid (`--pid` in the Makefile and the systemd unit).
PID_FILE = "gunicorn.pid"
# A database's companions: an old -wal file must never be applied to another database.
COMPANIONS = ("-wal", "-shm", "-journal")


def running_server(pid_file: Path) -> int | None:
    """The pid of the gunicorn that wrote `pid_file`, if it is still running.

    gunicorn removes the file when it stops; one left by a crash or a power
    cut names a process that is gone, or (after a reboot) some other one.
    """
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, under another user
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.is_dir() and b"gunicorn" not in cmdline.read_bytes():
        return None  # the pid was reused
    return pid


def check_backup(path: Path) -> None:
    """Refuse anything but a sound SQLite database that holds this app's tables."""
    if not path.is_file():
        raise CommandError(f"There is no file at {path}.")
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        # Its last commits are in that file, which a copy of the database alone would lose.
        raise CommandError(
            f"{path} has a write-ahead log beside it ({wal.name}): it is a live database, "
            "not a back-up. Take one with backup_db and restore that; nothing changed."
        )
    try:
        # mode=ro: never create or change anything in the back-up.
        backup = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            verdict = backup.execute("PRAGMA integrity_check").fetchone()[0]
            migrated = backup.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            backup.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not a SQLite database ({error}); nothing changed.") from None
    if verdict != "ok":
        raise CommandError(f"{path} failed SQLite's integrity check: {verdict}; nothing changed.")
    if not migrated:
        raise CommandError(
            f"{path} is a SQLite database but not one of History Quiz's (it has no "
            "django_migrations table); nothing changed."
        )


class Command(BaseCommand):
    help = (
        "Replace the SQLite database with a back-up, the server stopped; the replaced "
        "database and its -wal/-shm files are kept in DATA_DIR/replaced/<date-time>/."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a back-up written by backup_db")
        parser.add_argument("--database", default="default")

    def handle(self, *args, backup, database, **options):
        connection = connections[database]
        if connection.vendor != "sqlite":
            raise CommandError(
                f"This server's database is {connection.display_name}, not SQLite: restore a "
                "pg_dump back-up with pg_restore, the app servers stopped (README: 'One "
                "district, many servers')."
            )
        live = Path(connection.settings_dict["NAME"])
        source = Path(backup)
        if live.exists() and source.resolve() == live.resolve():
            raise CommandError(f"{source} is the live database itself.")
        check_backup(source)
        pid_file = Path(settings.DATA_DIR) / PID_FILE
        pid = running_server(pid_file)
        if pid is not None:
            raise CommandError(
                f"The server is running (gunicorn, pid {pid}, from {pid_file}): stop it first "
                "(Ctrl-C, or systemctl stop history-quiz); nothing changed."
            )
        connection.close()

        # The copy is made beside the live database first, so that nothing is moved
        # aside unless the back-up is already there, whole, ready to be renamed.
        live.parent.mkdir(parents=True, exist_ok=True)
        partial = live.with_name(live.name + ".restoring")
        shutil.copyfile(source, partial)
        if live.exists():
            self._same_owner_and_mode(live, partial)
        with partial.open("r+b") as written:
            os.fsync(written.fileno())
        replaced = self._move_aside(live)
        os.replace(partial, live)

        kept = f"the replaced database is in {replaced}" if replaced else "there was none before"
        self.stdout.write(
            f"Restored {source} to {live}; {kept}. Start the server (make run migrates an "
            "older copy forward)."
        )

    def _same_owner_and_mode(self, live: Path, restored: Path) -> None:
        # Run as root (sudo make restore) for a server that runs as its own user,
        # a root-owned copy would leave that server unable to write.
        status = live.stat()
        os.chmod(restored, status.st_mode & 0o777)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.chown(restored, status.st_uid, status.st_gid)

    def _move_aside(self, live: Path) -> Path | None:
        present = [
            path
            for path in [live, *(live.with_name(live.name + suffix) for suffix in COMPANIONS)]
            if path.exists()
        ]
        if not present:
            return None
        folder = self._new_folder(Path(settings.DATA_DIR) / "replaced")
        for path in present:
            shutil.move(path, folder / path.name)
        return folder

    def _new_folder(self, parent: Path) -> Path:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        parent.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            folder = parent / (stamp if n == 1 else f"{stamp}-{n}")
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            return folder
        raise CommandError(f"Could not make a new folder in {parent}.")
