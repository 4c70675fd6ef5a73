"""SMS through a gateway: the local backend (records the messages, the embedded default) or
the HTTP JSON gateway adapter (SUTIAO_SMS_BACKEND=http). Each message carries the delivery's
Message-ID as its idempotency key, so a gateway that honours it sends a retry only once.

The HTTP JSON protocol (docs/delivery.md):
    POST $SUTIAO_SMS_URL   Authorization: Bearer $SUTIAO_SMS_KEY   Idempotency-Key: <key>
    {"to": "+8613800138000", "text": "…", "client_ref": "<key>", "receipt_url": "…"}
    → 2xx {"id": "gateway id", "status": "accepted" | "delivered"}
    4xx (but 408/429): refused for good; 5xx, 408, 429, no answer: try again later.
    Receipts: POST receipt_url, Authorization: Bearer $SUTIAO_SMS_RECEIPT_TOKEN,
    {"client_ref": "<key>", "id": "…", "status": "delivered" | "failed", "at": ISO 8601}
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from sutiao.core.backends import chosen
from sutiao.core.links import site_link

from . import Outcome, Permanent


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, key: str) -> Outcome: ...


class LocalSmsBackend:
    """Records each message (delivery.models.SmsRecord) and reports it delivered at once;
    a second submission with the same key is the same message (counted, not repeated)."""

    def send(self, *, to: str, text: str, key: str) -> Outcome:
        from ..models import SmsRecord

        try:
            with transaction.atomic():
                row = SmsRecord.objects.create(key=key, to=to, text=text)
        except IntegrityError:
            SmsRecord.objects.filter(key=key).update(submissions=F("submissions") + 1)
            row = SmsRecord.objects.get(key=key)
        return Outcome(
            arrived=True,
            ref=f"local-{row.pk}",
            detail={"gateway": "local", "submissions": row.submissions},
        )


def _international(phone: str) -> str:
    return phone if phone.startswith("+") else f"+86{phone}"


class HttpJsonSmsBackend:
    """An SMS gateway with a JSON API (see the module's docstring)."""

    def __init__(self, url: str | None = None, key: str | None = None, timeout: float = 10):
        self.url = url or settings.SMS_URL
        self.key = key if key is not None else settings.SMS_KEY
        self.timeout = timeout
        if not self.url:
            raise ValueError("SUTIAO_SMS_URL is not set")

    def send(self, *, to: str, text: str, key: str) -> Outcome:
        body = {
            "to": _international(to),
            "text": text,
            "client_ref": key,
            "receipt_url": site_link("delivery:sms_receipt"),
        }
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured gateway
            self.url,
            data=json.dumps(body, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.key}",
                "Idempotency-Key": key,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310 (docs/security-findings.md)
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode(errors="replace")
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise Permanent(f"SMS gateway {exc.code}: {detail}") from None
            raise RuntimeError(f"SMS gateway {exc.code}: {detail}") from None
        status = str(answer.get("status", "accepted"))
        if status in {"rejected", "failed"}:
            raise Permanent(f"SMS gateway: {status} {answer.get('error', '')}"[:300])
        return Outcome(
            arrived=status == "delivered",
            ref=str(answer.get("id", ""))[:120],
            detail={"gateway": "http", "status": status},
        )


def backend() -> SmsBackend:
    return chosen(settings.SMS_BACKEND, {"local": LocalSmsBackend, "http": HttpJsonSmsBackend})


class SmsChannel:
    def send(self, delivery) -> Outcome:
        return backend().send(to=delivery.address, text=delivery.body, key=delivery.message_id)
