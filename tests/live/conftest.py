import pytest

from tests.factories import StudentFactory


@pytest.fixture
def players(classroom, student, other_student):
    """Three students of the teacher's class: ada, ben and cy."""
    return [student, other_student, StudentFactory(username="cy", classroom=classroom)]
