"""The docking worker: mirrors the outbox's case events of docked cases into the feed, fans
each feed event out to webhook endpoints (an outbox handler, so after commit) and sends the
due webhooks, signed per Standard Webhooks, retried with backoff; a 410 disables the
endpoint. `run_once` is one pass (`sutiao docking work`, the scheduler)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sutiao.cases.models import Case
from sutiao.core.models import OutboxEvent

from . import actions, feed, idempotency
from .models import CaseEvent, Cursor, Partner, WebhookDelivery
from .queries import cloudevent
from .signing import sign

log = logging.getLogger("sutiao.docking")

FEED_KEEP = dt.timedelta(days=30)
MIRROR_LAG = dt.timedelta(minutes=10)  # longer than any transaction of ours
TIMEOUT_SECONDS = 10


def register_outbox_handler() -> None:
    from sutiao.delivery.engine import handler

    handler("docking.event")(lambda payload: actions.fan_out(payload["event"]))


def _docked_cases(case_ids: set[int]) -> set[int]:
    partners = Partner.objects.all()
    docked = Case.objects.filter(pk__in=case_ids).filter(
        Q(docking_submission__isnull=False)
        | Q(court__in=partners.values("courts"))
        | Q(org__in=partners.values("orgs"))
    )
    return set(docked.values_list("pk", flat=True))


def mirror_outbox(limit: int = 500) -> int:
    """Case facts (`case.*` outbox topics) of cases some partner follows become feed events,
    each once (the outbox id is unique on the feed). Outbox ids are given at insert, so a
    row committed late can sit below the cursor: rows of the last MIRROR_LAG not yet
    mirrored are looked at again."""
    done = 0
    with transaction.atomic():
        cursor, _ = Cursor.objects.select_for_update().get_or_create(pk=1)
        horizon = timezone.now() - MIRROR_LAG
        mirrored = CaseEvent.objects.filter(outbox_id__isnull=False).values("outbox_id")
        facts = OutboxEvent.objects.filter(topic__startswith="case.").exclude(pk__in=mirrored)
        late = facts.filter(pk__lte=cursor.outbox_id, created_at__gte=horizon)
        rows = [
            *late.order_by("pk")[:limit],  # its own limit: late rows never crowd out new ones
            *facts.filter(pk__gt=cursor.outbox_id).order_by("pk")[:limit],
        ]
        docked = _docked_cases({r.payload.get("case") for r in rows} - {None})
        for row in rows:
            cursor.outbox_id = max(cursor.outbox_id, row.pk)
            case = Case.objects.filter(pk=row.payload.get("case")).first()
            if case is None or case.pk not in docked:
                continue
            data = {"state": case.state}
            actions.add_case_event(case, row.topic.removeprefix("case."), data, outbox_id=row.pk)
            done += 1
        cursor.save(update_fields=["outbox_id"])
    return done


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    if not url.startswith(("https://", "http://")):
        raise OSError(f"not an http(s) URL: {url[:100]}")
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - checked
    for k, v in {**headers, "Content-Type": "application/cloudevents+json"}.items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310 (docs/security-findings.md)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def deliver_due(now: dt.datetime | None = None, limit: int = 100) -> Counter:
    stats: Counter = Counter()
    current = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            state=WebhookDelivery.State.PENDING, next_at__lte=current, endpoint__active=True
        )
        .select_related("endpoint__partner", "event__case__docking_submission")
        .order_by("next_at", "id")[:limit]
    )
    for delivery in due:
        endpoint = delivery.endpoint
        partner: Partner = endpoint.partner
        body = json.dumps(
            cloudevent(delivery.event, partner), ensure_ascii=False, separators=(",", ":")
        ).encode()
        headers = sign(endpoint.secret, f"msg_{delivery.event.event_id}", body)
        status: int | None
        try:
            status, error = _post(endpoint.url, body, headers), ""
        except OSError as exc:
            status, error = None, f"{exc.__class__.__name__}: {exc}"
        actions.delivery_outcome(delivery, status=status, error=error, now=current)
        stats["delivered" if status and 200 <= status < 300 else "failed"] += 1
    return stats


def purge(now: dt.datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - FEED_KEEP
    gone = CaseEvent.objects.filter(time__lt=cutoff).delete()[0]
    return gone + idempotency.purge(now)


def scheduled() -> None:
    """The embedded scheduler's job: the outbox itself is served by delivery's job."""
    mirror_outbox()
    feed.stamp()
    deliver_due()


def run_once(now: dt.datetime | None = None) -> Counter:
    from sutiao.delivery.engine import process_outbox

    stats: Counter = Counter()
    stats["mirrored"] = mirror_outbox()
    stats["stamped"] = feed.stamp()
    stats["events"] = process_outbox(now=now)
    stats.update(deliver_due(now))
    return stats
