"""A year's holidays computed from the law, for a year whose official schedule is not entered.

The State Council publishes each year's schedule (with its make-up working days, 调休) late in
the year before; until then the platform still has to count working days into that year.
The statutory holidays themselves are fixed by 全国年节及纪念日放假办法 (as amended in 2024, in
force 2025-01-01), art. 2:

    元旦 1 January · 春节 除夕 and 初一–初三 · 清明 the Qingming solar-term day · 劳动节 1–2 May
    端午 5/5 of the lunar calendar · 中秋 8/15 of the lunar calendar · 国庆 1–3 October

and art. 6: a statutory holiday that falls on a Saturday or a Sunday gives a day off in lieu
(补假) on a working day. We put it on the first working day after the holiday (how the State
Council has always placed it). Two holidays on one day (中秋 on 1 October, as in 2020 and 2028)
also give a day in lieu, as the 2020 schedule did. Make-up working days cannot be foreseen:
a provisional year has none, so a deadline computed with it may move once the official
schedule is entered (`workdays.clocks` recomputes the stored ones, never earlier).

Lunar dates and the solar term come from lunar-python, not from a table typed by hand.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar, Solar

# Years lunar-python's tables and the 2024 Measures make sense for.
FIRST_YEAR, LAST_YEAR = 1901, 2099
ONE_DAY = timedelta(days=1)
IN_LIEU_SUFFIX = "补休"

HOLIDAY = "holiday"


def _solar(s: Solar) -> date:
    return date(s.getYear(), s.getMonth(), s.getDay())


def _lunar(year: int, month: int, day: int) -> date:
    return _solar(Lunar.fromYmd(year, month, day).getSolar())


def qingming(year: int) -> date:
    """The Qingming solar-term day of `year` (the lunar year that contains mid-April)."""
    table = Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()
    return _solar(table["清明"])


def statutory_days(year: int) -> list[tuple[date, str]]:
    """(date, holiday name) for each statutory holiday day of `year`, in date order.

    A day appears twice when two holidays fall on it."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"no provisional calendar for {year}")
    new_year = _lunar(year, 1, 1)
    days = [
        (date(year, 1, 1), "元旦"),
        (new_year - ONE_DAY, "春节"),  # 除夕: the last day of the twelfth month
        (new_year, "春节"),
        (new_year + ONE_DAY, "春节"),
        (new_year + 2 * ONE_DAY, "春节"),
        (qingming(year), "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (_lunar(year, 5, 5), "端午节"),
        (_lunar(year, 8, 15), "中秋节"),
        (date(year, 10, 1), "国庆节"),
        (date(year, 10, 2), "国庆节"),
        (date(year, 10, 3), "国庆节"),
    ]
    return sorted(days)


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[date, str]:
    """Every day off of `year` beyond the weekend: statutory days and days in lieu."""
    statutory = statutory_days(year)
    off: dict[date, str] = {}
    owed: list[tuple[date, str]] = []  # (from, name) of each day that must be given back
    for d, name in statutory:
        if d in off or d.weekday() >= 5:
            owed.append((d, name))
        off.setdefault(d, name)
    for d, name in owed:
        lieu = d + ONE_DAY
        while lieu.weekday() >= 5 or lieu in off:
            lieu += ONE_DAY
        off[lieu] = name + IN_LIEU_SUFFIX
    return dict(sorted(off.items()))


def days(year: int) -> list[tuple[date, str, str]]:
    """The provisional year as (date, kind, name) rows, the shape `load_year` takes."""
    return [(d, HOLIDAY, name) for d, name in holidays(year).items()]
