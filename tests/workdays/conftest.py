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
