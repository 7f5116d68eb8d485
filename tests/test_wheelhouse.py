"""A school server without internet: `make wheelhouse` on a connected machine, `make run` offline."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Nothing listens on the discard port of loopback: any attempt to reach an index fails at once.
UNREACHABLE_INDEX = "http://127.0.0.1:9/simple/"

pytestmark = [
    pytest.mark.index,
    pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make"),
]


def make(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def without_make_flags() -> dict[str, str]:
    # A `make test` that runs this suite must not pass its own flags or variables on.
    return {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}


def offline() -> dict[str, str]:
    """An environment in which pip knows of no index, mirror or folder of wheels but its own."""
    env = {k: v for k, v in without_make_flags().items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no pip.conf: no mirror, no extra index, no find-links
    env["PIP_INDEX_URL"] = UNREACHABLE_INDEX
    env["PIP_RETRIES"] = "0"
    env["PIP_DEFAULT_TIMEOUT"] = "5"
    return env


def index_is_reachable(env: dict[str, str]) -> bool:
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "Django"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return probe.returncode == 0


def test_the_wheelhouse_installs_the_app_into_a_fresh_venv_with_no_index(tmp_path):
    checkout = tmp_path / "history-quiz"
    checkout.mkdir()
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, checkout / name)

    # On the connected machine, with pip's own configuration (here, maybe a local mirror).
    connected = without_make_flags() | {"PIP_DEFAULT_TIMEOUT": "20", "PIP_RETRIES": "1"}
    built = make(checkout, "wheelhouse", f"BIN={Path(sys.executable).parent}", env=connected)
    if built.returncode != 0:
        if not index_is_reachable(connected):
            pytest.skip("the package index is unreachable, so no wheelhouse can be built here")
        pytest.fail(f"make wheelhouse failed:\n{built.stdout}\n{built.stderr}")
    wheels = {path.name.split("-")[0].lower() for path in (checkout / "wheelhouse").glob("*.whl")}
    assert {"django", "gunicorn", "psycopg_binary", "pip", "setuptools"} <= wheels

    # On the school's server: `make run` installs from the folder, with no index to be had.
    installed = make(checkout, "install", f"PYTHON={sys.executable}", env=offline())
    assert installed.returncode == 0, f"{installed.stdout}\n{installed.stderr}"
    assert "--no-index --find-links wheelhouse ." in installed.stdout

    python = checkout / ".venv" / "bin" / "python"
    imports = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util, django; "
            "print(django.get_version(), importlib.util.find_spec('pytest') is None)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert imports.returncode == 0, imports.stderr
    version, no_test_tools = imports.stdout.split()
    assert version.startswith("5.2")
    assert no_test_tools == "True", "the server gets the app's wheels, not the test tools"

    # Everything the app imports came with it: its system checks pass in that venv.
    checked = subprocess.run(
        [str(python), "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=offline() | {"DATA_DIR": str(tmp_path / "data")},
        timeout=120,
    )
    assert checked.returncode == 0, checked.stderr
