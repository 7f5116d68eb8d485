"""The one rule for how a person is named (quiz/core/names.py)."""

import pytest
from django.urls import reverse

from quiz.classes import roster
from quiz.core import names
from quiz.core.models import StudentProfile
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
    assert shared == {"zoe b"}
    assert names.told_apart("Zoe B.", "zoe.b2", shared) == "Zoe B. (zoe.b2)"
    assert names.told_apart("Omar Quist", "omar.q", shared) == "Omar Quist"


def test_names_one_student_could_have_are_told_apart_on_a_page():
    # The roster takes "Zoë B." and "Zoe B" for one student; a page must not show two
    # such rows without the usernames that tell them apart.
    shared = names.shared_names(["Zoë B.", "Zoe B", "Omar Quist"])
    assert names.told_apart("Zoë B.", "zoe.b", shared) == "Zoë B. (zoe.b)"
    assert names.told_apart("Zoe B", "zoe.b2", shared) == "Zoe B (zoe.b2)"
    assert names.name_key("Zoë  B.") == names.name_key("zoe b")


def test_the_roster_and_the_pages_share_one_name_rule():
    assert roster.name_key is names.name_key
    assert roster.clean_display_name is names.clean_display_name


@pytest.mark.django_db
def test_a_teacher_renaming_a_student_gets_the_roster_s_cleaning(client, teacher, classroom):
    student = StudentFactory(classroom=classroom)
    profile = student.student_profile
    client.force_login(teacher)
    url = reverse("teach:student", args=[classroom.pk, profile.pk])

    def rename(name):
        fields = {"display_name": name, "classroom": classroom.pk, "extra_time": "1"}
        return client.post(url, {f"s{profile.pk}-{k}": v for k, v in fields.items()}, follow=True)

    rename("  Zoe\t\u200b  Brown ")
    assert StudentProfile.objects.get(pk=profile.pk).display_name == "Zoe Brown"

    refused = rename("\u200b\u200b")
    assert StudentProfile.objects.get(pk=profile.pk).display_name == "Zoe Brown"
    assert "Type the student&#x27;s name." in refused.content.decode()
