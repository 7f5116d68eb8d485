import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

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
