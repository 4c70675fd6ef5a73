"""A mediator declares a conflict of interest in advance (OMR 13; SIR 15: same employer,
relation with a party or agent, earlier counsel of a party) and withdraws it: matching never
offers the mediator for a case where the name or code is a party's, an agent's or an agent's
firm's. Only the mediator themself; each change audited in its own transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.policy import require
from sutiao.roster.models import Mediator

from ..models import DeclaredConflict


@dataclass
class ConflictIn:
    kind: str  # DeclaredConflict.Kind
    name: str
    uscc: str = ""
    reason: str = ""


def _changes(c: DeclaredConflict) -> dict:
    return {"kind": c.kind, "name": c.name, "uscc": c.uscc, "reason": c.reason}


@transaction.atomic
def declare_conflict(*, actor: User, mediator: Mediator, data: ConflictIn) -> DeclaredConflict:
    require(actor, "declare_conflict", mediator)
    conflict = DeclaredConflict.objects.create(
        mediator=mediator,
        kind=data.kind,
        name=data.name.strip(),
        uscc=data.uscc.strip().upper(),
        reason=data.reason.strip(),
        declared_by=actor,
    )
    record(
        actor,
        "batch.conflict_declared",
        conflict,
        summary=conflict.name,
        changes=_changes(conflict),
    )
    return conflict


@transaction.atomic
def withdraw_conflict(*, actor: User, conflict: DeclaredConflict) -> None:
    conflict = (
        DeclaredConflict.objects.select_for_update().select_related("mediator").get(pk=conflict.pk)
    )
    require(actor, "withdraw", conflict)
    record(
        actor,
        "batch.conflict_withdrawn",
        conflict,
        summary=conflict.name,
        changes=_changes(conflict),
    )
    conflict.delete()
