"""The tamper-evident log: every entry carries the hash of the one before it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.core.fields import by_user


class AuditHead(models.Model):
    """One row holding the newest hash; only the chainer (log.chain) locks it, after the
    audited transactions have committed."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)
    # Entries up to this seq were written before the chain was keyed and carry plain SHA-256
    # hashes; every later entry carries an HMAC-SHA256 with settings.AUDIT_KEY.
    plain_until = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")


class AuditEntry(models.Model):
    # seq, prev_hash and hash are set once, by the chainer after commit; until then the
    # entry is pending (seq null). The database guard allows exactly that one update.
    seq = models.BigIntegerField(unique=True, null=True, editable=False)
    at = models.DateTimeField(_("time"), editable=False)
    actor = by_user(_("actor"), optional=True)
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    hash = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(
                fields=["id"], name="audit_entry_pending", condition=models.Q(seq__isnull=True)
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")
