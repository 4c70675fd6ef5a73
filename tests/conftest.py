import os

os.environ.setdefault("SUTIAO_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client
