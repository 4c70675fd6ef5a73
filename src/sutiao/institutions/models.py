"""Regions, courts, IP offices and mediation organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.core.fields import EncryptedCharField, optional_fk

from .choices import OrgKind
from .validators import validate_number_pattern, validate_uscc

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Statistical groupings in GB/T 2260 that are not part of a place's name.
_GROUPING_NAMES = {"", "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


_region_names: dict[str, str] = {}


def region_names() -> dict[str, str]:
    """code → name of every region: reference data, loaded once per process (an empty
    table, as in a freshly flushed test database, is not remembered)."""
    if not _region_names:
        _region_names.update(Region.objects.values_list("code", "name"))
    return _region_names


def _parent(verbose_name: StrOrPromise) -> models.ForeignKey[Any, Any]:
    """The region, court or office above this one (its `children`)."""
    return optional_fk("self", "children", verbose_name)


class Region(models.Model):
    """A GB/T 2260 administrative division (province, prefecture or county)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        PREFECTURE = "prefecture", _("prefecture")
        COUNTY = "county", _("county")

    code = models.CharField(_("region code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = _parent(_("parent"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def full_name(self) -> str:
        """e.g. 北京市海淀区, from the codes alone: no query per ancestor on list pages."""
        names = region_names()
        chain = dict.fromkeys([self.code[:2] + "0000", self.code[:4] + "00", self.code])
        parts = [names.get(code, "") for code in chain]
        return "".join(p for p in parts if p not in _GROUPING_NAMES)

    def prefix(self) -> str:
        """Codes below this region start with this prefix (descendants share it)."""
        if self.level == self.Level.PROVINCE:
            return self.code[:2]
        if self.level == self.Level.PREFECTURE:
            return self.code[:4]
        return self.code

    def contains(self, other: Region | None) -> bool:
        return other is not None and other.code.startswith(self.prefix())


class IPKind(models.Model):
    """A kind of IP dispute; the codes are fixed, the names translated."""

    code = models.CharField(max_length=32, primary_key=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("IP kind")
        verbose_name_plural = _("IP kinds")

    def __str__(self) -> str:
        from .choices import IP_KIND_LABELS

        return str(IP_KIND_LABELS.get(self.code, self.code))


class Court(models.Model):
    class Level(models.TextChoices):
        SUPREME = "supreme", _("Supreme People's Court")
        HIGH = "high", _("High court")
        INTERMEDIATE = "intermediate", _("Intermediate court")
        BASIC = "basic", _("Basic court")

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    is_ip_court = models.BooleanField(
        _("IP court"), default=False, help_text=_("A specialised intellectual property court.")
    )
    has_ip_tribunal = models.BooleanField(_("IP tribunal"), default=False)
    ip_kinds = models.ManyToManyField(
        IPKind, blank=True, related_name="courts", verbose_name=_("IP jurisdiction")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="courts", verbose_name=_("region")
    )
    parent = _parent(_("higher court"))
    # Settings a court keeps for itself.
    case_number_code = models.CharField(
        _("case number code"),
        max_length=16,
        blank=True,
        help_text=_("The court's code in case numbers, e.g. 京73."),
    )
    # Case-number patterns: {year}, {code} (the court's code above) and {seq}.
    pre_filing_number_pattern = models.CharField(
        _("pre-filing mediation numbers"),
        max_length=60,
        default="（{year}）{code}民诉前调{seq}号",
        validators=[validate_number_pattern],
    )
    entrusted_number_pattern = models.CharField(
        _("entrusted mediation numbers"),
        max_length=60,
        default="（{year}）{code}民诉中调{seq}号",
        validators=[validate_number_pattern],
    )
    filing_number_pattern = models.CharField(
        _("filed case numbers"),
        max_length=60,
        default="（{year}）{code}民初{seq}号",
        validators=[validate_number_pattern],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = EncryptedCharField(_("public phone"), max_length=30, blank=True)  # core.crypto
    # OMR 10: who is told when no mediator is assigned in time (else every clerk of the court).
    filing_head = optional_fk(
        settings.AUTH_USER_MODEL,
        "+",
        _("head of the case-filing division"),
        on_delete=models.SET_NULL,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region_id", "level", "name"]
        verbose_name = _("court")
        verbose_name_plural = _("courts")

    def __str__(self) -> str:
        return self.name

    @property
    def has_ip_jurisdiction(self) -> bool:
        return self.is_ip_court or self.has_ip_tribunal or self.ip_kinds.exists()

    def ancestors(self) -> list[Court]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class IPOffice(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")
        COUNTY = "county", _("county")

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region = optional_fk(
        Region, "ip_offices", _("region"), help_text=_("Empty for the national office.")
    )
    parent = _parent(_("parent office"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = EncryptedCharField(_("public phone"), max_length=30, blank=True)  # core.crypto

    class Meta:
        ordering = ["level", "region_id", "name"]
        verbose_name = _("IP office")
        verbose_name_plural = _("IP offices")

    def __str__(self) -> str:
        return self.name

    def covers(self, region: Region | None) -> bool:
        """The national office covers the country; others their region and below."""
        if self.level == self.Level.NATIONAL:
            return True
        return self.region is not None and self.region.contains(region)


class MediationOrg(models.Model):
    Kind = OrgKind

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="orgs", verbose_name=_("region")
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    charges_fees = models.BooleanField(_("charges fees"), default=False)
    fee_note = models.CharField(_("fee note"), max_length=200, blank=True)
    ip_kinds = models.ManyToManyField(
        IPKind, blank=True, related_name="orgs", verbose_name=_("dispute kinds accepted")
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("mediation organisation")
        verbose_name_plural = _("mediation organisations")

    def __str__(self) -> str:
        return self.name


class OwnedByAuthority(models.Model):
    """Owned by one IP office or one court (a scheme, a note on a performance file): exactly
    one of the two, as `one_owner` constrains."""

    office = models.ForeignKey(
        IPOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(
        Court, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def owner(self) -> IPOffice | Court:
        return self.office or self.court  # type: ignore[return-value]


def one_owner(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(office__isnull=False, court__isnull=True)
        | models.Q(office__isnull=True, court__isnull=False),
        name=name,
    )
