import pytest

from quiz.classes import roster
from quiz.core.models import StudentProfile
from tests.factories import ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "username"),
    [
        ("Ada Lovelace", "ada.l"),
        ("  Émile   Zola ", "emile.z"),
        ("Zoë", "zoe"),
        ("Jean-Luc O'Neill", "jeanluc.o"),
        ("李雷", "student"),
        ("Maximilianus Alexandros Konstantinopoulos", "maximilianus.k"),
    ],
)
def test_usernames_are_short_and_typeable(name, username):
    assert roster.username_for(name, lambda candidate: False) == username


def test_a_taken_username_gets_a_number():
    taken = {"ada.l", "ada.l2"}
    assert roster.username_for("Ada Lovelace", taken.__contains__) == "ada.l3"


def test_passwords_are_two_words_and_a_number():
    password = roster.make_student_password()
    first, second, number = password.split("-")
    assert first in roster.WORDS and second in roster.WORDS and 10 <= int(number) <= 99


def test_pasting_a_list_makes_one_account_per_name_and_explains_the_rest():
    classroom = ClassroomFactory()
    long_name = "A" * 61
    text = f"Ada Lovelace\n\n   \nBen Okri\n{long_name}\n12345\nAda Lovelace\nZoë  Wanamaker\n"
    result = roster.add_students(classroom, text)
    assert [s.display_name for s in result.created] == [
        "Ada Lovelace",
        "Ben Okri",
        "Ada Lovelace",
        "Zoë Wanamaker",
    ]
    assert [s.username for s in result.created] == ["ada.l", "ben.o", "ada.l2", "zoe.w"]
    assert result.blank_lines == 2
    assert any("Line 5 is longer than 60" in p for p in result.problems)
    assert any("Line 6" in p and "no letters" in p for p in result.problems)
    assert result.notes == ["2 students share a name; their usernames are ada.l, ada.l2."]
    assert StudentProfile.objects.filter(classroom=classroom).count() == 4


def test_pasting_the_same_list_again_adds_nobody_twice():
    classroom = ClassroomFactory()
    roster.add_students(classroom, "Ada Lovelace\nBen Okri")
    again = roster.add_students(classroom, "Ada Lovelace\nben okri\nCara Delane")
    assert [s.display_name for s in again.created] == ["Cara Delane"]
    assert len(again.problems) == 2
    assert "already in this class (username ada.l)" in again.problems[0]


def test_a_username_taken_in_another_class_is_not_reused():
    StudentFactory(username="ada.l")
    result = roster.add_students(ClassroomFactory(), "Ada Lovelace")
    assert result.created[0].username == "ada.l2"


def test_too_many_names_at_once_are_refused_whole():
    result = roster.add_students(ClassroomFactory(), "\n".join(f"Kid {i}" for i in range(201)))
    assert not result.created
    assert "At most 200" in result.problems[0]
