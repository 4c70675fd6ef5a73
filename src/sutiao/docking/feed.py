"""The feed's cursor in commit order. Ids are given at insert: a transaction that inserts
event 7 and commits after another committed event 8 would be skipped by a reader already
past 8. So each committed event gets the next `position` after its transaction commits
(as audit/chain.py gives audit entries their seq), under the one head row; the feed serves
only positioned events, by position. A reader past position P never misses an event: any
event positioned later has a larger position."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from .models import CaseEvent, Cursor

log = logging.getLogger("sutiao.docking")
BATCH = 1000


def stamp() -> int:
    """Give the committed events without a position the next positions, in id order."""
    done = 0
    with transaction.atomic():
        Cursor.objects.get_or_create(pk=1)
        # Write first: the head row's lock (SQLite: the write lock) before reading.
        Cursor.objects.filter(pk=1).update(position=F("position"))
        head = Cursor.objects.select_for_update().get(pk=1)
        pending = CaseEvent.objects.filter(position__isnull=True).order_by("pk")
        for pk in pending.values_list("pk", flat=True)[:BATCH]:
            head.position += 1
            CaseEvent.objects.filter(pk=pk).update(position=head.position)
            done += 1
        if done:
            head.save(update_fields=["position"])
    return done


def _stamp_committed() -> None:
    try:
        stamp()
    except Exception:  # noqa: BLE001 - the change committed; the worker stamps it later
        log.exception("docking feed stamp failed")


def stamp_after_commit() -> None:
    """Once per transaction, however many events it adds."""
    pending = transaction.get_connection().run_on_commit
    if not any(func is _stamp_committed for _, func, _ in pending):
        transaction.on_commit(_stamp_committed)
