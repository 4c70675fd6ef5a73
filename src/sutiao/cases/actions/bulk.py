"""The same lifecycle step on many cases in one action (a batch's delegation or
entrustment): what `_step` does for one case, with a constant number of queries for any
number of cases. Each case still gets its own check, clock (deadline), timeline event, audit
entry and outbox event; only the round trips are shared. All or nothing: the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Prefetch

from sutiao.accounts.models import User
from sutiao.audit.log import record_many
from sutiao.core import events, outbox
from sutiao.core.errors import NotFound
from sutiao.institutions.models import MediationOrg
from sutiao.roster.models import Mediator

from .. import lifecycle, load, numbering
from ..models import Case, CaseEvent, FiledCase, MediatorChoice
from ..policies import case_roles
from ._steps import _court, _now
from .delegation import _joint_conflict, _target
from .entrustment import entrustable, entrusted_mediations

Target = tuple[MediationOrg | None, Mediator | None]


def _locked_many(ids: list[int]) -> dict[int, Case]:
    choices = MediatorChoice.objects.select_related("mediator")
    found = {
        c.pk: c
        for c in Case.objects.select_for_update(of=("self",))
        .select_related("mediator", "court")
        .prefetch_related("parties", Prefetch("mediator_choices", queryset=choices))
        .filter(pk__in=ids)
        .order_by("pk")  # one lock order, so two bulk actions cannot deadlock
    }
    if len(found) != len(set(ids)):
        raise NotFound()
    return found


def _fields(case: Case) -> dict[str, Any]:
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}


def _write(rows: list[Case], changed: set[str]) -> None:
    # attnames (mediator_id) name their fields for bulk_update as the field names do
    names = [f.name for f in Case._meta.concrete_fields if f.attname in changed]
    Case.objects.bulk_update(rows, names)
    # bulk_update bypasses Case.save: the mediators' loads move here (load.py)
    load.moved(
        (load.counted_toward(*c._stored), load.counted_toward(c.mediator_id, c.state)) for c in rows
    )
    for c in rows:
        c._stored = (c.mediator_id, c.state)


def step_many(
    name: str,
    actor: User,
    mutations: list[tuple[int, Callable[[Case], None], dict[str, Any]]],
    *,
    at: datetime,
    prepare: Callable[[list[Case]], None] | None = None,
) -> list[Case]:
    """For each (case id, mutate, data), in the order given: `_step(case, name, mutate,
    **data)`, with the rows written in bulk. `prepare` sees the locked cases, in that order,
    before any is changed."""
    events.require_timeline("cases", name)
    cases = _locked_many([i for i, _m, _d in mutations])
    if prepare is not None:
        prepare([cases[i] for i, _m, _d in mutations])
    done: list[tuple[Case, str, dict[str, Any]]] = []
    changed: set[str] = set()
    for case_id, mutate, data in mutations:
        case = cases[case_id]
        roles = case_roles(actor, case)
        if not roles:
            raise NotFound()
        t = lifecycle.check(case, name, roles)
        before_fields = _fields(case)
        mutate(case)
        before = lifecycle.move(case, t, at=at)
        changed |= {k for k, v in _fields(case).items() if before_fields[k] != v}
        done.append((case, before, data))
    rows = [c for c, _b, _d in done]
    if changed:
        _write(rows, changed)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=c,
            at=at,
            actor=actor,
            kind=name,
            state_before=b,
            state_after=c.state,
            data=d,
        )
        for c, b, d in done
    )
    record_many(
        actor,
        f"case.{name}",
        [(c, str(c), {"state": [b, c.state], **d}) for c, b, d in done],
    )
    outbox.emit_many(
        f"case.{name}", [{"case": c.pk, "state": c.state, "actor": actor.pk} for c in rows]
    )
    return rows


def _numbered(kind: str, at: datetime, numbers: dict[int, str]) -> Callable[[list[Case]], None]:
    """A `prepare` for step_many: reserves, per court and in one go, the numbers of its
    series `kind` for the locked cases that have none yet (into `numbers`)."""

    def reserve(locked: list[Case]) -> None:
        unnumbered: dict[int, list[Case]] = defaultdict(list)
        for c in locked:
            if not c.number:
                unnumbered[_court(c).pk].append(c)
        for group in unnumbered.values():
            reserved = numbering.court_numbers(_court(group[0]), kind, at, len(group))
            numbers.update(zip((c.pk for c in group), reserved, strict=True))

    return reserve


def _routes(
    at: datetime, numbers: dict[int, str], *, also: Callable[[Case, Target], None] | None = None
) -> Callable[[Target], Callable[[Case], None]]:
    """The mutation that sends a case to its (org, mediator), as `_assign` does for one:
    the roster asked once per court and target, `also` (a channel's own check) per case."""
    checked: set[tuple[int, int | None, int | None]] = set()

    def route(target: Target) -> Callable[[Case], None]:
        org, mediator = target

        def mutate(c: Case) -> None:
            key = (_court(c).pk, org.pk if org else None, mediator.pk if mediator else None)
            if key not in checked:  # the roster answer is the same for every case here
                _target(_court(c), org, mediator)
                checked.add(key)
            if also is not None:
                also(c, target)
            c.org, c.mediator, c.assigned_at = org, mediator, at
            if not c.number:
                c.number = numbers[c.pk]

        return mutate

    return route


def _target_data(target: Target) -> dict[str, int | None]:
    org, mediator = target
    return {"org": org.pk if org else None, "mediator": mediator.pk if mediator else None}


@transaction.atomic
def delegate_many(
    *, actor: User, plan: list[tuple[Case, Target]], at: datetime | None = None
) -> list[Case]:
    """`delegate` for each (case, (org, mediator)), in the order given: the same checks
    (roster, the parties' joint choice), each case numbered in that order."""
    at = _now(at)
    numbers: dict[int, str] = {}
    route = _routes(at, numbers, also=lambda c, t: _joint_conflict(c, *t))
    return step_many(
        "delegate",
        actor,
        [(c.pk, route(target), _target_data(target)) for c, target in plan],
        at=at,
        prepare=_numbered("pre_filing", at, numbers),
    )


@transaction.atomic
def entrust_many(
    *,
    actor: User,
    plan: list[tuple[FiledCase, Target]],
    procedure: str | None = None,
    at: datetime | None = None,
) -> list[Case]:
    """`entrust` for each (filed case, (org, mediator)), in the order given: the same checks
    (the judge's court, the procedure, no mediation under way, the roster), each a new
    mediation numbered in that order with the clock of its procedure. Any filed case that may
    not be entrusted refuses the whole call before anything is written."""
    at = _now(at)
    procedures = entrustable(actor, [fc for fc, _t in plan], procedure)
    made = entrusted_mediations(
        actor, [(fc, p) for (fc, _t), p in zip(plan, procedures, strict=True)], at
    )
    numbers: dict[int, str] = {}
    route = _routes(at, numbers)
    return step_many(
        "entrust",
        actor,
        [
            (c.pk, route(target), {"procedure": p, **_target_data(target)})
            for c, (_fc, target), p in zip(made, plan, procedures, strict=True)
        ],
        at=at,
        prepare=_numbered("entrusted", at, numbers),
    )
