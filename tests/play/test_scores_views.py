from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.core.models import Attempt, LeaderboardNames
from tests.factories import StudentFactory, multiple_choice, question_set_with

pytestmark = pytest.mark.django_db


def finished(student, question_set, score, days_ago=0):
    started = timezone.now() - timedelta(days=days_ago, minutes=5)
    return Attempt.objects.create(
        student=student,
        question_set=question_set,
        question_ids=[q.pk for q in question_set.ordered_questions()],
        started_at=started,
        finished_at=started + timedelta(minutes=3),
        score=score,
    )


@pytest.fixture
def two_question_set(classroom):
    first = multiple_choice()
    return question_set_with(
        [first, multiple_choice(first.unit)], title="Exile quiz", assign_to=classroom
    )


def test_history_lists_every_attempt_and_the_change_per_unit(client, student, two_question_set):
    finished(student, two_question_set, 50, days_ago=7)
    finished(student, two_question_set, 150, days_ago=1)
    client.force_login(student)
    response = client.get(reverse("quiz:history"))
    html = response.content.decode()
    assert "50 / 200" in html and "150 / 200" in html
    assert "Up 50 percentage points" in html
    assert html.index("150 / 200") < html.index("50 / 200")  # newest first


def test_history_shows_only_my_attempts(client, student, other_student, two_question_set):
    finished(other_student, two_question_set, 190)
    client.force_login(student)
    html = client.get(reverse("quiz:history")).content.decode()
    assert "190" not in html
    assert "No finished quizzes yet" in html


def test_a_student_cannot_review_someone_elses_attempt(
    client, student, other_student, two_question_set
):
    attempt = finished(other_student, two_question_set, 190)
    client.force_login(student)
    assert client.get(reverse("quiz:result", args=[attempt.pk])).status_code == 404


def test_leaderboard_ranks_each_students_best_attempt_with_initials(
    client, student, two_question_set
):
    ada_lovelace = StudentFactory(username="ada.l", first_name="Ada", last_name="Lovelace")
    finished(ada_lovelace, two_question_set, 100)
    finished(ada_lovelace, two_question_set, 180)
    finished(student, two_question_set, 120)
    client.force_login(student)
    rows = client.get(reverse("quiz:leaderboard", args=[two_question_set.pk])).context["rows"]
    assert [(r["rank"], r["name"], r["score"]) for r in rows] == [
        (1, "A.L.", 180),
        (2, student.username, 120),
    ]
    assert rows[1]["is_me"]


def test_leaderboard_shows_names_when_the_teacher_allows(client, student, two_question_set):
    two_question_set.leaderboard = LeaderboardNames.NAMES
    two_question_set.save()
    finished(StudentFactory(first_name="Ada", last_name="Lovelace"), two_question_set, 100)
    client.force_login(student)
    rows = client.get(reverse("quiz:leaderboard", args=[two_question_set.pk])).context["rows"]
    assert rows[0]["name"] == "Ada Lovelace"


def test_a_hidden_leaderboard_is_404_for_students(client, student, two_question_set):
    two_question_set.leaderboard = LeaderboardNames.HIDDEN
    two_question_set.save()
    client.force_login(student)
    assert client.get(reverse("quiz:leaderboard", args=[two_question_set.pk])).status_code == 404


def test_my_quizzes_shows_best_score_and_attempts_left(client, student, two_question_set):
    two_question_set.attempts_allowed = 3
    two_question_set.save()
    finished(student, two_question_set, 40)
    finished(student, two_question_set, 160)
    client.force_login(student)
    row = client.get(reverse("quiz:my_quizzes")).context["rows"][0]
    assert row["best"] == 160
    assert row["attempts_left"] == 1


# Names on the leaderboard: the name the teacher typed into the roster ------------


def roster_students(classroom, *names):
    from django.contrib.auth import get_user_model

    from quiz.classes import roster

    created = roster.add_students(classroom, "\n".join(names)).created
    users = get_user_model().objects.in_bulk([s.username for s in created], field_name="username")
    return [users[s.username] for s in created]


def leaderboard_names(client, user, question_set) -> list[str]:
    client.force_login(user)
    rows = client.get(reverse("quiz:leaderboard", args=[question_set.pk])).context["rows"]
    return [row["name"] for row in rows]


def test_leaderboard_initials_come_from_the_roster_name(client, classroom, two_question_set):
    edna, omar = roster_students(classroom, "Edna Thompson", "Omar Quist")
    assert not edna.get_full_name()  # roster accounts have no first or last name
    finished(omar, two_question_set, 200)
    finished(edna, two_question_set, 100)
    assert two_question_set.leaderboard == LeaderboardNames.INITIALS
    assert leaderboard_names(client, edna, two_question_set) == ["O.Q.", "Edna Thompson"]
    html = client.get(reverse("quiz:leaderboard", args=[two_question_set.pk])).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "omar.q" not in table and "edna.t" not in table


def test_leaderboard_names_come_from_the_roster_name(client, classroom, two_question_set):
    two_question_set.leaderboard = LeaderboardNames.NAMES
    two_question_set.save()
    edna, omar = roster_students(classroom, "Edna Thompson", "Omar Quist")
    finished(omar, two_question_set, 200)
    finished(edna, two_question_set, 100)
    assert leaderboard_names(client, edna, two_question_set) == ["Omar Quist", "Edna Thompson"]


def test_leaderboard_tells_apart_two_students_of_one_name(
    client, teacher, classroom, two_question_set
):
    two_question_set.leaderboard = LeaderboardNames.NAMES
    two_question_set.save()
    zoe, other_zoe, omar = roster_students(classroom, "Zoe B.", "Zoe B.", "Omar Quist")
    finished(zoe, two_question_set, 200)
    finished(other_zoe, two_question_set, 150)
    finished(omar, two_question_set, 100)
    expected = ["Zoe B. (zoe.b)", "Zoe B. (zoe.b2)", "Omar Quist"]
    assert leaderboard_names(client, omar, two_question_set) == expected
    assert leaderboard_names(client, zoe, two_question_set) == expected
    assert leaderboard_names(client, teacher, two_question_set) == expected


def test_leaderboard_initials_never_add_a_username(client, classroom, two_question_set):
    # A username spells the name out, which the initials mode is there to hide.
    zoe, other_zoe, omar = roster_students(classroom, "Zoe B.", "Zoe B.", "Omar Quist")
    finished(zoe, two_question_set, 200)
    finished(other_zoe, two_question_set, 150)
    finished(omar, two_question_set, 100)
    assert leaderboard_names(client, omar, two_question_set) == ["Z.B.", "Z.B.", "Omar Quist"]
    assert leaderboard_names(client, zoe, two_question_set) == [
        "Zoe B. (zoe.b)",
        "Z.B.",
        "O.Q.",
    ]
