"""The numbers behind the teacher reports, and who may see which of them.

Each report loads its rows in a fixed handful of queries, whatever the size of
the class; the statistics are plain functions over lists so a test can check
them against numbers worked out by hand.

Who sees what: a school admin (superuser) sees everything. A teacher sees the
sets they own or that are assigned to one of their classes, and only the
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

from quiz.core.models import Answer, Assignment, Attempt, Classroom, Kind, QuestionSet
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

# Below this many students a correlation says nothing: the page shows "—".
MIN_STUDENTS_FOR_DISCRIMINATION = 5

NOBODY_RIGHT, NEGATIVE_DISCRIMINATION = "nobody_right", "negative_discrimination"
FLAG_LABELS = {
    NOBODY_RIGHT: _("nobody got it right"),
    NEGATIVE_DISCRIMINATION: _("weaker students did better than stronger ones"),
}


# Who may see what ------------------------------------------------------------


def sets_for(user):
    """Sets the user owns or that are assigned to one of their classes."""
    sets = QuestionSet.objects.all()
    if user.is_superuser:
        return sets
    assigned = Assignment.objects.filter(classroom__teacher=user).values("question_set")
    return sets.filter(Q(owner=user) | Q(pk__in=assigned))


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


def credit_of(answer) -> float:
    return 0.0 if answer.late else answer.credit


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


def _average(values):
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
        return _average([row.attempt.score for row in self.finished_rows])

    @property
    def average_percent(self) -> float | None:
        return _average([row.percent for row in self.finished_rows])

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
                    _average([row.attempt.score for row in finished]),
                    _average([row.percent for row in finished]),
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


# Per question (item analysis) --------------------------------------------------


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
            average_seconds=_average(times),
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
            averages.append((question_set, len(percents), _average(percents)))
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
