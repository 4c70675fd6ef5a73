"""Every change of evaluation's records besides the figures: scoring schemes and their
versions, commendations and warnings. One transaction each, policy checked, audited. The
survey and complaints are in feedback.py."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.policies import institution_staff
from sutiao.audit.log import record
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound

from . import policies
from .errors import EvaluationError
from .models import NoteKind, PerformanceNote, Period, ScoringScheme, ScoringVersion
from .scopes import Scope
from .scoring import INDICATORS


def _bad(code: str, key: str, message: str) -> Invalid:
    return Invalid(message, code=code, fields={key: [message]})


def _owner_fields(owner: Any) -> dict[str, Any]:
    from sutiao.institutions.models import IPOffice

    return (
        {"office": owner, "court": None}
        if isinstance(owner, IPOffice)
        else {
            "office": None,
            "court": owner,
        }
    )


def check_terms(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The terms, cleaned: known indicators, each once, weight a positive whole number,
    threshold a number not below zero."""
    clean: list[dict[str, Any]] = []
    for term in indicators:
        code = term.get("code")
        if code not in INDICATORS or any(t["code"] == code for t in clean):
            message = _("Unknown or repeated indicator: %(code)s.") % {"code": code}
            raise _bad(EvaluationError.BAD_TERMS, "indicators", message)
        try:
            weight, threshold = int(term["weight"]), float(term["threshold"])
        except (KeyError, TypeError, ValueError):
            weight, threshold = 0, -1.0
        if weight <= 0 or weight != float(term.get("weight", 0)) or threshold < 0:
            message = _(
                "%(name)s: the weight is a positive whole number and the threshold a number not below zero."
            ) % {"name": INDICATORS[code].label}
            raise _bad(EvaluationError.BAD_TERMS, "indicators", message)
        clean.append({"code": code, "weight": weight, "threshold": threshold})
    if not clean:
        message = _("Name at least one indicator with its weight.")
        raise _bad(EvaluationError.BAD_TERMS, "indicators", message)
    return clean


def _check_period(period: str) -> None:
    if period not in Period.values:
        raise _bad(EvaluationError.BAD_TERMS, "period", _("Choose a period."))


@transaction.atomic
def create_scheme(*, actor: Any, name: str, owner: Any) -> ScoringScheme:
    scheme = ScoringScheme(name=(name or "").strip()[:120], **_owner_fields(owner))
    if not institution_staff(actor, scheme):
        raise Forbidden(_("You do not work at this office or court."))
    if not scheme.name:
        raise _bad(EvaluationError.BAD_TERMS, "name", _("This field is required."))
    scheme.created_by = actor
    scheme.save()
    record(actor, "scoring.scheme_created", scheme, summary=scheme.name)
    return scheme


def _managed(actor: Any, scheme: ScoringScheme) -> ScoringScheme:
    scheme = ScoringScheme.objects.select_for_update().get(pk=scheme.pk)
    if not institution_staff(actor, scheme):
        raise NotFound()
    return scheme


@transaction.atomic
def save_version(
    *, actor: Any, scheme: ScoringScheme, period: str, indicators: list[dict], note: str = ""
) -> ScoringVersion:
    """A new draft version, or the scheme's open draft replaced; published ones stay."""
    scheme = _managed(actor, scheme)
    _check_period(period)
    terms = check_terms(indicators)
    draft = scheme.versions.filter(published_at__isnull=True).first()
    if draft is None:
        top = scheme.versions.aggregate(n=Max("number"))["n"] or 0
        draft = ScoringVersion(scheme=scheme, number=top + 1, created_by=actor)
    draft.period, draft.indicators, draft.note = period, terms, (note or "").strip()[:300]
    draft.save()
    changes = {"version": draft.number, "period": period, "indicators": terms}
    record(actor, "scoring.version_saved", scheme, summary=scheme.name, changes=changes)
    return draft


@transaction.atomic
def publish_version(*, actor: Any, version: ScoringVersion) -> ScoringVersion:
    scheme = _managed(actor, version.scheme)
    version = ScoringVersion.objects.select_for_update().get(pk=version.pk, scheme=scheme)
    if version.published_at is not None:
        raise Conflict(
            _("This version is published already and is never changed."),
            code=EvaluationError.PUBLISHED,
        )
    version.published_at, version.published_by = timezone.now(), actor
    version.save(update_fields=["published_at", "published_by"])
    record(
        actor,
        "scoring.version_published",
        scheme,
        summary=scheme.name,
        changes={"version": version.number, "indicators": version.indicators},
    )
    return version


@transaction.atomic
def record_note(*, actor: Any, scope: Scope, kind: str, reason: str, owner: Any) -> PerformanceNote:
    """A commendation or warning of a mediator or an organisation, on behalf of one of the
    actor's offices or courts whose scope holds it."""
    if scope.level not in {"mediator", "org"}:
        raise NotFound()
    allowed = policies.owners_for(actor, scope)
    if not allowed:
        raise NotFound()
    if owner not in allowed:
        raise Forbidden(_("You do not work at this office or court."))
    if kind not in NoteKind.values:
        raise _bad(EvaluationError.REASON_MISSING, "kind", _("Choose a commendation or a warning."))
    reason = (reason or "").strip()
    if not reason:
        raise _bad(EvaluationError.REASON_MISSING, "reason", _("A reason is required."))
    note = PerformanceNote.objects.create(
        kind=kind,
        mediator=scope.obj if scope.level == "mediator" else None,
        org=scope.obj if scope.level == "org" else None,
        reason=reason[:2000],
        recorded_by=actor,
        recorded_at=timezone.now(),
        **_owner_fields(owner),
    )
    record(
        actor,
        "performance.note_recorded",
        note,
        summary=f"{note.get_kind_display()} · {scope}",
        changes={"kind": kind, "reason": note.reason, "subject": [scope.level, scope.key]},
    )
    return note
