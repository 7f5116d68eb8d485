import pytest

from tests.reports.school import build_school


@pytest.fixture
def school():
    return build_school()
