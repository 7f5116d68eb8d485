"""The report numbers, checked against the class in tests/reports/school.py, whose
results were worked out by hand (the table in its docstring)."""

import pytest

from quiz.reports import data

pytestmark = pytest.mark.django_db


def names(rows):
    return [row.name for row in rows]


# Per set -------------------------------------------------------------------------


def test_the_fixture_scores_are_the_hand_computed_ones(school):
    report = data.set_report(school.question_set, school.teacher)
    scores = {row.name: (row.attempt.score, row.percent) for row in report.finished_rows}
    assert scores == {
        "Ann": (200, 50),
        "Bob": (167, 42),
        "Cat": (300, 75),
        "Dan": (100, 25),
        "Eve": (100, 25),
        "Fay": (200, 50),
    }


def test_the_grid_shows_each_answer_with_points_and_seconds(school):
    report = data.set_report(school.question_set, school.teacher)
    bob = next(row for row in report.rows if row.name == "Bob")
    assert [(c.outcome, c.symbol, c.points, c.seconds) for c in bob.cells] == [
        (data.RIGHT, "✔", 100, 10.0),
        (data.PARTLY, "◐", 67, 10.0),
        (data.WRONG, "✘", 0, 10.0),
        (data.WRONG, "✘", 0, 10.0),
    ]
    dan = next(row for row in report.rows if row.name == "Dan")
    assert dan.cells[2] == data.Cell(data.TIMED_OUT, 0, None)
    assert dan.cells[2].symbol == "⏱"


def test_the_class_average_counts_each_students_best_finished_attempt(school):
    report = data.set_report(school.question_set, school.teacher)
    # (200 + 167 + 300 + 100 + 100 + 200) / 6 and (50 + 42 + 75 + 25 + 25 + 50) / 6
    assert report.average_score == pytest.approx(1067 / 6)
    assert report.average_percent == pytest.approx(44.5)
    ann = next(row for row in report.rows if row.name == "Ann")
    assert (ann.attempt.score, ann.finished_count) == (200, 2)


def test_latest_attempt_can_count_instead_of_the_best(school):
    report = data.set_report(school.question_set, school.teacher, counted=data.LATEST)
    ann = next(row for row in report.rows if row.name == "Ann")
    assert ann.attempt.score == 100
    assert report.average_score == pytest.approx((100 + 167 + 300 + 100 + 100 + 200) / 6)


def test_it_lists_who_has_not_started_and_who_is_still_going(school):
    report = data.set_report(school.question_set, school.teacher)
    assert names(report.not_started) == ["Gus"]
    assert [(row.name, row.status) for row in report.unfinished_rows] == [
        ("Gus", data.NOT_STARTED),
        ("Hal", data.IN_PROGRESS),
    ]


def test_it_leaves_out_classes_the_set_was_not_assigned_to(school):
    report = data.set_report(school.question_set, school.teacher)
    assert "ivy" not in [row.student.username for row in report.rows]


def test_a_teacher_never_sees_another_teachers_students(school):
    report = data.set_report(school.question_set, school.teacher)
    assert "Zed" not in names(report.rows) and "zed" not in names(report.rows)
    assert len(report.rows) == 8


def test_the_other_teacher_sees_only_their_own_student(school):
    report = data.set_report(school.question_set, school.other_teacher)
    assert [row.student.username for row in report.rows] == ["zed"]
    assert report.average_score == 400


def test_the_school_admin_sees_every_student(school):
    report = data.set_report(school.question_set, school.admin)
    assert len(report.rows) == 9
    assert len(report.finished_rows) == 7


def test_a_class_filter_shows_that_roster_only(school):
    report = data.set_report(school.question_set, school.admin, classroom=school.foreign_class)
    assert [row.student.username for row in report.rows] == ["zed"]


def test_the_score_distribution_counts_students_per_ten_percent_band(school):
    report = data.set_report(school.question_set, school.teacher)
    assert dict(report.distribution()) == {
        "0–9%": 0,
        "10–19%": 0,
        "20–29%": 2,  # Dan, Eve
        "30–39%": 0,
        "40–49%": 1,  # Bob
        "50–59%": 2,  # Ann, Fay
        "60–69%": 0,
        "70–79%": 1,  # Cat
        "80–89%": 0,
        "90–100%": 0,
    }


def test_class_averages_split_the_rows_by_class(school):
    report = data.set_report(school.question_set, school.admin)
    averages = {
        str(a.classroom): (a.students, a.finished, a.average_score) for a in report.class_averages()
    }
    assert averages == {"7B": (8, 6, pytest.approx(1067 / 6)), "8A": (1, 1, 400)}


def test_the_queries_do_not_grow_with_the_class(school, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        report = data.set_report(school.question_set, school.teacher)
        data.item_analysis(report)


# Per question ------------------------------------------------------------------


@pytest.fixture
def items(school):
    return data.item_analysis(data.set_report(school.question_set, school.teacher))


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
    assert items[2].flags == [data.NOBODY_RIGHT]


def test_it_flags_an_item_weak_students_did_better_on(items):
    assert items[3].flags == [data.NEGATIVE_DISCRIMINATION]
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
    items = data.item_analysis(report)
    assert items
    assert all(item.discrimination is None for item in items)


def test_point_biserial_matches_a_textbook_value():
    # x = (1, 1, 0, 0, 1), y = (5, 4, 1, 2, 3): M1 = 4, M0 = 1.5, mean 3,
    # s = sqrt((4 + 1 + 4 + 1 + 0) / 5) = sqrt(2), p = 0.6:
    # r = 2.5 / sqrt(2) · sqrt(0.24) = sqrt(3) / 2 (Pearson's r gives the same).
    assert data.point_biserial([1, 1, 0, 0, 1], [5, 4, 1, 2, 3]) == pytest.approx(3**0.5 / 2)
    assert data.point_biserial([1, 1, 1, 1, 1], [5, 4, 1, 2, 3]) is None
    assert data.point_biserial([1, 0, 1, 0, 1], [2, 2, 2, 2, 2]) is None


# Per student -------------------------------------------------------------------


def test_a_student_report_lists_every_attempt_newest_first(school):
    report = data.student_report(school.students["Ann"], school.admin)
    assert [(a.question_set.title, a.score, a.percent) for a in report.attempts] == [
        ("Olsen's secret quiz", 0, 0),
        ("Rome quiz", 0, 0),
        ("Exile quiz", 100, 25),
        ("Exile quiz", 200, 50),
    ]


def test_a_teacher_sees_only_attempts_at_their_sets(school):
    report = data.student_report(school.students["Ann"], school.teacher)
    assert "Olsen's secret quiz" not in [a.question_set.title for a in report.attempts]
    assert len(report.attempts) == 3


def test_it_lists_the_events_a_student_keeps_missing(school):
    report = data.student_report(school.students["Ann"], school.teacher)
    # October Revolution: Q2 and Q3 in two sittings, missed Q3, Q2 (1930), Q3.
    # Murder in Coyoacán: Q4 twice, missed twice. Rubicon: once, missed.
    # Founding of the Red Army: right both times, so not listed.
    assert [(m.subject.title, m.missed, m.asked) for m in report.missed_events] == [
        ("October Revolution", 3, 4),
        ("Murder in Coyoacán", 2, 2),
        ("Caesar crosses the Rubicon", 1, 1),
    ]


def test_it_lists_the_units_a_student_keeps_missing(school):
    report = data.student_report(school.students["Ann"], school.teacher)
    assert [(m.subject.title, m.missed, m.asked) for m in report.missed_units] == [
        ("Trotsky and Stalin", 5, 8),
        ("Ancient Rome", 1, 1),
    ]


# Per class and the index ---------------------------------------------------------


def test_a_class_report_shows_each_student_against_each_assigned_set(school):
    report = data.classroom_report(school.classroom)
    assert [s.title for s in report.sets] == ["Exile quiz", "Rome quiz"]
    table = {row.name: [(r.status, r.percent) for r in row.results] for row in report.rows}
    assert table["Ann"] == [(data.FINISHED, 50), (data.FINISHED, 0)]
    assert table["Hal"] == [(data.IN_PROGRESS, None), (data.NOT_STARTED, None)]
    assert [(s.title, n, avg) for s, n, avg in report.set_averages()] == [
        ("Exile quiz", 6, pytest.approx(44.5)),
        ("Rome quiz", 1, 0),
    ]


def test_the_index_lists_a_teachers_sets_and_classes_only(school):
    sets, classes = data.index(school.teacher)
    assert [(s.title, s.question_total, s.finished_students) for s in sets] == [
        ("Exile quiz", 4, 6),
        ("Rome quiz", 1, 1),
    ]
    assert [a.classroom.name for a in sets[0].visible_assignments] == ["7B"]
    assert [(c.name, c.student_total) for c in classes] == [("7B", 8), ("7C", 1)]


def test_a_teacher_sees_a_set_assigned_to_their_class_they_do_not_own(school):
    assert school.question_set in data.sets_for(school.other_teacher)
    assert school.rome_set not in data.sets_for(school.other_teacher)
    assert set(data.sets_for(school.admin)) == {
        school.question_set,
        school.rome_set,
        school.foreign_set,
    }
