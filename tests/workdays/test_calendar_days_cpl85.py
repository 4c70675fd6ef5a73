"""Calendar-day periods (CPL 85): the first day is not counted; a period ending on a
holiday or rest day ends on the next working day; a make-up working day is a working day."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from sutiao.workdays.errors import CalendarIncomplete
from sutiao.workdays.periods import add_calendar_days
from sutiao.workdays.schedule import Calendar

pytestmark = pytest.mark.django_db


def package_cpl85(start: date, n: int) -> date:
    d = start + timedelta(days=n)
    while not chinese_calendar.is_workday(d):
        d += timedelta(days=1)
    return d


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        # 7 days from 9/26 end on 10/3, inside National Day: moved to Thursday 10/8.
        (date(2026, 9, 26), 7, date(2026, 10, 8)),
        # 15 days from 9/16 end on 10/1: also 10/8.
        (date(2026, 9, 16), 15, date(2026, 10, 8)),
        # 7 days from 9/18 end on 9/25, Mid-Autumn (Fri–Sun): moved to Monday 9/28.
        (date(2026, 9, 18), 7, date(2026, 9, 28)),
        # 30 days from 9/10 end on Saturday 10/10, a make-up working day: not moved.
        (date(2026, 9, 10), 30, date(2026, 10, 10)),
        # 7 days from 9/13 end on Sunday 9/20, a make-up working day: not moved.
        (date(2026, 9, 13), 7, date(2026, 9, 20)),
        # 30 days from 9/11 end on Sunday 10/11: moved to Monday 10/12.
        (date(2026, 9, 11), 30, date(2026, 10, 12)),
        # An ordinary weekend: 7 days from 11/7 end on Saturday 11/14, moved to 11/16.
        (date(2026, 11, 7), 7, date(2026, 11, 16)),
        # An ordinary weekday: unchanged.
        (date(2026, 11, 2), 15, date(2026, 11, 17)),
        # Spring Festival 2026 (2/15–23): 15 days from 2/1 end on 2/16, moved to 2/24.
        (date(2026, 2, 1), 15, date(2026, 2, 24)),
    ],
)
@pytest.mark.rule("CPL-85")
def test_period_end_moves_off_holidays_and_rest_days(start, n, end):
    assert add_calendar_days(start, n) == end
    assert package_cpl85(start, n) == end


@pytest.mark.rule("CPL-85")
def test_a_period_may_end_on_31_december_without_the_next_year():
    assert add_calendar_days(date(2026, 12, 1), 30) == date(2026, 12, 31)


@pytest.mark.rule("CPL-85", "Measures-2")
def test_moving_off_a_holiday_into_a_year_not_entered_uses_the_provisional_rule():
    cal = Calendar({2030}, {date(2030, 12, 31): "test"}, {})
    # 2031-01-01 (Wednesday) is New Year's Day by the law: the period ends on Thursday 2nd.
    assert add_calendar_days(date(2030, 12, 1), 30, cal=cal) == date(2031, 1, 2)


def test_beyond_the_provisional_rule_s_range_the_computation_refuses():
    cal = Calendar({2099}, {date(2099, 12, 31): "test"}, {})
    with pytest.raises(CalendarIncomplete) as exc:
        add_calendar_days(date(2099, 12, 1), 30, cal=cal)
    assert exc.value.year == 2100
