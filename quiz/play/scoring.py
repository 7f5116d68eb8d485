"""How much an answer is worth: pure functions, so the rules are easy to test."""

from quiz.core.models import POINTS, Kind, Scoring

STREAK_STEP = 10
STREAK_CAP = 50


def credit_for(question, response: dict | None) -> float:
    """Share of the question answered correctly, 0.0 to 1.0."""
    if not response:
        return 0.0
    options = list(question.options.all())
    if question.kind == Kind.YEAR and not options:
        year = response.get("year")
        if not isinstance(year, int) or question.answer_year is None:
            return 0.0
        off = abs(year - question.answer_year)
        if off == 0:
            return 1.0
        if off <= question.tolerance:
            # Tolerance 2: one year off earns 2/3, two years off 1/3.
            return round(1 - off / (question.tolerance + 1), 2)
        return 0.0
    if question.kind == Kind.CHRONOLOGY:
        order = response.get("order") or []
        correct = [o.pk for o in sorted(options, key=lambda o: o.correct_position or 0)]
        if len(order) != len(correct):
            return 0.0
        placed = sum(1 for given, right in zip(order, correct, strict=True) if given == right)
        return round(placed / len(correct), 2)
    chosen = response.get("option")
    return 1.0 if any(o.pk == chosen and o.is_correct for o in options) else 0.0


def points_for(scoring: str, credit: float, *, time_fraction_left: float, streak: int) -> int:
    """Points for an answer; `streak` counts this answer if it was fully correct."""
    base = POINTS * credit
    if credit <= 0:
        return 0
    if scoring == Scoring.SPEED:
        # Faster earns more, but a correct answer never earns less than half.
        return round(base * (0.5 + 0.5 * max(0.0, min(1.0, time_fraction_left))))
    if scoring == Scoring.STREAK and streak > 1:
        return round(base + min(STREAK_CAP, STREAK_STEP * (streak - 1)))
    return round(base)
