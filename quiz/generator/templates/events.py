"""Multiple-choice questions about events: who held a role, which event a clue
describes, which took place on a date, in which month.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from django.utils.translation import get_language, gettext_noop

from history.dates import DAY, MONTH, YEAR, PartialDate, format_date, format_year
from history.models import Role
from quiz.core.models import Kind
from quiz.generator.dating import (
    PRECISION_RANK,
    date_phrase,
    may_overlap,
    months_spanned,
    old_style_agrees,
    plain_when,
    usable_precision,
)
from quiz.generator.english import (
    STOPWORDS,
    _,
    clause,
    contains,
    first_sentence,
    month_names,
    names_person,
    parse_title,
    sentences_of,
    words_of,
)
from quiz.generator.facts import EventFact, Facts
from quiz.generator.question import (
    Context,
    GeneratedQuestion,
    Template,
    nearest,
    remember,
    sources_of,
)
from quiz.generator.templates.common import (
    ERA_YEARS,
    Checker,
    event_candidates,
    event_distance,
    event_note,
    person_candidates,
    person_distance,
)

_WHO_PROMPTS = {
    Role.LEADER.value: gettext_noop("Who was the leading figure in %(event)s?"),
    Role.ORGANISER.value: gettext_noop("Who organised %(event)s?"),
    Role.COMMANDER.value: gettext_noop("Who was in command in %(event)s?"),
    Role.AUTHOR.value: gettext_noop("Who was the author of %(event)s?"),
    Role.VICTIM.value: gettext_noop("Who was the victim of %(event)s?"),
    Role.ASSASSIN.value: gettext_noop("Who carried out %(event)s?"),
    Role.DEFENDANT.value: gettext_noop("Who stood trial in %(event)s?"),
    Role.ACCUSER.value: gettext_noop("Who made the accusations in %(event)s?"),
    Role.SIGNATORY.value: gettext_noop("Which of these people signed %(event)s?"),
    Role.EXILE.value: gettext_noop("Who was sent into exile in %(event)s?"),
}


# Participants and witnesses are left out: the unit lists the people who matter
# to its story, not everyone who was there, so "who took part?" has no safe
# distractors (Stalin took part in the 1905 revolution without being listed).


def _who_prompt(event: EventFact, role: str) -> str | None:
    title = parse_title(event.title)
    if role not in _WHO_PROMPTS or title.form != "name":
        return None
    template = _WHO_PROMPTS[role]
    if role == Role.LEADER and title.text.split()[0].lower() in _ORDERS:
        template = gettext_noop("Who issued %(event)s?")  # not "the leading figure in a decree"
    return _(template) % {"event": title.noun}


_ORDERS = {"decree", "edict", "order", "declaration", "manifesto", "proclamation"}


def _build_who_role(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for event in ctx.scope.events:
        holders = defaultdict(list)
        for slug, role in event.roles:
            holders[role].append(slug)
        involved = {slug for slug, _role in event.roles}
        for role, slugs in sorted(holders.items()):
            prompt = _who_prompt(event, role)
            if prompt is None or len(slugs) != 1:
                continue  # two people held the role: no single answer
            person = facts.person(slugs[0])
            if names_person(prompt, person, facts):
                continue
            rng = ctx.rng(event.slug, role)
            candidates = person_candidates(
                facts, event.start.year, event.last.year, exclude=involved, prompt=prompt
            )
            distractors = nearest(rng, candidates, 3, person_distance(facts, event.start.year))
            if distractors is None:
                continue
            label = Role(role).label
            yield ctx.multiple_choice(
                rng,
                prompt=prompt,
                answer=person.name,
                distractors=[p.name for p in distractors],
                explanation=_("%(name)s was the %(role)s in %(event)s (%(when)s). %(summary)s")
                % {
                    "name": person.name,
                    "role": label,
                    "event": parse_title(event.title).noun,
                    "when": plain_when(event),
                    "summary": first_sentence(event.summary),
                },
                sources=sources_of(event),
                event_slugs=[event.slug],
                person_slugs=[person.slug],
                fact=("who_role", event.slug, role),
            )


# Words whose first letters differ from their family's: "died" gives away "Death of Lenin".
_SAME_WORD = {
    "died": "death", "dies": "death", "dead": "death", "killed": "killing", "kills": "killing",
    "expulsion": "expel", "expelled": "expel", "invasion": "invade", "invaded": "invade",
    "invades": "invade", "shot": "shoot", "fled": "flight", "flees": "flight", "born": "birth",
    "chose": "choose", "chosen": "choose", "signed": "sign", "signing": "sign",
}  # fmt: skip


def _giveaways(title: str, clue: str, others: list[str]) -> list[str]:
    """Words of the title (or words sharing their stem) in the clue that no other option has."""

    def stems(text):
        words = (w.lower() for w in words_of(text))
        return {_SAME_WORD.get(w, w)[:5] for w in words if len(w) >= 4 and w not in STOPWORDS}

    shared = set().union(*(stems(other) for other in others)) if others else set()
    return sorted((stems(title) & stems(clue)) - shared)


def _clues(facts: Facts, event: EventFact) -> list[tuple[str, str, list[EventFact]]]:
    """(clue, prompt, possible distractors) for each sentence of the summary that may do."""
    clues = []
    for sentence in sentences_of(event.summary):
        clue = clause(sentence)
        if len(clue.split()) < 6 or contains(clue, _bare_title(event.title)):
            continue
        if clue.split()[0].lower() in _VAGUE_STARTS:
            continue  # "He was then denounced...": out of context, it describes nothing
        prompt = _("Which event does this describe: “%(clue)s”?") % {"clue": clue}
        candidates = [
            e
            for e in event_candidates(facts, event, prompt)
            if clue.lower() not in e.summary.lower() and not contains(prompt, _bare_title(e.title))
        ]
        clues.append((clue, prompt, candidates))
    return clues


def _build_which_described(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for event in ctx.scope.events:
        rng = ctx.rng(event.slug)
        clues = remember(facts, ("clues", event.slug), partial(_clues, facts, event))
        for clue, prompt, candidates in clues:
            distractors = nearest(rng, candidates, 3, event_distance(event))
            if distractors is None:
                break
            if _giveaways(event.title, clue, [e.title for e in distractors]):
                continue
            yield ctx.multiple_choice(
                rng,
                prompt=prompt,
                answer=event.title,
                distractors=[e.title for e in distractors],
                explanation=event_note(event, get_language()),
                sources=sources_of(event),
                event_slugs=[event.slug],
                fact=("which_described", event.slug),
            )
            break


_VAGUE_STARTS = {
    "he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those", "that",
    "there", "then", "later", "afterwards",
}  # fmt: skip


def _bare_title(title: str) -> str:
    return title[4:] if title.startswith("The ") else title


def _on_date_prompt(event: EventFact, precision: str) -> str:
    date = date_phrase(event.start.truncate(precision))
    if event.end is not None:
        return _("Which of these events began %(date)s?") % {"date": date}
    return _("Which of these events took place %(date)s?") % {"date": date}


def _shares_date_words(title: str, date: PartialDate) -> bool:
    """Does the title say the year or the month of the date ("Failed September Uprising")?"""
    words = [format_year(date.year)]
    if date.month is not None:
        words.append(month_names()[date.month - 1])
    return any(contains(title, word) for word in words)


def _on_date_setup(facts: Facts, event: EventFact) -> tuple[str, list[EventFact]] | None:
    precision = usable_precision(event)
    date = event.start.truncate(precision)
    if _shares_date_words(event.title, date):
        return None  # "Failed September Uprising": the title gives the month away
    prompt = _on_date_prompt(event, precision)
    candidates = [
        e
        for e in event_candidates(facts, event, prompt)
        if not may_overlap(e, date) and not _shares_date_words(e.title, date)
    ]
    return prompt, candidates


def _build_on_date(ctx: "Context") -> Iterator[GeneratedQuestion]:
    facts = ctx.facts
    for event in ctx.scope.events:
        setup = remember(facts, ("on_date", event.slug), partial(_on_date_setup, facts, event))
        if setup is None:
            continue
        prompt, candidates = setup
        rng = ctx.rng(event.slug)
        distractors = nearest(rng, candidates, 3, event_distance(event))
        if distractors is None:
            continue
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=event.title,
            distractors=[e.title for e in distractors],
            explanation=event_note(event, get_language()),
            sources=sources_of(event),
            event_slugs=[event.slug],
            fact=("on_date", event.slug),
        )


def _month_prompt(event: EventFact) -> str | None:
    lead = _("In which month of %(year)s") % {"year": format_year(event.start.year)}
    return parse_title(event.title).question(lead, begin=len(months_spanned(event)) > 1)


def _build_month(ctx: "Context") -> Iterator[GeneratedQuestion]:
    for event in ctx.scope.events:
        if event.start.month is None or event.start.circa or not old_style_agrees(event, MONTH):
            continue  # never ask more than the data knows, or a date the calendars dispute
        prompt = _month_prompt(event)
        months = month_names()
        if prompt is None or any(contains(prompt, m) for m in months):
            continue
        rng = ctx.rng(event.slug)
        answer = months[event.start.month - 1]
        others = [months[m - 1] for m in range(1, 13) if m not in months_spanned(event)]
        if len(others) < 3:
            continue  # it went on all year: every other month is inside its own dates
        distractors = rng.sample(others, 3)
        yield ctx.multiple_choice(
            rng,
            prompt=prompt,
            answer=answer,
            distractors=distractors,
            explanation=event_note(event, get_language()),
            sources=sources_of(event),
            event_slugs=[event.slug],
            fact=("month", event.slug),
        )


def _check_event_options(audit: Checker, event: EventFact) -> list[str]:
    problems = []
    if audit.q.answer != event.title:
        problems.append("the answer is not the event's title")
    for title in audit.q.options:
        matches = audit.facts.events_titled(title)
        if len(matches) != 1:
            problems.append(f"option {title!r} is not exactly one event of this unit")
            continue
        other = matches[0]
        if other.slug != event.slug:
            if abs(other.start.year - event.start.year) > ERA_YEARS:
                problems.append(f"distractor {title!r} is from another era")
            if contains(audit.q.prompt, _bare_title(title)):
                problems.append(f"the prompt names distractor {title!r}")
    if contains(audit.q.prompt, _bare_title(event.title)):
        problems.append("the prompt gives away the event's title")
    return problems


def _check_who_role(audit: Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    role = next((r for r in _WHO_PROMPTS if _who_prompt(event, r) == audit.q.prompt), None)
    if role is None:
        return ["the prompt does not ask a role in its event"]
    holders = [slug for slug, r in event.roles if r == role]
    problems = []
    if len(holders) != 1:
        names = ", ".join(audit.facts.person(s).name for s in holders)
        problems.append(f"ambiguous: {len(holders)} people were {role} ({names})")
    answer = audit.facts.person_named(audit.q.answer)
    if answer is None or answer.slug not in holders:
        problems.append(f"{audit.q.answer} was not the {role}")
    involved = {slug for slug, _r in event.roles}
    problems += audit.people_options(event.start.year, event.last.year, not_in=involved)
    return problems


def _check_which_described(audit: Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    match = re.fullmatch(r".*“(?P<clue>.+)”\?", audit.q.prompt)
    if match is None:
        return ["the prompt quotes no clue"]
    clue = match["clue"]
    problems = _check_event_options(audit, event)
    if clue.lower() not in event.summary.lower():
        problems.append("the clue is not from the event's summary")
    for title in audit.distractors():
        for other in audit.facts.events_titled(title):
            if clue.lower() in other.summary.lower():
                problems.append(f"the clue also describes {title!r}")
    if giveaways := _giveaways(event.title, clue, audit.distractors()):
        problems.append(f"the clue gives away the title ({', '.join(giveaways)})")
    return problems


def _check_on_date(audit: Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    problems = _check_event_options(audit, event)
    precision = next(
        (p for p in (YEAR, MONTH, DAY) if _on_date_prompt(event, p) == audit.q.prompt), None
    )
    if precision is None:
        return [*problems, "the prompt does not give the event's date"]
    if PRECISION_RANK[precision] > PRECISION_RANK[event.start.precision]:
        problems.append("the prompt's date is more precise than the record")
    if not old_style_agrees(event, precision):
        problems.append("the Old Style and New Style dates disagree at this precision")
    date = event.start.truncate(precision)
    for title in audit.distractors():
        for other in audit.facts.events_titled(title):
            if may_overlap(other, date):
                problems.append(f"distractor {title!r} may also fit {format_date(date)}")
    for title in audit.q.options:
        if _shares_date_words(title, date):
            problems.append(f"option {title!r} echoes the date in the prompt")
    return problems


def _check_month(audit: Checker) -> list[str]:
    event = audit.event()
    if event is None:
        return ["the question names no event of this unit"]
    if event.start.month is None:
        return ["the event is known only to the year: never ask its month"]
    problems = []
    if not old_style_agrees(event, MONTH):
        problems.append("the Old Style and New Style months disagree")
    elif audit.q.answer != month_names()[event.start.month - 1]:
        problems.append("the answer is not the event's month")
    if audit.q.prompt != _month_prompt(event):
        problems.append("the prompt does not ask the event's month")
    for month in audit.q.options:
        if month not in month_names():
            problems.append(f"option {month!r} is not a month")
        elif contains(audit.q.prompt, month):
            problems.append(f"the prompt names {month}")
        elif month != audit.q.answer and month_names().index(month) + 1 in months_spanned(event):
            problems.append(f"{month} is inside the event's own dates")
    return problems


TEMPLATES = [
    Template("event.who_role", Kind.MULTIPLE_CHOICE, _build_who_role, _check_who_role),
    Template(
        "event.which_described",
        Kind.MULTIPLE_CHOICE,
        _build_which_described,
        _check_which_described,
    ),
    Template("event.on_date", Kind.MULTIPLE_CHOICE, _build_on_date, _check_on_date, says_date=True),
    Template("event.month", Kind.MULTIPLE_CHOICE, _build_month, _check_month, says_date=True),
]
