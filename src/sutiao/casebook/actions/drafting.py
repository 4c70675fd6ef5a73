"""An editor drafts a typical case (from a closed case, or from scratch), edits it, and sends
it for review: the pipeline's proposals become the changes a reviewer decides."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.audit.log import record
from sutiao.cases.choices import Channel
from sutiao.cases.choices import State as CaseState
from sutiao.cases.models import Case
from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.institutions.models import IPKind

from .. import anonymise, lifecycle
from ..errors import CasebookError
from ..models import TEXT_FIELDS, Basis, Change, Industry, Outcome, TypicalCase
from ._steps import checked

CLOSED = frozenset(
    {
        CaseState.SETTLED,
        CaseState.FAILED,
        CaseState.FILED,
        CaseState.TRIAL_RESUMED,
        CaseState.WITHDRAWN,
    }
)
REQUIRED = ("title", "facts", "dispute", "mediation", "result")


def editor_courts(user: User) -> set[int]:
    """The courts whose closed cases this editor may draw from: their own court's."""
    return {
        m.court_id for m in user.active_memberships if m.role == Role.CASEBOOK_EDITOR and m.court_id
    }


def _house(actor: User) -> dict[str, Any]:
    for m in actor.active_memberships:
        if m.role == Role.CASEBOOK_EDITOR and (m.court_id or m.ip_office_id):
            return {"court_id": m.court_id, "ip_office_id": m.ip_office_id}
    raise Forbidden(
        _("Only a typical-case editor of a court or an IP office can do this."),
        code=CasebookError.NOT_AN_EDITOR,
    )


def _names(text: Any) -> list[str]:
    if isinstance(text, str):
        text = text.replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines()
    return [n.strip() for n in text or [] if n and n.strip()][:100]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The draft's fields, checked: every problem at once, beside its field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        out[name] = (data.get(name) or "").strip()
        if name in REQUIRED and not out[name]:
            errors[name] = [_("This field is required.")]
    out["title"] = out["title"][:200]
    choices = {
        "industry": Industry.values,
        "outcome": Outcome.values,
        "channel": Channel.values,
        "basis": Basis.values,
    }
    for name, allowed in choices.items():
        out[name] = data.get(name) or ""
        if out[name] not in allowed:
            errors[name] = [_("Choose one of the options.")]
    kind = data.get("ip_kind")
    out["ip_kind"] = IPKind.objects.filter(pk=getattr(kind, "pk", kind) or "").first()
    if out["ip_kind"] is None:
        errors["ip_kind"] = [_("Choose one of the options.")]
    out["basis_note"] = (data.get("basis_note") or "").strip()
    for name in ("days_to_settle", "amount_fen"):
        value = "" if data.get(name) is None else str(data.get(name))
        if value and not value.isdigit():
            errors[name] = [_("Enter a whole number, zero or more.")]
        out[name] = int(value) if value.isdigit() else None
    out["persons"] = _names(data.get("persons"))
    out["companies"] = _names(data.get("companies"))
    out["anonymise_companies"] = bool(data.get("anonymise_companies", True))
    if errors:
        raise Invalid(
            _("Some fields of the typical case need attention."),
            code=CasebookError.BAD_DRAFT,
            fields=errors,
        )
    return out


@transaction.atomic
def draft(*, actor: User, data: dict[str, Any], source_case: Case | None = None) -> TypicalCase:
    """A new draft by a casebook editor; `source_case` must be closed and visible to them."""
    house = _house(actor)
    if source_case is not None:
        if source_case.court_id not in editor_courts(actor):
            raise NotFound()  # another court's case: as if it did not exist
        if source_case.state not in CLOSED:
            raise Invalid(
                _("A typical case is drawn from a closed case."),
                code=CasebookError.CASE_NOT_CLOSED,
                fields={"source_case": [_("A typical case is drawn from a closed case.")]},
            )
    fields = _clean(data)
    tc = TypicalCase.objects.create(editor=actor, source_case=source_case, **house, **fields)
    record(actor, "casebook.drafted", tc, summary=tc.title, changes={"case": tc.source_case_id})
    return tc


@transaction.atomic
def edit(*, actor: User, typical_case: TypicalCase, data: dict[str, Any]) -> TypicalCase:
    tc, _t = checked(actor, typical_case, "edit")
    fields = _clean(data)
    changed = sorted(k for k, v in fields.items() if getattr(tc, k) != v)
    for key, value in fields.items():
        setattr(tc, key, value)
    tc.save()
    record(actor, "casebook.edited", tc, summary=tc.title, changes={"fields": changed})
    return tc


def proposals_for(tc: TypicalCase) -> list[Change]:
    """The pipeline run over every text field: unsaved Change rows."""
    rows = []
    for name in TEXT_FIELDS:
        for p in anonymise.propose(
            getattr(tc, name),
            persons=tc.persons,
            companies=tc.companies,
            anonymise_companies=tc.anonymise_companies,
        ):
            rows.append(
                Change(
                    typical_case=tc,
                    field=name,
                    kind=p.kind,
                    start=p.start,
                    end=p.end,
                    original=p.original,
                    replacement=p.replacement,
                )
            )
    return rows


@transaction.atomic
def submit(*, actor: User, typical_case: TypicalCase) -> TypicalCase:
    """Freeze the draft for review: the proposals replace any earlier ones, all pending."""
    tc, t = checked(actor, typical_case, "submit")
    tc.changes.all().delete()
    rows = Change.objects.bulk_create(proposals_for(tc))
    lifecycle.machine.move(tc, t, at=timezone.now())
    tc.reviewer = None
    tc.save()
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row.kind] = kinds.get(row.kind, 0) + 1
    record(actor, "casebook.submitted", tc, summary=tc.title, changes={"proposed": kinds})
    return tc
