"""The report numbers, checked against a class whose results were worked out by hand.

Set "Exile quiz" (4 questions, 100 points each, accuracy scoring), class 7B:

    student  Q1 (MC)      Q2 (year 1917, ±2)  Q3 (MC)         Q4 (MC)        points  %
    Ann      ✔ Trotsky    ✔ 1917              ✘ Lenin         ✘ Norway       200     50
    Bob      ✔ Trotsky    ◐ 1918 (0.67)       ✘ Stalin        ✘ Norway       167     42
    Cat      ✔ Trotsky    ✔ 1917              ✘ Lenin         ✔ Mexico       300     75
    Dan      ✘ Stalin     ✘ 1905              ⏱               ✔ Mexico       100     25
    Eve      ✘ Lenin      ⏱                   ✘ Bukharin      ✔ Mexico       100     25
    Fay      ✔ Trotsky    ✘ 1905              ✘ Lenin         ✔ Mexico       200     50

Ann also sat it again later and scored 100 (only Q1 right). Gus has not started,
Hal is half-way through. Ivy is in the teacher's other class (7C), which was not
set the quiz. Zed, in another teacher's class 8A, scored 400: he must never
show up in this teacher's numbers.

Each question's answers arrive 5, 10, 15, 20, 25, 30 seconds after it is shown
(Ann to Fay); a timed-out question has no time.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from history.dates import PartialDate
from quiz.core.models import Answer, Attempt, Scoring
from quiz.play.scoring import credit_for, points_for
from quiz.reports import data as reports
from tests.factories import (
    ClassroomFactory,
    EventFactory,
    StudentFactory,
    TeacherFactory,
    UnitFactory,
    multiple_choice,
    question_set_with,
    year_question,
)

pytestmark = pytest.mark.django_db

BASE = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TIMEOUT = object()


def sit(student, question_set, responses, *, started, finished=True):
    """An attempt with one answer per question: an option text, a year or TIMEOUT.

    `responses` pairs each question with what the student gave; the answer
    comes `seconds` after the question is shown.
    """
    attempt = Attempt.objects.create(
        student=student,
        question_set=question_set,
        question_ids=[q.pk for q in question_set.ordered_questions()],
        started_at=started,
    )
    score = correct = 0
    for position, (question, given, seconds) in enumerate(responses):
        shown = started + timedelta(seconds=40 * position)
        answer = Answer(
            attempt=attempt,
            question=question,
            position=position,
            shown_at=shown,
            deadline=shown + timedelta(seconds=30),
        )
        if given is TIMEOUT:
            answer.timed_out = True
        else:
            if isinstance(given, int):
                answer.response = {"year": given}
            else:
                option = question.options.get(text=given)
                answer.response = {"option": option.pk}
            answer.answered_at = shown + timedelta(seconds=seconds)
            answer.credit = credit_for(question, answer.response)
            answer.points = points_for(
                Scoring.ACCURACY, answer.credit, time_fraction_left=0, streak=0
            )
        answer.save()
        score += answer.points
        correct += answer.credit >= 1.0
    if finished:
        attempt.finished_at = started + timedelta(seconds=40 * len(responses))
    attempt.score, attempt.correct_count = score, correct
    attempt.save()
    return attempt


@dataclass
class School:
    teacher: object
    other_teacher: object
    admin: object
    classroom: object
    other_class: object
    foreign_class: object
    question_set: object
    rome_set: object
    foreign_set: object
    questions: list
    events: dict
    students: dict


def build_school() -> School:
    """The class in the module docstring, every row made by hand."""
    teacher = TeacherFactory(username="ms-novak", is_superuser=False)
    other_teacher = TeacherFactory(username="mr-olsen", is_superuser=False)
    admin = TeacherFactory(username="head", is_superuser=True)
    classroom = ClassroomFactory(name="7B", teacher=teacher)
    other_class = ClassroomFactory(name="7C", teacher=teacher)
    foreign_class = ClassroomFactory(name="8A", teacher=other_teacher)

    unit = UnitFactory(title="Trotsky and Stalin", slug="trotsky-and-stalin")
    red_army = EventFactory(unit=unit, title="Founding of the Red Army", start=PartialDate(1918))
    october = EventFactory(unit=unit, title="October Revolution", start=PartialDate(1917, 11, 7))
    murder = EventFactory(unit=unit, title="Murder in Coyoacán", start=PartialDate(1940, 8, 21))
    q1 = multiple_choice(unit, correct="Leon Trotsky", wrong=("Lenin", "Stalin", "Kamenev"))
    q2 = year_question(unit, year=1917, tolerance=2)
    q3 = multiple_choice(unit, correct="Zinoviev", wrong=("Lenin", "Stalin", "Bukharin"))
    q4 = multiple_choice(unit, correct="Mexico", wrong=("Norway", "Turkey", "France"))
    for question, event in [(q1, red_army), (q2, october), (q3, october), (q4, murder)]:
        question.event = event
        question.save()
    question_set = question_set_with(
        [q1, q2, q3, q4],
        assign_to=[classroom, foreign_class],
        title="Exile quiz",
        owner=teacher,
    )

    rome = UnitFactory(title="Ancient Rome", slug="ancient-rome")
    rubicon = EventFactory(unit=rome, title="Caesar crosses the Rubicon", start=PartialDate(-49))
    q_rome = multiple_choice(rome, correct="Caesar", wrong=("Pompey", "Crassus"))
    q_rome.event = rubicon
    q_rome.save()
    rome_set = question_set_with([q_rome], assign_to=classroom, title="Rome quiz", owner=teacher)

    # Another teacher's set, never assigned to this teacher's classes.
    foreign_set = question_set_with(
        [multiple_choice(unit, correct="Kronstadt", wrong=("Kazan", "Omsk"))],
        assign_to=foreign_class,
        title="Olsen's secret quiz",
        owner=other_teacher,
    )

    students = {}
    for name in ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay", "Gus", "Hal"]:
        students[name] = StudentFactory(username=name.lower(), classroom=classroom)
        students[name].student_profile.display_name = name
        students[name].student_profile.save()
    students["Ivy"] = StudentFactory(username="ivy", classroom=other_class)
    students["Zed"] = StudentFactory(username="zed", classroom=foreign_class)

    given = {
        "Ann": ["Leon Trotsky", 1917, "Lenin", "Norway"],
        "Bob": ["Leon Trotsky", 1918, "Stalin", "Norway"],
        "Cat": ["Leon Trotsky", 1917, "Lenin", "Mexico"],
        "Dan": ["Stalin", 1905, TIMEOUT, "Mexico"],
        "Eve": ["Lenin", TIMEOUT, "Bukharin", "Mexico"],
        "Fay": ["Leon Trotsky", 1905, "Lenin", "Mexico"],
    }
    questions = [q1, q2, q3, q4]
    for index, (name, answers) in enumerate(given.items()):
        seconds = 5 * (index + 1)
        sit(
            students[name],
            question_set,
            [(q, a, seconds) for q, a in zip(questions, answers, strict=True)],
            started=BASE + timedelta(minutes=index),
        )
    # Ann's later, worse try: only Q1 right.
    sit(
        students["Ann"],
        question_set,
        [(q1, "Leon Trotsky", 5), (q2, 1930, 5), (q3, "Lenin", 5), (q4, "Norway", 5)],
        started=BASE + timedelta(days=1),
    )
    # Hal answered one question and is still going.
    sit(
        students["Hal"],
        question_set,
        [(q1, "Leon Trotsky", 5)],
        started=BASE + timedelta(minutes=30),
        finished=False,
    )
    sit(
        students["Zed"],
        question_set,
        [(q1, "Leon Trotsky", 1), (q2, 1917, 1), (q3, "Zinoviev", 1), (q4, "Mexico", 1)],
        started=BASE,
    )
    sit(students["Ann"], rome_set, [(q_rome, "Pompey", 8)], started=BASE + timedelta(days=2))
    # An attempt at a set this teacher may not see (Ann moved classes, say).
    sit(
        students["Ann"],
        foreign_set,
        [(foreign_set.ordered_questions()[0], "Kazan", 3)],
        started=BASE + timedelta(days=3),
    )
    return School(
        teacher=teacher,
        other_teacher=other_teacher,
        admin=admin,
        classroom=classroom,
        other_class=other_class,
        foreign_class=foreign_class,
        question_set=question_set,
        rome_set=rome_set,
        foreign_set=foreign_set,
        questions=questions,
        events={"red_army": red_army, "october": october, "murder": murder, "rubicon": rubicon},
        students=students,
    )


@pytest.fixture
def school():
    return build_school()


def names(rows):
    return [row.name for row in rows]


# Per set -------------------------------------------------------------------------


def test_the_fixture_scores_are_the_hand_computed_ones(school):
    report = reports.set_report(school.question_set, school.teacher)
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
    report = reports.set_report(school.question_set, school.teacher)
    bob = next(row for row in report.rows if row.name == "Bob")
    assert [(c.outcome, c.symbol, c.points, c.seconds) for c in bob.cells] == [
        (reports.RIGHT, "✔", 100, 10.0),
        (reports.PARTLY, "◐", 67, 10.0),
        (reports.WRONG, "✘", 0, 10.0),
        (reports.WRONG, "✘", 0, 10.0),
    ]
    dan = next(row for row in report.rows if row.name == "Dan")
    assert dan.cells[2] == reports.Cell(reports.TIMED_OUT, 0, None)
    assert dan.cells[2].symbol == "⏱"


def test_the_class_average_counts_each_students_best_finished_attempt(school):
    report = reports.set_report(school.question_set, school.teacher)
    # (200 + 167 + 300 + 100 + 100 + 200) / 6 and (50 + 42 + 75 + 25 + 25 + 50) / 6
    assert report.average_score == pytest.approx(1067 / 6)
    assert report.average_percent == pytest.approx(44.5)
    ann = next(row for row in report.rows if row.name == "Ann")
    assert (ann.attempt.score, ann.finished_count) == (200, 2)


def test_latest_attempt_can_count_instead_of_the_best(school):
    report = reports.set_report(school.question_set, school.teacher, counted=reports.LATEST)
    ann = next(row for row in report.rows if row.name == "Ann")
    assert ann.attempt.score == 100
    assert report.average_score == pytest.approx((100 + 167 + 300 + 100 + 100 + 200) / 6)


def test_it_lists_who_has_not_started_and_who_is_still_going(school):
    report = reports.set_report(school.question_set, school.teacher)
    assert names(report.not_started) == ["Gus"]
    assert [(row.name, row.status) for row in report.unfinished_rows] == [
        ("Gus", reports.NOT_STARTED),
        ("Hal", reports.IN_PROGRESS),
    ]


def test_it_leaves_out_classes_the_set_was_not_assigned_to(school):
    report = reports.set_report(school.question_set, school.teacher)
    assert "ivy" not in [row.student.username for row in report.rows]


def test_a_teacher_never_sees_another_teachers_students(school):
    report = reports.set_report(school.question_set, school.teacher)
    assert "Zed" not in names(report.rows) and "zed" not in names(report.rows)
    assert len(report.rows) == 8


def test_the_other_teacher_sees_only_their_own_student(school):
    report = reports.set_report(school.question_set, school.other_teacher)
    assert [row.student.username for row in report.rows] == ["zed"]
    assert report.average_score == 400


def test_the_school_admin_sees_every_student(school):
    report = reports.set_report(school.question_set, school.admin)
    assert len(report.rows) == 9
    assert len(report.finished_rows) == 7


def test_a_class_filter_shows_that_roster_only(school):
    report = reports.set_report(school.question_set, school.admin, classroom=school.foreign_class)
    assert [row.student.username for row in report.rows] == ["zed"]


def test_the_score_distribution_counts_students_per_ten_percent_band(school):
    report = reports.set_report(school.question_set, school.teacher)
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
    report = reports.set_report(school.question_set, school.admin)
    averages = {
        str(a.classroom): (a.students, a.finished, a.average_score) for a in report.class_averages()
    }
    assert averages == {"7B": (8, 6, pytest.approx(1067 / 6)), "8A": (1, 1, 400)}


def test_the_queries_do_not_grow_with_the_class(school, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        report = reports.set_report(school.question_set, school.teacher)
        reports.item_analysis(report)


# Per question ------------------------------------------------------------------


@pytest.fixture
def items(school):
    return reports.item_analysis(reports.set_report(school.question_set, school.teacher))


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
    assert items[2].flags == [reports.NOBODY_RIGHT]


def test_it_flags_an_item_weak_students_did_better_on(items):
    assert items[3].flags == [reports.NEGATIVE_DISCRIMINATION]
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
    report = reports.set_report(school.question_set, school.teacher)
    report.rows = [row for row in report.rows if row.name in {"Ann", "Bob", "Cat", "Dan"}]
    items = reports.item_analysis(report)
    assert items
    assert all(item.discrimination is None for item in items)


def test_point_biserial_matches_a_textbook_value():
    # x = (1, 1, 0, 0, 1), y = (5, 4, 1, 2, 3): M1 = 4, M0 = 1.5, mean 3,
    # s = sqrt((4 + 1 + 4 + 1 + 0) / 5) = sqrt(2), p = 0.6:
    # r = 2.5 / sqrt(2) · sqrt(0.24) = sqrt(3) / 2 (Pearson's r gives the same).
    assert reports.point_biserial([1, 1, 0, 0, 1], [5, 4, 1, 2, 3]) == pytest.approx(3**0.5 / 2)
    assert reports.point_biserial([1, 1, 1, 1, 1], [5, 4, 1, 2, 3]) is None
    assert reports.point_biserial([1, 0, 1, 0, 1], [2, 2, 2, 2, 2]) is None


# Per student -------------------------------------------------------------------


def test_a_student_report_lists_every_attempt_newest_first(school):
    report = reports.student_report(school.students["Ann"], school.admin)
    assert [(a.question_set.title, a.score, a.percent) for a in report.attempts] == [
        ("Olsen's secret quiz", 0, 0),
        ("Rome quiz", 0, 0),
        ("Exile quiz", 100, 25),
        ("Exile quiz", 200, 50),
    ]


def test_a_teacher_sees_only_attempts_at_their_sets(school):
    report = reports.student_report(school.students["Ann"], school.teacher)
    assert "Olsen's secret quiz" not in [a.question_set.title for a in report.attempts]
    assert len(report.attempts) == 3


def test_it_lists_the_events_a_student_keeps_missing(school):
    report = reports.student_report(school.students["Ann"], school.teacher)
    # October Revolution: Q2 and Q3 in two sittings, missed Q3, Q2 (1930), Q3.
    # Murder in Coyoacán: Q4 twice, missed twice. Rubicon: once, missed.
    # Founding of the Red Army: right both times, so not listed.
    assert [(m.subject.title, m.missed, m.asked) for m in report.missed_events] == [
        ("October Revolution", 3, 4),
        ("Murder in Coyoacán", 2, 2),
        ("Caesar crosses the Rubicon", 1, 1),
    ]


def test_it_lists_the_units_a_student_keeps_missing(school):
    report = reports.student_report(school.students["Ann"], school.teacher)
    assert [(m.subject.title, m.missed, m.asked) for m in report.missed_units] == [
        ("Trotsky and Stalin", 5, 8),
        ("Ancient Rome", 1, 1),
    ]


# Per class and the index ---------------------------------------------------------


def test_a_class_report_shows_each_student_against_each_assigned_set(school):
    report = reports.classroom_report(school.classroom)
    assert [s.title for s in report.sets] == ["Exile quiz", "Rome quiz"]
    table = {row.name: [(r.status, r.percent) for r in row.results] for row in report.rows}
    assert table["Ann"] == [(reports.FINISHED, 50), (reports.FINISHED, 0)]
    assert table["Hal"] == [(reports.IN_PROGRESS, None), (reports.NOT_STARTED, None)]
    assert [(s.title, n, avg) for s, n, avg in report.set_averages()] == [
        ("Exile quiz", 6, pytest.approx(44.5)),
        ("Rome quiz", 1, 0),
    ]


def test_the_index_lists_a_teachers_sets_and_classes_only(school):
    sets, classes = reports.index(school.teacher)
    assert [(s.title, s.question_total, s.finished_students) for s in sets] == [
        ("Exile quiz", 4, 6),
        ("Rome quiz", 1, 1),
    ]
    assert [a.classroom.name for a in sets[0].visible_assignments] == ["7B"]
    assert [(c.name, c.student_total) for c in classes] == [("7B", 8), ("7C", 1)]


def test_a_teacher_sees_a_set_assigned_to_their_class_they_do_not_own(school):
    assert school.question_set in reports.sets_for(school.other_teacher)
    assert school.rome_set not in reports.sets_for(school.other_teacher)
    assert set(reports.sets_for(school.admin)) == {
        school.question_set,
        school.rome_set,
        school.foreign_set,
    }
