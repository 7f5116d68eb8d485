"""Every page that answers GET answers HEAD too: load balancers and link checkers use it."""

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.test_security import _concrete, _routes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/health/"])
def test_head_on_the_home_page_and_the_health_check_is_200_without_a_body(client, url):
    response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


def test_every_route_answers_head_as_it_answers_get_whoever_asks(curated_unit, teacher, student):
    paths = sorted({p for p in (_concrete(r, {}) for r in _routes(get_resolver())) if p})
    assert len(paths) > 10
    checked = 0
    for user in (None, student, teacher):
        client = Client(raise_request_exception=False)
        if user:
            client.force_login(user)
        for url in paths:
            get = client.get(url).status_code
            if get == 405:  # a POST-only action
                continue
            head = client.head(url).status_code
            assert head != 405, url
            # Django's admin login redirects a signed-in GET only; HEAD shows the form.
            assert head == get or url == "/admin/login/", url
            checked += 1
    assert checked > 30
