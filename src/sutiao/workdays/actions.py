"""Changes to the calendar; audited, one transaction each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.policies import is_platform_admin
from sutiao.audit.log import diff, record
from sutiao.core.errors import Forbidden, Invalid

from . import clocks, schedule
from .models import CalendarDay, CalendarYear

DaySpec = tuple[date | str, str, str] | Mapping[str, Any]

FIRST_YEAR, LAST_YEAR = 2000, 2100
# The server's operator, running `sutiao workdays load` on the machine (audited as such).
OPERATOR = "operator"


def _require_admin(actor: Any) -> None:
    if actor != OPERATOR and not is_platform_admin(actor):
        raise Forbidden()


def _parse(year: int, days: Iterable[DaySpec]) -> tuple[list[CalendarDay], list[str]]:
    rows: list[CalendarDay] = []
    errors: list[str] = []
    seen: set[date] = set()
    for spec in days:
        if isinstance(spec, Mapping):
            raw, kind, name = spec.get("date"), spec.get("kind"), spec.get("name", "")
        else:
            raw, kind, name = spec
        try:
            d = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        except ValueError:
            errors.append(_("Not a date: %(value)s") % {"value": raw})
            continue
        if d.year != year:
            errors.append(_("%(date)s is not in %(year)s.") % {"date": d.isoformat(), "year": year})
        if kind not in CalendarDay.Kind.values:
            errors.append(
                _("%(date)s: unknown kind %(kind)s.") % {"date": d.isoformat(), "kind": kind}
            )
        elif kind == CalendarDay.Kind.WORKDAY and d.weekday() < 5:
            errors.append(
                _("%(date)s is a weekday; a make-up working day falls on a Saturday or a Sunday.")
                % {"date": d.isoformat()}
            )
        if d in seen:
            errors.append(_("%(date)s is listed twice.") % {"date": d.isoformat()})
        seen.add(d)
        rows.append(CalendarDay(date=d, kind=str(kind), name=str(name or "").strip()[:60]))
    return rows, errors


def _state(year: CalendarYear | None, days: Iterable[CalendarDay]) -> dict[str, Any]:
    days = sorted(days, key=lambda r: r.date)
    return {
        "complete": year.complete if year else None,
        "source": year.source if year else None,
        "note": year.note if year else None,
        "holidays": [f"{r.date.isoformat()} {r.name}".strip() for r in days if r.kind == "holiday"],
        "workdays": [f"{r.date.isoformat()} {r.name}".strip() for r in days if r.kind == "workday"],
    }


@transaction.atomic
def load_year(
    actor: Any,
    year: int,
    days: Iterable[DaySpec],
    *,
    source: str,
    note: str = "",
    complete: bool = True,
) -> CalendarYear:
    """Enter (or replace) a year's official schedule: its days off and make-up working days.

    `days` lists (date, kind, name) with kind "holiday" (a day off, weekend days of the
    holiday included, as the notice lists them) or "workday" (a weekend day worked).
    Every day of the year not listed follows the Monday–Friday rule. With complete=True the
    year is used for computing time limits from the moment the transaction commits, and
    every stored deadline computed with the provisional rule for it is computed again in the
    same transaction (workdays.clocks: never earlier than the one shown; each move audited
    and the parties told). Returns the year; `calendar_year.moves` lists what moved.
    """
    _require_admin(actor)
    if not (FIRST_YEAR <= int(year) <= LAST_YEAR):
        raise Invalid(
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            fields={"year": [_("Not a supported year.")]},
        )
    year = int(year)
    rows = _checked(year, days, complete=complete)

    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    old_days = list(CalendarDay.objects.filter(date__year=year))
    before = _state(calendar_year, old_days)

    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(rows)
    calendar_year = calendar_year or CalendarYear(year=year)
    calendar_year.complete = complete
    calendar_year.source = source.strip()[:200]
    calendar_year.note = note
    calendar_year.save()
    schedule.changed()  # bulk_create sends no signal

    after = _state(calendar_year, rows)
    holidays, workdays = len(after["holidays"]), len(after["workdays"])
    moves = clocks.recompute(year, actor=actor) if complete else []
    after["deadlines_recomputed"] = len(moves)
    record(
        actor,
        "calendar.year_loaded",
        calendar_year,
        summary=f"{year}: {holidays} holidays, {workdays} make-up working days"
        + ("" if complete else " (incomplete)"),
        changes=diff(before, after),
    )
    calendar_year.moves = moves
    return calendar_year


def _checked(year: int, days: Iterable[DaySpec], *, complete: bool) -> list[CalendarDay]:
    rows, errors = _parse(year, days)
    if complete and not any(r.kind == CalendarDay.Kind.HOLIDAY for r in rows):
        errors.append(_("A complete schedule lists at least one holiday."))
    if errors:
        raise Invalid(errors[0], fields={"days": errors})
    return rows


def preview_year(actor: Any, year: int, days: Iterable[DaySpec]) -> list[clocks.Move]:
    """What entering `days` as `year`'s official schedule would do to the stored deadlines
    that read it provisionally; changes nothing."""
    _require_admin(actor)
    rows = _checked(int(year), days, complete=True)
    cal = schedule.current().with_year(int(year), [(r.date, r.kind, r.name) for r in rows])
    return clocks.moves(int(year), cal=cal)
