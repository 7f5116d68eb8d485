import pytest

from tests.factories import (
    StudentFactory,
    chronology,
    multiple_choice,
    question_set_with,
    year_question,
)


@pytest.fixture
def live_set(db):
    first = multiple_choice(correct="Leon Trotsky")
    second = year_question(first.unit, year=1917, tolerance=2)
    third = chronology(first.unit)
    return question_set_with([first, second, third], seconds_per_question=20)


@pytest.fixture
def players(classroom, student, other_student):
    """Three students of the teacher's class: ada, ben and cy."""
    return [student, other_student, StudentFactory(username="cy", classroom=classroom)]
