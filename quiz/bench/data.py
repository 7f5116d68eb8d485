"""The benchmark's school: one class of N students, a quiz open to them, a teacher."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from history.models import Unit
from quiz.core import models as quiz_models
from quiz.core.models import Feedback, Kind, Option, Question, QuestionSet, Scoring, SetQuestion

PASSWORD = "bench-Password-1917"


@dataclass
class School:
    usernames: list[str]
    password: str
    quiz_pk: int
    ceiling_pk: int
    burst_pk: int
    hasher: str


def _questions(unit: Unit, count: int) -> list[Question]:
    """A mix like a teacher's set: mostly multiple choice, some years and orderings."""
    questions = []
    for n in range(count):
        kind = (Kind.MULTIPLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.YEAR, Kind.CHRONOLOGY)[n % 4]
        if kind == Kind.YEAR:
            question = Question.objects.create(
                unit=unit, kind=kind, prompt=f"Bench question {n}: which year?",
                answer_year=1900 + n, tolerance=2, explanation="Because the sources say so.",
            )  # fmt: skip
        else:
            question = Question.objects.create(
                unit=unit, kind=kind, prompt=f"Bench question {n}?",
                explanation="Because the sources say so.",
            )  # fmt: skip
        if kind == Kind.MULTIPLE_CHOICE:
            for position in range(4):
                Option.objects.create(
                    question=question, text=f"Option {position}", position=position,
                    is_correct=position == n % 4,
                )  # fmt: skip
        elif kind == Kind.CHRONOLOGY:
            for place in range(1, 5):
                Option.objects.create(
                    question=question, text=f"Event {place}", position=4 - place,
                    correct_position=place,
                )  # fmt: skip
        questions.append(question)
    return questions


def _set(unit, title, questions, **kwargs) -> QuestionSet:
    question_set = QuestionSet.objects.create(
        title=title, unit=unit, published=True, shuffle=True, scoring=Scoring.STREAK, **kwargs
    )
    SetQuestion.objects.bulk_create(
        SetQuestion(question_set=question_set, question=q, position=i)
        for i, q in enumerate(questions)
    )
    return question_set


@transaction.atomic
def create_school(
    students: int, questions: int, seconds_per_question: int, feedback: str, hasher: str
) -> School:
    User = get_user_model()
    teacher = User.objects.create_user("bench-teacher", password=PASSWORD, is_staff=True)
    unit = Unit.objects.create(slug="bench-unit", title="Bench unit")
    quiz = _set(
        unit,
        "9:00 quiz",
        _questions(unit, questions),
        seconds_per_question=seconds_per_question,
        feedback=feedback,
        attempts_allowed=1,
    )
    # The saturation run answers as fast as it can: long, endless, one round trip a question.
    ceiling = _set(
        unit,
        "Ceiling quiz",
        _questions(unit, 40),
        seconds_per_question=300,
        feedback=Feedback.END,
        attempts_allowed=0,
    )
    # The burst: one question the whole school answers within two seconds.
    burst = _set(
        unit,
        "Burst quiz",
        _questions(unit, 1),
        seconds_per_question=120,
        feedback=Feedback.END,
        attempts_allowed=1,
    )
    # One hash for everyone (same password, same salt): the set-up costs one
    # hashing, each sign-in still costs what the hasher costs.
    encoded = make_password(PASSWORD, hasher=hasher)
    usernames = [f"bench{n:04d}" for n in range(students)]
    User.objects.bulk_create(User(username=name, password=encoded) for name in usernames)
    _enrol(teacher, [quiz, ceiling, burst], usernames)
    return School(usernames, PASSWORD, quiz.pk, ceiling.pk, burst.pk, encoded.split("$", 1)[0])


def _enrol(teacher, question_sets, usernames) -> None:
    """Put everyone in one class and assign it the sets (when the app has classes)."""
    if not hasattr(quiz_models, "Classroom"):
        return
    classroom = quiz_models.Classroom.objects.create(
        name="Bench class", teacher=teacher, join_code="BENCH001"
    )
    users = get_user_model().objects.filter(username__in=usernames)
    quiz_models.StudentProfile.objects.bulk_create(
        quiz_models.StudentProfile(user=u, display_name=u.username, classroom=classroom)
        for u in users
    )
    for question_set in question_sets:
        quiz_models.Assignment.objects.create(question_set=question_set, classroom=classroom)


@dataclass
class LiveSchool:
    usernames: list[str]
    teacher: str
    set_pk: int
    classroom_pk: int


@transaction.atomic
def create_live_school(players: int, questions: int, seconds_per_question: int) -> LiveSchool:
    """A class of N players and the set their teacher hosts live (mixed kinds, in order)."""
    User = get_user_model()
    teacher = User.objects.create_user("bench-teacher", password=PASSWORD, is_staff=True)
    unit = Unit.objects.create(slug="bench-unit", title="Bench unit")
    question_set = QuestionSet.objects.create(
        title="Live bench game", unit=unit, published=True, shuffle=False,
        scoring=Scoring.STREAK, seconds_per_question=seconds_per_question,
    )  # fmt: skip
    SetQuestion.objects.bulk_create(
        SetQuestion(question_set=question_set, question=q, position=i)
        for i, q in enumerate(_questions(unit, questions))
    )
    usernames = [f"player{n:04d}" for n in range(players)]
    encoded = make_password(PASSWORD)
    User.objects.bulk_create(User(username=name, password=encoded) for name in usernames)
    classroom = quiz_models.Classroom.objects.create(
        name="Live bench class", teacher=teacher, join_code="LIVE0001"
    )
    quiz_models.StudentProfile.objects.bulk_create(
        quiz_models.StudentProfile(
            user=u, display_name=f"Pupil {u.username[-4:]}", classroom=classroom
        )
        for u in User.objects.filter(username__in=usernames)
    )
    return LiveSchool(usernames, teacher.username, question_set.pk, classroom.pk)
