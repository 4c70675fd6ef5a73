"""Mediators. Collection, recommendation and court admission come with the roster issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.identity import IdentityNumberMixin, mask_phone
from sutiao.institutions.models import IPKind, MediationOrg, Region


class Mediator(IdentityNumberMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REMOVED = "removed", _("Removed")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediator",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="mediators", verbose_name=_("region")
    )
    orgs = models.ManyToManyField(
        MediationOrg, blank=True, related_name="mediators", verbose_name=_("organisations")
    )
    ip_kinds = models.ManyToManyField(
        IPKind, blank=True, related_name="mediators", verbose_name=_("IP expertise")
    )
    technical_fields = models.CharField(_("technical fields"), max_length=200, blank=True)
    charges_fees = models.BooleanField(_("charges fees"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    bio = models.TextField(_("profile"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="mediator_unique_id_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
