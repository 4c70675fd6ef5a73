"""The inbound half of the Sutiao-to-Sutiao adapter, with the outbound call that starts it:
this instance sends applications to a peer (another instance, as one of its partners),
and takes the peer's CloudEvents by signed webhook and from its feed, each event once
(by its id) whichever way it came first. The national court mediation platform would be
another implementation of `Adapter`: its interface is not public."""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sutiao.audit.log import record
from sutiao.core.errors import Invalid

from .client import Answer, Remote
from .errors import DockingError
from .models import Peer, ReceivedEvent, SentApplication
from .signing import BadSignature, verify

FEED_PAGE = 500
log = logging.getLogger("sutiao.docking")


class Adapter(Protocol):
    def send_application(self, body: dict[str, Any], *, key: str) -> Answer: ...
    def events_after(self, cursor: str) -> tuple[list[dict[str, Any]], str]: ...


class SutiaoAdapter:
    """Another Sutiao's /api/docking/v1, through docking.client."""

    def __init__(self, peer: Peer):
        self.remote = Remote(peer.base_url, peer.client_id, peer.client_secret)

    def send_application(self, body: dict[str, Any], *, key: str) -> Answer:
        return self.remote.post("/applications", body, key=key)

    def events_after(self, cursor: str) -> tuple[list[dict[str, Any]], str]:
        answer = self.remote.get(f"/events?after={cursor}&limit={FEED_PAGE}")
        if answer.status != 200:
            raise OSError(f"feed answered {answer.status}")
        return answer.body["events"], answer.body["next"]


@transaction.atomic
def add_peer(
    *, actor: Any, name: str, base_url: str, client_id: str, client_secret: str, webhook_secret: str
) -> Peer:
    peer = Peer.objects.create(
        name=name,
        base_url=base_url.rstrip("/"),
        client_id=client_id,
        client_secret=client_secret,
        webhook_secrets=webhook_secret,
    )
    record(actor, "docking.peer_added", peer, summary=f"{name}: {peer.base_url}")
    return peer


def send_application(
    *, actor: Any, peer: Peer, body: dict[str, Any], key: str, adapter: Adapter | None = None
) -> Answer:
    """Send under `key` (retried with the same key on a 5xx or a network error, so the peer
    acts once); a receipt is kept with the peer's case and state."""
    answer = (adapter or SutiaoAdapter(peer)).send_application(body, key=key)
    if answer.status in (200, 202):
        with transaction.atomic():
            sent, _created = SentApplication.objects.update_or_create(
                peer=peer,
                reference=answer.body["reference"],
                defaults={
                    "receipt": answer.body["receipt"],
                    "remote_case": answer.body["case"],
                    "remote_state": answer.body["state"],
                },
            )
            record(
                actor,
                "docking.application_sent",
                peer,
                summary=f"{peer.name}: {sent.reference} → {answer.status}",
                changes={"receipt": sent.receipt, "key": key, "status": answer.status},
            )
    return answer


def _shape(event: Any) -> dict[str, Any]:
    keys = {"id", "type", "subject", "sequence", "data"}
    if not isinstance(event, dict) or not keys <= set(event) or not isinstance(event["data"], dict):
        raise Invalid(
            _("This is not a CloudEvent of the docking API."), code=DockingError.NOT_A_CLOUDEVENT
        )
    return event


def take_event(peer: Peer, event: dict[str, Any], *, via: str) -> bool:
    """Keep a peer's event once; False if it was here already (a retry, or the feed and a
    webhook both brought it). The state of the application it concerns follows it."""
    event = _shape(event)
    try:
        with transaction.atomic():
            ReceivedEvent.objects.create(
                peer=peer,
                event_id=str(event["id"])[:100],
                type=str(event["type"])[:100],
                subject=str(event["subject"])[:100],
                sequence=int(event["sequence"]),
                data=event["data"],
                via=via,
            )
            reference, state = event["data"].get("reference"), event["data"].get("state")
            if reference and state:  # events can come out of order: the latest one tells
                sequence = int(event["sequence"])
                SentApplication.objects.filter(
                    peer=peer, reference=reference, sequence__lt=sequence
                ).update(remote_state=str(state)[:30], sequence=sequence)
            record(
                f"peer:{peer.name}",
                "docking.event_received",
                peer,
                summary=f"{peer.name}: {event['type']} {event['subject']} ({via})",
                changes={"event": event["id"], "sequence": event["sequence"], "via": via},
            )
    except IntegrityError:
        return False
    return True


def sender(headers: Any, body: bytes) -> Peer:
    """The peer whose secret signed this webhook (either of two during a rotation, within
    ±5 minutes); the URL names no peer, so there is no id to guess. None signed it: 401."""
    refusal = BadSignature(_("The webhook's signature does not match."))
    for peer in Peer.objects.exclude(webhook_secrets=""):
        try:
            verify(peer.webhook_secrets.split(), headers, body)
        except BadSignature as exc:
            refusal = exc
            continue
        return peer
    raise refusal


def receive_webhook(headers: Any, body: bytes) -> bool:
    """A webhook from a peer: its Standard Webhooks signature or 401; then kept once."""
    peer = sender(headers, body)
    try:
        event = json.loads(body)
    except ValueError:
        event = None
    return take_event(peer, _shape(event), via="webhook")


def pull_feed(peer: Peer, *, adapter: Adapter | None = None) -> int:
    """Read the peer's feed from where we stopped; each new event is kept once. The cursor
    is saved after each page, so a failure loses nothing and repeats nothing."""
    source = adapter or SutiaoAdapter(peer)
    taken = 0
    while True:
        events, after = source.events_after(peer.feed_cursor)
        taken += sum(take_event(peer, e, via="feed") for e in events)
        if not events or after == peer.feed_cursor:
            return taken
        peer.feed_cursor = after
        Peer.objects.filter(pk=peer.pk).update(feed_cursor=after)


def pull_all() -> int:
    """Every peer's feed from where we stopped (the scheduler's `docking.pull`, as
    `peer pull` from cron would): catches up what webhooks missed while this instance was
    down. A peer that does not answer is tried again next time; the others are still read."""
    taken = 0
    for peer in Peer.objects.order_by("pk"):
        try:
            taken += pull_feed(peer)
        except (OSError, ValueError) as exc:
            log.warning("peer feed not read", extra={"peer": peer.pk, "error": str(exc)[:300]})
    return taken
