"""Item analysis: facility, discrimination, options picked and flags, checked against
the class in tests/reports/school.py."""

import pytest

from quiz.reports import data
from quiz.reports.items import (
    NEGATIVE_DISCRIMINATION,
    NOBODY_RIGHT,
    item_analysis,
    point_biserial,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(school):
    return item_analysis(data.set_report(school.question_set, school.teacher))


def test_facility_is_the_share_fully_right(items):
    # Q1: Ann, Bob, Cat, Fay. Q2: Ann, Cat (Bob's 1918 is only partly right). Q3: nobody.
    assert [item.facility for item in items] == [
        pytest.approx(4 / 6),
        pytest.approx(2 / 6),
        0,
        pytest.approx(4 / 6),
    ]
    assert [(item.answers, item.right, item.partly, item.timed_out) for item in items] == [
        (6, 4, 0, 0),
        (6, 2, 1, 1),
        (6, 0, 0, 1),
        (6, 4, 0, 0),
    ]


def test_discrimination_is_the_point_biserial_with_the_rest_score(items):
    # Q2: right = Ann, Cat; rest scores (credit on Q1, Q3, Q4) are
    # Ann 1, Bob 1, Cat 2, Dan 1, Eve 1, Fay 2. M1 = 1.5, M0 = 1.25, mean 4/3,
    # s = sqrt(((1/3)² · 4 + (2/3)² · 2) / 6) = sqrt(2/9) = 0.4714, p = 1/3:
    # r = 0.25 / 0.4714 · sqrt(1/3 · 2/3) = 0.25.
    assert items[1].discrimination == pytest.approx(0.25)
    # Q1: rest Ann 1, Bob 0.67, Cat 2, Dan 1, Eve 1, Fay 1; right Ann Bob Cat Fay.
    # M1 = 4.67 / 4 = 1.1675, M0 = 1, s = 0.4151: r = 0.1675 / 0.4151 · 0.4714 = 0.19.
    assert items[0].discrimination == pytest.approx(0.19, abs=0.005)
    # Q4: rest Ann 2, Bob 1.67, Cat 2, Dan 0, Eve 0, Fay 1; right Cat Dan Eve Fay.
    # M1 = 0.75, M0 = 1.835, s = 0.8538: r = -1.085 / 0.8538 · 0.4714 = -0.60.
    assert items[3].discrimination == pytest.approx(-0.60, abs=0.005)


def test_it_shows_no_discrimination_when_nobody_got_it_right(items):
    assert items[2].discrimination is None


def test_it_flags_an_item_nobody_got_right(items):
    assert items[2].flags == [NOBODY_RIGHT]


def test_it_flags_an_item_weak_students_did_better_on(items):
    assert items[3].flags == [NEGATIVE_DISCRIMINATION]
    assert items[0].flags == [] and items[1].flags == []


def test_it_counts_how_often_each_option_was_picked(items):
    assert [(o.text, o.is_correct, o.picks) for o in items[0].options] == [
        ("Kamenev", False, 0),
        ("Lenin", False, 1),
        ("Leon Trotsky", True, 4),
        ("Stalin", False, 1),
    ]
    assert [(o.text, o.picks) for o in items[2].wrong_options] == [
        ("Bukharin", 1),
        ("Lenin", 3),
        ("Stalin", 1),
    ]
    assert items[2].unanswered == 1  # Dan ran out of time


def test_it_lists_the_wrong_years_most_often_typed(items):
    assert items[1].options == []
    assert items[1].wrong_years == [(1905, 2), (1918, 1)]


def test_average_time_leaves_out_timed_out_answers(items):
    assert items[0].average_seconds == pytest.approx(17.5)  # 5, 10, ... 30
    assert items[1].average_seconds == pytest.approx((5 + 10 + 15 + 20 + 30) / 5)


def test_discrimination_needs_five_students(school):
    report = data.set_report(school.question_set, school.teacher)
    report.rows = [row for row in report.rows if row.name in {"Ann", "Bob", "Cat", "Dan"}]
    items = item_analysis(report)
    assert items
    assert all(item.discrimination is None for item in items)


def test_point_biserial_matches_a_textbook_value():
    # x = (1, 1, 0, 0, 1), y = (5, 4, 1, 2, 3): M1 = 4, M0 = 1.5, mean 3,
    # s = sqrt((4 + 1 + 4 + 1 + 0) / 5) = sqrt(2), p = 0.6:
    # r = 2.5 / sqrt(2) · sqrt(0.24) = sqrt(3) / 2 (Pearson's r gives the same).
    assert point_biserial([1, 1, 0, 0, 1], [5, 4, 1, 2, 3]) == pytest.approx(3**0.5 / 2)
    assert point_biserial([1, 1, 1, 1, 1], [5, 4, 1, 2, 3]) is None
    assert point_biserial([1, 0, 1, 0, 1], [2, 2, 2, 2, 2]) is None
