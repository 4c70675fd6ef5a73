import os

os.environ.setdefault("SUTIAO_TESTING", "1")

import pytest  # noqa: E402

# Browser tests: the `chromium`, `in_browser` and `artifacts` fixtures (tests/browser_support.py).
pytest_plugins = ["tests.browser_support"]


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
def _next_year_schedule(request, _reference_data):
    """Tests compute deadlines from today; near the year's end a period reaches into next year,
    whose holiday schedule the State Council has not published yet, and the platform rightly
    refuses to guess. Tests get a provisional next year (weekends and New Year's Day) so that
    they do not start failing in December. tests/workdays test the refusal itself: not there.
    """
    if not request.node.get_closest_marker("django_db") or "workdays" in request.node.path.parts:
        yield
        return
    request.getfixturevalue("db")
    from datetime import date

    from django.utils import timezone

    from sutiao.workdays import schedule
    from sutiao.workdays.models import CalendarDay, CalendarYear

    year = timezone.localdate().year + 1
    if not CalendarYear.objects.filter(year=year).exists():
        CalendarYear.objects.create(year=year, complete=True, source="provisional (tests)")
        CalendarDay.objects.get_or_create(date=date(year, 1, 1),
                                          defaults={"kind": "holiday", "name": "元旦"})
    yield
    schedule.reset()
