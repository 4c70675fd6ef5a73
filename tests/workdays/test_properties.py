"""Properties of the arithmetic over every seeded year (2004–2026), checked against the
chinese-calendar package independently."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sutiao.workdays.periods import add_calendar_days, add_working_days, working_days_between

# Marked so that pytest-django runs it with the database tests, before any transactional
# test flushes the seeded tables.
pytestmark = pytest.mark.django_db

# Late enough starts that n working (or calendar) days never reach 2027, a year not entered:
# 25 working days can take five weeks and more around the holidays.
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 31))


@pytest.mark.rule("Measures-2")
@settings(max_examples=400, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=25))
def test_add_working_days_lands_n_working_days_later(seeded, start, n):
    end = add_working_days(start, n, cal=seeded)
    assert end > start
    assert seeded.is_working_day(end)
    assert working_days_between(start, end, cal=seeded) == n
    assert working_days_between(end, start, cal=seeded) == -n
    # The package agrees: the end is a working day and exactly n lie in (start, end].
    assert chinese_calendar.is_workday(end)
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(chinese_calendar.is_workday(d) for d in days) == n


@pytest.mark.rule("CPL-85")
@settings(max_examples=400, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=30))
def test_calendar_period_ends_on_the_first_working_day_from_start_plus_n(seeded, start, n):
    end = add_calendar_days(start, n, cal=seeded)
    plain = start + timedelta(days=n)
    assert end >= plain and seeded.is_working_day(end)
    assert chinese_calendar.is_workday(end)
    assert not any(
        chinese_calendar.is_workday(plain + timedelta(days=i)) for i in range((end - plain).days)
    )
