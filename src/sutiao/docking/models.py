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
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="docking_one_use_per_key")
        ]


class CaseEvent(models.Model):
    """A fact about a docked case, as a CloudEvent: the feed's rows (the id is the cursor) and
    what webhooks carry. `sequence` counts per case from 1."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    sequence = models.PositiveIntegerField()
    type = models.CharField(max_length=100)
    time = models.DateTimeField(db_index=True)
    data = models.JSONField(default=dict)  # thin: ids and states, nothing confidential
    outbox_id = models.BigIntegerField(null=True, unique=True)  # the outbox event mirrored

    class Meta:
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
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="docking_one_delivery")
        ]


class Cursor(models.Model):
    """How far docking has read the outbox (one row)."""

    outbox_id = models.BigIntegerField(default=0)
