"""Docking: the platforms (partners) that exchange applications and events with Sutiao.

A partner is an OAuth 2.0 client (client credentials, RFC 6749 §4.4) with its scopes and the
institutions it speaks for; its calls act through a service account (`user`), which is the
actor of every audit entry they cause."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Partner(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="partner"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="docking_partner"
    )
    scopes = models.CharField(_("scopes"), max_length=500)  # space-separated
    courts = models.ManyToManyField("institutions.Court", blank=True, related_name="+")
    orgs = models.ManyToManyField("institutions.MediationOrg", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("docking partner")
        verbose_name_plural = _("docking partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_set(self) -> set[str]:
        return set(self.scopes.split())


class Submission(models.Model):
    """An application a partner sent: its receipt, the partner's own reference, the case."""

    receipt = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="submissions")
    external_ref = models.CharField(max_length=100)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="docking_submission"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application from a partner")
        verbose_name_plural = _("applications from partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "external_ref"], name="docking_one_case_per_reference"
            )
        ]


class IdempotencyKey(models.Model):
    """One POST of a partner under its `Idempotency-Key`: in flight until its response is
    stored, then replayed for the same body. Kept at least KEEP (24 hours)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    in_flight = models.BooleanField(default=True)
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="docking_one_use_per_key")
        ]


class CaseEvent(models.Model):
    """A fact about a docked case, as a CloudEvent: the feed's rows and what webhooks carry.
    `sequence` counts per case from 1. `position` is the feed's cursor: given after commit,
    in commit order (feed.stamp), since ids are given at insert and a transaction that
    commits late with a smaller id would be skipped by a reader already past it."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    type = models.CharField(max_length=100)
    time = models.DateTimeField(db_index=True)
    data = models.JSONField(default=dict)  # thin: ids and states, nothing confidential
    outbox_id = models.BigIntegerField(null=True, unique=True)  # the outbox event mirrored
    position = models.BigIntegerField(null=True, unique=True)

    class Meta:
        verbose_name = _("docked case event")
        verbose_name_plural = _("docked case events")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="docking_sequence_per_case")
        ]


class WebhookEndpoint(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="endpoints")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100)  # whsec_<base64>, Standard Webhooks
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_at = models.DateTimeField(db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="docking_one_delivery")
        ]


class Cursor(models.Model):
    """How far docking has read the outbox, and the last feed position given (one row)."""

    outbox_id = models.BigIntegerField(default=0)
    position = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("docking read position")
        verbose_name_plural = _("docking read positions")


class Peer(models.Model):
    """Another instance this one docks with as one of its partners (the Sutiao-to-Sutiao
    adapter): where to call it, the client credentials it gave us, the secrets its webhooks
    are signed with (two during a rotation) and how far we have read its feed."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    base_url = models.URLField(max_length=300)  # …/api/docking/v1
    client_id = models.CharField(max_length=100)
    client_secret = models.CharField(max_length=255)
    webhook_secrets = models.CharField(max_length=300, blank=True)  # space-separated whsec_…
    feed_cursor = models.CharField(max_length=20, default="0")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer platform")
        verbose_name_plural = _("peer platforms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SentApplication(models.Model):
    """An application this instance sent to a peer: its receipt there and the state the
    peer's events last told."""

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="sent")
    reference = models.CharField(max_length=100)
    receipt = models.CharField(max_length=64)
    remote_case = models.BigIntegerField()
    # The case's state on the peer, as its latest event told it: a copy of the peer's lifecycle,
    # not one of ours (so no Machine here).
    remote_state = models.CharField(max_length=30)
    sequence = models.PositiveIntegerField(default=0)  # of the event that told the state
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application sent to a peer")
        verbose_name_plural = _("applications sent to peers")
        constraints = [
            models.UniqueConstraint(fields=["peer", "reference"], name="docking_one_sent_per_ref")
        ]


class ReceivedEvent(models.Model):
    """A CloudEvent a peer sent, by webhook or read from its feed: once per event id."""

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="received")
    event_id = models.CharField(max_length=100)
    type = models.CharField(max_length=100)
    subject = models.CharField(max_length=100)
    sequence = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    via = models.CharField(max_length=10)  # webhook | feed: how it first arrived
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event received from a peer")
        verbose_name_plural = _("events received from peers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["peer", "event_id"], name="docking_one_event_per_id")
        ]
