"""Judicial confirmation (司法确认) of agreements and mediation documents (调解书)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.agreements.models import Agreement
from sutiao.cases.models import Case, FiledCase, Party
from sutiao.core.fields import EncryptedCharField, by_user, optional_fk
from sutiao.documents.models import Document
from sutiao.institutions.models import Court

from .choices import (
    CourtBasis,
    DismissalGround,
    MediationDocumentState,
    ObjectionState,
    Outcome,
    RefusalGround,
    State,
)


class ConfirmationApplication(models.Model):
    """The parties' joint application to a court to confirm an agreement (CPL 205)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="confirmation_applications"
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="confirmation_applications"
    )
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        related_name="confirmation_applications",
        verbose_name=_("court"),
    )
    court_basis = models.CharField(_("why this court"), max_length=16, choices=CourtBasis.choices)
    court_reason = models.CharField(_("reason shown"), max_length=300)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    number = models.CharField(_("case number"), max_length=60, blank=True)
    started_by = by_user()
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    judge = optional_fk(settings.AUTH_USER_MODEL, "+", _("judge"))
    clock = models.CharField(max_length=40, blank=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    # How the deadline was computed (workdays.clocks), so that it can be computed again once
    # the official schedule of a provisional year is entered.
    clock_basis = models.JSONField(default=dict, blank=True)
    deadline_provisional_year = models.PositiveSmallIntegerField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    # CPL-I 355: the ground on which the court refused to accept it (不予受理), and why.
    refusal_ground = models.PositiveSmallIntegerField(
        _("ground (CPL-I 355)"), choices=RefusalGround.choices, null=True, blank=True
    )
    refusal_reasoning = models.TextField(_("reasoning"), blank=True)
    # What the parties applied to confirm (agreements.queries.content_hash): a dismissed
    # agreement is not applied for again unchanged.
    agreement_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("application for judicial confirmation")
        verbose_name_plural = _("applications for judicial confirmation")
        indexes = [models.Index(fields=["court", "state", "id"])]

    def __str__(self) -> str:
        return self.number or f"{self.case} · {self.court}"


class ApplicationPart(models.Model):
    """One party's part of the joint application (by itself or its agent)."""

    application = models.ForeignKey(
        ConfirmationApplication, on_delete=models.CASCADE, related_name="parts"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    submitted_by = by_user()
    as_agent = models.BooleanField(default=False)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    address = models.CharField(_("domicile"), max_length=200, blank=True)
    statement = models.TextField(_("statement"), blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("party's part of an application")
        verbose_name_plural = _("parties' parts of applications")
        constraints = [
            models.UniqueConstraint(fields=["application", "party"], name="application_part_once")
        ]


class SupplementRequest(models.Model):
    application = models.ForeignKey(
        ConfirmationApplication, on_delete=models.CASCADE, related_name="supplement_requests"
    )
    items = models.TextField(_("what to supplement"))
    deadline_at = models.DateTimeField(_("deadline"))
    requested_by = by_user()
    requested_at = models.DateTimeField()
    answer = models.TextField(_("answer"), blank=True)
    answered_by = optional_fk(settings.AUTH_USER_MODEL, "+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("request for supplementary materials")
        verbose_name_plural = _("requests for supplementary materials")
        ordering = ["requested_at", "id"]


class QuestioningSession(models.Model):
    """CPL-I 357: the court may question the parties together (online)."""

    application = models.ForeignKey(
        ConfirmationApplication, on_delete=models.CASCADE, related_name="questionings"
    )
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place or online room"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    scheduled_by = by_user()
    scheduled_at = models.DateTimeField()

    class Meta:
        verbose_name = _("questioning session")
        verbose_name_plural = _("questioning sessions")
        ordering = ["starts_at", "id"]


class Ruling(models.Model):
    """The ruling (民事裁定书): the agreement is valid, or the application is dismissed with a
    CPL-I 358 ground. The PDF is signed by the judge and sealed by the court."""

    application = models.OneToOneField(
        ConfirmationApplication, on_delete=models.PROTECT, related_name="ruling"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    ground = models.PositiveSmallIntegerField(
        _("ground (CPL-I 358)"), choices=DismissalGround.choices, null=True, blank=True
    )
    reasoning = models.TextField(_("reasoning"), blank=True)
    judge = by_user()
    verify_code = models.CharField(max_length=10)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    ruled_at = models.DateTimeField()
    # Each party's 15 days run from its own receipt: the effective service of `document`
    # (delivery.Service.effective_at; queries.objection_windows), not from ruled_at.
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("confirmation ruling")
        verbose_name_plural = _("confirmation rulings")


class Objection(models.Model):
    """CPL-I 372: a party objects to the ruling within 15 days of receiving it; the court
    reviews it: upheld, the ruling is revoked; dismissed, it stands."""

    ruling = models.ForeignKey(Ruling, on_delete=models.CASCADE, related_name="objections")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    submitted_by = by_user()
    text = models.TextField(_("objection"))
    at = models.DateTimeField()
    state = models.CharField(
        _("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.FILED
    )
    reviewed_by = optional_fk(settings.AUTH_USER_MODEL, "+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reasoning = models.TextField(_("reasoning"), blank=True)
    decision = optional_fk(Document, "+")

    class Meta:
        verbose_name = _("objection to a ruling")
        verbose_name_plural = _("objections to rulings")
        ordering = ["at", "id"]


class ApplicationEvent(models.Model):
    """The application's timeline: every transition, in order."""

    application = models.ForeignKey(
        ConfirmationApplication, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField()
    actor = by_user(optional=True)
    kind = models.CharField(max_length=40)
    state_before = models.CharField(max_length=12, blank=True)
    state_after = models.CharField(max_length=12, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("application timeline entry")
        verbose_name_plural = _("application timeline entries")
        ordering = ["at", "id"]


class MediationDocument(models.Model):
    """CPL 100–102: the mediation document of a settled entrusted case. In effect when every
    party has signed for it; before that a party may withdraw, and the trial resumes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="mediation_documents")
    filed_case = models.ForeignKey(FiledCase, on_delete=models.PROTECT, related_name="+")
    agreement = optional_fk(Agreement, "+")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=MediationDocumentState.choices,
        default=MediationDocumentState.ISSUED,
    )
    claims = models.TextField(_("claims"))
    facts = models.TextField(_("facts"))
    result = models.TextField(_("result of mediation"))
    judge = by_user(_("judge"))
    clerk_name = models.CharField(_("clerk"), max_length=50)
    verify_code = models.CharField(max_length=10)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    effective_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("mediation document")
        verbose_name_plural = _("mediation documents")


class MediationDocumentReceipt(models.Model):
    mediation_document = models.ForeignKey(
        MediationDocument, on_delete=models.CASCADE, related_name="receipts"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    signed_by = by_user()
    verified_by = models.CharField(max_length=10, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("receipt of a mediation document")
        verbose_name_plural = _("receipts of mediation documents")
        constraints = [
            models.UniqueConstraint(
                fields=["mediation_document", "party"], name="mediation_document_receipt_once"
            )
        ]
