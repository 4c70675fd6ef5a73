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
from sutiao.core.errors import Forbidden, Invalid
from sutiao.institutions.models import MediationOrg
from sutiao.roster.models import Mediator

from .. import numbering
from ..choices import Channel, EndReason, PartyRole, State
from ..models import (
    Case,
    CaseFile,
    Party,
)
from ._steps import _event, _now, _step
from .application import PartyIn, _party, _title_and_kind
from .files import _store_file


@transaction.atomic
def refuse_to_sign(*, actor: User, case: Case, reason: str, at: datetime | None = None) -> Case:
    """A party refuses to sign the agreement: mediation ends with OMR 25 reason 7."""
    at = _now(at)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})

    def report(c: Case) -> None:
        c.end_reason, c.ended_at = EndReason.REFUSES_TO_SIGN, at
        c.failure_reasons = reason

    return _step(
        case.pk,
        "refuse_to_sign",
        actor,
        at=at,
        mutate=report,
        summary=str(EndReason.REFUSES_TO_SIGN.label),
        reason=int(EndReason.REFUSES_TO_SIGN),
        refusal=reason,
    )


@transaction.atomic
def withdraw_settlement(
    *, actor: User, case: Case, reason: str, at: datetime | None = None
) -> Case:
    """Before the mediation document takes effect a party may change its mind; the court then
    gives judgment (CPL 102): the entrusted case returns to trial."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Give the reason."), fields={"reason": [_("Give the reason.")]})
    return _step(case.pk, "withdraw_settlement", actor, at=at, summary=reason, reason=reason)


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
    """An agreement reached offline (Notice §10) becomes a settled case of the organisation
    that presided, so that it can be confirmed online; `scan` (the signed paper) is stored
    with it. The organisation's staff record it, or a party (`as_party`: which of `parties`
    the actor is)."""
    at = _now(None)
    settled_at = settled_at or at
    errors: dict[str, list[str]] = {}
    staff = org.pk in actor.org_ids()
    if not staff and as_party is None:
        raise Forbidden()
    kind = _title_and_kind(title, ip_kind, errors)
    roles = {p.role for p in parties}
    if roles != {PartyRole.APPLICANT, PartyRole.RESPONDENT}:
        errors["parties"] = [_("Name the applicant and at least one respondent.")]
    if settled_at > at:
        errors["settled_at"] = [_("The agreement cannot be signed in the future.")]
    case = Case(
        channel=Channel.OFFLINE,
        org=org,
        state=State.SETTLED,
        title=(title or "").strip(),
        ip_kind=kind,
        claims=claims,
        description=description,
        created_by=actor,
        submitted_at=at,
        ended_at=settled_at,
        end_reason=EndReason.AGREEMENT,
        mediator=Mediator.objects.filter(user=actor, orgs=org).first() if staff else None,
    )
    rows = [_party(case, p, errors, f"parties.{i}") for i, p in enumerate(parties)]
    if errors:
        raise Invalid.from_django(ValidationError(errors))
    case.number = numbering.org_number(org, at)
    case.save()
    _join_parties(actor, case, zip(parties, rows, strict=True), as_party)
    _recorded_offline(actor, case, scan, at)
    return case


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


def _join_parties(
    actor: User, case: Case, rows: Iterable[tuple[PartyIn, Party]], as_party: PartyIn | None
) -> None:
    """The parties of an offline agreement: the actor is `as_party`; a party registered on
    the platform with the given phone joins the case."""
    parties = []
    for p, row in rows:
        row.case = case
        if as_party is p:
            row.user = actor
        elif row.phone:
            row.user = User.objects.filter(phone=row.phone, is_active=True).first()
        parties.append(row)
    Party.objects.bulk_create(parties)
