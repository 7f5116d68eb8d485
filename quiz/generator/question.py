"""A generated question, and the record and context every template builds with."""

import random
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import get_language

from quiz.generator.facts import EventFact, Facts, IdeaFact, PersonFact, WorkFact

if TYPE_CHECKING:
    from quiz.generator.templates.common import Checker

OPTIONS = 4  # every multiple-choice question: the answer and three distractors


@dataclass
class GeneratedQuestion:
    kind: str
    prompt: str
    options: list[str]  # display order; [] for a typed year
    answer: str | int | list[str]  # option text; a year; the options in the right order
    explanation: str
    template: str
    tolerance: int | None = None  # year questions: this many years off earns partial credit
    sources: list[str] = field(default_factory=list)
    event_slugs: list[str] = field(default_factory=list)
    person_slugs: list[str] = field(default_factory=list)
    work_slugs: list[str] = field(default_factory=list)
    idea_slugs: list[str] = field(default_factory=list)
    # What the question asks, for telling two questions about the same fact apart.
    fact: tuple = field(default=(), repr=False, compare=False)

    def to_json(self) -> dict:
        data = asdict(self)
        del data["fact"]
        data["kind"] = str(self.kind)  # a plain string, not the Kind member
        return data


@dataclass
class Scope:
    """The records questions are built from (distractors may come from anywhere)."""

    events: list[EventFact]
    people: list[PersonFact]
    works: list[WorkFact]
    ideas: list[IdeaFact]


def remember(facts: Facts, key: tuple, compute: Callable):
    """compute(), done once per facts (and language): the seed never changes it."""
    key = (get_language(), *key)
    if key not in facts._memo:
        facts._memo[key] = compute()
    return facts._memo[key]


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def nearest(rng: random.Random, candidates: list, count: int, distance: Callable) -> list | None:
    """`count` of the candidates, chosen at random among the nearest few."""
    if len(candidates) < count:
        return None
    # Shuffled first, so the sort (which is stable) breaks ties at random.
    ranked = sorted(rng.sample(candidates, len(candidates)), key=distance)
    return rng.sample(ranked[: max(2 * count, count + 3)], count)


def shuffled(rng: random.Random, items: list[str]) -> list[str]:
    items = list(items)
    rng.shuffle(items)
    return items


def sources_of(*records) -> list[str]:
    return sorted({s for r in records if r is not None for s in r.sources})


@dataclass(frozen=True)
class Template:
    """One way of asking a question: its name (which each question keeps), its kind, how
    it is built from the facts and how a question it made is checked against them."""

    name: str
    kind: str
    build: Callable[["Context"], Iterable[GeneratedQuestion]]
    check: Callable[["Checker"], list[str]]
    weight: int = 1  # questions per round when templates of a kind take turns
    says_date: bool = False  # the prompt gives its event's date, never finer than the record


@dataclass
class Context:
    """What a template builds from: the facts, the records in scope, the seed."""

    facts: Facts
    scope: Scope
    seed: int
    cap: int  # the most questions a combinatorial template need make
    template: Template

    def rng(self, *parts) -> random.Random:
        """The random source of one question: the seed, the template and `parts` (its record)."""
        return _rng(self.seed, self.template.name, *parts)

    def question(self, **fields) -> GeneratedQuestion:
        return GeneratedQuestion(kind=self.template.kind, template=self.template.name, **fields)

    def multiple_choice(self, rng, *, answer: str, distractors: list[str], **fields):
        """The answer among its distractors, shuffled."""
        return self.question(options=shuffled(rng, [answer, *distractors]), answer=answer, **fields)
