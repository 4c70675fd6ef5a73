"""The provisional calendar computed from 全国年节及纪念日放假办法 (2024 amendment, art. 2 and 6),
checked against the official schedules the State Council published for 2025 and 2026."""

from datetime import date, timedelta

import pytest

from sutiao.workdays import provisional
from sutiao.workdays.schedule import Calendar

pytestmark = pytest.mark.django_db

# The statutory days of 2026, read off the Measures with that year's lunar dates and solar term.
STATUTORY_2026 = [
    (date(2026, 1, 1), "元旦"),
    (date(2026, 2, 16), "春节"),  # 除夕
    (date(2026, 2, 17), "春节"),  # 初一
    (date(2026, 2, 18), "春节"),
    (date(2026, 2, 19), "春节"),
    (date(2026, 4, 5), "清明节"),
    (date(2026, 5, 1), "劳动节"),
    (date(2026, 5, 2), "劳动节"),
    (date(2026, 6, 19), "端午节"),
    (date(2026, 9, 25), "中秋节"),
    (date(2026, 10, 1), "国庆节"),
    (date(2026, 10, 2), "国庆节"),
    (date(2026, 10, 3), "国庆节"),
]


@pytest.mark.rule("Measures-2")
def test_measures_art2_the_2026_statutory_days_are_exactly_the_law_s():
    assert provisional.statutory_days(2026) == STATUTORY_2026


@pytest.mark.rule("Measures-2")
@pytest.mark.parametrize("year", [2025, 2026])
def test_measures_art2_every_statutory_day_is_a_rest_day_in_the_official_schedule(seeded, year):
    official = seeded
    assert official.is_official(year)
    for d, name in provisional.statutory_days(year):
        assert not official.is_working_day(d), f"{d} {name} is a working day in {year}"


@pytest.mark.rule("Measures-2")
@pytest.mark.parametrize("year", [2025, 2026])
def test_measures_art2_every_official_holiday_block_holds_a_statutory_day(seeded, year):
    """The other way round: no official block of days off is missing from the rule."""
    statutory = {d for d, _name in provisional.statutory_days(year)}
    blocks = {}
    for d, name in seeded.holidays.items():
        if d.year == year:
            blocks.setdefault(name, set()).add(d)
    for name, days in blocks.items():
        assert days & statutory, f"{name} {sorted(days)} has no statutory day"


@pytest.mark.rule("Measures-6")
def test_measures_art6_a_holiday_on_a_weekend_gives_the_next_working_day_off():
    off = provisional.holidays(2027)
    # 国庆 2027: Friday 1 October, Saturday 2, Sunday 3 → Monday 4 and Tuesday 5 in lieu.
    assert off[date(2027, 10, 4)] == "国庆节补休" and off[date(2027, 10, 5)] == "国庆节补休"
    assert date(2027, 10, 6) not in off
    # 劳动节 2027: Saturday 1 and Sunday 2 May → Monday 3 and Tuesday 4 May.
    assert off[date(2027, 5, 3)] == off[date(2027, 5, 4)] == "劳动节补休"
    # 元旦 2027 is a Friday: no day in lieu.
    assert date(2027, 1, 4) not in off


@pytest.mark.rule("Measures-6")
def test_two_holidays_on_one_day_give_a_day_in_lieu():
    # 2028: 中秋 (8/15 lunar) is 3 October, a day of 国庆 too.
    assert (date(2028, 10, 3), "中秋节") in provisional.statutory_days(2028)
    lieu = [d for d, name in provisional.holidays(2028).items() if name.endswith("补休")]
    assert date(2028, 10, 4) in lieu


@pytest.mark.rule("Measures-2")
def test_spring_festival_is_the_eve_and_the_first_three_days_by_the_lunar_calendar():
    spring = [d for d, name in provisional.statutory_days(2027) if name == "春节"]
    assert spring == [date(2027, 2, 5) + timedelta(days=i) for i in range(4)]  # 除夕 2/5
    assert provisional.qingming(2027) == date(2027, 4, 5)
    assert provisional.qingming(2025) == date(2025, 4, 4)


def test_every_year_of_the_range_has_a_computable_calendar():
    cal = Calendar(set(), {}, {})
    for year in range(2027, provisional.LAST_YEAR + 1):
        off = provisional.holidays(year)
        assert len([d for d in off if d.weekday() < 5]) >= 9
        assert not cal.is_working_day(date(year, 1, 1))
        assert cal.is_working_day(date(year, 3, 16)) == (date(year, 3, 16).weekday() < 5)


def test_a_provisional_year_has_no_make_up_working_day():
    cal = Calendar(set(), {}, {})
    saturdays = [date(2027, 1, 2) + timedelta(days=7 * i) for i in range(52)]
    assert not any(cal.is_working_day(d) for d in saturdays)
