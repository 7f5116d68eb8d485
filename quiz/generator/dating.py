"""Dates: which of two events came first at the precision the data has, and how to say when."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.dates import MONTHS

from history.dates import DAY, MONTH, YEAR, PartialDate, format_date, format_range
from quiz.generator.english import _

if TYPE_CHECKING:
    from quiz.generator.facts import EventFact, Facts, PersonFact


ADULT_AGE = 15  # people younger than this are not plausible actors in an event


CIRCA_GAP = 3  # "c. 1906" is only ordered against dates at least this many years away


PRECISION_RANK = {YEAR: 0, MONTH: 1, DAY: 2}


def _coarser(a: PartialDate, b: PartialDate) -> str:
    return min(a.precision, b.precision, key=PRECISION_RANK.__getitem__)


def date_order(a: PartialDate, b: PartialDate) -> int:
    """-1 if a comes first, 1 if b does, 0 if the data cannot tell (a tie).

    Dates are compared at the coarser precision of the two: "1917" and
    "November 1917" tie. A circa date needs a clear gap of years.
    """
    if a.circa or b.circa:
        if abs(a.year - b.year) < CIRCA_GAP:
            return 0
        return -1 if a.year < b.year else 1
    precision = _coarser(a, b)
    ka, kb = _key(a, precision), _key(b, precision)
    return (ka > kb) - (ka < kb)


def _key(date: PartialDate, precision: str) -> int:
    """`date.truncate(precision).sort_key`, without making a new date."""
    rank = PRECISION_RANK[precision]
    month = (date.month or 0) if rank >= 1 else 0
    day = (date.day or 0) if rank >= 2 else 0
    return date.year * 10000 + month * 100 + day


def event_order(a: EventFact, b: EventFact) -> int:
    """Which event started first, or 0 when the data cannot tell.

    Russia's Old Style dates run 12-13 days behind. Two Russian events are
    compared in either calendar; a Russian event and one abroad must keep
    their order whichever of the Russian event's dates a reader knows.
    """
    if a.old_style and b.old_style:
        pairs = [(a.start, b.start), (a.old_style, b.old_style)]
    else:
        pairs = [
            (x, y)
            for x in {a.start, a.old_style or a.start}
            for y in {b.start, b.old_style or b.start}
        ]
    orders = {date_order(x, y) for x, y in pairs}
    return orders.pop() if len(orders) == 1 else 0


def old_style_agrees(event: EventFact, precision: str) -> bool:
    """Russia's Old Style date names the same year/month/day as the Gregorian one."""
    if event.old_style is None:
        return True
    return event.old_style.truncate(precision) == event.start.truncate(precision)


def usable_precision(event: EventFact) -> str:
    """The finest precision at which the event's date can be asked without dispute."""
    for precision in (DAY, MONTH, YEAR):
        if PRECISION_RANK[precision] <= PRECISION_RANK[event.start.precision] and (
            old_style_agrees(event, precision)
        ):
            return precision
    return YEAR


def date_phrase(date: PartialDate) -> str:
    """ "on 20 August 1940", "in August 1940", "in 1906"."""
    if date.precision == DAY:
        return _("on %(date)s") % {"date": format_date(date)}
    return _("in %(date)s") % {"date": format_date(date)}


def when_phrase(event: EventFact) -> str:
    """ "on 20 August 1940", "from 30 July to 23 August 1903", with the Old Style date."""
    if event.end is None:
        text = date_phrase(event.start)
    else:
        start, end = event.start, event.end
        # Say the year (and month) once when both ends share it.
        if start.circa or start.year != end.year or start.precision == YEAR:
            first = format_date(start)
        elif start.precision == DAY and end.precision == DAY and start.month == end.month:
            first = str(start.day)
        elif start.precision == DAY:
            first = f"{start.day} {MONTHS[start.month]}"
        else:
            first = str(MONTHS[start.month])
        text = _("from %(start)s to %(end)s") % {"start": first, "end": format_date(end)}
    if event.old_style and event.old_style != event.start:
        note = (
            _(" (it began %(date)s by the Old Style calendar then used in Russia)")
            if event.end
            else _(" (%(date)s by the Old Style calendar then used in Russia)")
        )
        date = date_phrase(event.old_style) if event.end else format_date(event.old_style)
        text += note % {"date": date}
    return text


def active_years(facts: Facts, person: PersonFact) -> tuple[int, int] | None:
    """The years in which a person could plausibly have done something."""
    years = [y for e in facts.events_of(person.slug) for y in (e.start.year, e.last.year)]
    starts = years + ([person.born.year + ADULT_AGE] if person.born else [])
    if person.died:
        ends = [person.died.year]
    elif years:
        ends = [max(years)]
    else:
        ends = [person.born.year + 80] if person.born else []
    if not starts or not ends:
        return None
    lo, hi = min(starts), max(ends)
    return lo, max(lo, hi)


def active_between(facts: Facts, person: PersonFact, lo: int, hi: int) -> bool:
    span = facts._active.get(person.slug)
    return span is not None and span[0] <= hi and lo <= span[1]


def months_spanned(event: EventFact) -> set[int]:
    """The months of its first year an event covers (its start has a month)."""
    start, end = event.start, event.end
    if end is None:
        return {start.month}
    if end.year > start.year or end.month is None:
        return set(range(start.month, 13))
    return set(range(start.month, end.month + 1))


def may_overlap(event: EventFact, date: PartialDate) -> bool:
    """Could the event have been going on at `date` (as precisely as both are known)?"""
    if event.start.circa or event.last.circa:
        return event.start.year - CIRCA_GAP < date.year < event.last.year + CIRCA_GAP
    if date_order(event.start, date) <= 0 and date_order(date, event.last) <= 0:
        return True
    # A reader may know the Russian (Old Style) date: 30 October 1917 OS is 12 November.
    old = event.old_style
    return old is not None and date_order(old, date) <= 0 and date_order(date, event.last) <= 0


def plain_when(event: EventFact) -> str:
    """A date or a range, written out, for lists."""
    return format_range(event.start, event.end)
