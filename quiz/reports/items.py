"""Item analysis: how each question of a set fared, from the set report's rows.

Facility (the share fully right), discrimination (does getting it right go with
doing well on the rest?), which options and years were picked, how chronology
orders went, and flags for a question that looks broken. Plain functions over
the rows already loaded, so no query is added and a test can check them by hand.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from statistics import fmean

from django.utils.translation import gettext_lazy as _

from quiz.core.models import Kind
from quiz.reports.data import (
    PARTLY,
    RIGHT,
    TIMED_OUT,
    SetReport,
    average_of,
    outcome,
    seconds_taken,
    whole_percent,
)

# Below this many students a correlation says nothing: the page shows "—".
MIN_STUDENTS_FOR_DISCRIMINATION = 5

NOBODY_RIGHT, NEGATIVE_DISCRIMINATION = "nobody_right", "negative_discrimination"
FLAG_LABELS = {
    NOBODY_RIGHT: _("nobody got it right"),
    NEGATIVE_DISCRIMINATION: _("weaker students did better than stronger ones"),
}


def credit_of(answer) -> float:
    return 0.0 if answer.late else answer.credit


def point_biserial(item: list[int], rest: list[float]) -> float | None:
    """Correlation of an item (1 right, 0 not) with the score on the other items.

    r = (M1 - M0) / s * sqrt(p * (1 - p)), with M1 and M0 the mean rest score of
    those who got the item right and wrong, s the (population) standard deviation
    of the rest scores and p the share who got it right. It is Pearson's r, so it
    runs from -1 to +1; None when fewer than five students answered or when it
    is undefined (everyone right, nobody right, or everyone on the same score).
    """
    n = len(item)
    if n < MIN_STUDENTS_FOR_DISCRIMINATION:
        return None
    p = sum(item) / n
    if p in (0, 1):
        return None
    mean = fmean(rest)
    sd = math.sqrt(fmean([(r - mean) ** 2 for r in rest]))
    if sd < 1e-9:
        return None
    m1 = fmean([r for i, r in zip(item, rest, strict=True) if i])
    m0 = fmean([r for i, r in zip(item, rest, strict=True) if not i])
    return (m1 - m0) / sd * math.sqrt(p * (1 - p))


@dataclass
class OptionCount:
    text: str
    is_correct: bool
    picks: int
    share: float  # of the answers to the question

    @property
    def share_percent(self) -> int:
        return whole_percent(self.share)


@dataclass
class Placement:
    text: str
    place: int
    placed_right: int
    share: float  # of the answers that gave an order

    @property
    def share_percent(self) -> int:
        return whole_percent(self.share)


@dataclass
class OrderCount:
    text: str  # "First → Second → Third"
    is_correct: bool
    count: int


@dataclass
class ItemStats:
    number: int
    question: object
    answers: int  # students whose counted attempt asked it
    right: int
    partly: int
    timed_out: int
    facility: float | None  # share fully right, 0..1
    discrimination: float | None
    average_seconds: float | None
    options: list[OptionCount] = field(default_factory=list)
    # Typed-year questions: the wrong years most often given.
    typed_year: bool = False
    wrong_years: list[tuple[int, int]] = field(default_factory=list)
    unanswered: int = 0  # answers with no option picked (timed out, not reached)
    # Chronology questions: each event and how often it was put in its place, and the
    # orders most often given (the right one marked).
    placements: list["Placement"] = field(default_factory=list)
    orders: list["OrderCount"] = field(default_factory=list)

    @property
    def facility_percent(self) -> int | None:
        return None if self.facility is None else whole_percent(self.facility)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.answers and self.right == 0:
            flags.append(NOBODY_RIGHT)
        if self.discrimination is not None and self.discrimination < 0:
            flags.append(NEGATIVE_DISCRIMINATION)
        return flags

    @property
    def flag_labels(self) -> list[str]:
        return [FLAG_LABELS[flag] for flag in self.flags]

    @property
    def wrong_options(self) -> list[OptionCount]:
        return [option for option in self.options if not option.is_correct]


def item_analysis(report: SetReport) -> list[ItemStats]:
    """Facility, discrimination, distractors and time for every question of the set.

    One answer per student: the counted attempt's. Discrimination is the
    point-biserial correlation of the item with the rest score (total credit on
    the attempt's other questions, so an item does not correlate with itself).
    """
    rows = report.finished_rows
    items = []
    for number, question in enumerate(report.questions, start=1):
        asked = [row for row in rows if question.pk in row.answers]
        answers = [row.answers[question.pk] for row in asked]
        outcomes = [outcome(a) for a in answers]
        right = outcomes.count(RIGHT)
        item = [1 if o == RIGHT else 0 for o in outcomes]
        rest = [
            sum(credit_of(a) for qid, a in row.answers.items() if qid != question.pk)
            for row in asked
        ]
        times = [s for s in map(seconds_taken, answers) if s is not None]
        stats = ItemStats(
            number=number,
            question=question,
            answers=len(answers),
            right=right,
            partly=outcomes.count(PARTLY),
            timed_out=outcomes.count(TIMED_OUT),
            facility=right / len(answers) if answers else None,
            discrimination=point_biserial(item, rest),
            average_seconds=average_of(times),
        )
        options = list(question.options.all())
        if options and question.kind != Kind.CHRONOLOGY:
            picked = Counter((a.response or {}).get("option") for a in answers)
            stats.options = [
                OptionCount(
                    option.text,
                    option.is_correct,
                    picked[option.pk],
                    picked[option.pk] / len(answers) if answers else 0.0,
                )
                for option in options
            ]
            option_pks = {option.pk for option in options}
            stats.unanswered = sum(count for pk, count in picked.items() if pk not in option_pks)
        elif question.kind == Kind.CHRONOLOGY:
            _chronology_breakdown(stats, options, answers)
        elif question.kind == Kind.YEAR:
            stats.typed_year = True
            years = Counter(
                a.response["year"]
                for a, o in zip(answers, outcomes, strict=True)
                if o != RIGHT and isinstance((a.response or {}).get("year"), int)
            )
            stats.wrong_years = sorted(years.items(), key=lambda yc: (-yc[1], yc[0]))[:5]
        items.append(stats)
    return items


def _chronology_breakdown(stats: ItemStats, options, answers) -> None:
    correct = [o.pk for o in sorted(options, key=lambda o: o.correct_position or 0)]
    texts = {o.pk: o.text for o in options}
    given = [
        (a.response or {}).get("order")
        for a in answers
        if isinstance((a.response or {}).get("order"), list)
    ]
    stats.unanswered = len(answers) - len(given)
    for place, pk in enumerate(correct, start=1):
        right = sum(1 for order in given if len(order) >= place and order[place - 1] == pk)
        stats.placements.append(
            Placement(texts[pk], place, right, right / len(given) if given else 0.0)
        )
    counts = Counter(tuple(order) for order in given)
    stats.orders = [
        OrderCount(" → ".join(texts.get(pk, "?") for pk in order), list(order) == correct, n)
        for order, n in sorted(counts.items(), key=lambda oc: (-oc[1], oc[0]))[:5]
    ]
