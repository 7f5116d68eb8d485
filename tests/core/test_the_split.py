"""What the split of quiz/ into areas (issue 10) must not change, against records made
from the tree before it (tests/core/data/*_before_the_split.*)."""

import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command, get_commands
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def routes(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield f"{prefix}{pattern.pattern} {namespace}{pattern.name or ''}"


def before(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


# Added since the split: a new area's routes, under its own prefix.
ADDED_SINCE = ("live/", "teach/sets/")  # routes of features added since (#12, #13)


def test_every_path_and_url_name_is_as_before_the_split():
    expected = before("urls_before_the_split.txt")
    assert len(expected) > 100
    now = sorted(set(routes(get_resolver().url_patterns)))
    assert [r for r in now if not r.startswith(ADDED_SINCE)] == expected


def test_every_management_command_keeps_its_name():
    # cron and the systemd timers call them by name.
    assert sorted(get_commands()) == before("commands_before_the_split.txt")


def test_the_models_need_no_new_migration(db):
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def manage(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "DATA_DIR": str(data_dir), "DEBUG": "1"}
    env.pop("DATABASE_URL", None)  # the SQLite file below, even in the PostgreSQL run
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# Migrations written since the split (the split itself needed none).
MIGRATIONS_SINCE = ["quiz.0006_live_game"]


def test_a_database_from_before_the_split_migrates_as_a_no_op_and_reads_back(tmp_path):
    database = sqlite3.connect(tmp_path / "db.sqlite3")
    database.executescript((DATA / "before_the_split.sql").read_text(encoding="utf-8"))
    database.close()

    output = manage(tmp_path, "migrate", "--noinput")
    applied = [line.split()[1].rstrip(".") for line in output.splitlines() if "Applying" in line]
    assert applied == MIGRATIONS_SINCE
    read_back = manage(
        tmp_path,
        "shell",
        "-c",
        "from quiz.core.models import Attempt\n"
        "a = Attempt.objects.get()\n"
        "print(a.student.student_profile.display_name, a.student.student_profile.classroom,"
        " a.question_set, a.score, a.answers.get().is_correct)",
    )
    assert read_back.strip().splitlines()[-1] == "Amira 9C Civil War 100 True"
