"""Subsidy schemes (versioned terms) and the sheets computed from them.

A scheme belongs to one IP office or one court; each change of its terms is a new
`SchemeVersion` (the old ones stay as they were). A sheet stores everything it pays: its
lines with their names, cases and amounts, and once approved its XLSX bytes, so that no later
change of the scheme, a name or a case alters an approved sheet. Money in fen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.institutions.models import MediationOrg, OwnedByAuthority, Region, one_owner
from sutiao.roster.models import Mediator


class Scheme(OwnedByAuthority):
    name = models.CharField(_("name"), max_length=120)
    # The cases counted: a court's scheme counts the court's cases; an office's scheme the
    # cases of organisations (or mediators) in this region (none: the whole nation).
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("subsidy scheme")
        verbose_name_plural = _("subsidy schemes")
        ordering = ["-id"]
        constraints = [one_owner("subsidy_scheme_one_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> SchemeVersion:
        return self.versions.order_by("-number").first()  # type: ignore[return-value]


class SchemeVersion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    settled_fen = models.PositiveIntegerField(_("per settled case"))
    failed_fen = models.PositiveIntegerField(_("per failed case with documented mediation"))
    # {ip kind code: [settled fen, failed fen]}: overrides the two amounts above for that kind.
    rates = models.JSONField(default=dict, blank=True)
    cap_mediator_fen = models.PositiveIntegerField(_("cap per mediator and period"), null=True)
    cap_period_fen = models.PositiveIntegerField(_("cap per period (whole sheet)"), null=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("subsidy scheme version")
        verbose_name_plural = _("subsidy scheme versions")
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="subsidy_version_unique")
        ]

    def amounts(self, ip_kind: str) -> tuple[int, int]:
        """(settled, failed) in fen for a case of this IP kind."""
        pair = self.rates.get(ip_kind)
        return (int(pair[0]), int(pair[1])) if pair else (self.settled_fen, self.failed_fen)


class SheetState(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")


class Sheet(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="sheets")
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    state = models.CharField(
        _("state"), max_length=12, choices=SheetState.choices, default=SheetState.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    return_reason = models.CharField(_("reason sent back"), max_length=300, blank=True)
    uncapped_fen = models.BigIntegerField(default=0)
    total_fen = models.BigIntegerField(default=0)
    xlsx = models.BinaryField(null=True)  # written once, on approval
    xlsx_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("subsidy sheet")
        verbose_name_plural = _("subsidy sheets")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period_start}–{self.period_end}"


class SheetLine(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="lines")
    mediator = models.ForeignKey(Mediator, null=True, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(MediationOrg, null=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)  # as it was when computed
    org_name = models.CharField(max_length=200, blank=True)
    settled = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    amount_fen = models.BigIntegerField()  # before caps
    paid_fen = models.BigIntegerField()  # after the caps
    cap = models.CharField(max_length=12, blank=True)  # "", "mediator", "period", "both"
    # [{"id", "number", "ip_kind", "outcome", "ended", "fen"}]: each case counted.
    cases = models.JSONField(default=list)

    class Meta:
        verbose_name = _("subsidy sheet line")
        verbose_name_plural = _("subsidy sheet lines")
        ordering = ["sheet", "id"]
