"""A batch (批量): the spreadsheet of one rights holder against many respondents, the files
shared by all its cases (stored once), and the link of each case to its batch (cases/ keeps
no column for it: each case stays legally separate). Also the conflicts mediators declare,
which matching (matching.py) reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.cases.models import Case
from sutiao.core.fields import by_user
from sutiao.institutions.models import Court, IPKind
from sutiao.roster.models import Mediator


class Batch(models.Model):
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    applicant_name = models.CharField(_("rights holder"), max_length=100)
    ip_kind = models.ForeignKey(IPKind, on_delete=models.PROTECT, related_name="+")
    claims = models.TextField(_("shared claims"))
    description = models.TextField(_("shared summary of the dispute"), blank=True)
    filename = models.CharField(_("spreadsheet"), max_length=200)
    # The spreadsheet's content hash: the same file uploaded again creates nothing twice.
    sha256 = models.CharField(max_length=64)
    as_agent = models.BooleanField(default=False)
    total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("cases created"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"line": 5, "column": "金额", "reason": "..."}]: what the uploader must correct.
    errors = models.JSONField(default=list, blank=True)
    created_by = by_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["created_by", "sha256"], name="batch_once_per_file")
        ]

    def __str__(self) -> str:
        return self.title


def batch_file_path(instance: BatchFile, filename: str) -> str:
    return f"batches/{instance.batch_id}/{instance.sha256[:2]}/{instance.sha256}"


class BatchFile(models.Model):
    """Evidence (or the power of attorney) shared by every case of the batch: its bytes are
    stored once, and every case's file row points at them."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20)  # cases.CaseFile.Kind
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=batch_file_path, max_length=200)

    class Meta:
        verbose_name = _("file shared by a batch")
        verbose_name_plural = _("files shared by batches")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class BatchCase(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="links")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="batch_link")
    line = models.PositiveIntegerField(_("row"))

    class Meta:
        verbose_name = _("case of a batch")
        verbose_name_plural = _("cases of batches")
        ordering = ["line"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="batch_case_once_per_row")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"


class DeclaredConflict(models.Model):
    """OMR 13; SIR 15: a relationship a mediator declared in advance; matching never offers
    the mediator for a case where the name (or code) is a party's or an agent's."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Same employer")
        RELATION = "relation", _("Relation with a party or agent")
        COUNSEL = "counsel", _("Earlier counsel of a party")

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name of the person or organisation"), max_length=120)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mediator", "id"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["uscc"])]
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")

    def __str__(self) -> str:
        return f"{self.mediator_id} · {self.name}"
