"""Serving issued documents (the signed agreement, rulings, mediation documents) on the
parties through `sutiao.delivery` (electronic service with proof of service).

Service runs in a savepoint of the caller's transaction: a failure of the delivery domain is
logged and left as an outbox event to retry (`documents.service_failed`), and never undoes
the signature or ruling that produced the document — the parties also reach every document
from the case, agreement and application pages."""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.db import transaction

from sutiao.core import outbox

log = logging.getLogger(__name__)


def serve(*, actor: Any, case, document, title: str, kind: str) -> bool:
    """True when the document was handed to delivery for every party of the case."""
    if not apps.is_installed("sutiao.delivery"):
        return False
    try:
        from sutiao.delivery.actions import serve_document
    except ImportError:
        return False
    try:
        with transaction.atomic():
            serve_document(
                actor=actor, case=case, document=document, recipients=None, title=title, kind=kind
            )
    except Exception as exc:  # noqa: BLE001 - see the module docstring
        log.error("serving %s of case %s failed: %s", kind, case.pk, exc)
        outbox.emit(
            "documents.service_failed",
            {"case": case.pk, "document": document.pk, "kind": kind, "error": str(exc)[:200]},
        )
        return False
    return True
