from collections import Counter
from itertools import combinations

import pytest
from django.urls import reverse

from quiz.core.models import Kind, Question, SetQuestion
from quiz.generator import facts_from_unit, gives_away, normal_text
from quiz.questions.saving import as_generated
from tests.factories import QuestionFactory, QuestionSetFactory, TeacherFactory

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


@pytest.mark.parametrize("junk", ["²", "¹²", "-1", "", " ", "abc", "3.0", "9" * 5000, "150"])
def test_junk_in_replace_is_refused_and_changes_nothing(teacher_client, empty_set, junk):
    before = teacher_client.post(url(empty_set), settings_for(preview="1")).context["shown"]
    response = teacher_client.post(
        url(empty_set), settings_for(replace_ticked="1", replace=["0", junk])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["replace"] == ["Bad list of replaced questions."]
    assert response.context["shown"] == []
    saved = teacher_client.post(url(empty_set), settings_for(save="1", replace=[junk]))
    assert saved.status_code == 200
    assert not Question.objects.exists() and not empty_set.set_questions.exists()
    assert teacher_client.post(url(empty_set), settings_for(preview="1")).context["shown"] == before


@pytest.mark.parametrize("junk", ["²", "0,¹²", "-1", "abc", "9" * 5000])
def test_junk_in_the_replaced_list_is_refused(teacher_client, empty_set, junk):
    response = teacher_client.post(url(empty_set), settings_for(preview="1", excluded=junk))
    assert response.status_code == 200
    assert response.context["form"].errors["excluded"] == ["Bad list of replaced questions."]
    assert not Question.objects.exists()


@pytest.mark.parametrize("field", ["count", "seed", "start_year", "end_year"])
@pytest.mark.parametrize("junk", ["²", "¹²", "abc", "9" * 5000])
def test_junk_numbers_in_the_settings_are_field_errors(teacher_client, empty_set, field, junk):
    response = teacher_client.post(url(empty_set), settings_for(preview="1", **{field: junk}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Question.objects.exists()


THREE_KINDS = [Kind.MULTIPLE_CHOICE, Kind.YEAR, Kind.WHICH_FIRST]


@pytest.mark.parametrize("seed", [1, 3, 8])
def test_the_kinds_ticked_are_shared_evenly_as_the_command_shares_them(
    teacher_client, empty_set, seed
):
    response = teacher_client.post(
        url(empty_set), settings_for(count=6, seed=seed, kinds=THREE_KINDS, preview="1")
    )
    assert Counter(q.kind for _, q in response.context["shown"]) == dict.fromkeys(THREE_KINDS, 2)
    teacher_client.post(
        url(empty_set), settings_for(count=6, seed=seed, kinds=THREE_KINDS, save="1")
    )
    saved = empty_set.ordered_questions()
    assert Counter(q.kind for q in saved) == dict.fromkeys(THREE_KINDS, 2)


def test_replacing_a_question_keeps_the_kinds_even(teacher_client, empty_set):
    data = settings_for(count=6, kinds=THREE_KINDS)
    first = teacher_client.post(url(empty_set), {**data, "preview": "1"}).context["shown"]
    year = next(index for index, q in first if q.kind == Kind.YEAR)
    second = teacher_client.post(
        url(empty_set), {**data, "replace_ticked": "1", "replace": [str(year)]}
    ).context["shown"]
    assert year not in [index for index, _ in second]
    assert Counter(q.kind for _, q in second) == dict.fromkeys(THREE_KINDS, 2)


def test_no_question_of_a_generated_set_gives_another_away(teacher_client, empty_set):
    for seed in (2, 5, 9):
        response = teacher_client.post(url(empty_set), settings_for(count=10, seed=seed, save="1"))
        assert response.status_code == 302
    facts = facts_from_unit(empty_set.unit)
    questions = [as_generated(q) for q in empty_set.ordered_questions()]
    assert len(questions) == 30
    pairs = list(combinations(questions, 2))
    assert pairs
    for a, b in pairs:
        assert not gives_away(a, b, facts), (a.prompt, b.prompt)


def prompts_and_answers(question_set):
    return [
        (normal_text(q.prompt), normal_text(q.correct_answer_text()))
        for q in question_set.ordered_questions()
    ]


def test_generating_twice_with_the_same_choices_adds_no_question_twice(teacher_client, empty_set):
    teacher_client.post(url(empty_set), settings_for(count=5, save="1"))
    response = teacher_client.post(url(empty_set), settings_for(count=5, save="1"), follow=True)
    pairs = prompts_and_answers(empty_set)
    assert len(pairs) == 10 and len(set(pairs)) == 10
    assert Question.objects.count() == 10
    assert (
        "5 questions these settings make are already in the set: "
        "others were generated in their place." in response.content.decode()
    )


def test_the_preview_says_which_questions_the_set_already_holds(teacher_client, empty_set):
    teacher_client.post(url(empty_set), settings_for(count=5, save="1"))
    in_set = {normal_text(q.prompt) for q in empty_set.ordered_questions()}
    response = teacher_client.post(url(empty_set), settings_for(count=5, preview="1"))
    shown = response.context["shown"]
    assert len(shown) == 5
    assert not in_set & {normal_text(q.prompt) for _, q in shown}
    assert "5 questions these settings make are already in the set" in response.content.decode()


def test_a_hand_written_copy_of_a_generated_question_counts_as_in_the_set(
    teacher_client, empty_set
):
    preview = teacher_client.post(url(empty_set), settings_for(count=1, kinds=[Kind.YEAR]))
    ((_, generated),) = preview.context["shown"]
    typed = QuestionFactory(
        unit=empty_set.unit,
        kind=Kind.YEAR,
        prompt=f"  {generated.prompt.upper()} ",
        answer_year=generated.answer,
    )
    SetQuestion.objects.create(question_set=empty_set, question=typed, position=1)
    teacher_client.post(url(empty_set), settings_for(count=1, kinds=[Kind.YEAR], save="1"))
    assert len(set(prompts_and_answers(empty_set))) == 2


def test_a_question_the_teacher_stored_before_is_reused_not_copied(
    teacher_client, teacher, curated_unit
):
    week5 = QuestionSetFactory(unit=curated_unit, owner=teacher)
    week6 = QuestionSetFactory(unit=curated_unit, owner=teacher)
    teacher_client.post(url(week5), settings_for(count=4, save="1"))
    teacher_client.post(url(week6), settings_for(count=4, save="1"))
    assert [q.pk for q in week6.ordered_questions()] == [q.pk for q in week5.ordered_questions()]
    assert Question.objects.count() == 4


def test_a_colleagues_stored_question_is_not_reused(teacher_client, teacher, curated_unit):
    colleague = TeacherFactory()
    theirs = QuestionSetFactory(unit=curated_unit, owner=colleague)
    mine = QuestionSetFactory(unit=curated_unit, owner=teacher)
    teacher_client.force_login(colleague)
    teacher_client.post(url(theirs), settings_for(count=4, save="1"))
    teacher_client.force_login(teacher)
    teacher_client.post(url(mine), settings_for(count=4, save="1"))
    # The same questions, but the colleague may edit theirs: these are the teacher's own.
    assert prompts_and_answers(mine) == prompts_and_answers(theirs)
    assert not {q.pk for q in mine.ordered_questions()} & {q.pk for q in theirs.ordered_questions()}
    assert all(q.created_by == teacher for q in mine.ordered_questions())


def test_the_preview_names_kinds_as_a_teacher_reads_them(teacher_client, empty_set):
    response = teacher_client.post(url(empty_set), settings_for(count=6, seed=3))
    page = response.content.decode()
    assert "<td>multiple choice</td>" in page
    assert "multiple_choice" not in page.split("<table", 1)[1].split("</table>")[0]
