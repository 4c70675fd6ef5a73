"""`sutiao keys rotate`: every envelope ciphertext under the current master key.

Set the new key as SUTIAO_MASTER_KEY and the old one in SUTIAO_MASTER_KEYS_OLD, restart, then
run it. Each value's data key is re-wrapped by the new master key (the ciphertext stays);
values from before envelope encryption are encrypted afresh. Rows already under the new key
are skipped, so a second run changes nothing and an interrupted run is resumed by running it
again; each batch commits on its own, and a row changed meanwhile is left for the next run.
When it reports 0 left, remove the old key from SUTIAO_MASTER_KEYS_OLD.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sutiao.audit import log
from sutiao.core import crypto
from sutiao.core.fields import EncryptedCharField, ciphertext_columns


def rotate(batch: int = 500) -> dict[str, int]:
    qn = connection.ops.quote_name
    done: dict[str, int] = {}
    for model, field in ciphertext_columns():
        table, column, pk = model._meta.db_table, field.column, model._meta.pk.column
        label = f"{model._meta.label_lower}.{field.name}"
        changed, last = 0, None
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {qn(pk)} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} {where}"  # noqa: S608  # nosec B608 (docs/security-findings.md)
                    f"ORDER BY {qn(pk)} LIMIT %s",
                    [last, batch] if last is not None else [batch],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            with transaction.atomic(), connection.cursor() as cursor:
                for row_pk, stored in rows:
                    if not stored or not crypto.needs_rewrap(stored):
                        continue
                    # A clear value left in an encrypted column is encrypted; a ciphertext
                    # (or a Fernet token from before envelope encryption) is re-wrapped.
                    clear = isinstance(field, EncryptedCharField) and not crypto.is_envelope(stored)
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {qn(column)} = %s "  # noqa: S608  # nosec B608 (docs/security-findings.md)
                        f"WHERE {qn(pk)} = %s AND {qn(column)} = %s",
                        [
                            crypto.encrypt(stored) if clear else crypto.rewrap(stored),
                            row_pk,
                            stored,
                        ],
                    )
                    changed += cursor.rowcount
        done[label] = changed
    rewrap_files = getattr(default_storage, "rewrap_all", None)
    if rewrap_files is not None:
        done["files"] = rewrap_files()
    with transaction.atomic():
        log.record(
            "system",
            "security.keys_rotated",
            summary=f"master key {crypto.current_master().id}",
            changes={"rewrapped": done},
        )
    return done


def left() -> int:
    """Values not yet under the current master key."""
    qn = connection.ops.quote_name
    count = 0
    for model, field in ciphertext_columns():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn(field.column)} FROM {qn(model._meta.db_table)}"  # noqa: S608  # nosec B608 (docs/security-findings.md)
            )
            count += sum(1 for (v,) in cursor.fetchall() if v and crypto.needs_rewrap(v))
    return count


class Command(BaseCommand):
    help = (
        "Key tools. `keys rotate` re-wraps every stored data key with the current master key "
        "(SUTIAO_MASTER_KEY; earlier keys in SUTIAO_MASTER_KEYS_OLD); idempotent and resumable."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("verb", choices=["rotate"])
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, verb: str, batch: int, **options: Any) -> None:
        done = rotate(batch=batch)
        for label, n in done.items():
            self.stdout.write(f"{label}: {n} re-wrapped")
        self.stdout.write(
            f"master key {crypto.current_master().id}: {left()} value(s) left under other keys"
        )
