"""Stored deadlines that know how they were computed, so that they can be computed again.

A row with a running time limit (a case, a judicial application) keeps three things beside
its `clock` (the rule's name) and `deadline_at`:

- `clock_basis`: the event's day and the stages that led to the deadline — the rule, then
  each later prolongation in calendar days (an extension, time excluded for an appraisal),
  each counted from the end of the stage before it, with the floor a stage may not end
  before (a deadline already shown to the people concerned);
- `deadline_provisional_year`: the first year whose provisional rule the computation read,
  or None when every day it read is official.

When an official schedule is entered (`workdays.actions.load_year`) every stored deadline
that read that year is computed again with it (`recompute`): a later end replaces the
shown one; an earlier end does not (the people concerned relied on the one they were
shown), and both are recorded. Domains register their clocked models and what to do when a
deadline moves (audit entry, notices), so that workdays depends on none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext

from sutiao.audit.log import record
from sutiao.core import outbox

from . import periods
from .schedule import Calendar, current


@dataclass(frozen=True)
class Stage:
    """One step of a deadline: a rule of periods.RULES, or n calendar days (CPL 85)."""

    rule: str = ""
    days: int = 0
    floor: date | None = None

    def end(self, start: date, cal: Calendar) -> date:
        if self.rule:
            end = periods.end_date(start, self.rule, cal=cal)
        else:
            end = periods.add_calendar_days(start, self.days, cal=cal)
        return max(end, self.floor) if self.floor else end


@dataclass(frozen=True)
class Basis:
    start: date
    stages: tuple[Stage, ...] = field(default_factory=tuple)

    @classmethod
    def load(cls, raw: dict[str, Any] | None) -> Basis | None:
        if not raw or "start" not in raw:
            return None
        stages = tuple(
            Stage(
                rule=s.get("rule", ""),
                days=int(s.get("days", 0)),
                floor=date.fromisoformat(s["floor"]) if s.get("floor") else None,
            )
            for s in raw.get("stages", [])
        )
        return cls(date.fromisoformat(raw["start"]), stages)

    def dump(self) -> dict[str, Any]:
        stages = []
        for s in self.stages:
            item: dict[str, Any] = {"rule": s.rule} if s.rule else {"days": s.days}
            if s.floor:
                item["floor"] = s.floor.isoformat()
            stages.append(item)
        return {"start": self.start.isoformat(), "stages": stages}

    def then(self, stage: Stage) -> Basis:
        return Basis(self.start, (*self.stages, stage))

    def floored(self, last_day: date) -> Basis:
        """The same basis whose last stage may not end before `last_day`."""
        *head, last = self.stages
        return Basis(self.start, (*head, Stage(last.rule, last.days, last_day)))


@dataclass(frozen=True)
class Computed:
    end: date
    deadline_at: datetime
    provisional_year: int | None


def compute(basis: Basis, *, cal: Calendar | None = None) -> Computed:
    cal = cal or current()
    end = basis.start
    for stage in basis.stages:
        end = stage.end(end, cal)
    years = periods.provisional_years(basis.start, end, cal=cal)
    return Computed(end, periods.end_of_day(end), years[0] if years else None)


# --- on a row: fields clock, deadline_at, clock_basis (JSON), deadline_provisional_year ----


def _apply(obj: Any, basis: Basis, computed: Computed) -> None:
    obj.clock_basis = basis.dump()
    obj.deadline_at = computed.deadline_at
    obj.deadline_provisional_year = computed.provisional_year


def start(
    obj: Any, rule: str, at: datetime | date, *, clock: str | None = None, days: int = 0
) -> None:
    """Start the time limit `rule` (or, without one, `days` calendar days) from the event at
    `at`; `clock` names it when it is not the rule (the caller saves)."""
    stage = Stage(rule=rule) if rule else Stage(days=days)
    basis = Basis(periods.local_date(at), (stage,))
    obj.clock = clock or rule
    _apply(obj, basis, compute(basis))


def prolong(obj: Any, days: int) -> None:
    """Add `days` calendar days from the end of the current deadline (the caller saves)."""
    basis = Basis.load(obj.clock_basis)
    if basis is None:  # a row from before bases were stored: go on from the shown deadline
        basis = Basis(periods.local_date(obj.deadline_at), ())
    basis = basis.then(Stage(days=days))
    _apply(obj, basis, compute(basis))


def stop(obj: Any) -> None:
    obj.clock, obj.deadline_at = "", None
    obj.clock_basis, obj.deadline_provisional_year = {}, None


def set_fixed(obj: Any, clock: str, deadline_at: datetime) -> None:
    """A deadline set by a person (a judge's date), not computed: nothing to recompute."""
    obj.clock, obj.deadline_at = clock, deadline_at
    obj.clock_basis, obj.deadline_provisional_year = {}, None


# --- recomputing once an official year is entered --------------------------------------------


@dataclass(frozen=True)
class Move:
    """What entering a year does to one stored deadline."""

    obj: Any
    before: datetime
    computed: datetime
    after: datetime  # what stays shown: the later of before and computed
    provisional_year: int | None

    @property
    def kept_later(self) -> bool:
        return self.computed < self.before

    @property
    def moved(self) -> bool:
        return self.after != self.before

    def days(self) -> dict[str, str]:
        """The three last days (Shanghai), ISO, for timelines, audit entries and notices."""
        return {
            "before": periods.local_date(self.before).isoformat(),
            "computed": periods.local_date(self.computed).isoformat(),
            "after": periods.local_date(self.after).isoformat(),
        }

    def summary(self) -> str:
        if self.kept_later:
            return (
                gettext(
                    "The official schedule gives %(computed)s; the deadline already shown, "
                    "%(after)s, stays."
                )
                % self.days()
            )
        return (
            gettext("The official schedule moves the deadline from %(before)s to %(after)s.")
            % self.days()
        )

    def payload(self, case_id: int, actor: Any) -> dict[str, Any]:
        """The outbox event `deadline.moved` (delivery tells the parties)."""
        return {
            "case": case_id,
            "rule": self.obj.clock,
            "before": self.days()["before"],
            "deadline": self.days()["after"],
            "actor": getattr(actor, "pk", None),
        }

    def audit(self, actor: Any, event: str, *, case_id: int) -> None:
        """The audit entry `event` (the domain's registered name) for this move, and where the
        deadline moved, the outbox event `deadline.moved`; inside the domain's transaction."""
        days = self.days()
        record(
            actor,
            event,
            self.obj,
            summary=self.summary(),
            changes={"deadline": [days["before"], days["after"]], "computed": days["computed"]},
        )
        if self.moved:
            outbox.emit("deadline.moved", self.payload(case_id, actor))


OnMoved = Callable[[Move, Any], None]  # (move, actor): audit entry, notices


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    on_moved: OnMoved


_registry: list[Registration] = []


def register(model: type[models.Model], *, on_moved: OnMoved) -> None:
    """A domain's clocked model, and what to do when one of its deadlines moves."""
    if not any(r.model is model for r in _registry):
        _registry.append(Registration(model, on_moved))


def registrations() -> list[Registration]:
    return list(_registry)


def _affected(model: type[models.Model], year: int, *, lock: bool) -> Iterable[Any]:
    qs = model._default_manager.filter(
        deadline_at__isnull=False,
        deadline_provisional_year__isnull=False,
        deadline_provisional_year__lte=year,
    ).order_by("pk")
    return qs.select_for_update(of=("self",)) if lock else qs


def moves(year: int, *, cal: Calendar | None = None, lock: bool = False) -> list[Move]:
    """What computing every stored deadline that read `year` again with `cal` gives."""
    cal = cal or current()
    found: list[Move] = []
    for reg in _registry:
        for obj in _affected(reg.model, year, lock=lock):
            basis = Basis.load(obj.clock_basis)
            if basis is None:
                continue
            computed = compute(basis, cal=cal)
            after = max(obj.deadline_at, computed.deadline_at)
            found.append(
                Move(obj, obj.deadline_at, computed.deadline_at, after, computed.provisional_year)
            )
    return found


def recompute(year: int, *, actor: Any) -> list[Move]:
    """Compute again, with the calendar as it now stands, every stored deadline that read a
    provisional `year`; save each, and tell its domain when the shown deadline changed or a
    later one was kept. Runs in the caller's transaction (the year's entry)."""
    done = moves(year, lock=True)
    on_moved = {r.model: r.on_moved for r in _registry}
    for move in done:
        obj = move.obj
        basis = Basis.load(obj.clock_basis)
        assert basis is not None  # moves() skipped the others
        if move.kept_later:
            basis = basis.floored(periods.local_date(move.before))
        obj.clock_basis = basis.dump()
        obj.deadline_at = move.after
        obj.deadline_provisional_year = move.provisional_year
        obj.save(update_fields=["clock_basis", "deadline_at", "deadline_provisional_year"])
        if move.moved or move.kept_later:
            on_moved[type(obj)](move, actor)
    return done
