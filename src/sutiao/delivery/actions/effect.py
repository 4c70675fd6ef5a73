"""When service takes effect (OLR 31), recomputed from a service's events; a service whose
every channel failed could not be served; once every channel has settled, a proof is due."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sutiao.audit.log import record
from sutiao.core import outbox

from ..lifecycle import SERVICE, SYSTEM, allows, take
from ..models import Delivery, Service
from .common import Ev, event, locked_service
from .outgoing import notify_user

BASIS: dict[str, str] = {
    Ev.ARRIVED: Service.Basis.ARRIVAL,
    Ev.OPENED: Service.Basis.OPENED,
    Ev.ACTED: Service.Basis.ACTED,
}


def _candidates(service: Service) -> list[tuple[dt.datetime, str, str]]:
    """(when, channel, basis) of each event that would make the service take effect."""
    confirmed = bool(service.addresses and service.addresses.confirmed_by_recipient)
    candidates: list[tuple[dt.datetime, str, str]] = []
    events = service.events.filter(kind__in=list(BASIS)).select_related("delivery")
    for e in events:
        if e.delivery is not None and e.delivery.purpose != Delivery.Purpose.SERVICE:
            continue
        if e.kind == Ev.ARRIVED and not confirmed:
            continue
        channel = e.delivery.channel if e.delivery is not None else "platform"
        candidates.append((e.at, channel, BASIS[e.kind]))
    return candidates


def _take_effect(
    service: Service, candidates: list[tuple[dt.datetime, str, str]], now: dt.datetime
) -> list[str]:
    at, channel, why = min(candidates)
    if service.effective_at is not None and at >= service.effective_at:
        return []
    first = take(SERVICE, service, "take_effect", SYSTEM, at=now) != Service.State.EFFECTIVE
    service.effective_at, service.effective_channel, service.effective_basis = at, channel, why
    if first:
        event(Ev.EFFECTIVE, service=service, at=now, channel=channel, basis=why, effective_at=at)
        record(
            "system",
            "delivery.effective",
            service,
            summary=f"{service.title} → {service.party.name}",
            changes={"effective_at": at, "channel": channel, "basis": why},
        )
        outbox.emit("delivery.effective", {"service": service.pk, "case": service.case_id})
    return ["state", "effective_at", "effective_channel", "effective_basis"]


def _could_not_serve(service: Service, serving: list[Delivery], now: dt.datetime) -> list[str]:
    take(SERVICE, service, "could_not_serve", SYSTEM, at=now)
    event(Ev.COULD_NOT_SERVE, service=service, at=now)
    record(
        "system",
        "delivery.could_not_serve",
        service,
        summary=f"{service.title} → {service.party.name}",
        changes={"errors": [d.last_error for d in serving]},
    )
    served_by = service.served_by
    if served_by is not None and served_by.is_active:
        notify_user(
            served_by,
            "delivery.could_not_serve",
            now=now,
            case=service.case,
            context={
                "title": service.title,
                "reason": "; ".join(sorted({d.last_error[:80] for d in serving})),
            },
            party=service.party,
        )
    return ["state"]


def _proof_due(service: Service, deliveries: list[Delivery]) -> list[str]:
    if (
        allows(SERVICE, service, "issue_proof")
        and not service.proof_id
        and not service.proof_due
        and all(d.state not in {Delivery.State.QUEUED, Delivery.State.SENDING} for d in deliveries)
    ):
        service.proof_due = True
        outbox.emit("delivery.proof_due", {"service": service.pk})
        return ["proof_due"]
    return []


def reconsider(service: Service, *, now: dt.datetime | None = None) -> Service:
    """Recompute the state of a service from its events (call with the service locked).

    At an address the recipient confirmed, service takes effect when the message arrives in
    its system; at one it did not, when it opens, replies or acts. The earliest effective
    channel counts. Once every channel has settled, the worker issues the proof."""
    now = now or timezone.now()
    if not allows(SERVICE, service, "take_effect"):
        return service  # served on paper: that stands
    candidates = _candidates(service)
    deliveries = list(service.deliveries.all())
    serving = [d for d in deliveries if d.purpose == Delivery.Purpose.SERVICE]
    changed: list[str] = []
    if candidates:
        changed += _take_effect(service, candidates, now)
    elif (
        serving
        and all(d.state == Delivery.State.FAILED for d in serving)
        and allows(SERVICE, service, "could_not_serve")
    ):
        changed += _could_not_serve(service, serving, now)
    changed += _proof_due(service, deliveries)
    if changed:
        service.save(update_fields=sorted(set(changed)))
    return service


def after(d: Delivery, now: dt.datetime) -> None:
    """A delivery's outcome changed: its service (locked) is reconsidered."""
    if d.service_id:
        reconsider(locked_service(d.service_id), now=now)
