"""The schedules shipped with the `chinese_calendar` package, as CalendarDay rows.

Used by the seeding migration and by the admin action that reloads a year once a newer
package carries it. The names are those of the State Council notices (Chinese).
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from typing import Any

import chinese_calendar
from chinese_calendar import constants

HOLIDAY = "holiday"
WORKDAY = "workday"

# The notices' names (the package's own Chinese names shorten some: 清明, 端午, 中秋).
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
MAKE_UP_SUFFIX = "调休上班"


def package_source() -> str:
    return f"chinese-calendar {version('chinese_calendar')} (国务院办公厅节假日安排通知)"


def package_years() -> list[int]:
    """The years the installed package has a schedule for."""
    return sorted({d.year for d in constants.holidays})


def package_days(year: int) -> list[tuple[date, str, str]]:
    """(date, kind, name) for every day off and every make-up working day of `year`.

    Days off are listed whole, weekend days of a holiday included, as the notice lists them.
    """
    if year not in package_years():
        raise LookupError(f"chinese_calendar {version('chinese_calendar')} has no {year}")
    days: list[tuple[date, str, str]] = []
    for d, holiday in constants.holidays.items():
        if d.year == year:
            days.append((d, HOLIDAY, _name(holiday)))
    for d, holiday in constants.workdays.items():
        if d.year == year:
            days.append((d, WORKDAY, _name(holiday) + MAKE_UP_SUFFIX))
    return sorted(days)


def _name(holiday: Any) -> str:
    """The package maps dates to the English name (or, in some versions, a Holiday)."""
    english = getattr(holiday, "value", holiday)
    return NAMES.get(english) or getattr(holiday, "chinese", None) or str(english)


def seed_from_package(calendar_year_model: Any, calendar_day_model: Any) -> list[int]:
    """Enter every covered year not entered yet, marked complete; return the years added.

    Takes the models so that the migration can pass its historical ones. Also for tests
    that run after a flush (transactional tests empty every table, seeded ones included).
    """
    source = package_source()
    added = []
    for year in package_years():
        if calendar_year_model.objects.filter(year=year).exists():
            continue  # entered by hand already: keep it
        present = set(
            calendar_day_model.objects.filter(date__year=year).values_list("date", flat=True)
        )
        calendar_day_model.objects.bulk_create(
            [
                calendar_day_model(date=d, kind=kind, name=name)
                for d, kind, name in package_days(year)
                if d not in present
            ]
        )
        calendar_year_model.objects.create(year=year, complete=True, source=source)
        added.append(year)
    return added


def package_is_workday(d: date) -> bool:
    """The package's own answer, for tests that check our arithmetic against it."""
    return chinese_calendar.is_workday(d)
