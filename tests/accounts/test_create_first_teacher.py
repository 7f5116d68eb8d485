import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("create_first_teacher", stdout=out)
    return out.getvalue()


def test_it_creates_a_teacher_with_a_random_password_printed_once():
    output = run()
    password = re.search(r"password: (\S+)", output).group(1)
    user = authenticate(username="teacher", password=password)
    assert user is not None and user.is_staff and user.is_superuser
    second = run()
    assert "already exists" in second
    assert password not in second
    assert get_user_model().objects.count() == 1


def test_two_fresh_databases_get_different_passwords():
    first = re.search(r"password: (\S+)", run()).group(1)
    get_user_model().objects.all().delete()
    second = re.search(r"password: (\S+)", run()).group(1)
    assert first != second


def username_of_the_teacher():
    return get_user_model().objects.get(is_staff=True).username


def test_first_teacher_takes_its_username_from_the_environment(monkeypatch):
    monkeypatch.setenv("FIRST_TEACHER", "ms.okafor")
    assert "username: ms.okafor" in run()
    assert username_of_the_teacher() == "ms.okafor"


def test_the_username_option_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("FIRST_TEACHER", "ms.okafor")
    call_command("create_first_teacher", "--username", "mr.lind", stdout=StringIO())
    assert username_of_the_teacher() == "mr.lind"


def test_a_username_django_would_refuse_is_a_clear_error_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("FIRST_TEACHER", "no spaces please")
    with pytest.raises(CommandError, match="cannot be a username"):
        run()
    assert not get_user_model().objects.exists()


def test_at_a_terminal_it_asks_and_asks_again_after_a_bad_answer(monkeypatch):
    monkeypatch.delenv("FIRST_TEACHER", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["bad name!", "head.of.history"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    err = StringIO()
    call_command("create_first_teacher", stdout=StringIO(), stderr=err)
    assert "cannot be a username" in err.getvalue()
    assert username_of_the_teacher() == "head.of.history"


def test_at_a_terminal_enter_keeps_the_default(monkeypatch):
    monkeypatch.delenv("FIRST_TEACHER", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "")
    run()
    assert username_of_the_teacher() == "teacher"


def test_without_a_terminal_or_a_name_it_never_asks(monkeypatch):
    monkeypatch.delenv("FIRST_TEACHER", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked"))
    call_command("create_first_teacher", "--no-input", stdout=StringIO())
    assert username_of_the_teacher() == "teacher"
