"""The set editor (quiz.questions.views): a teacher builds a set on one page."""

import pytest
from django.urls import reverse

from quiz.core.models import Kind, Question, QuestionSet, SetQuestion
from tests.factories import (
    TeacherFactory,
    multiple_choice,
    question_set_with,
    year_question,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def own_set(teacher):
    first = multiple_choice()
    second = year_question(first.unit)
    Question.objects.filter(pk__in=[first.pk, second.pk]).update(created_by=teacher)
    return question_set_with([first, second], owner=teacher, title="Week 5")


@pytest.fixture
def colleagues_set(db):
    colleague = TeacherFactory(username="mr-ibsen")
    question = multiple_choice()
    Question.objects.filter(pk=question.pk).update(created_by=colleague)
    return question_set_with([question], owner=colleague, title="Ibsen's set")


def items_of(question_set):
    return list(question_set.set_questions.select_related("question"))


def mc_form(**extra):
    data = {
        "prompt": "Who founded the Red Army?",
        "option_1": "Leon Trotsky",
        "option_2": "Joseph Stalin",
        "option_3": "Grigory Zinoviev",
        "option_4": "Lev Kamenev",
        "correct": "1",
        "explanation": "Trotsky built it as Commissar for War from 1918.",
    }
    data.update(extra)
    return data


def add_url(question_set, kind):
    return reverse("sets:add", args=[question_set.pk, kind])


def test_a_teacher_starts_a_set_from_the_list_and_lands_in_its_editor(
    teacher_client, teacher, curated_unit
):
    response = teacher_client.post(
        reverse("sets:list"),
        {"title": "Revolution quiz", "unit": curated_unit.pk, "seconds_per_question": 30},
    )
    made = QuestionSet.objects.get(title="Revolution quiz")
    assert response.status_code == 302
    assert response["Location"] == reverse("sets:edit", args=[made.pk])
    assert made.owner == teacher and not made.published


def test_a_new_set_without_a_title_is_refused_on_the_field(teacher_client, curated_unit):
    response = teacher_client.post(
        reverse("sets:list"), {"title": "", "unit": curated_unit.pk, "seconds_per_question": 30}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not QuestionSet.objects.exists()


def test_the_list_shows_own_sets_apart_from_colleagues_sets(
    teacher_client, own_set, colleagues_set
):
    html = teacher_client.get(reverse("sets:list")).content.decode()
    assert html.index("Week 5") < html.index("Colleagues' sets") < html.index("Ibsen")


def test_the_editor_lists_the_questions_in_order_with_their_answers(teacher_client, own_set):
    html = teacher_client.get(reverse("sets:edit", args=[own_set.pk])).content.decode()
    first, second = (item.question for item in items_of(own_set))
    assert html.index(first.prompt) < html.index(second.prompt)
    assert "The answer" in html and "1917" in html
    assert "Move question 2 up" in html and "Remove" in html
    assert "(also: " in html and ", )" not in html


def test_a_question_added_inline_lands_at_the_end_and_a_blank_form_replaces_the_sent_one(
    teacher_client, teacher, own_set
):
    response = teacher_client.post(add_url(own_set, Kind.MULTIPLE_CHOICE), mc_form(), **HTMX)
    html = response.content.decode()
    last = items_of(own_set)[-1].question
    assert response.status_code == 200
    assert last.prompt == "Who founded the Red Army?" and last.created_by == teacher
    assert last.correct_answer_text() == "Leon Trotsky"
    assert [o.text for o in last.options.all()][1:] == [
        "Joseph Stalin",
        "Grigory Zinoviev",
        "Lev Kamenev",
    ]
    assert 'id="questions"' in html and "Question added." in html
    assert 'id="question-form-new"' in html and 'hx-swap-oob="true"' in html
    assert 'value="Leon Trotsky"' not in html  # the new form is blank


@pytest.mark.parametrize(
    ("kind", "data", "answer"),
    [
        (Kind.YEAR, {"prompt": "When did Lenin die?", "answer_year": "1924", "tolerance": "1"},
         "1924"),
        (Kind.WHICH_FIRST, {"prompt": "Which came first?", "first": "The October Revolution",
                            "second": "Lenin's death"}, "The October Revolution"),
        (Kind.CHRONOLOGY, {"prompt": "Put these in order", "event_1": "October Revolution",
                           "event_2": "Lenin's death", "event_3": "Trotsky expelled"},
         "October Revolution → Lenin's death → Trotsky expelled"),
    ],
)  # fmt: skip
def test_each_kind_is_written_with_only_its_own_fields(teacher_client, own_set, kind, data, answer):
    form_page = teacher_client.get(add_url(own_set, kind), **HTMX).content.decode()
    response = teacher_client.post(add_url(own_set, kind), data, **HTMX)
    question = items_of(own_set)[-1].question
    assert response.status_code == 200
    assert question.kind == kind and question.correct_answer_text() == answer
    assert ('name="answer_year"' in form_page) == (kind == Kind.YEAR)
    assert ('name="option_1"' in form_page) is False


def test_a_chronology_is_never_shown_in_its_correct_order(teacher_client, own_set):
    data = {
        "prompt": "Put these in order",
        "event_1": "October Revolution",
        "event_2": "Lenin's death",
        "event_3": "Trotsky expelled",
    }
    teacher_client.post(add_url(own_set, Kind.CHRONOLOGY), data, **HTMX)
    question = items_of(own_set)[-1].question
    shown = [o.text for o in question.options.all()]
    assert sorted(shown) == sorted(data[k] for k in ("event_1", "event_2", "event_3"))
    assert shown != [data["event_1"], data["event_2"], data["event_3"]]


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (Kind.MULTIPLE_CHOICE, mc_form(option_2="Leon Trotsky"), "The same option appears twice."),
        (Kind.MULTIPLE_CHOICE, mc_form(correct="5"), "The option ticked as correct is empty."),
        (Kind.MULTIPLE_CHOICE, mc_form(option_3=""), "This field is required."),
        (Kind.YEAR, {"prompt": "What happened in 1917?", "answer_year": "1917"},
         "The prompt gives the answer away"),
        (Kind.YEAR, {"prompt": "When?", "answer_year": "1917", "tolerance": "40"},
         "less than or equal to 10"),
        (Kind.CHRONOLOGY, {"prompt": "Order", "event_1": "A", "event_2": "B", "event_3": "C",
                           "event_5": "E"}, "without gaps"),
    ],
)  # fmt: skip
def test_a_form_with_a_mistake_comes_back_with_the_error_on_its_field_and_nothing_lost(
    teacher_client, own_set, kind, data, message
):
    response = teacher_client.post(add_url(own_set, kind), data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#question-form-new"
    assert message in html
    assert f"{data['prompt']}</textarea>" in html  # what was typed is still there
    assert len(items_of(own_set)) == 2


def test_without_javascript_an_added_question_brings_the_page_back_with_a_message(
    teacher_client, own_set
):
    response = teacher_client.post(add_url(own_set, Kind.MULTIPLE_CHOICE), mc_form(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sets:edit", args=[own_set.pk])
    assert "Question added." in response.content.decode()


def test_without_javascript_a_mistake_shows_the_whole_page_with_the_form(teacher_client, own_set):
    response = teacher_client.post(add_url(own_set, Kind.MULTIPLE_CHOICE), mc_form(correct=""))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Choose which option is correct." in html and 'id="questions"' in html


def test_an_unknown_kind_is_a_404(teacher_client, own_set):
    assert teacher_client.get(add_url(own_set, "essay")).status_code == 404


def test_the_edit_form_comes_filled_in_with_the_question(teacher_client, own_set):
    item = items_of(own_set)[0]
    html = teacher_client.get(
        reverse("sets:change", args=[own_set.pk, item.pk]), **HTMX
    ).content.decode()
    assert item.question.prompt in html
    assert 'value="Leon Trotsky"' in html and "Edit this multiple choice question" in html


def test_an_edit_of_a_question_nobody_answered_changes_it_in_place(teacher_client, own_set):
    item = items_of(own_set)[0]
    url = reverse("sets:change", args=[own_set.pk, item.pk])
    response = teacher_client.post(url, mc_form(prompt="Who led the Red Army?"), **HTMX)
    item.refresh_from_db()
    assert response.status_code == 200 and "Question saved." in response.content.decode()
    assert item.question.pk == items_of(own_set)[0].question.pk
    assert Question.objects.get(pk=item.question_id).prompt == "Who led the Red Army?"


def test_an_edit_of_an_answered_question_is_saved_as_a_new_one_for_this_set_only(
    teacher_client, own_set, student
):
    from django.utils import timezone

    from quiz.core.models import Answer, Attempt

    item = items_of(own_set)[0]
    old = item.question
    attempt = Attempt.objects.create(student=student, question_set=own_set)
    Answer.objects.create(
        attempt=attempt, question=old, position=0, shown_at=timezone.now(), deadline=timezone.now()
    )
    url = reverse("sets:change", args=[own_set.pk, item.pk])
    response = teacher_client.post(url, mc_form(prompt="Who led the Red Army?"), **HTMX)
    item.refresh_from_db()
    old.refresh_from_db()
    assert "Saved as a new question" in response.content.decode()
    assert item.question_id != old.pk and item.question.prompt == "Who led the Red Army?"
    assert old.prompt != "Who led the Red Army?"  # what the student saw stays as it was


def test_an_edit_of_a_colleagues_question_copies_it_into_the_teachers_own(
    teacher_client, teacher, own_set, colleagues_set
):
    theirs = items_of(colleagues_set)[0].question
    item = SetQuestion.objects.create(question_set=own_set, question=theirs, position=9)
    url = reverse("sets:change", args=[own_set.pk, item.pk])
    teacher_client.post(url, mc_form(prompt="My version"), **HTMX)
    item.refresh_from_db()
    theirs.refresh_from_db()
    assert item.question.created_by == teacher and item.question.prompt == "My version"
    assert theirs.prompt != "My version"


def test_moving_a_question_swaps_it_with_its_neighbour_and_keeps_focus_on_the_button(
    teacher_client, own_set
):
    first, second = items_of(own_set)
    url = reverse("sets:move", args=[own_set.pk, second.pk])
    response = teacher_client.post(url, {"direction": "up"}, **HTMX)
    html = response.content.decode()
    assert [i.pk for i in items_of(own_set)] == [second.pk, first.pk]
    focused = html[: html.index("data-autofocus")]
    assert focused.rindex('value="up"') > focused.rindex(f"item-{second.pk}")


def test_the_first_question_cannot_go_up_and_a_bad_direction_is_a_400(teacher_client, own_set):
    first, second = items_of(own_set)
    url = reverse("sets:move", args=[own_set.pk, first.pk])
    assert teacher_client.post(url, {"direction": "up"}, **HTMX).status_code == 200
    assert teacher_client.post(url, {"direction": "sideways"}, **HTMX).status_code == 400
    assert [i.pk for i in items_of(own_set)] == [first.pk, second.pk]


def test_a_removed_question_leaves_the_set_but_stays_in_the_bank(teacher_client, own_set):
    first, second = items_of(own_set)
    url = reverse("sets:remove", args=[own_set.pk, first.pk])
    response = teacher_client.post(url, **HTMX)
    assert "Removed from the set" in response.content.decode()
    assert [i.pk for i in items_of(own_set)] == [second.pk]
    assert Question.objects.filter(pk=first.question_id).exists()


def test_generated_questions_are_added_at_the_end_of_the_same_list(
    teacher_client, teacher, curated_unit
):
    question_set = QuestionSet.objects.create(title="Generated", unit=curated_unit, owner=teacher)
    url = reverse("sets:generate", args=[question_set.pk])
    response = teacher_client.post(
        url, {"kinds": [Kind.YEAR, Kind.WHICH_FIRST], "count": 4}, **HTMX
    )
    questions = [i.question for i in items_of(question_set)]
    assert (
        response.status_code == 200 and "Added 4 generated questions." in response.content.decode()
    )
    assert len(questions) == 4
    assert {q.kind for q in questions} <= {Kind.YEAR, Kind.WHICH_FIRST}
    assert all(q.is_generated for q in questions)


@pytest.mark.parametrize("data", [{"kinds": [], "count": 4}, {"kinds": ["year"], "count": 99}])
def test_a_bad_generate_request_is_refused_on_the_form(teacher_client, own_set, data):
    url = reverse("sets:generate", args=[own_set.pk])
    response = teacher_client.post(url, data, **HTMX)
    assert response.status_code == 422 and response["HX-Retarget"] == "#generate"
    assert len(items_of(own_set)) == 2


def test_a_colleagues_set_is_read_only_and_every_change_to_it_is_refused(
    teacher_client, colleagues_set
):
    item = items_of(colleagues_set)[0]
    html = teacher_client.get(reverse("sets:edit", args=[colleagues_set.pk])).content.decode()
    assert "This set is a colleague" in html and "Move question" not in html
    refused = [
        teacher_client.post(add_url(colleagues_set, Kind.MULTIPLE_CHOICE), mc_form()),
        teacher_client.post(reverse("sets:change", args=[colleagues_set.pk, item.pk]), mc_form()),
        teacher_client.post(reverse("sets:move", args=[colleagues_set.pk, item.pk]), {"direction": "down"}),
        teacher_client.post(reverse("sets:remove", args=[colleagues_set.pk, item.pk])),
        teacher_client.post(reverse("sets:generate", args=[colleagues_set.pk]), {"kinds": ["year"], "count": 2}),
        teacher_client.post(reverse("sets:archive", args=[colleagues_set.pk]), {"archived": "1"}),
    ]  # fmt: skip
    assert [r.status_code for r in refused] == [403] * 6
    assert [i.pk for i in items_of(colleagues_set)] == [item.pk]
    colleagues_set.refresh_from_db()
    assert not colleagues_set.archived


def test_a_colleagues_set_duplicated_becomes_the_teachers_own_copy(
    teacher_client, teacher, colleagues_set
):
    response = teacher_client.post(reverse("sets:duplicate", args=[colleagues_set.pk]))
    copy = QuestionSet.objects.get(owner=teacher)
    assert response["Location"] == reverse("sets:edit", args=[copy.pk])
    assert copy.title == "Ibsen's set (copy)" and not copy.published
    assert [i.question_id for i in items_of(copy)] == [
        i.question_id for i in items_of(colleagues_set)
    ]


def test_an_archived_set_is_unpublished_and_out_of_the_list_until_asked_for(
    teacher_client, own_set
):
    teacher_client.post(reverse("sets:archive", args=[own_set.pk]), {"archived": "1"})
    own_set.refresh_from_db()
    assert own_set.archived and not own_set.published
    assert "Week 5" not in teacher_client.get(reverse("sets:list")).content.decode()
    assert "Week 5" in teacher_client.get(reverse("sets:list") + "?archived=1").content.decode()
    teacher_client.post(reverse("sets:archive", args=[own_set.pk]), {"archived": "0"})
    own_set.refresh_from_db()
    assert not own_set.archived


def test_a_student_cannot_open_the_editor(client, student, own_set):
    client.force_login(student)
    response = client.get(reverse("sets:edit", args=[own_set.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
