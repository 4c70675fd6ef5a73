"""Working-day arithmetic across the 2026 Mid-Autumn and National Day holidays.

September–October 2026 (from the State Council notice, via chinese-calendar):
  Sun 9/20 make-up working day; Fri 9/25 – Sun 9/27 Mid-Autumn;
  Thu 10/1 – Wed 10/7 National Day; Sat 10/10 make-up working day.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest

from sutiao.workdays.periods import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def package_nth_workday(start: date, n: int) -> date:
    """The same answer, computed from the package alone.

    (chinese_calendar.find_workday counts the start day itself when it is a rest day.)"""
    d = start
    while n:
        d += timedelta(days=1)
        n -= chinese_calendar.is_workday(d)
    return d


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (date(2026, 9, 20), True),  # Sunday, make-up
        (date(2026, 9, 25), False),  # Friday, Mid-Autumn
        (date(2026, 9, 28), True),
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),  # Wednesday, still National Day
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, make-up
        (date(2026, 10, 11), False),  # Sunday
        (date(2026, 11, 25), True),
        (date(2026, 11, 28), False),  # ordinary Saturday
    ],
)
@pytest.mark.rule("Measures-2")
def test_is_working_day_follows_the_notice(d, working):
    assert is_working_day(d) is working
    assert chinese_calendar.is_workday(d) is working


@pytest.mark.rule("Measures-2")
def test_three_working_days_from_30_september_end_on_the_make_up_saturday():
    # 10/1–7 are holidays; 10/8 Thu, 10/9 Fri, 10/10 Sat (make-up) are the three.
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert package_nth_workday(date(2026, 9, 30), 3) == date(2026, 10, 10)


@pytest.mark.rule("Measures-2")
def test_the_day_of_the_event_is_not_counted():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 8), 1) == date(2026, 10, 9)
    assert add_working_days(date(2026, 10, 8), 0) == date(2026, 10, 8)


@pytest.mark.rule("Measures-2")
def test_mid_autumn_is_skipped_and_the_make_up_sunday_counts():
    assert add_working_days(date(2026, 9, 24), 1) == date(2026, 9, 28)
    assert add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)  # Fri → Sun make-up
    assert add_working_days(date(2026, 9, 19), 2) == date(2026, 9, 21)
    for start, n in [(date(2026, 9, 24), 1), (date(2026, 9, 18), 1), (date(2026, 9, 19), 2)]:
        assert add_working_days(start, n) == package_nth_workday(start, n)


@pytest.mark.rule("Measures-2", "OMR-10a")
def test_two_working_days_to_choose_a_mediator_span_the_holiday():
    # Application on 9/29 (Tue): 9/30, then nothing until 10/8.
    assert add_working_days(date(2026, 9, 29), 2) == date(2026, 10, 8)


@pytest.mark.rule("Measures-2")
def test_an_event_on_a_holiday_counts_from_the_next_working_day():
    assert add_working_days(date(2026, 10, 3), 3) == date(2026, 10, 10)
    assert add_working_days(date(2026, 10, 11), 1) == date(2026, 10, 12)


def test_working_days_between_counts_after_the_first_up_to_the_last():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 1)) == 0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 10, 8), -1)
