"""What the README promises, checked against the code it describes."""

import hashlib
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def configuration_rows() -> dict[str, str]:
    """The configuration table: each variable of the first column → its whole row."""
    rows = {}
    for line in section(README, "Configuration").splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            for name in re.findall(r"`([A-Z_]+)`", first):
                rows[name] = line
    return rows


def variables_the_settings_read() -> set[str]:
    source = (ROOT / "quiz" / "settings.py").read_text() + (ROOT / "quiz" / "env.py").read_text()
    names = set(re.findall(r'env_(?:bool|int|list)\(\s*"([A-Z_]+)"', source))
    names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', source))
    if "dj_database_url.config(" in source:
        names.add("DATABASE_URL")  # read by dj-database-url itself
    return names


def test_the_configuration_table_names_every_variable_the_settings_read():
    table = section(README, "Configuration")
    read = variables_the_settings_read()

    assert {"DEBUG", "ALLOWED_HOSTS", "TIME_ZONE", "DATABASE_URL"} <= read
    missing = {name for name in read if f"`{name}`" not in table}
    assert not missing, f"read by the settings, not in README's configuration table: {missing}"


def test_the_configuration_table_has_host_and_time_zone_rows():
    rows = configuration_rows()

    assert "127.0.0.1" in rows["HOST"], "how to serve on loopback only"
    assert "Europe/Berlin" in rows["TIME_ZONE"]
    assert {"PORT", "WORKERS", "DATA_DIR", "WHEELHOUSE"} <= rows.keys()


def test_the_readme_says_preview_is_the_teachers_answer_key():
    teachers = section(README, "For teachers")
    preview = teachers[teachers.index("*Preview*") :].split("\n- ")[0]

    assert "answer key" in preview
    assert "as students see it" not in preview, "students never see the answers in advance"


# The Free Software Foundation's text, unchanged (as published at gnu.org/licenses/agpl-3.0.txt).
AGPL_3_0_SHA256 = "0d96a4ff68ad6d4b6f1f30f713b18d5184912ba8dd389f86aa7710db079abcb0"


def test_the_licence_is_the_full_agpl_3_0_text():
    text = (ROOT / "LICENSE").read_text()
    lines = [line.strip() for line in text.splitlines()]

    assert lines[:2] == ["GNU AFFERO GENERAL PUBLIC LICENSE", "Version 3, 19 November 2007"]
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in lines
    assert "END OF TERMS AND CONDITIONS" in lines
    assert hashlib.sha256(text.encode()).hexdigest() == AGPL_3_0_SHA256


def test_pyproject_declares_the_licence_the_repository_ships():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    assert project["license"] == "AGPL-3.0-or-later"
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text()
    assert "AGPL-3.0-or-later" in section(README, "Licence")
