"""The migration seeds every year chinese-calendar covers, day for day."""

from datetime import date, timedelta

import chinese_calendar
import pytest

from sutiao.workdays.models import CalendarDay, CalendarYear
from sutiao.workdays.reference import package_years, seed_from_package

pytestmark = pytest.mark.django_db


def test_every_year_the_package_covers_is_seeded_complete():
    years = package_years()
    assert years[0] == 2004 and years[-1] == 2026
    assert (
        list(
            CalendarYear.objects.filter(complete=True)
            .order_by("year")
            .values_list("year", flat=True)
        )
        == years
    )
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_seeded_calendar_agrees_with_the_package_on_every_day(seeded):
    d, end = date(2004, 1, 1), date(2026, 12, 31)
    while d <= end:
        assert seeded.is_working_day(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


@pytest.mark.rule("Measures-2")
def test_2026_make_up_working_days_are_the_weekend_days_of_the_notice():
    workdays = CalendarDay.objects.filter(date__year=2026, kind="workday")
    assert {(d.date, d.date.weekday() >= 5) for d in workdays} == {
        (date(2026, 1, 4), True),
        (date(2026, 2, 14), True),
        (date(2026, 2, 28), True),
        (date(2026, 5, 9), True),
        (date(2026, 9, 20), True),
        (date(2026, 10, 10), True),
    }
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "国庆节调休上班"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2026, 9, 25)).name == "中秋节"


def test_a_make_up_working_day_must_fall_on_a_weekend():
    from django.core.exceptions import ValidationError

    day = CalendarDay(date=date(2026, 11, 25), kind="workday", name="x")  # a Wednesday
    with pytest.raises(ValidationError):
        day.full_clean()


def test_seeding_again_after_a_flush_restores_the_calendar_and_keeps_what_is_there():
    assert seed_from_package(CalendarYear, CalendarDay) == []  # all there already
    CalendarYear.objects.filter(year__gte=2025).delete()
    CalendarDay.objects.filter(date__year__gte=2025).delete()
    CalendarDay.objects.create(date=date(2026, 10, 1), kind="holiday", name="国庆节")
    assert seed_from_package(CalendarYear, CalendarDay) == [2025, 2026]
    assert CalendarDay.objects.filter(date__year=2026).count() == 39
