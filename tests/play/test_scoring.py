"""How much an answer is worth (quiz/play/scoring.py): credit for a response, points for credit."""

import pytest

from quiz.core.models import POINTS, Scoring
from quiz.play.scoring import STREAK_CAP, STREAK_STEP, credit_for, points_for
from tests.factories import year_question


def streak_points(streak, credit=1.0):
    return points_for(Scoring.STREAK, credit, time_fraction_left=1.0, streak=streak)


def test_the_first_right_answer_earns_no_streak_bonus():
    assert streak_points(1) == POINTS


def test_each_right_answer_in_a_row_adds_a_step_to_the_bonus():
    assert streak_points(2) == POINTS + STREAK_STEP
    # The third right answer in a row: two steps.
    assert streak_points(3) == POINTS + 2 * STREAK_STEP == 120


def test_the_streak_bonus_stops_growing_at_the_cap():
    assert STREAK_CAP == 50
    assert streak_points(6) == POINTS + STREAK_CAP
    assert streak_points(7) == POINTS + STREAK_CAP
    assert streak_points(40) == POINTS + STREAK_CAP


def test_a_wrong_answer_earns_nothing_whatever_the_streak():
    assert streak_points(5, credit=0.0) == 0


def test_a_streak_of_zero_means_no_bonus():
    # What play.answer passes after a wrong, partial or late answer.
    assert streak_points(0, credit=0.5) == 50


@pytest.mark.parametrize("scoring", [Scoring.ACCURACY, Scoring.SPEED])
def test_only_the_streak_mode_pays_for_streaks(scoring):
    assert points_for(scoring, 1.0, time_fraction_left=1.0, streak=5) == POINTS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tolerance", "given", "credit"),
    [
        (2, 1917, 1.0),
        # Exactly `tolerance` years off, early or late: the least partial credit.
        (2, 1915, 0.33),
        (2, 1919, 0.33),
        # One more year off: nothing.
        (2, 1914, 0.0),
        (2, 1920, 0.0),
        (1, 1916, 0.5),
        (1, 1918, 0.5),
        (1, 1915, 0.0),
        (1, 1919, 0.0),
        # No tolerance: only the year itself.
        (0, 1917, 1.0),
        (0, 1916, 0.0),
        (0, 1918, 0.0),
    ],
)
def test_a_year_earns_partial_credit_up_to_tolerance_years_off_and_none_beyond(
    tolerance, given, credit
):
    question = year_question(year=1917, tolerance=tolerance)
    assert credit_for(question, {"year": given}) == credit


@pytest.mark.django_db
def test_a_year_within_tolerance_earns_less_the_further_it_is():
    question = year_question(year=1917, tolerance=2)
    credits = [credit_for(question, {"year": 1917 + off}) for off in range(4)]
    assert credits == [1.0, 0.67, 0.33, 0.0]
