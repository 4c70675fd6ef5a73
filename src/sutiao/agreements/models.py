"""Mediation agreements (调解协议): versioned templates kept as data, the agreement with its
structured terms, the signatures on it, refusals, and the one-time codes that unlock signing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.cases.models import Case, CaseFile, Party
from sutiao.core.fields import by_user, optional_fk
from sutiao.documents.models import Document, SignerCertificate


class AgreementTemplate(models.Model):
    """A kind of agreement (e.g. an IP infringement settlement); its wording lives in versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")

    def __str__(self) -> str:
        return self.name

    def current(self) -> AgreementTemplateVersion | None:
        return self.versions.filter(published=True).order_by("-number").first()


class AgreementTemplateVersion(models.Model):
    """One published wording: headings, the sentence of each kind of term, closing clauses.
    `wording` is data (see terms.REQUIRED_WORDING); an agreement keeps the version it used."""

    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("document title"), max_length=60)
    wording = models.JSONField(_("wording"), default=dict)
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="agreement_template_version_unique"
            )
        ]
        verbose_name = _("agreement template version")
        verbose_name_plural = _("agreement template versions")

    def __str__(self) -> str:
        return f"{self.template.code} v{self.number}"


class Agreement(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNING = "signing", _("Being signed")
        SIGNED = "signed", _("Signed and in effect")
        REFUSED = "refused", _("Refused by a party")

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("case")
    )
    template_version = models.ForeignKey(
        AgreementTemplateVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("template"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    facts = models.TextField(_("main facts"))
    issues = models.TextField(_("issues in dispute"), blank=True)
    performance = models.TextField(_("how the agreement is performed"), blank=True)
    place = models.CharField(_("place"), max_length=60, blank=True)
    offline = models.BooleanField(_("reached offline"), default=False)
    scan = optional_fk(CaseFile, "+", _("scan of the signed agreement"))
    verify_code = models.CharField(_("verification code"), max_length=10, blank=True)
    document = optional_fk(Document, "+", _("document"))
    created_by = by_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    opened_at = models.DateTimeField(_("opened for signing"), null=True, blank=True)
    effective_at = models.DateTimeField(_("in effect since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("signatures completed"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self) -> str:
        return f"{self.template_version.title} · {self.case}"


class Term(models.Model):
    """One item of the result: a kind (terms.KINDS) and its structured fields."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind of term"), max_length=24)
    data = models.JSONField(_("fields"), default=dict)

    class Meta:
        verbose_name = _("agreement term")
        verbose_name_plural = _("agreement terms")
        ordering = ["agreement", "order", "id"]


class Signature(models.Model):
    """A signature on the agreement's PDF: a party's (by itself or its agent), the mediator's,
    or the organisation's seal; `version` is the document version it produced."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Party")
        MEDIATOR = "mediator", _("Mediator")
        ORG_SEAL = "org_seal", _("Organisation seal")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    field_name = models.CharField(max_length=40)
    party = optional_fk(Party, "+")
    signed_by = by_user()
    as_agent = models.BooleanField(default=False)
    certificate = models.ForeignKey(SignerCertificate, on_delete=models.PROTECT, related_name="+")
    verified_by = models.CharField(_("identity verified by"), max_length=10, blank=True)
    version = models.PositiveSmallIntegerField()
    signed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        ordering = ["agreement", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "field_name"], name="agreement_field_signed_once"
            )
        ]


class Refusal(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="refusals")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    refused_by = by_user()
    reason = models.TextField(_("reason"))
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("refusal to sign")
        verbose_name_plural = _("refusals to sign")


class OneTimeCode(models.Model):
    """A code sent to a person's phone or e-mail to confirm one step (signing this agreement).
    Only an HMAC of the code is kept; it expires after 10 minutes or 5 wrong attempts."""

    class Channel(models.TextChoices):
        SMS = "sms", _("Mobile phone")
        EMAIL = "email", _("E-mail")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    purpose = models.CharField(max_length=60, db_index=True)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    destination = models.CharField(max_length=100)  # masked
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]
