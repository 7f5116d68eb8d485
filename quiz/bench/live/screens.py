"""What a device shows, read from the HTML its page or its stream carries."""

import re
from dataclasses import dataclass, field

from quiz.bench.http import Response

VERSION = re.compile(r'data-version="(\d+)"')
PHASE = re.compile(r'data-phase="(\w+)"')
POSITION = re.compile(r'name="position" value="(\d+)"')
OPTION = re.compile(r'name="option" value="(\d+)"')
PLACE = re.compile(r'name="place_(\d+)"')


@dataclass
class Screen:
    """What a device shows, read from its page."""

    version: int
    phase: str
    position: int = -1
    options: list[int] = field(default_factory=list)
    places: list[int] = field(default_factory=list)
    has_year: bool = False
    asks: bool = False  # the answer form is on the screen
    answered: bool = False  # "Your answer is in", or a right/wrong after it


def parse_screen(response: Response) -> Screen:
    if response.status != 200:
        raise ValueError(f"unexpected screen {response.status}: {response.body[:200]!r}")
    return parse_html(response.body)


def parse_html(body: str) -> Screen:
    version, phase = VERSION.search(body), PHASE.search(body)
    if not version or not phase:
        raise ValueError(f"unexpected screen: {body[:200]!r}")
    screen = Screen(int(version.group(1)), phase.group(1))
    position = POSITION.search(body)
    if position:
        screen.position = int(position.group(1))
    screen.asks = "live-answer" in body
    screen.options = [int(o) for o in OPTION.findall(body)]
    screen.places = [int(p) for p in PLACE.findall(body)]
    screen.has_year = 'name="year"' in body
    screen.answered = "answer-in" in body or (
        phase.group(1) == "reveal" and "No answer in time" not in body
    )
    return screen
