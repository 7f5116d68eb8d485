import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quiz.core.models import Assignment, Classroom, ExtraTime, StudentProfile
from quiz.play import sitting
from tests.factories import (
    ClassroomFactory,
    StudentFactory,
    TeacherFactory,
    multiple_choice,
    question_set_with,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def test_a_teacher_creates_a_class_with_a_join_code(teacher_client, teacher):
    response = teacher_client.post(reverse("teach:classes"), {"name": "  8C  History "})
    classroom = Classroom.objects.get()
    assert response["Location"] == classroom.get_absolute_url()
    assert classroom.name == "8C History" and classroom.teacher == teacher
    assert len(classroom.join_code) == 6 and not set(classroom.join_code) & set("01OIL")


def test_a_duplicate_class_name_is_refused(teacher_client, classroom):
    response = teacher_client.post(reverse("teach:classes"), {"name": "7b"})
    assert "already have a class called 7b" in response.content.decode()
    assert Classroom.objects.count() == 1


def test_pasting_names_prints_a_sign_in_sheet(teacher_client, classroom):
    response = teacher_client.post(
        reverse("teach:add_students", args=[classroom.pk]), {"names": "Ada Lovelace\n\nBen Okri\n"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="slip"') == 2
    assert "ada.l" in html and "ben.o" in html
    assert "not stored" in html
    assert "1 blank line skipped" in html
    assert StudentProfile.objects.filter(classroom=classroom).count() == 2


def test_an_empty_paste_is_explained_and_creates_nothing(teacher_client, classroom):
    response = teacher_client.post(
        reverse("teach:add_students", args=[classroom.pk]), {"names": ""}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not StudentProfile.objects.exists()


def test_a_new_password_makes_the_old_one_stop_working(teacher_client, client, classroom):
    student = StudentFactory(classroom=classroom)
    profile = student.student_profile
    response = teacher_client.post(reverse("teach:reset_password", args=[classroom.pk, profile.pk]))
    new_password = response.context["result"].created[0].password
    from django.contrib.auth import authenticate

    assert authenticate(username=student.username, password=new_password) == student
    assert authenticate(username=student.username, password="correct-horse-battery") is None


def test_a_teacher_moves_a_student_and_gives_extra_time(teacher_client, teacher, classroom):
    other_class = ClassroomFactory(teacher=teacher, name="8C")
    student = StudentFactory(classroom=classroom)
    profile = student.student_profile
    prefix = f"s{profile.pk}"
    teacher_client.post(
        reverse("teach:student", args=[classroom.pk, profile.pk]),
        {
            f"{prefix}-display_name": profile.display_name,
            f"{prefix}-classroom": other_class.pk,
            f"{prefix}-extra_time": ExtraTime.DOUBLE,
        },
    )
    profile.refresh_from_db()
    assert profile.classroom == other_class
    assert profile.time_factor == 2.0


def test_extra_time_changes_the_deadline(teacher, classroom):
    student = StudentFactory(classroom=classroom)
    StudentProfile.objects.filter(user=student).update(extra_time=ExtraTime.HALF)
    question_set = question_set_with(
        [multiple_choice()], seconds_per_question=40, assign_to=classroom
    )
    now = timezone.now()
    attempt = sitting.start(student, question_set, now)
    assert sitting.state(attempt.pk, now).seconds_left == 60


def test_a_student_cannot_be_moved_into_another_teachers_class(teacher_client, classroom):
    foreign = ClassroomFactory()
    student = StudentFactory(classroom=classroom)
    profile = student.student_profile
    prefix = f"s{profile.pk}"
    response = teacher_client.post(
        reverse("teach:student", args=[classroom.pk, profile.pk]),
        {
            f"{prefix}-display_name": "x",
            f"{prefix}-classroom": foreign.pk,
            f"{prefix}-extra_time": "1",
        },
        follow=True,
    )
    assert "Not saved" in response.content.decode()
    profile.refresh_from_db()
    assert profile.classroom == classroom


def test_assigning_a_set_makes_it_visible_to_the_class_only(teacher_client, classroom):
    student = StudentFactory(classroom=classroom)
    outsider = StudentFactory(classroom=ClassroomFactory())
    question_set = question_set_with([multiple_choice()])
    response = teacher_client.post(
        reverse("teach:assign", args=[classroom.pk]),
        {"question_set": question_set.pk, "opens_at": "", "closes_at": ""},
    )
    assert response.status_code == 302
    now = timezone.now()
    assert sitting.sets_open_to(student, now) == [question_set]
    assert sitting.sets_open_to(outsider, now) == []


def test_an_assignment_that_closes_before_it_opens_is_refused(teacher_client, classroom):
    question_set = question_set_with([multiple_choice()])
    response = teacher_client.post(
        reverse("teach:assign", args=[classroom.pk]),
        {
            "question_set": question_set.pk,
            "opens_at": "2026-12-02T10:00",
            "closes_at": "2026-12-01T10:00",
        },
    )
    assert response.status_code == 400
    assert "must close after it opens" in response.content.decode()
    assert not Assignment.objects.exists()


def test_another_teachers_class_is_404_everywhere(client, classroom):
    intruder = TeacherFactory(is_superuser=False)
    client.force_login(intruder)
    student = StudentFactory(classroom=classroom)
    pk, spk = classroom.pk, student.student_profile.pk
    assert client.get(reverse("teach:classroom", args=[pk])).status_code == 404
    assert client.get(reverse("teach:join_code", args=[pk])).status_code == 404
    for name, args in [
        ("teach:add_students", [pk]),
        ("teach:student", [pk, spk]),
        ("teach:reset_password", [pk, spk]),
        ("teach:assign", [pk]),
    ]:
        assert client.post(reverse(name, args=args), {"names": "Eve"}).status_code == 404
    assert StudentProfile.objects.filter(classroom=classroom).count() == 1
    # Its link, not its name: a short name like "7B" can turn up inside a CSRF token.
    listed = client.get(reverse("teach:classes")).content.decode()
    assert f'href="{classroom.get_absolute_url()}"' not in listed


def test_the_school_admin_sees_every_class(client, classroom):
    admin = get_user_model().objects.create_superuser("head", password="x" * 12)
    client.force_login(admin)
    assert client.get(reverse("teach:classroom", args=[classroom.pk])).status_code == 200


def test_students_cannot_open_teacher_pages(client, student, classroom):
    client.force_login(student)
    response = client.get(reverse("teach:classroom", args=[classroom.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_student_joins_with_the_code_and_a_name(client, classroom):
    response = client.post(
        reverse("join"), {"code": classroom.join_code.lower(), "display_name": "Ada  L"}
    )
    assert response.status_code == 200
    profile = StudentProfile.objects.get()
    assert profile.classroom == classroom and profile.display_name == "Ada L"
    assert profile.user.username in response.content.decode()
    assert response.context["new"].password in response.content.decode()
    assert client.get(reverse("quiz:my_quizzes")).status_code == 200  # signed in


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "ZZZZZZ", "display_name": "Ada"}, "No class is taking new students"),
        ({"code": "", "display_name": "Ada"}, "This field is required"),
        ({"code": "CODE", "display_name": "!!!"}, "Type your name with letters"),
    ],
)
def test_joining_with_bad_input_explains_and_creates_nothing(client, classroom, data, message):
    if data["code"] == "CODE":
        data["code"] = classroom.join_code
    response = client.post(reverse("join"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StudentProfile.objects.exists()


def test_a_closed_code_does_not_let_anyone_join(teacher_client, client, classroom):
    teacher_client.post(reverse("teach:join_code", args=[classroom.pk]), {"action": "close"})
    response = client.post(reverse("join"), {"code": classroom.join_code, "display_name": "Ada"})
    assert response.status_code == 400
    assert not StudentProfile.objects.exists()
