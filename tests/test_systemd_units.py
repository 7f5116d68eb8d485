"""The systemd units shipped in docs/: they parse, and they run what `make run` runs."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.core.management.commands.restore_db import PID_FILE
from quiz.play.management.commands.finish_abandoned_attempts import Command as FinishCommand

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOME = "/srv/history-quiz"
SERVICES = ["history-quiz.service", "history-quiz-finish.service", "history-quiz-backup.service"]
TIMERS = ["history-quiz-finish.timer", "history-quiz-backup.timer"]


def read_unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections → key → values (a key may repeat), as systemd reads a unit file."""
    sections: dict[str, dict[str, list[str]]] = {}
    section = None
    logical = ""
    lines = (DOCS / name).read_text().splitlines()
    assert lines, f"{name} is empty"
    for raw in lines:
        line = raw.strip()
        if not logical and (not line or line[0] in "#;"):
            continue
        if line.endswith("\\"):  # continued on the next line, joined by a space
            logical += line[:-1] + " "
            continue
        line, logical = logical + line, ""
        if line.startswith("["):
            assert line.endswith("]"), f"{name}: {line!r}"
            section = line[1:-1]
            assert section not in sections, f"{name}: [{section}] twice"
            sections[section] = {}
            continue
        assert section is not None, f"{name}: {line!r} before any [Section]"
        key, equals, value = line.partition("=")
        assert equals and key.strip() and re.fullmatch(r"[A-Za-z]+", key.strip()), (
            f"{name}: {line!r} is not Key=value"
        )
        sections[section].setdefault(key.strip(), []).append(value.strip())
    return sections


def one(unit: dict, section: str, key: str) -> str:
    values = unit[section][key]
    assert len(values) == 1, f"{key}= more than once"
    return values[0]


def makefile_gunicorn_options() -> set[str]:
    recipe, inside = [], False
    for line in (ROOT / "Makefile").read_text().splitlines():
        inside = inside or "$(BIN)/gunicorn" in line
        if inside:
            recipe.append(line)
            if not line.endswith("\\"):
                break
    options = set(re.findall(r"--[a-z][a-z-]*", " ".join(recipe)))
    assert "--bind" in options and "--pid" in options
    return options


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_runs_from_the_checkout_as_its_own_user(name):
    unit = read_unit(name)

    assert one(unit, "Unit", "Description")
    service = unit["Service"]
    assert one(unit, "Service", "User") not in {"root", "0"}
    assert one(unit, "Service", "Group")
    assert one(unit, "Service", "WorkingDirectory") == HOME
    assert service["ExecStart"], "it runs something"
    for command in service["ExecStart"] + service.get("ExecStartPre", []):
        assert command.startswith(f"{HOME}/.venv/bin/"), command
    assert one(unit, "Service", "ReadWritePaths") == f"{HOME}/.data"


def test_the_service_runs_gunicorn_as_make_run_does_and_restarts_on_failure():
    unit = read_unit("history-quiz.service")

    command = one(unit, "Service", "ExecStart")
    assert command.startswith(f"{HOME}/.venv/bin/gunicorn quiz.asgi:application ")
    missing = {option for option in makefile_gunicorn_options() if option not in command.split()}
    assert not missing, f"the Makefile's run passes {missing}, the unit does not"
    assert f"--pid {HOME}/.data/{PID_FILE}" in command, "restore_db must see it running"
    assert one(unit, "Service", "Restart") == "on-failure"
    assert one(unit, "Service", "Type") == "notify"
    assert one(unit, "Install", "WantedBy") == "multi-user.target"
    assert any("manage.py migrate" in step for step in unit["Service"]["ExecStartPre"])


@pytest.mark.parametrize("name", TIMERS)
def test_each_timer_starts_a_shipped_service(name):
    unit = read_unit(name)

    assert one(unit, "Unit", "Description")
    assert one(unit, "Timer", "OnCalendar")
    assert one(unit, "Timer", "Unit") == name.replace(".timer", ".service")
    assert (DOCS / one(unit, "Timer", "Unit")).is_file()
    assert one(unit, "Install", "WantedBy") == "timers.target"


def test_abandoned_attempts_are_finished_at_least_as_often_as_they_count_as_idle():
    timer = read_unit("history-quiz-finish.timer")
    service = read_unit("history-quiz-finish.service")
    parser = FinishCommand().create_parser("manage.py", "finish_abandoned_attempts")
    idle_minutes = parser.parse_args([]).idle_minutes

    every = re.fullmatch(r"\*:0/(\d+)", one(timer, "Timer", "OnCalendar"))
    assert every, "every N minutes, all day"
    assert 1 <= int(every.group(1)) <= idle_minutes
    assert one(service, "Service", "Type") == "oneshot"
    assert one(service, "Service", "ExecStart").endswith("manage.py finish_abandoned_attempts")


def test_the_backup_timer_keeps_a_fortnight_of_evening_backups():
    timer = read_unit("history-quiz-backup.timer")
    service = read_unit("history-quiz-backup.service")

    assert one(timer, "Timer", "Persistent") == "true", "a server off at that hour catches up"
    assert one(service, "Service", "ExecStart").endswith("manage.py backup_db --keep 14")


def test_the_deployment_guide_points_to_every_unit():
    guide = (DOCS / "deployment.md").read_text()

    for name in SERVICES + TIMERS:
        assert f"docs/{name}" in guide


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_analyze_verifies_every_unit(tmp_path):
    # systemd checks that each command is executable: point the units at a checkout whose
    # venv is this one.
    checkout = tmp_path / "srv"
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".data").mkdir()
    for program in ("python", "gunicorn"):
        (checkout / ".venv" / "bin" / program).symlink_to(Path(sys.executable))
    units = tmp_path / "units"
    units.mkdir()
    for name in SERVICES + TIMERS:
        (units / name).write_text((DOCS / name).read_text().replace(HOME, str(checkout)))

    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(units / name) for name in SERVICES + TIMERS)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Unknown keys and bad values are only warnings to systemd-analyze (exit status 0).
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines() if "history-quiz" in line
    ]
    assert result.returncode == 0, result.stdout + result.stderr
    assert not complaints
