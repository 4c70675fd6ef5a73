"""What every judicial action shares: the clock default, the locked application, and a step
of the application's table written to its timeline, the audit log and the outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from sutiao.audit.log import record
from sutiao.core import events, outbox
from sutiao.core.errors import NotFound

from .. import lifecycle
from ..models import ApplicationEvent, ConfirmationApplication
from ..policies import application_roles

if TYPE_CHECKING:
    from sutiao.accounts.models import User


def now(at: datetime | None) -> datetime:
    return at or timezone.now()


def locked(app_id: int) -> ConfirmationApplication:
    try:
        return (
            ConfirmationApplication.objects.select_for_update(of=("self",))
            .select_related("case", "agreement", "court")
            .get(pk=app_id)
        )
    except ConfirmationApplication.DoesNotExist:
        raise NotFound() from None


def on_timeline(
    app: ConfirmationApplication,
    kind: str,
    actor: User | None,
    *,
    at: datetime,
    before: str = "",
    summary: str = "",
) -> None:
    """One line of the application's timeline (a registered kind)."""
    events.require_timeline("judicial", kind)
    ApplicationEvent.objects.create(
        application=app,
        at=at,
        actor=actor,
        kind=kind,
        state_before=before,
        state_after=app.state,
        summary=summary[:300],
    )


def step(
    app_id: int,
    name: str,
    actor: User,
    *,
    at: datetime,
    summary: str = "",
    mutate: Callable[[ConfirmationApplication], None] | None = None,
    **data: Any,
) -> ConfirmationApplication:
    """Take the table's step `name`: checked, moved, saved, on the timeline, audited, emitted.
    `mutate` sets the fields the step fills (never a check: those are preconditions)."""
    app = locked(app_id)
    roles = application_roles(actor, app)
    if not roles:
        raise NotFound()
    t = lifecycle.check(app, name, roles)
    if mutate:
        mutate(app)
    before = lifecycle.move(app, t, at=at)
    app.save()
    on_timeline(app, name, actor, at=at, before=before, summary=summary)
    record(
        actor,
        f"judicial.{name}",
        app,
        summary=summary or str(app),
        changes={"state": [before, app.state], **data},
    )
    outbox.emit(
        f"judicial.{name}", {"application": app.pk, "case": app.case_id, "state": app.state}
    )
    return app
