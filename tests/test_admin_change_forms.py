"""Change forms of the knowledge base and of questions, saved as a teacher would."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from history.models import Event, Person, Work
from quiz.core.models import Attempt, Question
from tests.factories import multiple_choice, question_set_with
from tests.test_junk_input import _form_values

pytestmark = pytest.mark.django_db

MODELS = {"event": Event, "person": Person, "work": Work}
DATE_FIELD = {"event": "start", "person": "born", "work": "published"}


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def _change_url(model_name, obj):
    app = obj._meta.app_label
    return reverse(f"admin:{app}_{model_name}_change", args=[obj.pk])


def _form_of(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return {k: v for k, v in _form_values(response.content.decode()).items() if v}


def _dated(model_name, unit):
    field = DATE_FIELD[model_name]
    return MODELS[model_name].objects.filter(unit=unit, **{f"{field}__isnull": False}).first()


@pytest.mark.parametrize("model_name", MODELS)
def test_a_change_form_sent_back_unchanged_saves(teacher_client, curated_unit, model_name):
    obj = _dated(model_name, curated_unit)
    url = _change_url(model_name, obj)
    response = teacher_client.post(url, _form_of(teacher_client, url))
    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.mark.parametrize("model_name", MODELS)
def test_a_changed_date_is_saved(teacher_client, curated_unit, model_name):
    obj = _dated(model_name, curated_unit)
    url = _change_url(model_name, obj)
    data = _form_of(teacher_client, url) | {DATE_FIELD[model_name]: "1905-01"}
    assert teacher_client.post(url, data).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, DATE_FIELD[model_name]).isoformat() == "1905-01"


@pytest.mark.parametrize("bad", ["1905-13", "soon", "1" * 40])
@pytest.mark.parametrize("model_name", MODELS)
def test_a_bad_date_comes_back_as_an_error_on_its_field(
    teacher_client, curated_unit, model_name, bad
):
    obj = _dated(model_name, curated_unit)
    before = getattr(obj, DATE_FIELD[model_name])
    url = _change_url(model_name, obj)
    data = _form_of(teacher_client, url) | {DATE_FIELD[model_name]: bad}
    response = teacher_client.post(url, data)
    assert response.status_code == 200
    assert DATE_FIELD[model_name] in response.context["adminform"].form.errors
    obj.refresh_from_db()
    assert getattr(obj, DATE_FIELD[model_name]) == before


AUTOCOMPLETE = [
    ("event", "sources"),
    ("event", "place"),
    ("person", "sources"),
    ("work", "author"),
    ("work", "sources"),
    ("idea", "people"),
    ("idea", "sources"),
]


@pytest.mark.parametrize("junk", ["abc", "²", "-1.5"])
@pytest.mark.parametrize(("model_name", "field"), AUTOCOMPLETE)
def test_a_junk_id_in_an_autocomplete_field_is_a_field_error(
    teacher_client, curated_unit, model_name, field, junk
):
    model = apps.get_model("history", model_name)
    obj = model.objects.filter(unit=curated_unit).first()
    url = _change_url(model_name, obj)
    response = teacher_client.post(url, _form_of(teacher_client, url) | {field: junk})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize("junk", ["abc", "²"])
def test_a_junk_source_on_a_question_is_a_field_error(teacher_client, curated_unit, junk):
    question = multiple_choice(curated_unit)
    url = _change_url("question", question)
    response = teacher_client.post(url, _form_of(teacher_client, url) | {"sources": junk})
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert Question.objects.get(pk=question.pk).sources.count() == 0


def test_every_view_on_site_link_leads_to_a_page(teacher_client, curated_unit, classroom, student):
    quiz_set = question_set_with([multiple_choice(curated_unit)], assign_to=classroom)
    Attempt.objects.create(
        student=student, question_set=quiz_set, question_ids=[], finished_at=timezone.now()
    )
    checked = []
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("pk").first()
        url = obj and model_admin.get_view_on_site_url(obj)
        if not url:
            continue
        response = teacher_client.get(url, follow=True)
        assert response.status_code == 200, (model, url)
        checked.append(model.__name__)
    assert {"QuestionSet", "Attempt", "Event", "Person", "Unit", "Classroom"} <= set(checked)
