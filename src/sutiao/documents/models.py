"""Signer certificates, the platform CA, and registered (rendered and signed) documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sutiao.core.fields import optional_fk
from sutiao.institutions.models import Court, MediationOrg


class CertificateAuthority(models.Model):
    """A platform root CA. Only one is active (issues certificates); retired ones stay so that
    documents signed under them still verify. Its key is a Fernet token (pki.seal_key)."""

    name = models.CharField(_("name"), max_length=200)
    certificate_pem = models.TextField()
    key_encrypted = models.TextField()
    fingerprint = models.CharField(max_length=64, unique=True)  # SHA-256 of the DER
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate authority")
        verbose_name_plural = _("certificate authorities")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="one_active_platform_ca"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SignerCertificate(models.Model):
    """A signing certificate and its key; the key belongs to the holder (a person, or an
    organisation's or court's seal) and is unlocked only for a signing step they take."""

    class Holder(models.TextChoices):
        PERSON = "person", _("person")
        ORG_SEAL = "org_seal", _("organisation seal")
        COURT_SEAL = "court_seal", _("court seal")

    holder_kind = models.CharField(_("holder"), max_length=12, choices=Holder.choices)
    user = optional_fk(settings.AUTH_USER_MODEL, "signer_certificates", _("user"))
    org = optional_fk(MediationOrg, "signer_certificates", _("mediation organisation"))
    court = optional_fk(Court, "signer_certificates", _("court"))
    subject_cn = models.CharField(_("name in the certificate"), max_length=200)
    serial = models.CharField(_("serial number"), max_length=64, unique=True)  # hex
    issuer_cn = models.CharField(_("issuer"), max_length=200)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    certificate_pem = models.TextField()
    chain_pem = models.TextField(blank=True)  # issuing CA and intermediates
    key_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=200, blank=True)
    # A compromised key: signatures made (timestamped) from then on are refused, even before
    # revoked_at (RFC 5280 invalidityDate, key compromise, in the CRL).
    invalid_since = models.DateTimeField(_("not to be trusted since"), null=True, blank=True)

    class Meta:
        verbose_name = _("signer certificate")
        verbose_name_plural = _("signer certificates")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        holder_kind="person",
                        user__isnull=False,
                        org__isnull=True,
                        court__isnull=True,
                    )
                    | Q(
                        holder_kind="org_seal",
                        user__isnull=True,
                        org__isnull=False,
                        court__isnull=True,
                    )
                    | Q(
                        holder_kind="court_seal",
                        user__isnull=True,
                        org__isnull=True,
                        court__isnull=False,
                    )
                ),
                name="signer_certificate_one_holder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_cn} ({self.get_holder_kind_display()}, {self.serial[:12]}…)"

    @property
    def holder(self):
        return self.user or self.org or self.court


class Document(models.Model):
    """A rendered (and usually signed) PDF that the platform issued, found by its short
    verification code; `file` and `sha256` are the current version."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("mediation agreement")
        CONFIRMATION = "confirmation", _("judicial confirmation ruling")
        MEDIATION_DOCUMENT = "mediation_document", _("mediation document")
        SERVICE_PROOF = "service_proof", _("proof of service")
        NOTICE = "notice", _("notice")
        RECORD = "record", _("record")
        OTHER = "other", _("other document")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    case_number = models.CharField(_("case number"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    verify_code = models.CharField(_("verification code"), max_length=10, unique=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(default=0)
    signature_count = models.PositiveSmallIntegerField(_("signatures"), default=0)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(_("file"), upload_to="documents/", max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.verify_code})"


class DocumentVersion(models.Model):
    """Every version a document had: each later one extends the earlier by an incremental
    update (a further signature), so an earlier copy someone holds is still recognised."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    signature_count = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="documents/", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document.verify_code} v{self.number}"
