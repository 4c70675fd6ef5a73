"""One step some of the actor's parties take together (refusing to sign an agreement,
objecting to a ruling): audited with the parties and its text, and put on the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model

from sutiao.audit.log import record
from sutiao.core import outbox


def record_parties_step(
    actor: Any,
    name: str,
    obj: Model,
    *,
    text: str,
    parties: Iterable[Model],
    payload: dict[str, Any],
) -> None:
    record(actor, name, obj, summary=text[:200], changes={"parties": [p.pk for p in parties]})
    outbox.emit(name, payload)
