"""Partial dates: history known to the year, the month or the day.

Years are Gregorian (New Style); negative years are BCE and there is no year
zero. Every date the app shows is formatted here, so a translation changes
them all at once.
"""

import calendar
import re
from dataclasses import dataclass

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

YEAR, MONTH, DAY = "year", "month", "day"

_ISO = re.compile(r"^(?P<year>-?\d{1,4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?(?P<circa>~)?$")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    circa: bool = False

    def __post_init__(self):
        if self.year == 0:
            raise ValueError(_("there is no year 0: 1 BC is followed by AD 1"))
        if self.month is None and self.day is not None:
            raise ValueError(_("a day needs a month"))
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(_("month must be 01 to 12"))
        if self.day is not None and not 1 <= self.day <= _days_in_month(self.year, self.month):
            raise ValueError(_("that month has no day %(day)d") % {"day": self.day})

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse "1879", "1938-02", "1940-08-21", "-0044", "1906~" or "c. 1906"."""
        if not isinstance(text, str):
            raise ValueError(_("expected a date as text like 1940, 1940-08 or 1940-08-21"))
        cleaned = text.strip()
        circa = False
        if cleaned.lower().startswith("c."):
            circa, cleaned = True, cleaned[2:].strip()
        match = _ISO.match(cleaned)
        if not match:
            raise ValueError(
                _("%(text)r is not a date like 1940, 1940-08 or 1940-08-21") % {"text": text}
            )
        return cls(
            year=int(match["year"]),
            month=int(match["month"]) if match["month"] else None,
            day=int(match["day"]) if match["day"] else None,
            circa=circa or bool(match["circa"]),
        )

    @property
    def precision(self) -> str:
        if self.day is not None:
            return DAY
        return MONTH if self.month is not None else YEAR

    def isoformat(self) -> str:
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + ("~" if self.circa else "")

    @property
    def sort_key(self) -> int:
        """An integer that orders dates; a missing month or day sorts first."""
        return self.year * 10000 + (self.month or 0) * 100 + (self.day or 0)

    def truncate(self, precision: str) -> "PartialDate":
        """The same date known only to `precision` (never adds precision)."""
        if precision == YEAR:
            return PartialDate(self.year, circa=self.circa)
        if precision == MONTH and self.month is not None:
            return PartialDate(self.year, self.month, circa=self.circa)
        return self

    def __str__(self) -> str:
        return format_date(self)


def _days_in_month(year: int, month: int) -> int:
    # calendar handles only AD years; the proleptic leap rule is the same for BCE
    # once year -1 (1 BC) is mapped to astronomical year 0.
    astronomical = year if year > 0 else year + 1
    return calendar.monthrange(astronomical % 400 or 400, month)[1]


def format_year(year: int) -> str:
    if year < 0:
        return _("%(year)d BC") % {"year": -year}
    return str(year)


def format_date(date: PartialDate, *, circa: bool = True) -> str:
    """ "20 August 1940", "August 1940", "1940", "c. 1906", "44 BC"."""
    parts = []
    if date.day is not None:
        parts.append(str(date.day))
    if date.month is not None:
        parts.append(str(MONTHS[date.month]))
    parts.append(format_year(date.year))
    text = " ".join(parts)
    if circa and date.circa:
        return _("c. %(date)s") % {"date": text}
    return text


def format_range(start: PartialDate, end: PartialDate | None) -> str:
    """A date or a range as a historian writes it: "1936–1938", "10–17 April 1937"."""
    if end is None:
        return format_date(start)
    same_precision = start.precision == end.precision
    if same_precision and start.year == end.year and start.precision != YEAR:
        if start.precision == DAY and start.month == end.month:
            text = f"{start.day}–{end.day} {MONTHS[end.month]} {format_year(end.year)}"
        elif start.precision == DAY:
            text = f"{start.day} {MONTHS[start.month]} – {format_date(end, circa=False)}"
        else:
            text = f"{MONTHS[start.month]}–{format_date(end, circa=False)}"
        return _("c. %(date)s") % {"date": text} if start.circa else text
    if same_precision and start.precision == YEAR:
        return f"{format_date(start)}–{format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"
