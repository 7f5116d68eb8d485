"""Year questions, typed or chosen: when an event happened, when someone was born or
died, when a work was first published.
"""

import random
from collections.abc import Iterator
from functools import partial

from django.utils.translation import get_language, gettext_noop

from history.dates import YEAR, PartialDate, format_year
from quiz.core.models import Kind
from quiz.generator.dating import old_style_agrees
from quiz.generator.english import _, contains, names_person, parse_title, quoted
from quiz.generator.facts import EventFact, Facts
from quiz.generator.question import Context, GeneratedQuestion, Template, shuffled, sources_of
from quiz.generator.templates.common import Checker, event_note, person_note, work_note

YEAR_SPREAD = 8  # year distractors come from this many years either side of the answer


def _year_options(rng: random.Random, first: int, last: int, latest: int | None) -> list[int]:
    """Three years near a record, never inside its own range, never equal, never future."""
    below = [y for y in range(first - YEAR_SPREAD, first) if y != 0]
    top = last + YEAR_SPREAD if latest is None else min(last + YEAR_SPREAD, latest)
    above = [y for y in range(last + 1, top + 1) if y != 0]
    how_many_below = rng.randint(max(0, 3 - len(above)), 3)
    return rng.sample(below, how_many_below) + rng.sample(above, 3 - how_many_below)


def _tolerance(date: PartialDate, ranged: bool) -> int:
    if date.circa:
        return 5
    return 1 if ranged else 2


def _year_question(
    ctx: "Context", rng, *, typed: bool, prompt, date, last_year, explanation, fact, **links
) -> GeneratedQuestion:
    answer = date.year
    if typed:
        options, tolerance = [], _tolerance(date, last_year != date.year)
    else:
        years = [answer, *_year_options(rng, answer, last_year, ctx.facts.latest_year)]
        options, tolerance = shuffled(rng, [format_year(y) for y in years]), 0
    return ctx.question(
        prompt=prompt,
        options=options,
        answer=answer,
        tolerance=tolerance,
        explanation=explanation,
        fact=(("year_typed" if typed else "year_choice"), *fact),
        **links,
    )


def _event_year_prompt(event: EventFact, typed: bool) -> str | None:
    lead = _("In which year") if typed else _("When")
    return parse_title(event.title).question(lead, begin=event.last.year != event.start.year)


def _same_fact_as_life(facts: Facts, event: EventFact) -> tuple | None:
    """An event that is somebody's birth or death asks the same fact as their life dates."""
    for person in facts.people:
        for which, date in (("born", person.born), ("died", person.died)):
            if date == event.start and event.end is None:
                involved = any(slug == person.slug for slug, _role in event.roles)
                if involved or names_person(event.title, person, facts):
                    return (which, person.slug)
    return None


def _build_event_year(ctx: "Context", typed: bool) -> Iterator[GeneratedQuestion]:
    for event in ctx.scope.events:
        prompt = _event_year_prompt(event, typed)
        if prompt is None or contains(prompt, format_year(event.start.year)):
            continue
        if not old_style_agrees(event, YEAR) or (event.start.circa and not typed):
            continue
        yield _year_question(
            ctx,
            ctx.rng(event.slug),
            typed=typed,
            prompt=prompt,
            date=event.start,
            last_year=event.last.year,
            explanation=event_note(event, get_language()),
            fact=_same_fact_as_life(ctx.facts, event) or ("event", event.slug),
            sources=sources_of(event),
            event_slugs=[event.slug],
        )


_LIFE_PROMPTS = {
    ("born", True): gettext_noop("In which year was %(name)s born?"),
    ("born", False): gettext_noop("When was %(name)s born?"),
    ("died", True): gettext_noop("In which year did %(name)s die?"),
    ("died", False): gettext_noop("When did %(name)s die?"),
}


def _build_life_year(ctx: "Context", which: str, typed: bool) -> Iterator[GeneratedQuestion]:
    for person in ctx.scope.people:
        date = getattr(person, which)
        if date is None or (date.circa and not typed):
            continue
        prompt = _(_LIFE_PROMPTS[which, typed]) % {"name": person.name}
        if contains(prompt, format_year(date.year)):
            continue
        yield _year_question(
            ctx,
            ctx.rng(person.slug),
            typed=typed,
            prompt=prompt,
            date=date,
            last_year=date.year,
            explanation=person_note(person, get_language()),
            fact=(which, person.slug),
            sources=sources_of(person),
            person_slugs=[person.slug],
        )


def _build_work_year(ctx: "Context", typed: bool) -> Iterator[GeneratedQuestion]:
    for work in ctx.scope.works:
        if work.published is None or (work.published.circa and not typed):
            continue
        lead = _("In which year was") if typed else _("When was")
        prompt = _("%(lead)s %(title)s first published?") % {
            "lead": lead,
            "title": quoted(work.title),
        }
        if contains(prompt, format_year(work.published.year)):
            continue
        yield _year_question(
            ctx,
            ctx.rng(work.slug),
            typed=typed,
            prompt=prompt,
            date=work.published,
            last_year=work.published.year,
            explanation=work_note(ctx.facts, work),
            fact=("published", work.slug),
            sources=sources_of(work),
            work_slugs=[work.slug],
            person_slugs=[work.author] if work.author else [],
        )


def _check_year_options(audit: Checker, first: int, last: int) -> list[str]:
    problems = []
    if audit.q.answer != first:
        problems.append(f"the answer should be {format_year(first)}")
    years = [o for o in audit.q.options if o != format_year(first)]
    for text in years:
        year = next((y for y in range(first - 60, last + 61) if format_year(y) == text), None)
        if year is None:
            problems.append(f"option {text!r} is not a nearby year")
        elif first <= year <= last:
            problems.append(f"distractor {text} is inside the record's own dates")
        elif audit.facts.latest_year is not None and year > audit.facts.latest_year:
            problems.append(f"distractor {text} is later than anything in the unit")
    return problems


def _check_event_year(audit: Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    problems = _check_year_options(audit, event.start.year, event.last.year)
    if audit.q.prompt != _event_year_prompt(event, typed=not audit.q.options):
        problems.append("the prompt does not ask the event's year")
    if not old_style_agrees(event, YEAR):
        problems.append("the Old Style and New Style years disagree")
    return problems


def _check_life_year(audit: Checker, which: str) -> list[str]:
    person = audit.person()
    date = getattr(person, which) if person else None
    if date is None:
        return [f"the question names nobody whose {which} date is known"]
    problems = _check_year_options(audit, date.year, date.year)
    prompt = _(_LIFE_PROMPTS[which, not audit.q.options]) % {"name": person.name}
    if audit.q.prompt != prompt:
        problems.append(f"the prompt does not ask when {person.name} {which}")
    return problems


def _check_work_year(audit: Checker) -> list[str]:
    work = audit.facts.work(audit.q.work_slugs[0]) if audit.q.work_slugs else None
    if work is None or work.published is None:
        return ["the question names no work with a date"]
    problems = _check_year_options(audit, work.published.year, work.published.year)
    if quoted(work.title) not in audit.q.prompt:
        problems.append("the prompt does not name the work")
    return problems


TEMPLATES = [
    Template(
        "event.year",
        Kind.YEAR,
        partial(_build_event_year, typed=True),
        _check_event_year,
        says_date=True,
    ),
    Template(
        "event.year_choice",
        Kind.YEAR,
        partial(_build_event_year, typed=False),
        _check_event_year,
        says_date=True,
    ),
    Template(
        "person.born_year",
        Kind.YEAR,
        partial(_build_life_year, which="born", typed=True),
        partial(_check_life_year, which="born"),
    ),
    Template(
        "person.born_year_choice",
        Kind.YEAR,
        partial(_build_life_year, which="born", typed=False),
        partial(_check_life_year, which="born"),
    ),
    Template(
        "person.died_year",
        Kind.YEAR,
        partial(_build_life_year, which="died", typed=True),
        partial(_check_life_year, which="died"),
    ),
    Template(
        "person.died_year_choice",
        Kind.YEAR,
        partial(_build_life_year, which="died", typed=False),
        partial(_check_life_year, which="died"),
    ),
    Template("work.year", Kind.YEAR, partial(_build_work_year, typed=True), _check_work_year),
    Template(
        "work.year_choice", Kind.YEAR, partial(_build_work_year, typed=False), _check_work_year
    ),
]
