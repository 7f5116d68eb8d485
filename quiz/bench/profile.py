"""Where the workers' time goes during the answer ceiling: py-spy, summed by area.

py-spy samples the running workers from outside (no change to the server, a few
per cent of overhead). Each sample is a Python stack; it is counted once for the
area of the innermost frame that belongs to one (a regular-expression call made
by a template counts as templates), and once for every function on it (the
inclusive time of the top functions).
"""

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# Checked from the innermost frame outwards; within a frame, the first that matches.
AREAS = [
    ("database: executing and fetching", r"\((django/db/backends|sqlite3|psycopg)/"),
    ("ORM: building SQL, making objects", r"\(django/db/"),
    ("templates", r"\((django/template|template_partials)/"),
    ("forms", r"\(django/forms/"),
    ("session and auth", r"\(django/(contrib/sessions|contrib/auth|core/signing)"),
    ("gunicorn: HTTP", r"\(gunicorn/"),
    (
        "request handling, middleware",
        r"\((django/core/handlers|django/middleware|django/http|"
        r"django/urls|whitenoise|csp|django_htmx)/",
    ),
    ("our code", r"\(quiz/"),
]
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def available() -> str | None:
    return shutil.which("py-spy")


@dataclass
class Recording:
    """One py-spy process per worker, each writing collapsed stacks to a file."""

    folder: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self, pids: list[int], seconds: float) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for pid in pids:
            self.processes.append(
                subprocess.Popen(
                    [
                        available() or "py-spy",
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(max(1, round(seconds))),
                        "--rate",
                        "200",
                        "--format",
                        "raw",
                        "--nonblocking",
                        "--output",
                        str(self.folder / f"worker-{pid}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def wait(self) -> None:
        for process in self.processes:
            process.wait()

    def stacks(self) -> Counter:
        counts: Counter = Counter()
        for path in self.folder.glob("worker-*.txt"):
            counts.update(read_collapsed(path.read_text()))
        return counts


def read_collapsed(text: str) -> Counter:
    """'frame;frame;… count' lines (outermost frame first) into a Counter of stacks."""
    counts: Counter = Counter()
    for line in text.splitlines():
        stack, _, number = line.rpartition(" ")
        if stack and number.isdigit():
            counts[tuple(stack.split(";"))] += int(number)
    return counts


def area_of(stack: tuple[str, ...]) -> str:
    for frame in reversed(stack):
        for name, pattern in AREAS:
            if re.search(pattern, frame):
                return name
    return "other (Python, the standard library)"


def summary(stacks: Counter, top: int = 12) -> str:
    total = sum(stacks.values())
    if not total:
        return "profile: no samples (is py-spy allowed to read the workers' memory?)"
    areas: Counter = Counter()
    functions: Counter = Counter()
    for stack, count in stacks.items():
        areas[area_of(stack)] += count
        for frame in set(stack):
            match = FRAME.match(frame)
            if match and match["file"].startswith("quiz/"):
                functions[f"{match['function']} ({match['file']})"] += count
    lines = [f"profile of the answer ceiling: {total} samples of the workers while busy"]
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in areas.most_common()]
    lines.append("  our functions, inclusive (what they and everything they call cost):")
    lines += [f"  {100 * n / total:5.1f} %  {name}" for name, n in functions.most_common(top)]
    return "\n".join(lines)
