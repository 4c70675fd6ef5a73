"""One snapshot per process, dropped when the calendar changes here, rebuilt when it
changes in another process."""

from datetime import date

import pytest
from django.utils import timezone

from sutiao.workdays import schedule
from sutiao.workdays.models import CalendarDay, CalendarYear
from sutiao.workdays.periods import add_working_days, is_working_day

pytestmark = pytest.mark.django_db


def test_the_snapshot_is_reused(django_assert_num_queries):
    first = schedule.current()
    with django_assert_num_queries(0):
        assert schedule.current() is first
        is_working_day(date(2026, 10, 10))
        add_working_days(date(2026, 9, 30), 3)


def test_an_edit_in_this_process_is_seen_at_once():
    assert add_working_days(date(2026, 11, 24), 1) == date(2026, 11, 25)
    CalendarDay.objects.create(date=date(2026, 11, 25), kind="holiday", name="test")
    assert add_working_days(date(2026, 11, 24), 1) == date(2026, 11, 26)


def test_a_change_by_another_process_is_seen_after_the_recheck_interval(monkeypatch):
    assert is_working_day(date(2026, 11, 25))
    # Another process marks 2026 incomplete (no signal reaches this one): from then on the
    # provisional rule, which has no make-up working day on Saturday 10 October.
    assert is_working_day(date(2026, 10, 10))
    CalendarYear.objects.filter(year=2026).update(complete=False, updated_at=timezone.now())
    assert is_working_day(date(2026, 10, 10))  # still the snapshot
    monkeypatch.setattr(schedule, "RECHECK_SECONDS", 0.0)
    assert not is_working_day(date(2026, 10, 10))


def test_an_unchanged_calendar_is_only_fingerprinted(monkeypatch, django_assert_num_queries):
    first = schedule.current()
    monkeypatch.setattr(schedule, "RECHECK_SECONDS", 0.0)
    with django_assert_num_queries(2):
        assert schedule.current() is first
