"""What `make run` and `make test` would do, read from make's dry run in a scratch copy."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from quiz.core.management.commands.restore_db import PID_FILE

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def dry_run(folder: Path, *targets: str) -> str:
    """The commands `make TARGETS` (and VAR=value) would run in a fresh checkout (no .venv)."""
    for name in ("Makefile", "pyproject.toml"):
        if not (folder / name).exists():
            shutil.copy(ROOT / name, folder / name)
    # A `make test` that runs this suite must not pass its own flags or variables on.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "-C", str(folder), *targets],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def pip_installs(commands: str) -> list[str]:
    return [line for line in commands.splitlines() if "-m pip install" in line]


def test_make_run_installs_the_app_and_never_the_test_tools(tmp_path):
    commands = dry_run(tmp_path, "run")

    installs = pip_installs(commands)
    assert installs, "make run installs the app's dependencies"
    assert any(line.rstrip().endswith(" .") for line in installs)
    assert "[test]" not in commands
    assert "gunicorn quiz.asgi:application" in commands
    assert "--worker-class uvicorn_worker.UvicornWorker" in commands


def test_make_run_with_sync_workers_serves_wsgi(tmp_path):
    commands = dry_run(tmp_path, "run", "WORKER_CLASS=sync")

    assert "gunicorn quiz.wsgi:application" in commands


def test_make_test_adds_the_test_tools(tmp_path):
    commands = dry_run(tmp_path, "test")

    assert any('".[test]"' in line for line in pip_installs(commands))
    assert "-m pytest" in commands


@pytest.mark.parametrize("target", ["backup", "check-deploy", "bench"])
def test_the_server_side_targets_need_no_test_tools(tmp_path, target):
    assert "[test]" not in dry_run(tmp_path, target)


def test_make_run_installs_from_the_wheelhouse_alone_when_there_is_one(tmp_path):
    (tmp_path / "wheelhouse").mkdir()
    (tmp_path / "wheelhouse" / "django-5.2-py3-none-any.whl").touch()

    installs = pip_installs(dry_run(tmp_path, "run"))

    assert installs
    assert all("--no-index --find-links wheelhouse" in line for line in installs)


def test_make_run_uses_the_package_index_without_a_wheelhouse(tmp_path):
    installs = pip_installs(dry_run(tmp_path, "run"))

    assert installs
    assert not any("--no-index" in line for line in installs)


def test_make_wheelhouse_downloads_for_this_machine_by_default(tmp_path):
    commands = dry_run(tmp_path, "wheelhouse")

    assert "-m pip download --quiet --dest wheelhouse" in commands
    assert ". pip setuptools" in commands
    assert "--platform" not in commands


def test_make_wheelhouse_downloads_for_the_school_servers_python_and_platform(tmp_path):
    commands = dry_run(
        tmp_path,
        "wheelhouse",
        "PLATFORM=manylinux2014_x86_64 manylinux_2_28_x86_64",
        "PYTHON_VERSION=3.12",
    )

    download = " ".join(commands.replace("\\\n", " ").split())
    assert (
        "--only-binary=:all: --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64 "
        "--python-version 3.12 . pip setuptools" in download
    )


def test_make_run_has_gunicorn_write_the_pid_file_restore_db_looks_for(tmp_path):
    assert f"--pid .data/{PID_FILE}" in dry_run(tmp_path, "run")
