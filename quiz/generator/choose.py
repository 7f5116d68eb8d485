"""Choosing questions: every template's candidates, the kinds taking turns.

`generate` lists what the facts give; `generate_set` makes questions to stand together
in one set, none giving another away; `spread` takes a set's worth from a longer list.
"""

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from quiz.core.models import Kind
from quiz.generator.check import check_question
from quiz.generator.facts import Facts
from quiz.generator.giveaways import SetSoFar
from quiz.generator.question import Context, GeneratedQuestion, Scope
from quiz.generator.templates import TEMPLATES


def _scope(facts, event_slugs, person_slugs, start_year, end_year) -> Scope:
    for wanted, known, label in (
        (event_slugs, {e.slug for e in facts.events}, "event"),
        (person_slugs, {p.slug for p in facts.people}, "person"),
    ):
        unknown = sorted(set(wanted or ()) - known)
        if unknown:
            raise ValueError(f"unknown {label} slug(s) in this unit: {', '.join(unknown)}")

    def in_years(first: int | None, last: int | None) -> bool:
        return (start_year is None or last is None or last >= start_year) and (
            end_year is None or first is None or first <= end_year
        )

    events = [
        e
        for e in facts.events
        if (event_slugs is None or e.slug in event_slugs)
        and (person_slugs is None or any(slug in person_slugs for slug, _role in e.roles))
        and in_years(e.start.year, e.last.year)
    ]
    in_events = {slug for e in events for slug, _role in e.roles}
    people = [
        p
        for p in facts.people
        if (person_slugs is None or p.slug in person_slugs)
        and (event_slugs is None or p.slug in in_events)
        and in_years(p.born.year if p.born else None, p.died.year if p.died else None)
    ]
    filtered = event_slugs is not None or person_slugs is not None
    chosen = {p.slug for p in people}
    works = [
        w
        for w in facts.works
        if (not filtered or w.author in chosen)
        and (w.published is None or in_years(w.published.year, w.published.year))
    ]
    # Ideas have no date: with any limit they follow their people.
    limited = filtered or start_year is not None or end_year is not None
    ideas = [i for i in facts.ideas if not limited or chosen.intersection(i.people)]
    return Scope(events, people, works, ideas)


def _interleaved(rng: random.Random, groups: list[tuple[int, list[GeneratedQuestion]]]):
    """Round-robin over the templates' questions, so no template crowds out the rest.

    A template of weight 3 gives three questions a round to another's one.
    """
    groups = [(weight, list(questions)) for weight, questions in groups if questions]
    for _weight, questions in groups:
        rng.shuffle(questions)
    rng.shuffle(groups)
    start = {id(questions): 0 for _weight, questions in groups}
    while groups:
        for weight, questions in groups:
            at = start[id(questions)]
            yield from questions[at : at + weight]
            start[id(questions)] = at + weight
        groups = [(w, q) for w, q in groups if start[id(q)] < len(q)]


def _normal_kinds(kinds) -> list[str]:
    if not kinds:
        return list(Kind.values)
    unknown = [k for k in kinds if k not in Kind.values]
    if unknown:
        raise ValueError(
            f"unknown question kind(s): {', '.join(map(str, unknown))} "
            f"(choose from {', '.join(Kind.values)})"
        )
    return [k for k in Kind.values if k in set(kinds)]


def _candidates(facts, *, seed, kinds, scope, cap) -> dict[str, list[tuple[int, list]]]:
    """Every template's questions, by kind, each list with its template's weight."""
    by_kind: dict[str, list[tuple[int, list]]] = {kind: [] for kind in kinds}
    for template in TEMPLATES:
        if template.kind in by_kind:
            ctx = Context(facts=facts, scope=scope, seed=seed, cap=cap, template=template)
            by_kind[template.kind].append((template.weight, list(template.build(ctx))))
    return by_kind


def _take_turns(pools: dict[str, list], count: int, accept: Callable) -> list[GeneratedQuestion]:
    """Up to `count` accepted questions, the kinds taking turns, so they share the count as
    evenly as the facts allow; grouped by kind, each kind's in the order of its pool.

    `accept` sees each candidate once, in turn, and is told nothing of the rest: what
    it accepted is taken.
    """
    taken: dict[str, list] = {kind: [] for kind in pools}
    queues = {kind: iter(pool) for kind, pool in pools.items()}
    total = 0
    while total < count and queues:
        for kind in list(queues):
            question = next(filter(accept, queues[kind]), None)
            if question is None:
                del queues[kind]
                continue
            taken[kind].append(question)
            total += 1
            if total == count:
                break
    return [question for questions in taken.values() for question in questions]


def spread(questions: Iterable[GeneratedQuestion], count: int) -> list[GeneratedQuestion]:
    """Up to `count` of `questions`, in their order, the kinds shared as `generate` shares them.

    For taking a set's worth from a longer list, as the admin's preview does when a
    teacher turns some questions down.
    """
    questions = list(questions)
    by_kind: dict[str, list] = {kind: [] for kind in Kind.values}
    for question in questions:
        by_kind[question.kind].append(question)
    kept = {id(q) for q in _take_turns(by_kind, count, accept=lambda q: True)}
    return [q for q in questions if id(q) in kept]


def _pools(facts, *, count, seed, kinds, event_slugs, person_slugs, start_year, end_year):
    """The candidates of each kind, no two asking the same thing, and the seeded shuffler."""
    kinds = _normal_kinds(list(kinds) if kinds is not None else None)
    scope = _scope(
        facts,
        set(event_slugs) if event_slugs is not None else None,
        set(person_slugs) if person_slugs is not None else None,
        start_year,
        end_year,
    )
    rng = random.Random(seed)
    pools: dict[str, list[GeneratedQuestion]] = {}
    prompts, asked = set(), set()
    for kind, groups in _candidates(facts, seed=seed, kinds=kinds, scope=scope, cap=count).items():
        pools[kind] = []
        for question in _interleaved(rng, groups):
            if question.prompt not in prompts and question.fact not in asked:
                prompts.add(question.prompt)
                asked.add(question.fact)
                pools[kind].append(question)
    return rng, pools


def _sound(facts: Facts) -> Callable[[GeneratedQuestion], bool]:
    # Belt and braces: the templates should never make a question the checker rejects
    # (the tests hold them to that), and if one does it is dropped rather than shown
    # to a class.
    return lambda question: not check_question(question, facts)


def generate(
    facts: Facts,
    *,
    count: int,
    seed: int,
    kinds: Iterable[str] | None = None,
    event_slugs: Iterable[str] | None = None,
    person_slugs: Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> list[GeneratedQuestion]:
    """Up to `count` distinct, valid questions; fewer when the facts cannot support more.

    `event_slugs`, `person_slugs` and the years limit the records questions are
    built from (events they name or involve, people in them, their works and
    ideas); distractors may come from the whole unit.

    A list of what the facts give, for reading or auditing; questions to put
    together before a class come from `generate_set`, which also keeps any one of
    them from giving another away.
    """
    if count < 1:
        return []
    rng, pools = _pools(
        facts,
        count=count,
        seed=seed,
        kinds=kinds,
        event_slugs=event_slugs,
        person_slugs=person_slugs,
        start_year=start_year,
        end_year=end_year,
    )
    chosen = _take_turns(pools, count, accept=_sound(facts))
    rng.shuffle(chosen)
    return chosen


@dataclass
class Batch:
    questions: list[GeneratedQuestion]
    # Questions these settings made that the set already held (and so were left out).
    repeats: int = 0


def generate_set(
    facts: Facts,
    *,
    count: int,
    seed: int,
    kinds: Iterable[str] | None = None,
    event_slugs: Iterable[str] | None = None,
    person_slugs: Iterable[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    already: Iterable[GeneratedQuestion] = (),
) -> Batch:
    """Up to `count` questions to stand together in one set, made as `generate` makes them
    (the same `kinds` and limits, shared out the same way), of which none repeats or gives
    away the answer of another, or of a question `already` in the set.

    A question the set already holds counts as made: its place goes to the next one, so
    the set still grows by `count` when the facts allow.
    """
    if count < 1:
        return Batch([])
    rng, pools = _pools(
        facts,
        count=count,
        seed=seed,
        kinds=kinds,
        event_slugs=event_slugs,
        person_slugs=person_slugs,
        start_year=start_year,
        end_year=end_year,
    )
    so_far = SetSoFar(facts, already)
    sound = _sound(facts)

    def accept(question: GeneratedQuestion) -> bool:
        if so_far.fits(question) and sound(question):
            so_far.add(question)
            return True
        return False

    chosen = _take_turns(pools, count, accept=accept)
    rng.shuffle(chosen)
    return Batch(chosen, repeats=len(so_far.repeated))
