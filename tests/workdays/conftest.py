from datetime import date

import pytest

from sutiao.workdays import schedule

# A made-up 2027 schedule for tests (the real one is not published yet): New Year's Day
# Friday 1 January with the weekend, and a make-up working Saturday.
SCHEDULE_2027 = [
    (date(2027, 1, 1), "holiday", "元旦"),
    (date(2027, 1, 2), "holiday", "元旦"),
    (date(2027, 1, 3), "holiday", "元旦"),
    (date(2027, 1, 9), "workday", "元旦调休上班"),
]


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test starts from the tables, not from a snapshot an earlier test cached."""
    schedule.reset()
    yield
    schedule.reset()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> schedule.Calendar:
    """The calendar the migrations seeded, read once for tests that only read it."""
    with django_db_blocker.unblock():
        return schedule.load()


@pytest.fixture(autouse=True)
def _2027_unpublished(request):
    """These tests take 2027 as the year whose official schedule is not entered (true when
    they were written). A newer chinese-calendar may ship it, and the seeding migration would
    enter it: take it out again so the tests keep testing the unpublished year."""
    if not request.node.get_closest_marker("django_db"):
        yield
        return
    request.getfixturevalue("db")
    from sutiao.workdays.models import CalendarDay, CalendarYear

    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarDay.objects.filter(date__year__gte=2027).delete()
    yield
