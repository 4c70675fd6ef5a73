"""Every change of state in docking: one transaction, an audit entry with the partner's
service account as actor, the outbox where a partner must be told."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from oauth2_provider.models import Application

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases.actions.application import PartyIn, apply_for_mediation
from sutiao.cases.models import Case
from sutiao.core import outbox
from sutiao.institutions.models import Court, MediationOrg

from .feed import stamp_after_commit
from .models import CaseEvent, Partner, Submission, WebhookDelivery, WebhookEndpoint
from .oauth import SCOPES
from .signing import new_secret

# Webhooks are retried for 3 days, with exponential backoff and jitter.
RETRY_FOR = dt.timedelta(days=3)
TYPE_PREFIX = "cn.sutiao."


@dataclass
class Registered:
    partner: Partner
    client_id: str
    client_secret: str  # shown once; only its hash is stored


@transaction.atomic
def register_partner(
    *,
    actor: Any,
    name: str,
    scopes: list[str],
    courts: list[Court] = (),  # type: ignore[assignment]
    orgs: list[MediationOrg] = (),  # type: ignore[assignment]
) -> Registered:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValueError(f"unknown scopes: {' '.join(unknown) or '(none given)'}")
    user = User.objects.create_user(
        username=f"partner-{slugify(name, allow_unicode=True) or secrets.token_hex(4)}"[:150]
    )
    secret = secrets.token_urlsafe(36)
    app = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        user=user,
    )
    partner = Partner.objects.create(
        name=name, application=app, user=user, scopes=" ".join(sorted(set(scopes)))
    )
    partner.courts.set(courts)
    partner.orgs.set(orgs)
    record(
        actor,
        "docking.partner_registered",
        partner,
        summary=name,
        changes={
            "scopes": partner.scopes,
            "courts": [c.pk for c in courts],
            "orgs": [o.pk for o in orgs],
        },
    )
    return Registered(partner, app.client_id, secret)


@transaction.atomic
def add_webhook(*, actor: Any, partner: Partner, url: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(partner=partner, url=url, secret=new_secret())
    record(actor, "docking.webhook_added", partner, summary=url)
    return endpoint


def record_call(partner: Partner, method: str, path: str, status: int) -> None:
    """Every call of a partner, in the audit log with the partner as actor."""
    with transaction.atomic():
        record(
            partner.user,
            "docking.call",
            partner,
            summary=f"{method} {path} → {status}",
            changes={"method": method, "path": path, "status": status},
        )


@dataclass
class Received:
    submission: Submission
    created: bool


@transaction.atomic
def receive_application(
    *,
    partner: Partner,
    reference: str,
    title: str,
    court: Court | None,
    org: MediationOrg | None,
    applicant: PartyIn,
    respondents: list[PartyIn],
    **details: Any,
) -> Received:
    """A partner's application becomes a case through the cases domain's own action (as the
    applicant's agent: the partner's service account). One case per (partner, reference):
    a retry under a new Idempotency-Key gets the first receipt back and creates nothing."""
    existing = Submission.objects.filter(partner=partner, external_ref=reference).first()
    if existing is not None:
        return Received(existing, created=False)
    case = apply_for_mediation(
        actor=partner.user,
        title=title,
        court=court,
        org=org,
        applicant=applicant,
        respondents=respondents,
        as_agent=True,
        **details,
    )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                partner=partner, external_ref=reference, case=case
            )
    except IntegrityError:  # the same reference, committed meanwhile by a concurrent call
        transaction.set_rollback(True)
        return Received(Submission.objects.get(partner=partner, external_ref=reference), False)
    record(
        partner.user,
        "docking.application_received",
        case,
        summary=f"{partner.name}: {reference}",
        changes={"receipt": str(submission.receipt), "reference": reference},
    )
    add_case_event(case, "application.received", {"state": case.state})
    return Received(submission, created=True)


def add_case_event(
    case: Case, kind: str, data: dict[str, Any], *, outbox_id: int | None = None
) -> CaseEvent:
    """A CloudEvent about a docked case, with the case's next sequence number; the outbox
    tells the webhook worker after commit."""
    last = CaseEvent.objects.filter(case=case).aggregate(m=Max("sequence"))["m"] or 0
    event = CaseEvent.objects.create(
        case=case,
        sequence=last + 1,
        type=TYPE_PREFIX + kind,
        time=timezone.now(),
        data={"case": case.pk, **data},
        outbox_id=outbox_id,
    )
    outbox.emit("docking.event", {"event": event.pk})
    stamp_after_commit()
    return event


def fan_out(event_pk: int) -> int:
    """One delivery per active endpoint of every partner the event concerns."""
    from .queries import partners_concerned

    event = CaseEvent.objects.select_related("case").filter(pk=event_pk).first()
    if event is None:
        return 0
    endpoints = WebhookEndpoint.objects.filter(
        active=True, partner__in=partners_concerned(event.case)
    )
    rows = [WebhookDelivery(endpoint=e, event=event, next_at=timezone.now()) for e in endpoints]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min … capped at 6 hours, ±20 % jitter."""
    base = min(30 * 2 ** (attempts - 1), 6 * 3600)
    return dt.timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 - jitter only  # nosec B311 (docs/security-findings.md)


@transaction.atomic
def delivery_outcome(
    delivery: WebhookDelivery, *, status: int | None, error: str = "", now: dt.datetime
) -> WebhookDelivery:
    from .lifecycle import DELIVERY

    delivery.attempts += 1
    delivery.last_status = status
    delivery.last_error = error[:300]
    if status is not None and 200 <= status < 300:
        step = "deliver"
        delivery.delivered_at = now
    elif status == 410 or now - delivery.event.time > RETRY_FOR:
        step = "fail"
    else:
        step = "retry"
        delivery.next_at = now + backoff(delivery.attempts)
    DELIVERY.move(delivery, DELIVERY.check(delivery, step, {"system"}), at=now)
    if status == 410:
        delivery.save()
        disable_endpoint(delivery.endpoint, reason="410 Gone")
        return delivery
    delivery.save()
    return delivery


def disable_endpoint(endpoint: WebhookEndpoint, *, reason: str) -> None:
    with transaction.atomic():
        endpoint.active = False
        endpoint.disabled_reason = reason
        endpoint.save(update_fields=["active", "disabled_reason"])
        WebhookDelivery.objects.filter(
            endpoint=endpoint, state=WebhookDelivery.State.PENDING
        ).update(state=WebhookDelivery.State.FAILED, last_error=reason)
        record(
            endpoint.partner.user,
            "docking.webhook_disabled",
            endpoint.partner,
            summary=f"{endpoint.url}: {reason}",
        )
