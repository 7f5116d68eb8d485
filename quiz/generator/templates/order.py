"""Questions of order: a chronology of events, which event came first, who was born first."""

from collections.abc import Iterable, Iterator
from itertools import combinations
from math import comb

from quiz.core.models import Kind
from quiz.generator.dating import date_order, date_phrase, event_order, plain_when, when_phrase
from quiz.generator.english import _, joined, midsentence, parse_title
from quiz.generator.facts import EventFact
from quiz.generator.question import Context, GeneratedQuestion, Template, shuffled, sources_of
from quiz.generator.templates.common import Checker

ENUMERATE_SETS = 3000  # a unit with fewer sets of 3-5 events lists them all rather than sampling


def _in_order(events: Iterable[EventFact]) -> list[EventFact]:
    return sorted(events, key=lambda e: (e.start.sort_key, e.slug))


def _dated(event: EventFact) -> str:
    return f"{event.title} ({plain_when(event)})"


def _chronology_prompt(events: list[EventFact]) -> str:
    nouns = [parse_title(e.title).noun for e in events]
    return _("Put these events in order, earliest first: %(events)s.") % {"events": joined(nouns)}


def _chronology_sets(rng, facts, events: list[EventFact], cap: int) -> Iterator[list[EventFact]]:
    """Up to `cap` distinct sets of 3 to 5 events that can be put in order."""

    def orderable(chosen) -> bool:
        return not any(facts.tie(a, b) for a, b in combinations(chosen, 2))

    sizes = range(3, min(5, len(events)) + 1)
    if sum(comb(len(events), size) for size in sizes) <= ENUMERATE_SETS:
        # A small unit: list every set, so none is missed and no time is wasted.
        sets = [list(c) for size in sizes for c in combinations(events, size) if orderable(c)]
        rng.shuffle(sets)
        yield from sets[:cap]
        return
    seen, misses = set(), 0
    while len(seen) < cap and misses < 1000:
        chosen = rng.sample(events, rng.choice(sizes))
        key = frozenset(e.slug for e in chosen)
        if key in seen or not orderable(chosen):
            misses += 1
            continue
        misses = 0
        seen.add(key)
        yield chosen


def _build_chronology(ctx: "Context") -> Iterator[GeneratedQuestion]:
    rng = ctx.rng()
    for chosen in _chronology_sets(rng, ctx.facts, ctx.scope.events, ctx.cap):
        key = frozenset(e.slug for e in chosen)
        ordered = _in_order(chosen)
        shown = rng.sample(chosen, len(chosen))
        while [e.slug for e in shown] == [e.slug for e in ordered]:
            rng.shuffle(shown)
        yield ctx.question(
            prompt=_chronology_prompt(shown),
            options=[e.title for e in shown],
            answer=[e.title for e in ordered],
            explanation=_("In order: %(events)s.")
            % {"events": joined([_dated(e) for e in ordered])},
            sources=sources_of(*ordered),
            event_slugs=[e.slug for e in ordered],
            fact=("chronology", key),
        )


def _which_first_prompt(a: EventFact, b: EventFact) -> str:
    first = midsentence(parse_title(a.title).noun)
    return _("Which came first: %(a)s or %(b)s?") % {"a": first, "b": parse_title(b.title).noun}


def _build_which_first(ctx: "Context") -> Iterator[GeneratedQuestion]:
    rng = ctx.rng()
    pairs = [(a, b) for a, b in combinations(ctx.scope.events, 2) if not ctx.facts.tie(a, b)]
    rng.shuffle(pairs)
    for a, b in pairs[: ctx.cap]:
        shown = shuffled(rng, [a, b])
        earlier, later = _in_order([a, b])
        yield ctx.question(
            prompt=_which_first_prompt(*shown),
            options=[e.title for e in shown],
            answer=earlier.title,
            explanation=" ".join(
                parse_title(e.title).statement(when_phrase(e)) for e in (earlier, later)
            ),
            sources=sources_of(a, b),
            event_slugs=[earlier.slug, later.slug],
            fact=("which_first", frozenset((a.slug, b.slug))),
        )


def _build_born_first(ctx: "Context") -> Iterator[GeneratedQuestion]:
    rng = ctx.rng()
    people = [p for p in ctx.scope.people if p.born]
    pairs = [(a, b) for a, b in combinations(people, 2) if date_order(a.born, b.born) != 0]
    rng.shuffle(pairs)
    for a, b in pairs[: ctx.cap]:
        shown = shuffled(rng, [a, b])
        earlier, later = sorted([a, b], key=lambda p: p.born.sort_key)
        yield ctx.question(
            prompt=_("Who was born first: %(a)s or %(b)s?")
            % {"a": shown[0].name, "b": shown[1].name},
            options=[p.name for p in shown],
            answer=earlier.name,
            explanation=_("%(earlier)s was born %(when)s, %(later)s %(then)s.")
            % {
                "earlier": earlier.name,
                "when": date_phrase(earlier.born),
                "later": later.name,
                "then": date_phrase(later.born),
            },
            sources=sources_of(a, b),
            person_slugs=[earlier.slug, later.slug],
            fact=("born_first", frozenset((a.slug, b.slug))),
        )


def _check_ordered_events(audit: Checker) -> tuple[list[EventFact], list[str]]:
    events, problems = [], []
    for title in audit.q.options:
        matches = audit.facts.events_titled(title)
        if len(matches) != 1:
            problems.append(f"option {title!r} is not exactly one event of this unit")
        else:
            events.extend(matches)
    for a, b in combinations(events, 2):
        if event_order(a, b) == 0:
            problems.append(f"{a.title!r} and {b.title!r} tie at the precision the data has")
    return events, problems


def _check_chronology(audit: Checker) -> list[str]:
    events, problems = _check_ordered_events(
        audit,
    )
    if not problems and audit.q.answer != [e.title for e in _in_order(events)]:
        problems.append("the answer is not in date order")
    if not problems and audit.q.prompt != _chronology_prompt(events):
        problems.append("the prompt does not list the items")
    return problems


def _check_which_first(audit: Checker) -> list[str]:
    events, problems = _check_ordered_events(
        audit,
    )
    if not problems:
        if audit.q.answer != _in_order(events)[0].title:
            problems.append("the answer did not come first")
        if audit.q.prompt != _which_first_prompt(*events):
            problems.append("the prompt does not name both events")
    return problems


def _check_born_first(audit: Checker) -> list[str]:
    people = [audit.facts.person_named(name) for name in audit.q.options]
    if any(p is None or p.born is None for p in people) or len(people) != 2:
        return ["both options must be people of this unit with a known birth date"]
    a, b = people
    if date_order(a.born, b.born) == 0:
        return [f"{a.name} and {b.name} tie at the precision the data has"]
    earlier = a if date_order(a.born, b.born) < 0 else b
    problems = [] if audit.q.answer == earlier.name else [f"{earlier.name} was born first"]
    if audit.q.prompt != _("Who was born first: %(a)s or %(b)s?") % {"a": a.name, "b": b.name}:
        problems.append("the prompt does not name both people")
    return problems


TEMPLATES = [
    Template("event.chronology", Kind.CHRONOLOGY, _build_chronology, _check_chronology),
    # Events are what the unit is about: three event pairs to each pair of birthdays.
    Template(
        "event.which_first", Kind.WHICH_FIRST, _build_which_first, _check_which_first, weight=3
    ),
    Template("person.born_first", Kind.WHICH_FIRST, _build_born_first, _check_born_first),
]
