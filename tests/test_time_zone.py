"""The school's clock: times are typed, stored and checked in the school's zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from quiz.core.models import Assignment
from quiz.env import time_zone
from quiz.play import sitting
from tests.factories import StudentFactory, multiple_choice, question_set_with

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def etc(tmp_path):
    return tmp_path


def test_time_zone_setting_wins(monkeypatch, etc):
    (etc / "timezone").write_text("Asia/Tokyo\n")
    monkeypatch.setenv("TIME_ZONE", "Europe/Berlin")
    assert time_zone(etc) == "Europe/Berlin"


def test_the_machines_zone_is_the_default(monkeypatch, etc):
    monkeypatch.delenv("TIME_ZONE", raising=False)
    monkeypatch.delenv("TZ", raising=False)
    (etc / "timezone").write_text("Europe/Berlin\n")
    assert time_zone(etc) == "Europe/Berlin"


def test_the_zone_is_read_from_the_localtime_link(monkeypatch, etc):
    monkeypatch.delenv("TIME_ZONE", raising=False)
    monkeypatch.delenv("TZ", raising=False)
    (etc / "localtime").symlink_to("/usr/share/zoneinfo/Europe/Berlin")
    assert time_zone(etc) == "Europe/Berlin"


def test_a_machine_with_no_zone_runs_on_utc(monkeypatch, etc):
    monkeypatch.delenv("TIME_ZONE", raising=False)
    monkeypatch.delenv("TZ", raising=False)
    assert time_zone(etc) == "UTC"


def test_a_misspelt_time_zone_stops_the_server(monkeypatch, etc):
    monkeypatch.setenv("TIME_ZONE", "Europe/Berlinn")
    with pytest.raises(ImproperlyConfigured, match="Europe/Berlinn"):
        time_zone(etc)


@pytest.mark.django_db
def test_a_window_typed_in_berlin_is_open_at_berlin_time(settings, client, classroom, teacher):
    settings.TIME_ZONE = "Europe/Berlin"
    student = StudentFactory(classroom=classroom)
    question_set = question_set_with([multiple_choice()])
    client.force_login(teacher)
    response = client.post(
        reverse("teach:assign", args=[classroom.pk]),
        {
            "question_set": question_set.pk,
            "opens_at": "2026-12-07T07:54",
            "closes_at": "2026-12-07T08:44",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.opens_at == dt.datetime(2026, 12, 7, 7, 54, tzinfo=BERLIN)
    at_0804_in_berlin = dt.datetime(2026, 12, 7, 8, 4, tzinfo=BERLIN)
    assert sitting.sets_open_to(student, at_0804_in_berlin) == [question_set]
    assert sitting.sets_open_to(student, dt.datetime(2026, 12, 7, 8, 45, tzinfo=BERLIN)) == []


@pytest.mark.django_db
def test_the_assign_form_says_which_zone_its_times_are_in(settings, client, classroom, teacher):
    settings.TIME_ZONE = "Europe/Berlin"
    question_set_with([multiple_choice()])
    client.force_login(teacher)
    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "time zone, Europe/Berlin" in page


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["questionset", "assignment"])
def test_admin_forms_with_times_say_which_zone(settings, admin_client, model):
    settings.TIME_ZONE = "Europe/Berlin"
    page = admin_client.get(reverse(f"admin:quiz_{model}_add")).content.decode()
    assert page.count("time zone, Europe/Berlin") == 2
