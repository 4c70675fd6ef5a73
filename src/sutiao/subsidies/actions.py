"""Every change of subsidies: schemes (each change a new version), computing a sheet, and
its review, approval or return. One transaction each, with the audit entry and, where the
next person must act, the outbox event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.institutions.models import Court, IPKind, IPOffice, Region

from .errors import SubsidyError
from .models import Scheme, SchemeVersion
from .policies import owner_staff


@dataclass
class Terms:
    valid_from: dt.date
    valid_to: dt.date
    settled_fen: int
    failed_fen: int
    rates: dict[str, list[int]] = field(default_factory=dict)
    cap_mediator_fen: int | None = None
    cap_period_fen: int | None = None
    reviewers: list[User] = field(default_factory=list)
    approvers: list[User] = field(default_factory=list)
    note: str = ""


def _bad(code: str, key: str, message: str) -> Invalid:
    return Invalid(message, code=code, fields={key: [message]})


def _check_amounts(terms: Terms) -> None:
    named = {
        "settled_fen": terms.settled_fen,
        "failed_fen": terms.failed_fen,
        "cap_mediator_fen": terms.cap_mediator_fen,
        "cap_period_fen": terms.cap_period_fen,
    }
    for key, value in named.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            raise _bad(SubsidyError.BAD_AMOUNT, key, _("An amount cannot be negative."))
    known = set(IPKind.objects.values_list("code", flat=True))
    for kind, pair in terms.rates.items():
        if kind not in known:
            message = _("Unknown IP kind: %(kind)s.") % {"kind": kind}
            raise _bad(SubsidyError.UNKNOWN_IP_KIND, "rates", message)
        if len(pair) != 2 or any(not isinstance(v, int) or v < 0 for v in pair):
            message = _("An amount cannot be negative.")
            raise _bad(SubsidyError.BAD_AMOUNT, f"settled_{kind}", message)


def _check_terms(scheme_owner: Scheme, terms: Terms, *, other_than: int | None) -> None:
    _check_amounts(terms)
    if terms.valid_to < terms.valid_from:
        message = _("The period ends before it starts.")
        raise _bad(SubsidyError.BAD_PERIOD, "valid_to", message)
    people = [*terms.reviewers, *terms.approvers]
    if not (terms.reviewers and terms.approvers) or not all(
        owner_staff(p, scheme_owner) for p in people
    ):
        message = _("Name at least one reviewer and one approver from your own staff.")
        raise _bad(SubsidyError.NO_DECIDERS, "reviewers", message)
    same = Scheme.objects.filter(
        office=scheme_owner.office, court=scheme_owner.court, region=scheme_owner.region
    ).exclude(pk=other_than or 0)
    for other in same.prefetch_related("versions"):
        v = other.current
        if v and v.valid_from <= terms.valid_to and terms.valid_from <= v.valid_to:
            message = _("The period overlaps the scheme “%(name)s” (%(start)s to %(end)s).") % {
                "name": other.name,
                "start": v.valid_from,
                "end": v.valid_to,
            }
            raise _bad(SubsidyError.OVERLAP, "valid_from", message)


def _new_version(actor: User, scheme: Scheme, terms: Terms, number: int) -> SchemeVersion:
    version = SchemeVersion.objects.create(
        scheme=scheme,
        number=number,
        valid_from=terms.valid_from,
        valid_to=terms.valid_to,
        settled_fen=terms.settled_fen,
        failed_fen=terms.failed_fen,
        rates={k: list(v) for k, v in sorted(terms.rates.items())},
        cap_mediator_fen=terms.cap_mediator_fen,
        cap_period_fen=terms.cap_period_fen,
        note=terms.note.strip()[:300],
        created_by=actor,
    )
    version.reviewers.set(terms.reviewers)
    version.approvers.set(terms.approvers)
    return version


def _terms_changes(version: SchemeVersion) -> dict[str, Any]:
    return {
        "version": version.number,
        "period": [str(version.valid_from), str(version.valid_to)],
        "settled_fen": version.settled_fen,
        "failed_fen": version.failed_fen,
        "rates": version.rates,
        "caps": [version.cap_mediator_fen, version.cap_period_fen],
    }


@transaction.atomic
def create_scheme(
    *, actor: User, name: str, owner: IPOffice | Court, terms: Terms, region: Region | None = None
) -> Scheme:
    office = owner if isinstance(owner, IPOffice) else None
    court = owner if isinstance(owner, Court) else None
    scheme = Scheme(name=(name or "").strip()[:120], office=office, court=court)
    scheme.region = region or owner.region
    if not owner_staff(actor, scheme):
        raise Forbidden(_("You do not work at this office or court."))
    if not scheme.name:
        raise _bad(SubsidyError.BAD_AMOUNT, "name", _("This field is required."))
    _check_terms(scheme, terms, other_than=None)
    scheme.created_by = actor
    scheme.save()
    version = _new_version(actor, scheme, terms, 1)
    record(
        actor,
        "subsidy.scheme_created",
        scheme,
        summary=scheme.name,
        changes=_terms_changes(version),
    )
    return scheme


@transaction.atomic
def change_scheme(*, actor: User, scheme: Scheme, terms: Terms) -> SchemeVersion:
    """A new version; sheets already computed keep the version they were computed with."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    require(actor, "manage", scheme)
    _check_terms(scheme, terms, other_than=scheme.pk)
    version = _new_version(actor, scheme, terms, scheme.current.number + 1)
    record(
        actor,
        "subsidy.scheme_changed",
        scheme,
        summary=scheme.name,
        changes=_terms_changes(version),
    )
    return version
