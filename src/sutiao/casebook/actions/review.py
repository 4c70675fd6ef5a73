"""A reviewer (an editor who did not write the case) decides every proposed change, approves
the public text, publishes it; an editor or reviewer withdraws it. Nothing reaches the
library without these steps: publication needs an approval, which needs every change decided
and the ground for publication recorded (lifecycle preconditions)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Invalid, required_reason
from sutiao.core.outbox import emit

from .. import anonymise, lifecycle, search
from ..errors import CasebookError
from ..models import TEXT_FIELDS, Change, State, TypicalCase
from ._steps import checked


def public_text(tc: TypicalCase, field: str) -> str:
    """A field as the public will read it: the accepted changes applied, the rest as written."""
    accepted = [
        anonymise.Proposal(c.kind, c.start, c.end, c.original, c.replacement)
        for c in tc.changes.all()
        if c.field == field and c.decision == Change.Decision.ACCEPTED
    ]
    return anonymise.apply(getattr(tc, field), accepted)


@transaction.atomic
def decide(*, actor: User, typical_case: TypicalCase, decisions: dict[int, str]) -> int:
    """Accept or reject proposed changes ({change id: "accepted" | "rejected"}); returns how
    many were decided. A change of another typical case is not found."""
    tc, _t = checked(actor, typical_case, "decide")
    allowed = {Change.Decision.ACCEPTED, Change.Decision.REJECTED}
    if not decisions or any(v not in allowed for v in decisions.values()):
        raise Invalid(_("Accept or reject each change."), code=CasebookError.BAD_DECISION)
    rows = {c.pk: c for c in tc.changes.filter(pk__in=list(decisions))}
    if len(rows) != len(decisions):
        raise Invalid(_("Accept or reject each change."), code=CasebookError.BAD_DECISION)
    now = timezone.now()
    for pk, value in decisions.items():
        row = rows[pk]
        row.decision, row.decided_by, row.decided_at = value, actor, now
    Change.objects.bulk_update(rows.values(), ["decision", "decided_by", "decided_at"])
    counts = {str(v): list(decisions.values()).count(v) for v in allowed}
    record(actor, "casebook.change_decided", tc, summary=tc.title, changes=counts)
    return len(rows)


@transaction.atomic
def return_to_editor(*, actor: User, typical_case: TypicalCase, note: str = "") -> TypicalCase:
    tc, t = checked(actor, typical_case, "return")
    lifecycle.machine.move(tc, t, at=timezone.now())
    tc.approved_at = None
    tc.save()
    record(actor, "casebook.returned", tc, summary=note.strip()[:300])
    return tc


@transaction.atomic
def approve(*, actor: User, typical_case: TypicalCase) -> TypicalCase:
    """The reviewer approves: the public text is fixed from the decided changes."""
    tc, t = checked(actor, typical_case, "approve")
    for name in TEXT_FIELDS:
        setattr(tc, f"public_{name}", public_text(tc, name))
    lifecycle.machine.move(tc, t, at=timezone.now())
    tc.reviewer, tc.approved_at = actor, timezone.now()
    tc.save()
    record(actor, "casebook.approved", tc, summary=tc.public_title)
    return tc


def _payload(tc: TypicalCase) -> dict[str, object]:
    return {"typical_case": tc.pk, "title": tc.public_title, "ip_kind": tc.ip_kind_id}


@transaction.atomic
def publish(*, actor: User, typical_case: TypicalCase) -> TypicalCase:
    """Into the public library (again, after a withdrawal): indexed for search."""
    tc, t = checked(
        actor, typical_case, lambda tc: "republish" if tc.state == State.WITHDRAWN else "publish"
    )
    lifecycle.machine.move(tc, t, at=timezone.now())
    tc.published_at, tc.withdrawn_at, tc.withdraw_reason = timezone.now(), None, ""
    tc.save()
    search.index(tc.pk, *(tc.public(name) for name in TEXT_FIELDS))
    record(actor, "casebook.published", tc, summary=tc.public_title, changes={"basis": tc.basis})
    emit("casebook.published", _payload(tc))
    return tc


@transaction.atomic
def withdraw(*, actor: User, typical_case: TypicalCase, reason: str) -> TypicalCase:
    """Out of the library at once (a party objects, an error is found); kept for the record."""
    tc, t = checked(actor, typical_case, "withdraw")
    reason = required_reason(
        reason, _("Say why the typical case is withdrawn."), code=CasebookError.BAD_DRAFT
    )
    lifecycle.machine.move(tc, t, at=timezone.now())
    tc.withdrawn_at, tc.withdraw_reason = timezone.now(), reason[:1000]
    tc.save()
    search.unindex(tc.pk)
    record(actor, "casebook.withdrawn", tc, summary=reason[:300])
    emit("casebook.withdrawn", _payload(tc))
    return tc
