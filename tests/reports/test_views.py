"""The report pages over HTTP: what each shows, its CSV, and who may see it."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from quiz.core.models import Answer, Attempt
from tests.factories import (
    ClassroomFactory,
    StudentFactory,
    TeacherFactory,
    multiple_choice,
    question_set_with,
)
from tests.reports.school import BASE

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, school):
    client.force_login(school.teacher)
    return client


def set_url(school, name="reports:set"):
    return reverse(name, args=[school.question_set.pk])


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# Who may see what ----------------------------------------------------------------


def every_url(school):
    return [
        reverse("reports:index"),
        set_url(school),
        set_url(school, "reports:items"),
        reverse("reports:classroom", args=[school.classroom.pk]),
        reverse("reports:student", args=[school.students["Ann"].pk]),
    ]


def test_a_student_is_sent_to_the_admin_login(client, school):
    client.force_login(school.students["Ann"])
    urls = every_url(school)
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


def test_someone_signed_out_is_sent_to_the_admin_login(client, school):
    urls = every_url(school)
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_reports_only_answer_get(teacher_client, school):
    urls = every_url(school)
    assert urls
    for url in urls:
        assert teacher_client.post(url).status_code == 405, url


def test_the_teacher_sees_every_one_of_their_pages(teacher_client, school):
    urls = every_url(school)
    assert urls
    for url in urls:
        assert teacher_client.get(url).status_code == 200, url


def test_another_teachers_set_is_a_404(teacher_client, school):
    for name in ["reports:set", "reports:items"]:
        url = reverse(name, args=[school.foreign_set.pk])
        assert teacher_client.get(url).status_code == 404


def test_a_set_assigned_to_my_class_is_mine_to_read_but_not_others(client, school):
    client.force_login(school.other_teacher)
    assert client.get(set_url(school)).status_code == 200
    assert client.get(reverse("reports:set", args=[school.rome_set.pk])).status_code == 404


def test_another_teachers_class_is_a_404(teacher_client, school):
    url = reverse("reports:classroom", args=[school.foreign_class.pk])
    assert teacher_client.get(url).status_code == 404
    # ... also as a filter on a set both can see.
    response = teacher_client.get(set_url(school), {"classroom": school.foreign_class.pk})
    assert response.status_code == 404
    response = teacher_client.get(
        set_url(school, "reports:items"), {"classroom": school.foreign_class.pk}
    )
    assert response.status_code == 404


def test_another_teachers_student_is_a_404(teacher_client, school):
    url = reverse("reports:student", args=[school.students["Zed"].pk])
    assert teacher_client.get(url).status_code == 404


def test_a_teacher_account_is_not_a_student_to_report_on(teacher_client, school):
    url = reverse("reports:student", args=[school.other_teacher.pk])
    assert teacher_client.get(url).status_code == 404


def test_the_school_admin_sees_every_set_class_and_student(client, school):
    client.force_login(school.admin)
    for url in [
        reverse("reports:set", args=[school.foreign_set.pk]),
        reverse("reports:classroom", args=[school.foreign_class.pk]),
        reverse("reports:student", args=[school.students["Zed"].pk]),
    ]:
        assert client.get(url).status_code == 200, url
    html = client.get(set_url(school)).content.decode()
    assert "zed" in html


def test_other_students_rows_never_show_even_in_csv(teacher_client, school):
    html = teacher_client.get(set_url(school)).content.decode()
    assert "zed" not in html.lower()
    for table in ["grid", "unfinished", "classes"]:
        response = teacher_client.get(set_url(school), {"format": "csv", "table": table})
        assert "zed" not in response.content.decode().lower()


def test_the_student_page_hides_attempts_at_other_teachers_sets(teacher_client, school):
    url = reverse("reports:student", args=[school.students["Ann"].pk])
    assert "Olsen" not in teacher_client.get(url).content.decode()
    csv_text = teacher_client.get(url, {"format": "csv"}).content.decode()
    assert "Olsen" not in csv_text


def test_a_nonsense_query_string_is_a_404(teacher_client, school):
    for query in [
        {"attempt": "worst"},
        {"format": "xlsx"},
        {"format": "csv", "table": "secrets"},
        {"classroom": "abc"},
    ]:
        assert teacher_client.get(set_url(school), query).status_code == 404, query


# The pages -----------------------------------------------------------------------


def test_the_index_lists_my_sets_and_classes_with_links(teacher_client, school):
    html = teacher_client.get(reverse("reports:index")).content.decode()
    assert "Exile quiz" in html and "Rome quiz" in html
    assert "Olsen" not in html and "8A" not in html
    assert set_url(school) in html
    assert reverse("reports:classroom", args=[school.classroom.pk]) in html
    assert f"{set_url(school)}?classroom={school.classroom.pk}" in html


def test_the_set_page_shows_the_grid_average_and_who_has_not_started(teacher_client, school):
    response = teacher_client.get(set_url(school))
    html = response.content.decode()
    assert "6 of 8 students" in html
    assert "177.8 (45%)" in html  # average score 1067 / 6, average percent 44.5
    assert "◐" in html and "icons/timer.svg" in html and "✔" in html and "✘" in html
    assert "partly right" in html  # the symbol is never the only signal
    not_started = html[html.index('id="unfinished"') : html.index('id="distribution"')]
    assert "Gus" in not_started and "Hal" in not_started and "Ann" not in not_started
    assert "not started" in not_started and "in progress" in not_started


def test_the_set_page_can_count_the_latest_attempt(teacher_client, school):
    report = teacher_client.get(set_url(school), {"attempt": "latest"}).context["report"]
    ann = next(row for row in report.rows if row.name == "Ann")
    assert ann.attempt.score == 100


def test_the_set_page_filters_by_class(client, school):
    client.force_login(school.admin)
    response = client.get(set_url(school), {"classroom": school.foreign_class.pk})
    assert [row.name for row in response.context["report"].rows] == ["zed"]


def test_charts_are_inline_svg_with_a_title_and_no_inline_style(teacher_client, school):
    student_url = reverse("reports:student", args=[school.students["Ann"].pk])
    class_url = reverse("reports:classroom", args=[school.classroom.pk])
    for url in [set_url(school), set_url(school, "reports:items"), class_url, student_url]:
        html = teacher_client.get(url).content.decode()
        assert '<svg class="chart"' in html, url
        assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="[^"]+"', html)
        assert "<title id=" in html
        assert "style=" not in html and "<style" not in html, url
        assert "<script>" not in html


def test_the_distribution_chart_has_one_bar_per_band_and_a_table(teacher_client, school):
    html = teacher_client.get(set_url(school)).content.decode()
    assert html.count('class="chart-bar') == 10
    assert '<td>20–29%</td><td class="num">2</td>' in html


def test_the_question_page_flags_broken_items_and_explains_the_method(teacher_client, school):
    html = teacher_client.get(set_url(school, "reports:items")).content.decode()
    assert "point-biserial" in html
    assert "⚠ nobody got it right" in html
    assert "⚠ weaker students did better than stronger ones" in html
    assert "-0.60" in html and "0.25" in html
    assert "67%" in html and "33%" in html  # facility of Q1 and Q2
    assert "17.5 s" in html


def test_the_question_page_shows_a_dash_under_five_students(client, school):
    client.force_login(school.admin)
    # 8A has one student: far too few for a correlation.
    response = client.get(set_url(school, "reports:items"), {"classroom": school.foreign_class.pk})
    items = response.context["items"]
    assert items
    assert all(item.discrimination is None for item in items)
    assert "—" in response.content.decode()


def test_the_question_page_counts_first_attempts_by_default(teacher_client, school):
    response = teacher_client.get(set_url(school, "reports:items"))
    assert response.context["form"].counted == "first"
    # Ann's first try (Q1 ✔ Q2 ✔) counts, not her later 1930.
    assert response.context["items"][1].wrong_years == [(1905, 2), (1918, 1)]


def test_the_student_page_lists_attempts_and_missed_events(teacher_client, school):
    url = reverse("reports:student", args=[school.students["Ann"].pk])
    html = teacher_client.get(url).content.decode()
    assert "Exile quiz" in html and "Rome quiz" in html
    assert "200 / 400" in html and "100 / 400" in html
    assert "October Revolution" in html and "3 of 4" in html
    assert "Founding of the Red Army" not in html


def test_the_class_page_shows_each_student_against_each_set(teacher_client, school):
    url = reverse("reports:classroom", args=[school.classroom.pk])
    html = teacher_client.get(url).content.decode()
    assert "Exile quiz" in html and "Rome quiz" in html
    assert "not started" in html and "in progress" in html
    assert "6 of 8" in html


# CSV -----------------------------------------------------------------------------


def test_the_grid_csv_has_one_row_per_student_who_finished(teacher_client, school):
    rows = rows_of(teacher_client.get(set_url(school), {"format": "csv"}))
    assert rows[0][:8] == [
        "Student",
        "Username",
        "Class",
        "Finished attempts",
        "Score",
        "Out of",
        "Percent",
        "Finished at",
    ]
    assert rows[0][8:11] == ["Q1 result", "Q1 points", "Q1 seconds"]
    assert len(rows[0]) == 8 + 3 * 4
    assert [row[0] for row in rows[1:]] == ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay"]
    bob = rows[2]
    assert bob[:7] == ["Bob", "bob", "7B", "1", "167", "400", "42"]
    assert bob[7] == "2025-03-03 09:03"
    assert bob[8:] == [
        "right", "100", "10.0",
        "partly right", "67", "10.0",
        "wrong", "0", "10.0",
        "wrong", "0", "10.0",
    ]  # fmt: skip
    assert rows[4][14:17] == ["timed out", "0", ""]  # Dan, Q3


def test_the_unfinished_csv_lists_who_has_not_finished(teacher_client, school):
    response = teacher_client.get(set_url(school), {"format": "csv", "table": "unfinished"})
    assert rows_of(response) == [
        ["Student", "Username", "Class", "Status"],
        ["Gus", "gus", "7B", "not started"],
        ["Hal", "hal", "7B", "in progress"],
    ]
    assert response["Content-Disposition"] == (
        f'attachment; filename="set-{school.question_set.pk}-unfinished.csv"'
    )


def test_the_distribution_and_class_csv(teacher_client, school):
    rows = rows_of(teacher_client.get(set_url(school), {"format": "csv", "table": "distribution"}))
    assert rows[0] == ["Score", "Students"]
    assert rows[3] == ["20–29%", "2"]
    assert len(rows) == 11
    rows = rows_of(teacher_client.get(set_url(school), {"format": "csv", "table": "classes"}))
    assert rows == [
        ["Class", "Students", "Finished", "Average score", "Average percent"],
        ["7B", "8", "6", "177.8", "44.5"],
    ]


def test_the_question_csv_has_one_row_per_question(teacher_client, school):
    rows = rows_of(teacher_client.get(set_url(school, "reports:items"), {"format": "csv"}))
    assert rows[0] == [
        "Question",
        "Prompt",
        "Kind",
        "Event",
        "Answers",
        "Right",
        "Partly right",
        "Timed out",
        "Facility",
        "Discrimination",
        "Average seconds",
        "Flags",
    ]
    numbers = [[row[0], *row[3:]] for row in rows[1:]]
    assert numbers == [
        ["1", "Founding of the Red Army", "6", "4", "0", "0", "0.67", "0.19", "17.5", ""],
        ["2", "October Revolution", "6", "2", "1", "1", "0.33", "0.25", "16.0", ""],
        ["3", "October Revolution", "6", "0", "0", "1", "0.0", "", "17.0", "nobody got it right"],
        [
            "4",
            "Murder in Coyoacán",
            "6",
            "4",
            "0",
            "0",
            "0.67",
            "-0.6",
            "17.5",
            "weaker students did better than stronger ones",
        ],
    ]
    assert rows[2][2] == "year"


def test_the_answers_csv_counts_every_option_and_wrong_year(teacher_client, school):
    response = teacher_client.get(
        set_url(school, "reports:items"), {"format": "csv", "table": "answers"}
    )
    rows = [[row[0], *row[2:]] for row in rows_of(response)]
    assert rows == [
        ["Question", "Answer", "Correct", "Picked"],
        ["1", "Kamenev", "no", "0"],
        ["1", "Lenin", "no", "1"],
        ["1", "Leon Trotsky", "yes", "4"],
        ["1", "Stalin", "no", "1"],
        ["2", "1917", "yes", "2"],
        ["2", "1905", "no", "2"],
        ["2", "1918", "no", "1"],
        ["3", "Bukharin", "no", "1"],
        ["3", "Lenin", "no", "3"],
        ["3", "Stalin", "no", "1"],
        ["3", "Zinoviev", "yes", "0"],
        ["3", "(no answer)", "no", "1"],
        ["4", "France", "no", "0"],
        ["4", "Mexico", "yes", "4"],
        ["4", "Norway", "no", "2"],
        ["4", "Turkey", "no", "0"],
    ]


def test_the_student_csvs(teacher_client, school):
    url = reverse("reports:student", args=[school.students["Ann"].pk])
    assert rows_of(teacher_client.get(url, {"format": "csv"})) == [
        ["Started", "Finished", "Set", "Unit", "Score", "Out of", "Percent", "Correct", "Questions", "Played"],
        ["2025-03-05 09:00", "2025-03-05 09:00", "Rome quiz", "Ancient Rome", "0", "100", "0", "0", "1", "self-paced"],
        ["2025-03-04 09:00", "2025-03-04 09:02", "Exile quiz", "Trotsky and Stalin", "100", "400", "25", "1", "4", "self-paced"],
        ["2025-03-03 09:00", "2025-03-03 09:02", "Exile quiz", "Trotsky and Stalin", "200", "400", "50", "2", "4", "self-paced"],
    ]  # fmt: skip
    assert rows_of(teacher_client.get(url, {"format": "csv", "table": "events"})) == [
        ["Event", "Date", "Unit", "Asked", "Missed", "Share missed"],
        ["October Revolution", "7 November 1917", "Trotsky and Stalin", "4", "3", "0.75"],
        ["Murder in Coyoacán", "21 August 1940", "Trotsky and Stalin", "2", "2", "1.0"],
        ["Caesar crosses the Rubicon", "49 BC", "Ancient Rome", "1", "1", "1.0"],
    ]
    assert rows_of(teacher_client.get(url, {"format": "csv", "table": "units"})) == [
        ["Unit", "Asked", "Missed", "Share missed"],
        ["Trotsky and Stalin", "8", "5", "0.62"],
        ["Ancient Rome", "1", "1", "1.0"],
    ]


def test_the_class_csvs(teacher_client, school):
    url = reverse("reports:classroom", args=[school.classroom.pk])
    rows = rows_of(teacher_client.get(url, {"format": "csv"}))
    assert rows[0] == [
        "Student",
        "Username",
        "Exile quiz: percent",
        "Exile quiz: status",
        "Rome quiz: percent",
        "Rome quiz: status",
    ]
    assert rows[1] == ["Ann", "ann", "50", "finished", "0", "finished"]
    assert rows[7] == ["Gus", "gus", "", "not started", "", "not started"]
    assert rows_of(teacher_client.get(url, {"format": "csv", "table": "averages"})) == [
        ["Set", "Students finished", "Students", "Average percent"],
        ["Exile quiz", "6", "8", "44.5"],
        ["Rome quiz", "1", "8", "0.0"],
    ]


def test_the_index_csvs(teacher_client, school):
    url = reverse("reports:index")
    assert rows_of(teacher_client.get(url, {"format": "csv"})) == [
        ["Set", "Unit", "Teacher", "Questions", "Classes", "Students finished"],
        ["Exile quiz", "Trotsky and Stalin", "ms-novak", "4", "7B", "6"],
        ["Rome quiz", "Ancient Rome", "ms-novak", "1", "7B", "1"],
    ]
    assert rows_of(teacher_client.get(url, {"format": "csv", "table": "classes"})) == [
        ["Class", "Teacher", "Students"],
        ["7B", "ms-novak", "8"],
        ["7C", "ms-novak", "1"],
    ]


def test_a_csv_cell_never_starts_a_formula(teacher_client, school):
    profile = school.students["Bob"].student_profile
    profile.display_name = '=HYPERLINK("http://evil")'
    profile.save()
    rows = rows_of(teacher_client.get(set_url(school), {"format": "csv"}))
    assert ['\'=HYPERLINK("http://evil")'] in [row[:1] for row in rows]


# Efficiency ------------------------------------------------------------------------


@pytest.fixture
def big_class():
    """30 students who each answered all 20 questions."""
    teacher = TeacherFactory(username="busy", is_superuser=False)
    classroom = ClassroomFactory(name="9Z", teacher=teacher)
    first = multiple_choice()
    questions = [first] + [multiple_choice(first.unit) for _ in range(19)]
    question_set = question_set_with(questions, assign_to=classroom, owner=teacher)
    options = {q.pk: list(q.options.all()) for q in questions}
    answers = []
    for n in range(30):
        student = StudentFactory(classroom=classroom)
        attempt = Attempt.objects.create(
            student=student,
            question_set=question_set,
            question_ids=[q.pk for q in questions],
            started_at=BASE,
            finished_at=BASE + timedelta(minutes=10),
            score=100 * n % 2000,
        )
        for position, question in enumerate(questions):
            option = options[question.pk][(n + position) % 4]
            answers.append(
                Answer(
                    attempt=attempt,
                    question=question,
                    position=position,
                    shown_at=BASE,
                    deadline=BASE + timedelta(seconds=30),
                    answered_at=BASE + timedelta(seconds=n % 30),
                    response={"option": option.pk},
                    credit=1.0 if option.is_correct else 0.0,
                    points=100 if option.is_correct else 0,
                )
            )
    Answer.objects.bulk_create(answers)
    return teacher, question_set, classroom


def test_the_set_report_takes_a_fixed_handful_of_queries(
    client, big_class, django_assert_max_num_queries
):
    teacher, question_set, classroom = big_class
    client.force_login(teacher)
    for name in ["reports:set", "reports:items"]:
        url = reverse(name, args=[question_set.pk])
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["report"].finished_rows) == 30
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:set", args=[question_set.pk]), {"format": "csv"})
    with django_assert_max_num_queries(10):
        client.get(reverse("reports:classroom", args=[classroom.pk]))
    with django_assert_max_num_queries(8):
        client.get(reverse("reports:index"))


# Names: the roster's, with the username beside a shared one ------------------------


@pytest.fixture
def namesakes(teacher):
    """Two roster students called Zoe B. and one Omar Quist, in one class."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quiz.classes import roster

    classroom = ClassroomFactory(name="9D", teacher=teacher)
    roster.add_students(classroom, "Zoe B.\nZoe B.\nOmar Quist\n")
    users = get_user_model().objects.in_bulk(["zoe.b", "zoe.b2", "omar.q"], field_name="username")
    question_set = question_set_with([multiple_choice()], assign_to=classroom, owner=teacher)
    now = timezone.now()
    for username, score in [("zoe.b", 100), ("zoe.b2", 0), ("omar.q", 100)]:
        Attempt.objects.create(
            student=users[username],
            question_set=question_set,
            question_ids=[q.pk for q in question_set.ordered_questions()],
            started_at=now - timedelta(minutes=3),
            finished_at=now,
            score=score,
        )
    return classroom, question_set


def test_the_grid_and_class_report_tell_apart_two_students_of_one_name(client, teacher, namesakes):
    classroom, question_set = namesakes
    client.force_login(teacher)
    pages = [
        client.get(reverse("reports:set", args=[question_set.pk])).content.decode(),
        client.get(reverse("reports:classroom", args=[classroom.pk])).content.decode(),
    ]
    for html in pages:
        assert "Zoe B. (zoe.b)</a>" in html
        assert "Zoe B. (zoe.b2)</a>" in html
        assert "Omar Quist</a>" in html and "(omar.q)" not in html
    assert len(pages) == 2


def test_the_report_csvs_use_the_roster_name_with_the_username_beside_it(
    client, teacher, namesakes
):
    classroom, question_set = namesakes
    client.force_login(teacher)
    grid = rows_of(client.get(reverse("reports:set", args=[question_set.pk]), {"format": "csv"}))
    assert [row[:2] for row in grid[1:]] == [
        ["Omar Quist", "omar.q"],
        ["Zoe B.", "zoe.b"],
        ["Zoe B.", "zoe.b2"],
    ]
    results = rows_of(
        client.get(reverse("reports:classroom", args=[classroom.pk]), {"format": "csv"})
    )
    assert [row[:2] for row in results[1:]] == [row[:2] for row in grid[1:]]


def test_the_student_page_is_headed_with_the_roster_name(client, teacher, namesakes):
    from django.contrib.auth import get_user_model

    client.force_login(teacher)
    omar = get_user_model().objects.get(username="omar.q")
    html = client.get(reverse("reports:student", args=[omar.pk])).content.decode()
    assert "<h1>Omar Quist</h1>" in html and "username omar.q" in html
