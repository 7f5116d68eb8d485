"""The class every report test reads: its results were worked out by hand.

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

from history.dates import PartialDate
from quiz.core.models import Answer, Attempt, Scoring
from quiz.play.scoring import credit_for, points_for
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
