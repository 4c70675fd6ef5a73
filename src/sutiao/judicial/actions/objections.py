"""Objections to a ruling (CPL-I 372): a party objects within 15 days of its own receipt of
the ruling (the effective service of the ruling on it: delivery); the court reviews every
objection under review at once. Upheld, a new ruling revokes the original (the application
ends "revoked"; the parties may mediate again or apply anew); dismissed, the ruling stands.
The decision is signed, sealed and served like the ruling."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.agreements.recording import record_parties_step
from sutiao.cases.policies import parties_of
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.documents import actions as documents
from sutiao.documents.models import Document
from sutiao.workdays.periods import local_date

from .. import lifecycle
from ..choices import ObjectionState
from ..errors import JudicialError
from ..models import ConfirmationApplication, Objection, Ruling
from ..policies import application_roles
from ..queries import objection_context, objection_windows, pending_objections
from .common import locked, now, on_timeline, step
from .ruling import application_document, serve_on_parties

if TYPE_CHECKING:
    from sutiao.accounts.models import User

OBJECTION_DECISION_TEMPLATE = "judicial/objection_decision_document.html"


def _mine_open(actor: User, app: ConfirmationApplication, ruling: Ruling, at: datetime) -> list:
    """The actor's parties that may object now, or Conflict with the reason none may."""
    mine = {p.pk for p in parties_of(actor, app.case)}
    windows = [w for w in objection_windows(ruling) if w.party.pk in mine]
    open_now = [w for w in windows if w.is_open(at) and not w.objected]
    if open_now:
        return [w.party for w in open_now]
    if windows and all(w.objected for w in windows):
        raise Conflict(
            _("Your objection to the ruling is in already."), code=JudicialError.OBJECTION_FILED
        )
    closed = [w for w in windows if w.status(at) == "closed" and not w.objected]
    if closed:
        ends = max(w.ends_at for w in closed if w.ends_at is not None)
        raise Conflict(
            _(
                "The 15 days for an objection, from your receipt of the ruling on %(served)s, "
                "ended on %(day)s."
            )
            % {
                "served": local_date(closed[0].served_at).isoformat(),  # type: ignore[arg-type]
                "day": local_date(ends).isoformat(),
            },
            code=JudicialError.OBJECTION_LATE,
        )
    raise Conflict(
        _(
            "The ruling has not been served on you yet: your 15 days to object start from "
            "your receipt of it."
        ),
        code=JudicialError.OBJECTION_NOT_SERVED,
    )


@transaction.atomic
def object_to_ruling(
    *, actor: User, ruling: Ruling, text: str, at: datetime | None = None
) -> list[Objection]:
    """CPL-I 372: within 15 days of the party's own receipt of the ruling."""
    at = now(at)
    app = locked(ruling.application_id)
    roles = application_roles(actor, app)
    if "party" not in roles:
        raise NotFound()
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write the objection."), fields={"text": [_("Required.")]})
    mine = _mine_open(actor, app, ruling, at)
    lifecycle.check(app, "objection", roles)
    made = [
        Objection.objects.create(ruling=ruling, party=p, submitted_by=actor, text=text, at=at)
        for p in mine
    ]
    on_timeline(app, "objection", actor, at=at, before=app.state, summary=text)
    record_parties_step(
        actor,
        "judicial.objection",
        ruling,
        text=text,
        parties=mine,
        payload={"application": app.pk, "ruling": ruling.pk},
    )
    return made


def _decision(
    app: ConfirmationApplication,
    ruling: Ruling,
    actor: User,
    *,
    upheld: bool,
    reasoning: str,
    objections: list[Objection],
    at: datetime,
) -> Document:
    context = objection_context(
        app,
        ruling,
        objections,
        upheld=upheld,
        reasoning=reasoning,
        judge=actor,
        on=local_date(at),
    )
    return application_document(
        app,
        actor,
        OBJECTION_DECISION_TEMPLATE,
        context,
        title="民事裁定书（异议）",
        code=documents.new_verify_code(),
    )


@transaction.atomic
def review_objections(
    *,
    actor: User,
    application: ConfirmationApplication,
    outcome: str,
    reasoning: str = "",
    at: datetime | None = None,
) -> ConfirmationApplication:
    """The judge decides every objection under review: `upheld` revokes the ruling,
    `dismissed` keeps it. The decision is signed, sealed, served and on the timeline."""
    at = now(at)
    if outcome not in (ObjectionState.UPHELD, ObjectionState.DISMISSED):
        raise Invalid(_("Choose the outcome."), fields={"outcome": [_("Choose the outcome.")]})
    reasoning = (reasoning or "").strip()
    if not reasoning:
        raise Invalid(
            _("Give the reasons for the decision."), fields={"reasoning": [_("Required.")]}
        )
    app = locked(application.pk)
    roles = application_roles(actor, app)
    if not roles:
        raise NotFound()
    upheld = outcome == ObjectionState.UPHELD
    name = "revoke_ruling" if upheld else "review_objections"
    lifecycle.check(app, name, roles)
    ruling = Ruling.objects.select_for_update().get(application=app)
    pending = list(pending_objections(ruling).select_related("party"))
    document = _decision(
        app, ruling, actor, upheld=upheld, reasoning=reasoning, objections=pending, at=at
    )
    app = step(
        app.pk,
        name,
        actor,
        at=at,
        summary=reasoning[:300],
        outcome=outcome,
        objections=[o.pk for o in pending],
    )
    for o in pending:
        t = lifecycle.OBJECTION.check(o, "uphold" if upheld else "dismiss", {"judge"})
        lifecycle.OBJECTION.move(o, t, at=at)
        o.reviewed_by, o.reviewed_at, o.review_reasoning, o.decision = (
            actor,
            at,
            reasoning,
            document,
        )
        o.save()
    if upheld:
        ruling.revoked_at = at
        ruling.save(update_fields=["revoked_at"])
    serve_on_parties(actor, app, document)
    return app
