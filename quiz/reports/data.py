"""The numbers behind the teacher reports, and who may see which of them.

Each report loads its rows in a fixed handful of queries, whatever the size of
the class; the statistics are plain functions over lists so a test can check
them against numbers worked out by hand. The question analysis, which reads the
set report's rows, is quiz.reports.items.

Who sees what: a school admin (superuser) sees everything. A teacher sees the
sets they own or that one of their classes was assigned (or played live), and only the
students in their own classes: another teacher's students never appear in a
row, a count or an average. Staff accounts trying a set out never count.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import fmean
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from quiz.core.models import Answer, Assignment, Attempt, Classroom, LiveGame, QuestionSet
from quiz.core.names import name_of, shared_names, told_apart

# How an answer turned out.
RIGHT, PARTLY, WRONG, TIMED_OUT, NO_ANSWER = "right", "partly", "wrong", "timed_out", "no_answer"
# Text symbols, so a result never depends on colour.
SYMBOLS = {RIGHT: "✔", PARTLY: "◐", WRONG: "✘", TIMED_OUT: "⏱", NO_ANSWER: "—"}
OUTCOME_LABELS = {
    RIGHT: _("right"),
    PARTLY: _("partly right"),
    WRONG: _("wrong"),
    TIMED_OUT: _("timed out"),
    NO_ANSWER: _("not answered"),
}

# Which of a student's finished attempts at a set counts.
BEST, FIRST, LATEST = "best", "first", "latest"
COUNTED_CHOICES = [
    (BEST, _("best attempt")),
    (FIRST, _("first attempt")),
    (LATEST, _("latest attempt")),
]

FINISHED, IN_PROGRESS, NOT_STARTED = "finished", "in_progress", "not_started"
STATUS_LABELS = {
    FINISHED: _("finished"),
    IN_PROGRESS: _("in progress"),
    NOT_STARTED: _("not started"),
}


# Who may see what ------------------------------------------------------------


def sets_for(user):
    """Sets the user owns, or that one of their classes was assigned or played live."""
    sets = QuestionSet.objects.all()
    if user.is_superuser:
        return sets
    assigned = Assignment.objects.filter(classroom__teacher=user).values("question_set")
    played = LiveGame.objects.filter(classroom__teacher=user).values("question_set")
    return sets.filter(Q(owner=user) | Q(pk__in=assigned) | Q(pk__in=played))


def students_for(user):
    """Student accounts whose results the user may read."""
    students = get_user_model().objects.filter(is_staff=False)
    if user.is_superuser:
        return students
    return students.filter(student_profile__classroom__teacher=user)


def set_classrooms(user, question_set):
    """The user's classes this set concerns: assigned to it, or with someone who took it."""
    assigned = Assignment.objects.filter(question_set=question_set).values("classroom")
    took = Attempt.objects.filter(question_set=question_set).values("student")
    return (
        Classroom.objects.for_teacher(user)
        .filter(Q(pk__in=assigned) | Q(students__user__in=took))
        .distinct()
    )


# Small pure helpers ------------------------------------------------------------


def outcome(answer) -> str:
    if answer is None:
        return NO_ANSWER
    if answer.timed_out or answer.late:
        return TIMED_OUT
    if answer.credit >= 1.0:
        return RIGHT
    if answer.credit > 0:
        return PARTLY
    return WRONG if answer.answered_at is not None else NO_ANSWER


def seconds_taken(answer) -> float | None:
    if answer is None or answer.answered_at is None:
        return None
    return (answer.answered_at - answer.shown_at).total_seconds()


def whole_percent(share: float) -> int:
    """0.125 → 13: half up, as a teacher rounds (Python's round() gives 12)."""
    return math.floor(100 * share + 0.5)


def percent_of(attempt) -> int | None:
    if attempt is None or not attempt.is_finished:
        return None
    return whole_percent(attempt.score / attempt.max_score) if attempt.max_score else 0


def tell_apart(rows) -> None:
    """Give each row its label: the name, with the username beside a shared one."""
    shared = shared_names(row.name for row in rows)
    for row in rows:
        row.label = told_apart(row.name, row.student.get_username(), shared)


def classroom_of(user) -> Classroom | None:
    profile = getattr(user, "student_profile", None)
    return profile.classroom if profile is not None else None


def counted_attempt(attempts, counted=BEST):
    """The finished attempt that counts; the best ties go to the earliest finished."""
    finished = [a for a in attempts if a.is_finished]
    if not finished:
        return None
    if counted == FIRST:
        return min(finished, key=lambda a: (a.started_at, a.pk))
    if counted == LATEST:
        return max(finished, key=lambda a: (a.started_at, a.pk))
    return min(finished, key=lambda a: (-a.score, a.finished_at, a.pk))


DISTRIBUTION_BINS = 10


def distribution(percents: list[int]) -> list[tuple[str, int]]:
    """How many students scored 0–9 %, 10–19 %, ... 90–100 %."""
    counts = [0] * DISTRIBUTION_BINS
    for percent in percents:
        counts[min(DISTRIBUTION_BINS - 1, max(0, percent) // 10)] += 1
    labels = [f"{10 * i}–{10 * i + 9}%" for i in range(DISTRIBUTION_BINS - 1)] + ["90–100%"]
    return list(zip(labels, counts, strict=True))


# Per set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    outcome: str
    points: int | None = None
    seconds: float | None = None

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.outcome]

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class StudentRow:
    student: object
    name: str
    classroom: Classroom | None
    attempt: Attempt | None  # the finished attempt that counts
    finished_count: int = 0
    in_progress: bool = False
    cells: list[Cell] = field(default_factory=list)
    # The counted attempt's answers by question id (every question it asked).
    answers: dict = field(default_factory=dict)
    label: str = ""  # the name as shown on a page (see tell_apart)

    @property
    def status(self) -> str:
        if self.attempt is not None:
            return FINISHED
        return IN_PROGRESS if self.in_progress else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def percent(self) -> int | None:
        return percent_of(self.attempt)


@dataclass
class ClassAverage:
    classroom: Classroom | None
    students: int
    finished: int
    average_score: float | None
    average_percent: float | None


def average_of(values):
    return fmean(values) if values else None


@dataclass
class SetReport:
    question_set: QuestionSet
    questions: list
    rows: list[StudentRow]
    classroom: Classroom | None = None
    counted: str = BEST

    @property
    def finished_rows(self) -> list[StudentRow]:
        return [row for row in self.rows if row.attempt is not None]

    @property
    def unfinished_rows(self) -> list[StudentRow]:
        """Who has not started, then who started but has not finished."""
        rows = [row for row in self.rows if row.attempt is None]
        return sorted(rows, key=lambda row: row.status != NOT_STARTED)

    @property
    def not_started(self) -> list[StudentRow]:
        return [row for row in self.rows if row.status == NOT_STARTED]

    @property
    def average_score(self) -> float | None:
        return average_of([row.attempt.score for row in self.finished_rows])

    @property
    def average_percent(self) -> float | None:
        return average_of([row.percent for row in self.finished_rows])

    def class_averages(self) -> list[ClassAverage]:
        by_class = defaultdict(list)
        for row in self.rows:
            by_class[row.classroom].append(row)
        averages = []
        for classroom, rows in by_class.items():
            finished = [row for row in rows if row.attempt is not None]
            averages.append(
                ClassAverage(
                    classroom,
                    len(rows),
                    len(finished),
                    average_of([row.attempt.score for row in finished]),
                    average_of([row.percent for row in finished]),
                )
            )
        return sorted(averages, key=lambda a: (a.classroom is None, str(a.classroom or "")))

    def distribution(self) -> list[tuple[str, int]]:
        return distribution([row.percent for row in self.finished_rows])


def set_report(question_set, user, *, classroom=None, counted=BEST) -> SetReport:
    """Every student the user may see who was set this quiz or took it.

    Without a class: the students of the (visible) classes it is assigned to,
    plus any visible student who took it. With a class: that class's roster.
    """
    questions = [
        sq.question
        for sq in question_set.set_questions.select_related(
            "question__event", "question__unit"
        ).prefetch_related("question__options")
    ]
    students = students_for(user).select_related("student_profile__classroom")
    if classroom is not None:
        students = students.filter(student_profile__classroom=classroom)
    else:
        assigned = Assignment.objects.filter(question_set=question_set).values("classroom")
        took = Attempt.objects.filter(question_set=question_set).values("student")
        students = students.filter(Q(student_profile__classroom__in=assigned) | Q(pk__in=took))
    students = list(students)

    attempts_by_student = defaultdict(list)
    for attempt in Attempt.objects.filter(
        question_set=question_set, student__in=[s.pk for s in students]
    ).order_by("started_at", "pk"):
        attempts_by_student[attempt.student_id].append(attempt)
    counted_by_student = {
        student_id: counted_attempt(attempts, counted)
        for student_id, attempts in attempts_by_student.items()
    }
    answers_by_attempt = defaultdict(dict)
    for answer in Answer.objects.filter(
        attempt__in=[a.pk for a in counted_by_student.values() if a is not None]
    ):
        answers_by_attempt[answer.attempt_id][answer.question_id] = answer

    rows = []
    for student in students:
        attempts = attempts_by_student.get(student.pk, [])
        attempt = counted_by_student.get(student.pk)
        answers = answers_by_attempt[attempt.pk] if attempt else {}
        cells = []
        if attempt is not None:
            for question in questions:
                answer = answers.get(question.pk)
                cells.append(
                    Cell(
                        outcome(answer),
                        answer.points if answer else None,
                        seconds_taken(answer),
                    )
                )
        rows.append(
            StudentRow(
                student=student,
                name=name_of(student),
                classroom=classroom_of(student),
                attempt=attempt,
                finished_count=sum(1 for a in attempts if a.is_finished),
                in_progress=any(not a.is_finished for a in attempts),
                cells=cells,
                answers=answers,
            )
        )
    rows.sort(key=lambda row: (row.name.casefold(), row.student.get_username()))
    tell_apart(rows)
    return SetReport(question_set, questions, rows, classroom, counted)


# Per student -------------------------------------------------------------------


@dataclass
class Missed:
    subject: object  # an Event or a Unit
    asked: int
    missed: int

    @property
    def share(self) -> float:
        return self.missed / self.asked


@dataclass
class StudentReport:
    student: object
    name: str
    classroom: Classroom | None
    attempts: list[Attempt]  # newest first
    missed_events: list[Missed]
    missed_units: list[Missed]
    missed_total: int = 0  # answers not fully right, linked to an event or not

    @property
    def finished_attempts(self) -> list[Attempt]:
        return [a for a in self.attempts if a.is_finished]


def _most_missed(answers, subject_of) -> list[Missed]:
    asked, missed, subjects = Counter(), Counter(), {}
    for answer in answers:
        subject = subject_of(answer.question)
        if subject is None:
            continue
        subjects[subject.pk] = subject
        asked[subject.pk] += 1
        if outcome(answer) != RIGHT:
            missed[subject.pk] += 1
    rows = [Missed(subjects[pk], asked[pk], missed[pk]) for pk in missed]
    return sorted(rows, key=lambda m: (-m.missed, -m.share, str(m.subject)))


def student_report(student, user) -> StudentReport:
    """Every attempt at a set the user may see; what the student keeps missing.

    "Missed" means not fully right (wrong, partly right or timed out), counted
    over every finished attempt, grouped by the question's event and unit.
    """
    visible = sets_for(user)
    attempts = list(
        Attempt.objects.filter(student=student, question_set__in=visible)
        .select_related("question_set__unit")
        .order_by("-started_at", "-pk")
    )
    answers = list(
        Answer.objects.filter(attempt__in=[a.pk for a in attempts if a.is_finished]).select_related(
            "question__event__unit", "question__unit"
        )
    )
    for attempt in attempts:
        attempt.percent = percent_of(attempt)
    return StudentReport(
        student=student,
        name=name_of(student),
        classroom=classroom_of(student),
        attempts=attempts,
        missed_events=_most_missed(answers, lambda q: q.event),
        missed_units=_most_missed(answers, lambda q: q.unit),
        missed_total=sum(1 for answer in answers if outcome(answer) != RIGHT),
    )


# Per class ---------------------------------------------------------------------


@dataclass
class ClassroomRow:
    student: object
    name: str
    results: list[StudentRow]  # one per set, in the report's set order
    label: str = ""  # the name as shown on a page (see tell_apart)


@dataclass
class ClassroomReport:
    classroom: Classroom
    sets: list[QuestionSet]
    rows: list[ClassroomRow]
    counted: str = BEST

    def set_averages(self) -> list[tuple[QuestionSet, int, float | None]]:
        """(set, students finished, average percent) for every set."""
        averages = []
        for index, question_set in enumerate(self.sets):
            percents = [
                row.results[index].percent
                for row in self.rows
                if row.results[index].attempt is not None
            ]
            averages.append((question_set, len(percents), average_of(percents)))
        return averages


def classroom_report(classroom, *, counted=BEST) -> ClassroomReport:
    """The class's students against the sets assigned to the class."""
    students = list(
        get_user_model()
        .objects.filter(is_staff=False, student_profile__classroom=classroom)
        .select_related("student_profile")
    )
    sets = list(
        QuestionSet.objects.filter(assignments__classroom=classroom).order_by("title", "pk")
    )
    attempts = defaultdict(list)
    for attempt in Attempt.objects.filter(
        student__in=[s.pk for s in students], question_set__in=[s.pk for s in sets]
    ).order_by("started_at", "pk"):
        attempts[(attempt.student_id, attempt.question_set_id)].append(attempt)
    rows = []
    for student in students:
        name = name_of(student)
        results = []
        for question_set in sets:
            tries = attempts.get((student.pk, question_set.pk), [])
            results.append(
                StudentRow(
                    student,
                    name,
                    classroom,
                    counted_attempt(tries, counted),
                    finished_count=sum(1 for a in tries if a.is_finished),
                    in_progress=any(not a.is_finished for a in tries),
                )
            )
        rows.append(ClassroomRow(student, name, results))
    rows.sort(key=lambda row: (row.name.casefold(), row.student.get_username()))
    tell_apart(rows)
    return ClassroomReport(classroom, sets, rows, counted)


# The index ---------------------------------------------------------------------


class Index(NamedTuple):
    sets: list[QuestionSet]
    classes: list[Classroom]


def index(user) -> Index:
    """The user's sets (with their visible classes and finishers) and classes."""
    classes = Classroom.objects.for_teacher(user)
    sets = (
        sets_for(user)
        .select_related("unit", "owner")
        .annotate(
            question_total=Count("set_questions", distinct=True),
            finished_students=Count(
                "attempts__student",
                filter=Q(attempts__finished_at__isnull=False)
                & Q(attempts__student__in=students_for(user)),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(classroom__in=classes)
                .select_related("classroom")
                .order_by("classroom__name"),
                to_attr="visible_assignments",
            )
        )
        .order_by("title", "pk")
    )
    classes = (
        classes.select_related("teacher")
        .annotate(student_total=Count("students", filter=Q(students__user__is_staff=False)))
        .order_by("name", "pk")
    )
    return Index(list(sets), list(classes))
