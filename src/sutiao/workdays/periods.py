"""Time limits (RULES.md §3, §7): working-day and calendar-day periods, and deadlines.

Every function is pure over a `Calendar` snapshot: pass `cal=` to compute against a given
one, or leave it out to use the process's current calendar (`schedule.current()`).
Dates are Asia/Shanghai dates; a deadline is the end of its last day there.

A computation that reads a day of a year whose official schedule is not entered uses the
provisional rule computed from the law (`provisional`); `provisional_years(start, end)` says
which years of a period did, so that every deadline shown can say it is provisional. Only a
year outside that rule's range raises `CalendarIncomplete`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import CalendarIncomplete
from .schedule import Calendar, current

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)

__all__ = [
    "RULES",
    "SHANGHAI",
    "CalendarIncomplete",
    "Remaining",
    "Rule",
    "add_calendar_days",
    "add_working_days",
    "deadline",
    "end_date",
    "is_working_day",
    "local_date",
    "provisional_note",
    "provisional_years",
    "remaining",
    "working_days_between",
]


@dataclass(frozen=True)
class Rule:
    """A time limit: `days` working days, or `days` calendar days counted as CPL 85 says."""

    kind: Literal["working", "calendar"]
    days: int
    source: str
    label: str | Promise = ""


RULES: dict[str, Rule] = {
    # §3 assignment and acceptance
    "choose_mediator": Rule("working", 2, "OMR 10", _("Parties choose a mediator jointly")),
    "assign_mediator": Rule("working", 3, "OMR 10", _("Court assigns a mediator")),
    "accept_assignment": Rule(
        "working", 3, "OMR 12", _("Mediator confirms or declines the assignment")
    ),
    "reach_other_side": Rule("working", 3, "OMR 15", _("Mediator reaches the other party")),
    # §3 mediation period, from the day acceptance is confirmed on the platform (OMR 24)
    "mediation_delegated": Rule(
        "calendar", 30, "OMR 24; SIR 27", _("Mediation period (delegated case)")
    ),
    "mediation_direct": Rule("calendar", 30, "OMR 24; SIR 27", _("Mediation period (direct)")),
    "mediation_entrusted_ordinary": Rule(
        "calendar", 15, "OMR 24; SIR 27", _("Mediation period (entrusted, ordinary procedure)")
    ),
    "mediation_entrusted_simple": Rule(
        "calendar", 7, "OMR 24; SIR 27", _("Mediation period (entrusted, simple procedure)")
    ),
    "extension_entrusted": Rule(
        "calendar",
        30,
        "OMR 24; 2024-12-27 opinion",
        _("Extension of the mediation period (entrusted case)"),
    ),
    # §7 judicial confirmation
    "confirmation_application": Rule(
        "calendar", 30, "CPL 205", _("Application for judicial confirmation")
    ),
    "confirmation_decision": Rule(
        "calendar", 30, "CPL 187", _("Court decides on judicial confirmation")
    ),
    "objection": Rule("calendar", 15, "CPL-I 372", _("Objection to the confirmation ruling")),
}


# --- days ---------------------------------------------------------------------------------


def is_working_day(d: date, *, cal: Calendar | None = None) -> bool:
    """A working day: Monday–Friday unless a holiday, or a make-up working day."""
    return (cal or current()).is_working_day(d)


def add_working_days(start: date, n: int, *, cal: Calendar | None = None) -> date:
    """The nth working day after `start` (the day of the event is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    cal = cal or current()
    d = start
    while n:
        d += ONE_DAY
        if cal.is_working_day(d):
            n -= 1
    return d


def add_calendar_days(start: date, n: int, *, cal: Calendar | None = None) -> date:
    """The last day of an n-day period from `start`, as CPL 85 counts it.

    The first day is not counted, so the period ends on start + n; if that day is a
    statutory holiday or a rest day, the period ends on the first working day after it.
    A make-up working day (调休上班) is a working day: a period may end on a Saturday.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    cal = cal or current()
    d = start + timedelta(days=n)
    while not cal.is_working_day(d):
        d += ONE_DAY
    return d


def working_days_between(a: date, b: date, *, cal: Calendar | None = None) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is before `a`.

    working_days_between(d, add_working_days(d, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a, cal=cal)
    cal = cal or current()
    count, d = 0, a
    while d < b:
        d += ONE_DAY
        if cal.is_working_day(d):
            count += 1
    return count


def provisional_years(start: date, end: date, *, cal: Calendar | None = None) -> list[int]:
    """The years whose provisional rule a period from the event on `start` to its last day
    `end` read: the days after `start` up to and including `end` (the first day is not counted)."""
    if end <= start:
        return []
    return (cal or current()).provisional_years(start + ONE_DAY, end)


def provisional_note(year: int | None) -> str:
    """What a page or a document prints beside a deadline computed with a provisional year."""
    if not year:
        return ""
    return gettext(
        "Counted with the statutory holidays for now; final once the State Council publishes "
        "the %(year)s schedule."
    ) % {"year": year}


# --- deadlines ----------------------------------------------------------------------------


def local_date(at: datetime | date) -> date:
    """The Asia/Shanghai date of an aware datetime (a date is taken as it is)."""
    if isinstance(at, datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("a naive datetime has no date in Shanghai; pass an aware one")
        return at.astimezone(SHANGHAI).date()
    return at


def end_date(start: datetime | date, rule: str, *, cal: Calendar | None = None) -> date:
    """The last day of the period `rule` that starts with the event at `start`."""
    try:
        r = RULES[rule]
    except KeyError:
        raise KeyError(f"unknown time-limit rule {rule!r}; known: {', '.join(RULES)}") from None
    day = local_date(start)
    if r.kind == "working":
        return add_working_days(day, r.days, cal=cal)
    return add_calendar_days(day, r.days, cal=cal)


def end_of_day(d: date) -> datetime:
    """23:59:59.999999 of `d` in Shanghai, as an aware UTC datetime."""
    return datetime.combine(d, time.max, tzinfo=SHANGHAI).astimezone(UTC)


def deadline(start_at: datetime | date, rule: str, *, cal: Calendar | None = None) -> datetime:
    """When the period `rule` started by the event at `start_at` runs out (aware, UTC).

    An extension runs on from the end of the period it extends:
    `deadline(deadline(accepted_at, "mediation_entrusted_ordinary"), "extension_entrusted")`.
    """
    return end_of_day(end_date(start_at, rule, cal=cal))


@dataclass(frozen=True)
class Remaining:
    """What a countdown shows.

    days / working_days count the days after today (Shanghai) up to and including the
    deadline's day: 0 on the last day, negative once it has passed. working_days is None
    only when today or the deadline lies outside the provisional rule's years (1901–2099).
    """

    deadline: datetime
    seconds: int
    days: int
    working_days: int | None
    overdue: bool

    @property
    def last_day(self) -> bool:
        return self.days == 0 and not self.overdue


def remaining(
    deadline_at: datetime, now: datetime | None = None, *, cal: Calendar | None = None
) -> Remaining:
    now = now or datetime.now(UTC)
    today, last = local_date(now), local_date(deadline_at)
    try:
        working: int | None = working_days_between(today, last, cal=cal)
    except CalendarIncomplete:
        working = None
    seconds = (deadline_at - now).total_seconds()
    return Remaining(
        deadline=deadline_at,
        seconds=math.floor(seconds),
        days=(last - today).days,
        working_days=working,
        overdue=seconds < 0,
    )
