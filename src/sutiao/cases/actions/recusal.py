"""Disclosure and recusal (OMR 13–14): a party that does not agree after a disclosure takes
the mediator off the case; a party may ask for another mediator with a reason, which the
organisation or the court decides; a party that refuses every mediator refuses mediation."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound, required_reason

from .. import lifecycle
from ..choices import EndReason
from ..errors import CaseError
from ..models import Case, MediatorChangeRequest
from ..policies import case_roles, parties_of
from ._steps import _event, _locked, _now, _parties_acting, _party_ends, _step


def _release(c: Case) -> None:
    c.mediator = None
    c.accepted_at = None
    if not c.org_id:
        c.assigned_at = None


def mediator_rejected(*, actor: User, case: Case, at: datetime | None = None) -> Case:
    """OMR 13: a party did not agree, after the disclosure, that the mediator goes on; the
    mediator cannot continue and the case goes back for another (in the caller's
    transaction: answering the disclosure)."""
    previous = _locked(case.pk).mediator_id
    return _step(
        case.pk,
        "mediator_rejected",
        actor,
        at=at,
        mutate=_release,
        summary=_("A party did not agree after the disclosure."),
        mediator=previous,
    )


@transaction.atomic
def request_other_mediator(
    *, actor: User, case: Case, reason: str, at: datetime | None = None
) -> list[MediatorChangeRequest]:
    """OMR 14: at any time while a mediator is on the case, a party asks for another one."""
    at = _now(at)
    case = _locked(case.pk)
    mine = _parties_acting(actor, case)
    if case.mediator_id is None or case.state not in lifecycle.REFUSABLE:
        raise Conflict(
            _("Another mediator can be asked for only while a mediator is on the case."),
            code=CaseError.NO_MEDIATOR,
        )
    reason = required_reason(reason)
    made = []
    for party in mine:
        if case.change_requests.filter(party=party, state="pending").exists():
            raise Conflict(
                _("Your request for another mediator is waiting for a decision."),
                code=CaseError.CHANGE_PENDING,
            )
        r = MediatorChangeRequest.objects.create(
            case=case,
            party=party,
            mediator_id=case.mediator_id,
            reason=reason,
            requested_by=actor,
            at=at,
        )
        made.append(r)
        _event(
            case,
            actor,
            "change_requested",
            at=at,
            before=case.state,
            summary=reason,
            party=party.pk,
            request=r.pk,
        )
        record(
            actor,
            "case.change_requested",
            case,
            summary=reason,
            changes={"party": party.pk, "mediator": case.mediator_id},
        )
    outbox.emit("case.change_requested", {"case": case.pk, "requests": [r.pk for r in made]})
    return made


@transaction.atomic
def decide_change_request(
    *,
    actor: User,
    request: MediatorChangeRequest,
    grant: bool,
    note: str = "",
    at: datetime | None = None,
) -> MediatorChangeRequest:
    """The organisation (or the court, for a mediator it assigned itself) grants the request
    (the mediator leaves the case, which goes back for another) or refuses it with a reason."""
    at = _now(at)
    case = _locked(request.case_id)
    roles = case_roles(actor, case)
    if not roles:
        raise NotFound()
    deciders = {"org_admin"} if case.org_id else {"court_clerk", "judge"}
    if not roles & deciders:
        raise Forbidden()
    request = MediatorChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.case_id != case.pk:
        raise NotFound()
    if request.state != MediatorChangeRequest.State.PENDING:
        raise Conflict(_("This request was decided already."), code=CaseError.CHANGE_DECIDED)
    note = (note or "").strip()
    if not grant and not note:
        raise Invalid(
            _("Give the reason for refusing."),
            fields={"note": [_("Give the reason for refusing.")]},
        )
    pending = case.change_requests.filter(state=MediatorChangeRequest.State.PENDING)
    if grant:
        mediator = case.mediator_id
        _step(
            case.pk,
            "replace_mediator",
            actor,
            at=at,
            mutate=_release,
            summary=request.reason,
            mediator=mediator,
            request=request.pk,
        )
        # Every pending request about that mediator is answered by the same decision.
        decided = [r for r in pending if r.mediator_id == mediator]
    else:
        decided = [request]
    _record_decision(actor, case, request, decided, grant=grant, note=note, at=at)
    request.refresh_from_db()
    return request


def _record_decision(
    actor: User,
    case: Case,
    request: MediatorChangeRequest,
    decided: list[MediatorChangeRequest],
    *,
    grant: bool,
    note: str,
    at: datetime,
) -> None:
    """Move each decided request through its table; a refusal is on the timeline, audited,
    and told to the party (a grant is the case's `replace_mediator` step)."""
    step = "grant" if grant else "refuse"
    for r in decided:
        lifecycle.REQUEST_MACHINE.move(
            r, lifecycle.REQUEST_MACHINE.check(r, step, {"decider"}), at=at
        )
        r.decided_by, r.decided_at, r.decision_note = actor, at, note
        r.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if not grant:
        _event(
            case,
            actor,
            "change_refused",
            at=at,
            before=case.state,
            summary=note,
            request=request.pk,
        )
        record(actor, "case.change_refused", case, summary=note, changes={"request": request.pk})
        outbox.emit("case.change_refused", {"case": case.pk, "request": request.pk})


@transaction.atomic
def refuse_mediation(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """OMR 14: a party that refuses every mediator refuses mediation; it is recorded and
    mediation ends with OMR 25 reason 4 (a party expressly refuses to continue). The
    mediator, where there is one, adds the course of mediation (OMR 21) afterwards."""
    at = _now(at)
    reason = required_reason(reason)
    case = _locked(case.pk)
    names = "、".join(p.name for p in parties_of(actor, case))

    why = _("%(names)s refuses every mediator: %(reason)s") % {"names": names, "reason": reason}
    return _party_ends(
        case.pk,
        "refuse_mediation",
        actor,
        at=at,
        reason=EndReason.REFUSES_TO_CONTINUE,
        failure_reasons=why,
        refusal=reason,
    )
