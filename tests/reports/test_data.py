"""The report numbers, checked against the class in tests/reports/school.py, whose
results were worked out by hand (the table in its docstring)."""

import pytest

from quiz.reports import data
from quiz.reports.items import item_analysis

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
        item_analysis(report)


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
