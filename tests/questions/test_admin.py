import pytest
from django.urls import reverse

from quiz.core.models import Kind, Question, QuestionSet
from tests.factories import UnitFactory, multiple_choice, question_set_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def question_post(unit, kind, options, **fields):
    data = {
        "unit": unit.pk,
        "kind": kind,
        "prompt": fields.pop("prompt", "Who led the Red Army in the Civil War?"),
        "answer_year": fields.pop("answer_year", ""),
        "tolerance": fields.pop("tolerance", 0),
        "explanation": "Because.",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": 0,
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for i, option in enumerate(options):
        data[f"options-{i}-text"] = option["text"]
        data[f"options-{i}-position"] = i
        if option.get("correct"):
            data[f"options-{i}-is_correct"] = "on"
        if "place" in option:
            data[f"options-{i}-correct_position"] = option["place"]
    data.update(fields)
    return data


def add_question(client, data):
    return client.post(reverse("admin:quiz_question_add"), data)


def errors_of(response):
    """Every error the admin shows: the form's, the options' and the formset's."""
    context = response.context
    found = dict(context["adminform"].form.errors)
    for formset in context["inline_admin_formsets"]:
        found["__formset__"] = list(formset.formset.non_form_errors())
        for i, form_errors in enumerate(formset.formset.errors):
            for field, messages in form_errors.items():
                found[f"options-{i}-{field}"] = messages
    return found


FOUR = [
    {"text": "Leon Trotsky", "correct": True},
    {"text": "Joseph Stalin"},
    {"text": "Lev Kamenev"},
    {"text": "Grigory Zinoviev"},
]


def test_a_teacher_writes_a_multiple_choice_question(teacher_client, teacher):
    unit = UnitFactory()
    response = add_question(teacher_client, question_post(unit, Kind.MULTIPLE_CHOICE, FOUR))
    assert response.status_code == 302, errors_of(response)
    question = Question.objects.get()
    assert question.created_by == teacher
    assert question.correct_answer_text() == "Leon Trotsky"
    assert question.options.count() == 4


def test_two_correct_options_are_refused(teacher_client):
    options = [dict(o, correct=True) for o in FOUR[:2]] + FOUR[2:]
    response = add_question(
        teacher_client, question_post(UnitFactory(), Kind.MULTIPLE_CHOICE, options)
    )
    assert "Tick exactly one correct option (2 ticked)." in errors_of(response)["__formset__"]
    assert not Question.objects.exists()


def test_duplicate_options_are_refused_on_the_field(teacher_client):
    options = [*FOUR[:3], {"text": "leon trotsky"}]
    response = add_question(
        teacher_client, question_post(UnitFactory(), Kind.MULTIPLE_CHOICE, options)
    )
    assert errors_of(response)["options-3-text"] == ["The same option appears twice."]


def test_a_year_question_needs_its_year_and_a_sane_tolerance(teacher_client):
    unit = UnitFactory()
    response = add_question(
        teacher_client,
        question_post(unit, Kind.YEAR, [], prompt="When did Lenin die?", tolerance=25),
    )
    errors = errors_of(response)
    assert "answer_year" in errors
    assert "tolerance" in errors


def test_a_year_prompt_must_not_give_the_year_away(teacher_client):
    response = add_question(
        teacher_client,
        question_post(
            UnitFactory(), Kind.YEAR, [], prompt="When was the 1903 Congress?", answer_year=1903
        ),
    )
    assert "gives the answer away" in errors_of(response)["prompt"][0]


def test_a_typed_year_question_is_saved(teacher_client):
    response = add_question(
        teacher_client,
        question_post(
            UnitFactory(),
            Kind.YEAR,
            [],
            prompt="When did Lenin die?",
            answer_year=1924,
            tolerance=1,
        ),
    )
    assert response.status_code == 302
    assert Question.objects.get().answer_year == 1924


def test_year_options_must_be_years_with_the_right_one_ticked(teacher_client):
    options = [
        {"text": "1924"},
        {"text": "1922", "correct": True},
        {"text": "1927"},
        {"text": "soon"},
    ]
    response = add_question(
        teacher_client,
        question_post(
            UnitFactory(), Kind.YEAR, options, prompt="When did Lenin die?", answer_year=1924
        ),
    )
    errors = errors_of(response)
    assert "options-3-text" in errors
    assert "options-0-is_correct" in errors


@pytest.mark.parametrize("junk", ["¹⁹²²", "١٩٢٢", "--1922", "1922.0"])
def test_year_options_in_other_digits_are_not_years(teacher_client, junk):
    options = [
        {"text": "1924", "correct": True},
        {"text": junk},
        {"text": "1927"},
        {"text": "1930"},
    ]
    response = add_question(
        teacher_client,
        question_post(
            UnitFactory(), Kind.YEAR, options, prompt="When did Lenin die?", answer_year=1924
        ),
    )
    assert response.status_code == 200
    assert "options-1-text" in errors_of(response)
    assert not Question.objects.exists()


def test_a_chronology_needs_three_to_five_events_each_with_a_place(teacher_client):
    unit = UnitFactory()
    two = [{"text": "A", "place": 1}, {"text": "B", "place": 2}]
    response = add_question(
        teacher_client, question_post(unit, Kind.CHRONOLOGY, two, prompt="Order")
    )
    assert "3 to 5 events" in errors_of(response)["__formset__"][0]
    repeated = [{"text": "A", "place": 1}, {"text": "B", "place": 1}, {"text": "C", "place": 3}]
    response = add_question(
        teacher_client, question_post(unit, Kind.CHRONOLOGY, repeated, prompt="Order")
    )
    assert "each once" in errors_of(response)["__formset__"][0]
    missing = [{"text": "A", "place": 1}, {"text": "B"}, {"text": "C", "place": 3}]
    response = add_question(
        teacher_client, question_post(unit, Kind.CHRONOLOGY, missing, prompt="Order")
    )
    assert "options-1-correct_position" in errors_of(response)
    good = [{"text": "A", "place": 2}, {"text": "B", "place": 3}, {"text": "C", "place": 1}]
    response = add_question(
        teacher_client, question_post(unit, Kind.CHRONOLOGY, good, prompt="Order")
    )
    assert response.status_code == 302
    assert Question.objects.get().correct_answer_text() == "C → A → B"


def test_which_first_needs_exactly_two_events(teacher_client):
    three = [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C"}]
    response = add_question(
        teacher_client,
        question_post(UnitFactory(), Kind.WHICH_FIRST, three, prompt="Which came first?"),
    )
    assert "exactly two" in errors_of(response)["__formset__"][0]


def set_post(unit, **fields):
    data = {
        "title": "Week 3",
        "unit": unit.pk,
        "instructions": "",
        "published": "on",
        "seconds_per_question": 30,
        "question_count": "",
        "shuffle": "on",
        "opens_at_0": "",
        "opens_at_1": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "scoring": "accuracy",
        "feedback": "each",
        "attempts_allowed": 1,
        "leaderboard": "initials",
        "set_questions-TOTAL_FORMS": 0,
        "set_questions-INITIAL_FORMS": 0,
    }
    data.update(fields)
    return data


def test_a_teacher_creates_a_question_set_and_owns_it(teacher_client, teacher):
    response = teacher_client.post(reverse("admin:quiz_questionset_add"), set_post(UnitFactory()))
    assert response.status_code == 302
    assert QuestionSet.objects.get().owner == teacher


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"seconds_per_question": 3}, "seconds_per_question"),
        ({"seconds_per_question": 301}, "seconds_per_question"),
        (
            {
                "opens_at_0": "2026-12-01",
                "opens_at_1": "10:00",
                "closes_at_0": "2026-11-30",
                "closes_at_1": "10:00",
            },
            "closes_at",
        ),
    ],
)
def test_bad_set_settings_are_shown_on_the_field(teacher_client, fields, field):
    response = teacher_client.post(
        reverse("admin:quiz_questionset_add"), set_post(UnitFactory(), **fields)
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not QuestionSet.objects.exists()


def test_the_preview_shows_every_question_with_its_answer(teacher_client):
    question = multiple_choice(correct="Leon Trotsky")
    question_set = question_set_with([question])
    html = teacher_client.get(reverse("quiz:preview", args=[question_set.pk])).content.decode()
    assert question.prompt in html
    assert "✔ Leon Trotsky" in html


def test_students_cannot_preview_a_set(client, student):
    question_set = question_set_with([multiple_choice()])
    client.force_login(student)
    response = client.get(reverse("quiz:preview", args=[question_set.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", ["question", "questionset", "attempt", "answer"])
def test_every_quiz_admin_list_page_loads(teacher_client, model):
    question_set_with([multiple_choice()])
    assert teacher_client.get(reverse(f"admin:quiz_{model}_changelist")).status_code == 200
