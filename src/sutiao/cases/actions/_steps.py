"""What every action of a case shares: the clock, the locked row, the timeline event, and
`_step`, which takes one lifecycle transition with its audit entry and outbox event."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import events, outbox
from sutiao.core.errors import Forbidden, NotFound
from sutiao.core.policy import require
from sutiao.institutions.models import Court

from .. import lifecycle
from ..choices import EndReason
from ..models import Case, CaseEvent, Party
from ..policies import case_roles, parties_of

Actor = User | Literal["system"]  # a scheduled job acts as "system"
# The actor of a timeline event: also "operator" (`sutiao workdays load` moving a deadline).
EventActor = User | str


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _court(case: Case) -> Court:
    """The case's court, where its channel guarantees one (delegated, entrusted, filed)."""
    assert case.court is not None, case.pk
    return case.court


# A case its caller locked in the current transaction (the API's one look-up, `holding`).
_HELD: ContextVar[Case | None] = ContextVar("sutiao_held_case", default=None)


@contextmanager
def holding(case: Case) -> Iterator[Case]:
    """Within this block, the next `_locked(case.pk)` returns `case` (locked by the caller,
    in the transaction still open) instead of reading and locking the row again: once, so
    that a later `_locked` of the same case reads it afresh, as before (an action that keeps
    the row as it was before its step, `_decline`, still has its own copy)."""
    token = _HELD.set(case)
    try:
        yield case
    finally:
        _HELD.reset(token)


def lock(case_id: int, *, parties: bool = False) -> Case:
    """The case's row locked until the transaction ends (NotFound when there is none), with
    its mediator; and its parties when `parties` (a step that changes none of them)."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the mediator join.
    rows = Case.objects.select_for_update(of=("self",)).select_related("mediator")
    if parties:
        rows = rows.prefetch_related("parties")
    try:
        return rows.get(pk=case_id)
    except Case.DoesNotExist:
        raise NotFound() from None


def _locked(case_id: int) -> Case:
    held = _HELD.get()
    if held is not None and held.pk == case_id and transaction.get_connection().in_atomic_block:
        _HELD.set(None)
        return held
    return lock(case_id)


def _parties_acting(actor: User, case: Case) -> list[Party]:
    """The parties `actor` acts for in this (locked) case: 404 for a stranger, 403 for
    someone in the case who is no party's."""
    require(actor, "view", case)
    mine = parties_of(actor, case)
    if not mine:
        raise Forbidden()
    return mine


def _party_ends(
    case_id: int,
    name: str,
    actor: User,
    *,
    at: datetime,
    reason: EndReason,
    failure_reasons: str,
    refusal: str,
) -> Case:
    """A party's step that ends mediation with one of OMR 25's reasons (refusing to sign,
    refusing every mediator); the mediator writes the course of mediation afterwards."""

    def ended(c: Case) -> None:
        c.end_reason, c.ended_at = reason, at
        c.failure_reasons = failure_reasons

    return _step(
        case_id,
        name,
        actor,
        at=at,
        mutate=ended,
        summary=str(reason.label),
        reason=int(reason),
        refusal=refusal,
    )


def _event(
    case: Case,
    actor: EventActor,
    kind: str,
    *,
    at: datetime,
    before: str = "",
    summary: str = "",
    **data: Any,
) -> CaseEvent:
    events.require_timeline("cases", kind)
    return CaseEvent.objects.create(
        case=case,
        at=at,
        actor=actor if isinstance(actor, User) and actor.is_authenticated else None,
        kind=kind,
        state_before=before,
        state_after=case.state,
        summary=summary[:300],
        data=data,
    )


def _step(
    case_id: int,
    name: str,
    actor: Actor,
    *,
    at: datetime | None = None,
    summary: str = "",
    mutate: Callable[[Case], None] | None = None,
    **data: Any,
) -> Case:
    """Apply one lifecycle transition with everything that goes with it."""
    at = _now(at)
    case = _locked(case_id)
    roles = {"system"} if actor == "system" else case_roles(actor, case)
    if not roles:
        raise NotFound()
    t = lifecycle.check(case, name, roles)
    if mutate:
        mutate(case)  # what the step records, set before the clock reads it
    before = lifecycle.move(case, t, at=at)
    case.save()
    _event(case, actor, name, at=at, before=before, summary=summary, **data)
    record(
        actor,
        f"case.{name}",
        case,
        summary=summary or str(case),
        changes={
            "state": [before, case.state],
            **{k: v for k, v in data.items() if k != "consents"},
        },
    )
    outbox.emit(
        f"case.{name}", {"case": case.pk, "state": case.state, "actor": getattr(actor, "pk", None)}
    )
    return case
