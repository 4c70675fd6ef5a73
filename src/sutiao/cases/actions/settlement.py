"""Settlement steps taken from the agreement and mediation-document pages, and agreements
reached offline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, required_reason
from sutiao.institutions.models import MediationOrg
from sutiao.roster.models import Mediator

from .. import numbering
from ..choices import Channel, EndReason, PartyRole, State
from ..errors import CaseError
from ..models import (
    Case,
    CaseFile,
    Party,
)
from ._steps import _event, _locked, _now, _party_ends, _step
from .application import PartyIn, _party, _title_and_kind
from .files import _store_file


@transaction.atomic
def refuse_to_sign(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """A party refuses to sign the agreement: mediation ends with OMR 25 reason 7."""
    at = _now(at)
    reason = required_reason(reason)

    return _party_ends(
        case.pk,
        "refuse_to_sign",
        actor,
        at=at,
        reason=EndReason.REFUSES_TO_SIGN,
        failure_reasons=reason,
        refusal=reason,
    )


@transaction.atomic
def withdraw_settlement(
    *, actor: User, case: Case, reason: str, at: datetime | None = None
) -> Case:
    """Before the mediation document takes effect a party may change its mind; the court then
    gives judgment (CPL 102): the entrusted case returns to trial."""
    reason = required_reason(reason)
    return _step(case.pk, "withdraw_settlement", actor, at=at, summary=reason, reason=reason)


def _mediated_for(actor: User, org: MediationOrg) -> bool:
    """Whether `org` has mediated a case of the actor's (one of its mediators took it): what a
    party needs to name it as the organisation that presided over an agreement reached
    offline."""
    return (
        Case.objects.filter(org=org, parties__user=actor, mediator__isnull=False)
        .exclude(channel=Channel.OFFLINE)
        .exists()
    )


@transaction.atomic
def record_offline_settlement(
    *,
    actor: User,
    org: MediationOrg,
    title: str,
    parties: list[PartyIn],
    ip_kind: str = "",
    claims: str = "",
    description: str = "",
    settled_at: datetime | None = None,
    as_party: PartyIn | None = None,
    scan: File | None = None,
) -> Case:
    """An agreement reached offline (Notice §10) becomes a case of the organisation that
    presided, so that it can be confirmed online; `scan` (the signed paper) is stored with it.

    The organisation's staff (its administrator or one of its mediators) record it: the case
    is settled. A party (`as_party`: which of `parties` the actor is) may record it only
    naming an organisation that mediated a case of theirs; the case then stays a draft until
    the other party confirms it with their own account (`confirm_offline_settlement`).
    Nobody is attached to the case by a phone number: the other parties join with their own
    accounts."""
    at = _now(None)
    settled_at = settled_at or at
    errors: dict[str, list[str]] = {}
    staff = _records_as_staff(actor, org, as_party)
    kind = _title_and_kind(title, ip_kind, errors)
    roles = {p.role for p in parties}
    if roles != {PartyRole.APPLICANT, PartyRole.RESPONDENT}:
        errors["parties"] = [_("Name the applicant and at least one respondent.")]
    if settled_at > at:
        errors["settled_at"] = [_("The agreement cannot be signed in the future.")]
    case = Case(
        channel=Channel.OFFLINE,
        org=org,
        state=State.SETTLED if staff else State.DRAFT,
        title=(title or "").strip(),
        ip_kind=kind,
        claims=claims,
        description=description,
        created_by=actor,
        submitted_at=at,
        ended_at=settled_at if staff else None,
        end_reason=EndReason.AGREEMENT if staff else None,
        mediator=Mediator.objects.filter(user=actor, orgs=org).first() if staff else None,
    )
    rows = [_party(case, p, errors, f"parties.{i}") for i, p in enumerate(parties)]
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    case.number = numbering.org_number(org, at)
    case.save()
    _join_parties(actor, case, zip(parties, rows, strict=True), None if staff else as_party)
    if staff:
        _recorded_offline(actor, case, scan, at)
    else:
        _proposed_offline(actor, case, scan, at)
    return case


def _records_as_staff(actor: User, org: MediationOrg, as_party: PartyIn | None) -> bool:
    """True for the organisation's staff; a party may record only naming an organisation
    that mediated a case of theirs; anyone else is refused."""
    if org.pk in actor.org_ids():
        return True
    if as_party is None:
        raise Forbidden()
    if not _mediated_for(actor, org):
        raise Forbidden(
            _(
                "This organisation has not mediated a case of yours: the organisation "
                "that mediated records the agreement, or name that organisation."
            ),
            code=CaseError.OFFLINE_ORG_DID_NOT_MEDIATE,
        )
    return False


def _recorded_offline(actor: User, case: Case, scan: File | None, at: datetime) -> None:
    """The saved offline settlement on the timeline (created, then settled), with its scan,
    audited, and announced as a settlement."""
    _event(case, actor, "created", at=at, summary=case.title)
    if scan is not None:  # the signed paper agreement, scanned
        _store_file(actor, case, scan, CaseFile.Kind.DOCUMENT, None)
    _event(case, actor, "settle", at=at, before=State.DRAFT, summary=_("Agreement reached offline"))
    record(
        actor,
        "case.offline_settlement",
        case,
        summary=case.title,
        changes={"channel": Channel.OFFLINE, "org": case.org_id},
    )
    outbox.emit("case.settle", {"case": case.pk, "state": case.state, "actor": actor.pk})


def _proposed_offline(actor: User, case: Case, scan: File | None, at: datetime) -> None:
    """A party's record of an offline agreement: created, with its scan, audited; it settles
    nothing until the other party confirms."""
    _event(case, actor, "created", at=at, summary=case.title)
    if scan is not None:
        _store_file(actor, case, scan, CaseFile.Kind.DOCUMENT, None)
    record(
        actor,
        "case.offline_proposed",
        case,
        summary=case.title,
        changes={"channel": Channel.OFFLINE, "org": case.org_id, "state": case.state},
    )


def _recorder_role(case: Case) -> str | None:
    """The role of the party who recorded the case (None: the organisation did)."""
    row = case.parties.filter(user_id=case.created_by_id).first()
    return row.role if row else None


@transaction.atomic
def confirm_offline_settlement(
    *, actor: User, case: Case, settled_at: datetime | None = None, at: datetime | None = None
) -> Case:
    """The other party of an agreement reached offline that a party recorded confirms it with
    their own account (a party of the case, of the other side): the case is settled."""
    at = _now(at)
    locked = _locked(case.pk)
    if locked.channel != Channel.OFFLINE or locked.state != State.DRAFT:
        raise Conflict(
            _("This agreement reached offline is not waiting for a confirmation."),
            code=CaseError.OFFLINE_NOT_PENDING,
        )
    recorder = _recorder_role(locked)
    mine = {p.role for p in locked.parties.filter(user=actor)}
    if actor.pk == locked.created_by_id or not mine or recorder is None or recorder in mine:
        raise Forbidden(
            _(
                "Only the other party, with their own account on the case, confirms "
                "an agreement reached offline that a party recorded."
            ),
            code=CaseError.OFFLINE_NOT_THE_OTHER_PARTY,
        )
    locked.state, locked.end_reason = State.SETTLED, EndReason.AGREEMENT
    locked.ended_at = settled_at or at
    locked.save(update_fields=["state", "end_reason", "ended_at"])
    _event(
        locked, actor, "settle", at=at, before=State.DRAFT, summary=_("Agreement reached offline")
    )
    record(
        actor,
        "case.offline_confirmed",
        locked,
        summary=locked.title,
        changes={"state": [State.DRAFT, State.SETTLED]},
    )
    outbox.emit("case.settle", {"case": locked.pk, "state": locked.state, "actor": actor.pk})
    return locked


def _join_parties(
    actor: User, case: Case, rows: Iterable[tuple[PartyIn, Party]], as_party: PartyIn | None
) -> None:
    """The parties of an offline agreement: the actor is `as_party` (a party recording it);
    every other party stays unattached until they join with their own account — a phone
    number attaches nobody."""
    parties = []
    for p, row in rows:
        row.case = case
        row.user = actor if as_party is p else None
        parties.append(row)
    Party.objects.bulk_create(parties)
