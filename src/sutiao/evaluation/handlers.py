"""The summary follows the outbox: after any event that names a case (or a row of a case),
the delivery worker also replaces that case's share of the figures (summary.refresh). A
failure here is logged and left to the nightly rebuild; it never makes the worker send the
event's notices again."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from sutiao.core import events

log = logging.getLogger("sutiao.evaluation")

Handler = Callable[[dict[str, Any]], None]


def case_of(payload: dict[str, Any]) -> int | None:
    """The case an event is about: named in it, or the case of the row it names."""
    if payload.get("case"):
        return int(payload["case"])
    from sutiao.delivery.models import Service
    from sutiao.judicial.models import ConfirmationApplication, MediationDocument
    from sutiao.meetings.models import MeetingSession

    for name, model in (
        ("service", Service),
        ("mediation_document", MediationDocument),
        ("application", ConfirmationApplication),
        ("session", MeetingSession),
    ):
        if payload.get(name):
            found = model.objects.filter(pk=payload[name]).values_list("case_id", flat=True)
            return next(iter(found), None)
    return None


def follow(payload: dict[str, Any]) -> None:
    from .summary import refresh

    case_id = case_of(payload)
    if case_id is None:
        return
    try:
        with transaction.atomic():
            refresh(case_id)
    except Exception:  # noqa: BLE001 - the nightly rebuild puts the figure right
        log.exception("figures not refreshed", extra={"case": case_id})


def _then_follow(first: Handler | None) -> Handler:
    def handle(payload: dict[str, Any]) -> None:
        if first is not None:
            first(payload)
        follow(payload)

    handle.follows_figures = True  # type: ignore[attr-defined]
    return handle


def ending_topics() -> list[str]:
    """The outbox topics of the case steps that can end mediation with a surveyed state."""
    from sutiao.cases import lifecycle
    from sutiao.core.lifecycle import Machine

    from .feedback import SURVEYED

    return [
        f"case.{name}" for name, t in lifecycle.TRANSITIONS.items() if Machine.targets(t) & SURVEYED
    ]


def ask_parties(payload: dict[str, Any]) -> None:
    """A case step that may have ended the case: send the satisfaction survey (once)."""
    from .feedback import send_survey

    if payload.get("case"):
        send_survey(int(payload["case"]))


def _then_ask(first: Handler | None) -> Handler:
    def handle(payload: dict[str, Any]) -> None:
        if first is not None:
            first(payload)
        ask_parties(payload)

    handle.asks_parties = True  # type: ignore[attr-defined]
    handle.follows_figures = getattr(first, "follows_figures", False)  # type: ignore[attr-defined]
    return handle


def register() -> None:
    """Add `follow` to the worker's handler of every outbox topic it handles (once), and
    the survey to the steps that end a case."""
    from sutiao.delivery.engine import HANDLERS

    events.discover()
    for name in ending_topics():
        if not getattr(HANDLERS.get(name), "asks_parties", False):
            HANDLERS[name] = _then_ask(HANDLERS.get(name))
    for name, event in list(events.EVENTS.items()):
        existing = HANDLERS.get(name)
        # Only topics the worker already handles: a topic it leaves alone stays undelivered
        # for its own consumers; what those events change reaches the figures the next time
        # the case has a handled event, or at the nightly rebuild.
        if not event.outbox or existing is None or getattr(existing, "follows_figures", False):
            continue
        HANDLERS[name] = _then_follow(existing)
