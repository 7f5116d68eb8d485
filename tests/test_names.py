"""The one rule for how a person is named (quiz/names.py)."""

import pytest

from quiz import names, roster
from tests.factories import StudentFactory, TeacherFactory


@pytest.mark.django_db
def test_a_student_is_called_by_the_name_the_teacher_typed(classroom):
    roster.add_students(classroom, "Edna Thompson")
    student = StudentFactory(username="edna.t")  # the account the roster made
    assert not student.get_full_name()
    assert names.name_of(student) == "Edna Thompson"


@pytest.mark.django_db
def test_an_account_without_a_profile_falls_back_to_its_full_name_then_username():
    assert names.name_of(TeacherFactory(first_name="Eva", last_name="Novak")) == "Eva Novak"
    assert names.name_of(TeacherFactory(username="ms-novak")) == "ms-novak"


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Omar Quist", "O.Q."),
        ("zoe b.", "Z.B."),
        ("Edna", "E."),
        ("Jean-Luc  O'Neill", "J.O."),
        ("(Ted) Smith", "T.S."),
        ("Émile Zola", "É.Z."),
        ("- -", ""),
    ],
)
def test_initials_are_the_first_letter_of_each_word_of_the_name(name, initials):
    assert names.initials_of(name) == initials


def test_a_shared_name_gets_the_username_beside_it():
    shared = names.shared_names(["Zoe B.", "zoe b.", "Omar Quist"])
    assert shared == {"zoe b."}
    assert names.told_apart("Zoe B.", "zoe.b2", shared) == "Zoe B. (zoe.b2)"
    assert names.told_apart("Omar Quist", "omar.q", shared) == "Omar Quist"
