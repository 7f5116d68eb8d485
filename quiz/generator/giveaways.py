"""Whether one question gives away another's answer, and what makes two questions the same."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from history.dates import format_year
from quiz.core.models import Kind
from quiz.generator.english import names_person
from quiz.generator.facts import Facts
from quiz.generator.question import GeneratedQuestion


def normal_text(text: str) -> str:
    """Text as compared for sameness: case, accents' encoding, punctuation and spacing aside."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


_ORDERING = (Kind.CHRONOLOGY, Kind.WHICH_FIRST)


def _answer_text(question: GeneratedQuestion) -> str | None:
    """The answer as words another question could contain.

    An ordering question has none: its answer is which came first, and another
    question naming one of its events tells nothing of that.
    """
    answer = question.answer
    if question.kind in _ORDERING or answer is None or answer == "":
        return None
    return format_year(answer) if isinstance(answer, int) else str(answer)


def question_key(question: GeneratedQuestion) -> tuple:
    """What makes two questions the same question: kind, prompt and correct answer."""
    answer = question.answer
    if isinstance(answer, list):
        answer = tuple(normal_text(item) for item in answer)
    else:
        answer = normal_text(format_year(answer) if isinstance(answer, int) else str(answer or ""))
    return (str(question.kind), normal_text(question.prompt), answer)


@dataclass(frozen=True)
class _Shown:
    """One text a student reads in a question: its prompt, or one option."""

    text: str  # normalised
    is_option: bool
    people: frozenset[str]  # the people it names
    records: frozenset[tuple[str, str]]  # the events, works and ideas it is about


@dataclass(frozen=True)
class _Said:
    """What reading a question tells, and what it asks."""

    answer: tuple | None  # ("person", slug) or ("text", normalised answer)
    shown: tuple[_Shown, ...]
    records: frozenset[tuple[str, str]]  # the events, works and ideas it is about...
    answer_records: frozenset[tuple[str, str]]  # ...of which these are its answer
    ordered: frozenset[str]  # the events or people an ordering question puts in order


def _records_titled(facts: Facts, text: str) -> frozenset[tuple[str, str]]:
    found = {("event", e.slug) for e in facts.events_titled(text)}
    found |= {("work", w.slug) for w in facts.works if w.title == text}
    found |= {("idea", i.slug) for i in facts.ideas if i.name == text}
    return frozenset(found)


def _said(question: GeneratedQuestion, facts: Facts) -> _Said:
    records = frozenset(
        [("event", s) for s in question.event_slugs]
        + [("work", s) for s in question.work_slugs]
        + [("idea", s) for s in question.idea_slugs]
    )
    answer = _answer_text(question)
    person = facts.person_named(answer) if answer else None
    if person is not None:
        wanted = ("person", person.slug)
    else:
        wanted = ("text", normal_text(answer)) if answer and normal_text(answer) else None
    shown = []
    # An ordering question's prompt only lists its options again.
    if question.kind not in _ORDERING:
        shown.append((question.prompt, False, records))
    for option in question.options:
        # An option titled as an event (a work, an idea) is about that record only.
        shown.append((option, True, _records_titled(facts, option) or records))
    return _Said(
        answer=wanted,
        shown=tuple(
            _Shown(
                text=normal_text(text),
                is_option=is_option,
                # An option that is just a name offers that person as a choice: it names
                # no one (and "Lev Sedov" is no clue to "Natalia Sedova").
                people=frozenset()
                if is_option and facts.person_named(text)
                else frozenset(p.slug for p in facts.people if names_person(text, p, facts)),
                records=about,
            )
            for text, is_option, about in shown
        ),
        records=records,
        answer_records=_records_titled(facts, answer) & records if answer else frozenset(),
        ordered=frozenset(
            (question.event_slugs or question.person_slugs) if question.kind in _ORDERING else ()
        ),
    )


def _telling(reader: _Said, asked: _Said) -> list[_Shown]:
    """The texts of one question that name the answer the other asks for."""
    if asked.answer is None:
        return []
    what, value = asked.answer
    if what == "person":
        return [shown for shown in reader.shown if value in shown.people]
    return [
        shown
        for shown in reader.shown
        # An option equal to the answer offers it as a choice, which gives nothing away.
        if not (shown.is_option and shown.text == value) and f" {value} " in f" {shown.text} "
    ]


def _spoils(a: _Said, b: _Said) -> bool:
    a_tells, b_tells = _telling(a, b), _telling(b, a)
    # Each naming the other's answer ("Which of these ideas is associated with Joseph
    # Stalin?" beside "Which of these people is associated with the idea of “Socialism in
    # one country”?") is one fact asked twice.
    if a_tells and b_tells:
        return True
    # One naming the other's answer counts only where the text naming it is about what
    # the other asks about: "In which year did Leon Trotsky organise the Battle of Pulkovo
    # Heights?" gives away "Who organised the Battle of Pulkovo Heights?", but a unit about
    # Trotsky names him in half its prompts, and "When was “My Life” first published?"
    # does not tell who wrote it.
    if any(t.records & (b.records - b.answer_records) for t in a_tells):
        return True
    if any(t.records & (a.records - a.answer_records) for t in b_tells):
        return True
    # Two orderings sharing two items both ask which of those came first.
    return len(a.ordered & b.ordered) >= 2


def gives_away(a: GeneratedQuestion, b: GeneratedQuestion, facts: Facts) -> bool:
    """Would a student who reads one of the two questions learn the other's answer?

    Texts are compared normalised (`normal_text`), and a person counts as named by any
    of their names ("Stalin's", "Koba"). An option equal to another question's answer
    only offers it as a choice, and an ordering question's prompt only repeats its
    options, so neither counts.
    """
    return _spoils(_said(a, facts), _said(b, facts))


class SetSoFar:
    """The questions of one set so far, which a new one must neither repeat nor spoil."""

    def __init__(self, facts: Facts, already: Iterable[GeneratedQuestion]):
        self.facts = facts
        self.said: list[_Said] = []
        self.keys: set[tuple] = set()
        self.in_set: set[tuple] = set()
        self.repeated: set[tuple] = set()
        self._last: tuple[GeneratedQuestion, _Said] | None = None
        for question in already:
            self.in_set.add(question_key(question))
            self.add(question)

    def fits(self, question: GeneratedQuestion) -> bool:
        key = question_key(question)
        if key in self.keys:
            if key in self.in_set:
                self.repeated.add(key)
            return False
        said = self._said(question)
        return not any(_spoils(said, other) for other in self.said)

    def add(self, question: GeneratedQuestion) -> None:
        self.keys.add(question_key(question))
        self.said.append(self._said(question))

    def _said(self, question: GeneratedQuestion) -> _Said:
        # fits() and then add() read the same question: work it out once.
        if self._last is None or self._last[0] is not question:
            self._last = (question, _said(question, self.facts))
        return self._last[1]
