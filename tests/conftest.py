import os

os.environ.setdefault("SUTIAO_TESTING", "1")

import pytest  # noqa: E402

# Browser tests: the `chromium`, `in_browser` and `artifacts` fixtures (tests/browser_support.py).
pytest_plugins = ["tests.browser_support"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "rule(*ids): the rules of the register (src/sutiao/rules.toml) the test exercises",
    )


def pytest_collection_modifyitems(items):
    """A `rule` marker must name registered rules: an unknown id fails the collection."""
    from tests.rules_register import unknown

    problems = []
    for item in items:
        for mark in item.iter_markers("rule"):
            bad = unknown(mark.args) if mark.args else ["(no id)"]
            bad += [f"{k}=… (ids are positional)" for k in mark.kwargs]
            if bad:
                problems.append(f"{item.nodeid}: rule({', '.join(bad)})")
    if problems:
        raise pytest.UsageError(
            "rule markers that name no rule of src/sutiao/rules.toml:\n  " + "\n  ".join(problems)
        )


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Reference data comes from data migrations; a transactional test (live server, browser)
    flushes every table when it ends, so the next one puts it back first."""
    names = set(request.fixturenames)
    if not names & {"transactional_db", "live_server"} and not request.node.get_closest_marker(
        "django_db"
    ):
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = names & {"transactional_db", "live_server"} or (
        marker and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        from sutiao.institutions.models import IPKind, Region
        from sutiao.institutions.reference import load_ip_kinds, load_regions
        from sutiao.workdays.models import CalendarDay, CalendarYear
        from sutiao.workdays.reference import seed_from_package

        if not Region.objects.exists():
            load_regions(Region)
            load_ip_kinds(IPKind)
        if not CalendarYear.objects.exists():
            seed_from_package(CalendarYear, CalendarDay)
    yield


@pytest.fixture(autouse=True)
def _calendar_snapshot_per_test():
    """Each test's calendar changes roll back with its transaction; the process's snapshot of
    the calendar must not outlive them (production's changes commit, and commits reset it)."""
    yield
    from sutiao.workdays import schedule

    schedule.reset()
