"""Mediators, their collection by import, recommendation by IP offices and court rosters.

A court's roster (InvitationRoster in the glossary) is the set of its RosterEntry rows: one
per admitted organisation or mediator. The history of every change to a mediator is the
audit log (object roster.mediator/<pk>), plus the import job that created it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.identity import IdentityNumberMixin, mask_phone, unique_id_number
from sutiao.core.fields import EncryptedCharField, by_user, optional_fk
from sutiao.institutions.models import Court, IPKind, IPOffice, MediationOrg, Region


class Qualification(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    ARBITRATOR = "arbitrator", _("Arbitrator")
    PATENT_ATTORNEY = "patent_attorney", _("Patent attorney")
    RETIRED_JUDGE = "retired_judge", _("Retired judge")
    TECHNICAL_EXPERT = "technical_expert", _("Technical expert")
    SCHOLAR = "scholar", _("Scholar")
    PEOPLES_MEDIATOR = "peoples_mediator", _("People's mediator")
    OTHER = "other", _("Other qualification")


class ImportJob(models.Model):
    """One uploaded file of organisations or mediators, imported in the background."""

    class Kind(models.TextChoices):
        ORGS = "orgs", _("Mediation organisations")
        MEDIATORS = "mediators", _("Mediators")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    filename = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=300, blank=True, editable=False)
    created_by = by_user(_("imported by"), optional=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    existing_count = models.PositiveIntegerField(_("already on the platform"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"line": 7, "name": "...", "reasons": ["..."]}] — never an ID or phone number.
    errors = models.JSONField(default=list, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


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
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)  # core.crypto
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
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("For example: 中文, English")
    )
    qualifications = models.JSONField(_("qualifications"), default=list, blank=True)
    charges_fees = models.BooleanField(_("charges fees"), default=False)
    fee_note = models.CharField(_("fee note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_reason = models.CharField(_("reason for the status"), max_length=300, blank=True)
    bio = models.TextField(_("profile"), blank=True)
    import_job = optional_fk(ImportJob, "mediators", _("imported by"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [unique_id_number("mediator_unique_id_number")]
        # The few mediators not active, which matching leaves out without reading the
        # others (issue 20): a partial index, small however many mediators are active.
        indexes = [
            models.Index(
                fields=["id"], condition=~Q(status="active"), name="roster_mediator_inactive"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def qualification_labels(self) -> list[str]:
        labels = dict(Qualification.choices)
        return [str(labels.get(q, q)) for q in self.qualifications or []]


class Subject(models.TextChoices):
    ORG = "org", _("Mediation organisation")
    MEDIATOR = "mediator", _("Mediator")


_ONE_SUBJECT = Q(org__isnull=False, mediator__isnull=True) | Q(
    org__isnull=True, mediator__isnull=False
)


def _subject_fields(
    related_name: str,
) -> tuple[
    models.ForeignKey[MediationOrg | None, MediationOrg | None],
    models.ForeignKey[Mediator | None, Mediator | None],
]:
    """The organisation and the mediator a row is about: exactly one of them is set (the
    model's constraint _ONE_SUBJECT); `related_name` names the rows from the subject's side."""
    return optional_fk(MediationOrg, related_name, _("mediation organisation")), optional_fk(
        Mediator, related_name, _("mediator")
    )


def _one_subject_constraints(name: str, status: str) -> list[models.BaseConstraint]:
    """Exactly one subject per row, and per court one row of each subject in `status`."""
    return [
        models.CheckConstraint(condition=_ONE_SUBJECT, name=f"{name}_one_subject"),
        models.UniqueConstraint(
            fields=["court", "mediator"],
            condition=Q(status=status, mediator__isnull=False),
            name=f"{name}_one_{status}_mediator",
        ),
        models.UniqueConstraint(
            fields=["court", "org"],
            condition=Q(status=status, org__isnull=False),
            name=f"{name}_one_{status}_org",
        ),
    ]


class OfOneSubject(models.Model):
    """A row about one organisation or one mediator (a recommendation, a roster entry).

    The fields are `_subject_fields(related_name)` in each model: the reverse names differ
    (mediator.recommendations, mediator.roster_entries), which an abstract field cannot say."""

    if TYPE_CHECKING:
        org: MediationOrg | None
        org_id: int | None
        mediator: Mediator | None
        mediator_id: int | None

    class Meta:
        abstract = True

    @property
    def subject(self) -> Mediator | MediationOrg:
        """The one that is set (the constraint _ONE_SUBJECT of each model)."""
        return cast("Mediator | MediationOrg", self.mediator or self.org)

    @property
    def subject_kind(self) -> str:
        return Subject.MEDIATOR if self.mediator_id else Subject.ORG


class Recommendation(OfOneSubject):
    """An IP office recommends an organisation or a mediator to a court (Notice §8–9)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the court")
        ADMITTED = "admitted", _("Admitted")
        DECLINED = "declined", _("Declined")

    office = models.ForeignKey(
        IPOffice,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("IP office"),
    )
    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("court")
    )
    org, mediator = _subject_fields("recommendations")
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = by_user(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = _one_subject_constraints("recommendation", "pending")

    def __str__(self) -> str:
        return f"{self.subject} → {self.court}"


class RosterEntry(OfOneSubject):
    """An organisation or mediator on a court's roster of specially invited mediation."""

    class Status(models.TextChoices):
        ADMITTED = "admitted", _("On the roster")
        REMOVED = "removed", _("Removed")

    court = models.ForeignKey(
        Court, on_delete=models.PROTECT, related_name="roster_entries", verbose_name=_("court")
    )
    org, mediator = _subject_fields("roster_entries")
    recommendation = models.OneToOneField(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entry",
        verbose_name=_("recommendation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ADMITTED
    )
    certificate_number = models.CharField(_("certificate number"), max_length=60)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    ip_specialty = models.BooleanField(
        _("IP specialty roster"),
        default=True,
        help_text=_("Also on the court's IP roster (OMR 28)."),
    )
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    admitted_at = models.DateTimeField(_("admitted at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    # OMR 29: repeated refusal of assignments is a ground for complaint. Counted per entry by
    # the cases of this court's roster: declined with a reason, or left unanswered (OMR 12).
    declined_count = models.PositiveIntegerField(_("assignments declined"), default=0)
    unanswered_count = models.PositiveIntegerField(
        _("assignments not answered within 3 working days"), default=0
    )

    class Meta:
        ordering = ["court_id", "-admitted_at"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = _one_subject_constraints("roster_entry", "admitted")
        indexes = [models.Index(fields=["court", "status"])]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.court}"


class RosterMeasure(models.Model):
    """What a court did about an entry: a warning, a public notice or the removal (SIR 28)."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        NOTICE = "notice", _("Public notice")
        REMOVAL = "removal", _("Removal")

    entry = models.ForeignKey(
        RosterEntry, on_delete=models.CASCADE, related_name="measures", verbose_name=_("entry")
    )
    kind = models.CharField(_("measure"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("roster measure")
        verbose_name_plural = _("roster measures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.entry}"
