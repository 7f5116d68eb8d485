"""What the template families share: notes, plausible distractors, the checker's base."""

from collections.abc import Callable
from functools import lru_cache

from history.dates import format_date
from quiz.generator.dating import active_between, when_phrase
from quiz.generator.english import _, contains, first_sentence, names_person, parse_title, quoted
from quiz.generator.facts import EventFact, Facts, PersonFact, WorkFact
from quiz.generator.question import GeneratedQuestion, remember

ERA_YEARS = 25  # events this close in time are plausible distractors for each other


@lru_cache(maxsize=4096)
def event_note(event: EventFact, language: str | None = None) -> str:
    """Two sentences: when it happened, then the first sentence of its summary."""
    return (
        f"{parse_title(event.title).statement(when_phrase(event))} {first_sentence(event.summary)}"
    )


@lru_cache(maxsize=4096)
def person_note(person: PersonFact, language: str | None = None) -> str:
    life = []
    if person.born:
        life.append(_("born %(date)s") % {"date": format_date(person.born)})
    if person.died:
        life.append(_("died %(date)s") % {"date": format_date(person.died)})
    head = f"{person.name} ({', '.join(life)})" if life else person.name
    return f"{head}: {first_sentence(person.summary)}"


def person_era(facts: Facts, person: PersonFact) -> tuple[int, int]:
    return facts._active.get(person.slug) or (-(10**6), 10**6)


def person_candidates(facts, lo, hi, *, exclude=(), prompt="") -> list[PersonFact]:
    """People active between the years, not excluded and not named in the prompt."""

    def compute():
        return [
            p
            for p in facts.people
            if p.slug not in exclude
            and active_between(facts, p, lo, hi)
            and not names_person(prompt, p, facts)
        ]

    return remember(facts, ("people", lo, hi, frozenset(exclude), prompt), compute)


def person_distance(facts: Facts, year: int) -> Callable:
    def distance(person: PersonFact):
        lo, hi = person_era(facts, person)
        return 0 if lo <= year <= hi else min(abs(lo - year), abs(hi - year))

    return distance


def event_distance(event: EventFact) -> Callable:
    return lambda other: abs(other.start.year - event.start.year)


def event_candidates(facts: Facts, event: EventFact, prompt: str) -> list[EventFact]:
    return [
        other
        for other in facts.events
        if other.title != event.title
        and abs(other.start.year - event.start.year) <= ERA_YEARS
        and not contains(prompt, other.title)
    ]


def work_note(facts: Facts, work: WorkFact) -> str:
    author = facts.person(work.author) if work.author else None
    parts = {"title": quoted(work.title)}
    if author and work.published:
        parts.update(name=author.name, date=format_date(work.published))
        head = _("%(title)s is by %(name)s, first published in %(date)s.") % parts
    elif author:
        head = _("%(title)s is by %(name)s.") % {**parts, "name": author.name}
    else:
        head = _("%(title)s was first published in %(date)s.") % {
            **parts,
            "date": format_date(work.published),
        }
    return f"{head} {first_sentence(work.summary)}"


class Checker:
    def __init__(self, question: GeneratedQuestion, facts: Facts):
        self.q = question
        self.facts = facts

    def event(self, index: int = 0) -> EventFact | None:
        slugs = self.q.event_slugs
        return self.facts.event(slugs[index]) if len(slugs) > index else None

    def person(self, index: int = 0) -> PersonFact | None:
        slugs = self.q.person_slugs
        return self.facts.person(slugs[index]) if len(slugs) > index else None

    def distractors(self) -> list[str]:
        return [o for o in self.q.options if o != self.q.answer]

    def people_options(
        self, lo: int, hi: int, *, not_in: set[str] = frozenset(), by_name_only=False
    ) -> list[str]:
        """Every option is a person of the unit; no distractor fits or is out of its era."""
        problems = []
        for name in self.q.options:
            person = self.facts.person_named(name)
            if person is None:
                problems.append(f"option {name!r} is not a person of this unit")
            elif name != self.q.answer:
                if person.slug in not_in:
                    problems.append(f"distractor {name} also fits the question")
                if not active_between(self.facts, person, lo, hi):
                    problems.append(f"distractor {name} was not active at the time")
                if names_person(self.q.prompt, person, self.facts):
                    problems.append(f"the prompt names distractor {name}")
        answer = self.facts.person_named(self.q.answer)
        if answer is not None and by_name_only:
            # The prompt gives one of the answer's other names; not their name.
            if names_person(self.q.prompt, PersonFact(answer.slug, answer.name)):
                problems.append(f"the prompt gives away the answer, {answer.name}")
        elif answer is not None and names_person(self.q.prompt, answer, self.facts):
            problems.append(f"the prompt gives away the answer, {answer.name}")
        return problems
