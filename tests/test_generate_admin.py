import pytest
from django.urls import reverse

from quiz.models import Kind, Question
from tests.factories import QuestionSetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.fixture
def empty_set(curated_unit):
    return QuestionSetFactory(unit=curated_unit, title="Week 5")


def url(question_set):
    return reverse("admin:quiz_questionset_generate", args=[question_set.pk])


def settings_for(count=6, seed=3, **extra):
    data = {"kinds": [k for k, _ in Kind.choices], "count": count, "seed": seed, "excluded": ""}
    data.update(extra)
    return data


def test_the_generate_page_offers_kinds_limits_and_a_seed(teacher_client, empty_set):
    response = teacher_client.get(url(empty_set))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only about these events" in html and "From year" in html
    assert response.context["form"]["seed"].value() is not None


def test_a_preview_shows_questions_and_saves_nothing(teacher_client, empty_set):
    response = teacher_client.post(url(empty_set), settings_for(preview="1"))
    shown = response.context["shown"]
    assert len(shown) == 6
    assert {q.kind for _, q in shown} == {k for k, _ in Kind.choices}
    assert not Question.objects.exists()


def test_replacing_one_keeps_the_others(teacher_client, empty_set):
    first = teacher_client.post(url(empty_set), settings_for(preview="1")).context["shown"]
    index, disliked = first[2]
    response = teacher_client.post(
        url(empty_set), settings_for(replace_ticked="1", replace=[str(index)])
    )
    second = response.context["shown"]
    prompts = [q.prompt for _, q in second]
    assert disliked.prompt not in prompts
    assert [q.prompt for _, q in first if q is not disliked] == [
        p for p in prompts if p in {q.prompt for _, q in first}
    ]
    assert len(second) == 6
    assert response.context["form"]["excluded"].value() == str(index)


def test_saving_stores_the_previewed_questions_in_the_set(teacher_client, empty_set, teacher):
    previewed = teacher_client.post(url(empty_set), settings_for(preview="1")).context["shown"]
    response = teacher_client.post(url(empty_set), settings_for(save="1"))
    assert response.status_code == 302
    saved = empty_set.ordered_questions()
    assert saved
    assert [q.prompt for q in saved] == [q.prompt for _, q in previewed]
    for question, (_, generated) in zip(saved, previewed, strict=True):
        assert question.template == generated.template
        assert question.created_by == teacher
        if question.kind == Kind.CHRONOLOGY:
            assert [o.text for o in question.correct_order()] == generated.answer
        elif question.kind == Kind.YEAR:
            assert question.answer_year == generated.answer
        else:
            assert question.correct_answer_text() == generated.answer
        assert [o.text for o in question.options.all()] == generated.options


def test_an_edited_generated_question_stays_as_edited(teacher_client, empty_set):
    teacher_client.post(url(empty_set), settings_for(count=1, kinds=[Kind.YEAR], save="1"))
    question = empty_set.ordered_questions()[0]
    Question.objects.filter(pk=question.pk).update(prompt="In which year, class?")
    teacher_client.post(url(empty_set), settings_for(count=2, kinds=[Kind.YEAR], save="1"))
    question.refresh_from_db()
    assert question.prompt == "In which year, class?"
    assert len(empty_set.ordered_questions()) == 3


def test_narrow_limits_say_how_many_good_questions_exist(teacher_client, empty_set, curated_unit):
    event = curated_unit.event_set.get(slug="mercader-released")
    response = teacher_client.post(
        url(empty_set),
        settings_for(count=50, kinds=[Kind.YEAR], events=[event.pk], preview="1"),
    )
    shown = response.context["shown"]
    assert 0 < len(shown) < 50
    assert f"Only {len(shown)} good questions exist" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (settings_for(count=0), "count"),
        (settings_for(kinds=["essay"]), "kinds"),
        (settings_for(start_year=1940, end_year=1900), "end_year"),
        (settings_for(excluded="1,x"), "excluded"),
    ],
)
def test_bad_generator_settings_are_explained(teacher_client, empty_set, data, field):
    response = teacher_client.post(url(empty_set), {**data, "preview": "1"})
    assert field in response.context["form"].errors
    assert not Question.objects.exists()
