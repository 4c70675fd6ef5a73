"""Courses, enrolment and attended hours (SIR 7), hour requirements per region, and the
recruitment of mediators through an IP office's public call.

An enrolment is of a mediator, or of an application (a professional in pre-joining
training, not yet a mediator); on joining, the application's enrolments get the mediator too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.identity import IdentityNumberMixin
from sutiao.core.fields import by_user, optional_fk
from sutiao.institutions.models import Court, IPKind, IPOffice, Region
from sutiao.roster.models import Mediator


def hours_field(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=6, decimal_places=1, default=Decimal("0"))


class HourRequirement(models.Model):
    """Training hours a region asks of its mediators (SIR 7: configurable). A region without a
    row takes its nearest ancestor's; none at all: the row without a region (national)."""

    region = models.OneToOneField(
        Region,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_requirement",
        verbose_name=_("region"),
        help_text=_("Empty: the national default."),
    )
    before_joining = hours_field(_("hours before joining"))
    per_year = hours_field(_("hours per year"))

    class Meta:
        verbose_name = _("training hour requirement")
        verbose_name_plural = _("training hour requirements")

    def __str__(self) -> str:
        return f"{self.region or _('National')}: {self.before_joining} / {self.per_year}"


class Course(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online (video)")
        ON_SITE = "on_site", _("On site")

    class Organiser(models.TextChoices):
        SPC = "spc", _("Supreme People's Court")
        CNIPA = "cnipa", _("China National Intellectual Property Administration")
        COURT = "court", _("A court")
        IP_OFFICE = "ip_office", _("An IP office")

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser_kind = models.CharField(_("organiser"), max_length=10, choices=Organiser.choices)
    court = optional_fk(Court, "training_courses", _("organising court"))
    office = optional_fk(IPOffice, "training_courses", _("organising IP office"))
    mode = models.CharField(_("way of teaching"), max_length=8, choices=Mode.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours = hours_field(_("hours"))
    pre_joining = models.BooleanField(
        _("pre-joining training"),
        default=False,
        help_text=_("Counts towards the hours required before joining the roster."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video = models.FileField(_("course video"), upload_to="training/videos/", blank=True)
    video_seconds = models.PositiveIntegerField(_("video length in seconds"), default=0)
    created_by = by_user(_("created by"), optional=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(court__isnull=True) | Q(office__isnull=True),
                name="training_course_one_organiser",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_course_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def organiser(self) -> Court | IPOffice | None:
        return self.court or self.office

    @property
    def organiser_name(self) -> str:
        return self.organiser.name if self.organiser else self.get_organiser_kind_display()


class Material(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="materials", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="training/materials/")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")

    def __str__(self) -> str:
        return self.title


class Call(models.Model):
    """An IP office's public call for professionals to apply as mediators."""

    office = models.ForeignKey(
        IPOffice, on_delete=models.PROTECT, related_name="calls", verbose_name=_("IP office")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what the office looks for"), blank=True)
    course = optional_fk(
        Course, "calls", _("pre-joining course"), help_text=_("Accepted applicants enrol in it.")
    )
    is_open = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("call for mediators")
        verbose_name_plural = _("calls for mediators")

    def __str__(self) -> str:
        return self.title


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    MORE_REQUESTED = "more_requested", _("More information asked for")
    TRAINING = "training", _("In pre-joining training")
    JOINED = "joined", _("In the roster collection")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(IdentityNumberMixin, models.Model):
    """A professional's application to become a mediator (lifecycle.APPLICATION)."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mediator_applications",
        verbose_name=_("applicant"),
    )
    name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    qualifications = models.JSONField(_("qualifications"), default=list)
    ip_kinds = models.ManyToManyField(IPKind, blank=True, verbose_name=_("IP expertise"))
    technical_fields = models.CharField(_("fields of expertise"), max_length=200)
    experience = models.TextField(_("experience"))
    conflicts = models.TextField(
        _("conflicts of interest declared"),
        blank=True,
        help_text=_("Clients, employers or parties whose disputes you could not mediate."),
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
    )
    request = models.TextField(_("what the office asked for"), blank=True)
    answer = models.TextField(_("the applicant's answer"), blank=True)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    mediator = optional_fk(Mediator, "applications", _("mediator"), on_delete=models.SET_NULL)
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = by_user(optional=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application to become a mediator")
        verbose_name_plural = _("applications to become a mediator")

    def __str__(self) -> str:
        return f"{self.name} · {self.call}"

    @property
    def qualification_labels(self) -> list[str]:
        from sutiao.roster.models import Qualification

        labels = dict(Qualification.choices)
        return [str(labels.get(q, q)) for q in self.qualifications or []]


class SupportingFile(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("mediator application"),
    )
    file = models.FileField(_("file"), upload_to="training/applications/")
    name = models.CharField(_("file name"), max_length=200)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("supporting file")
        verbose_name_plural = _("supporting files")

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course")
    )
    mediator = optional_fk(Mediator, "enrolments", _("mediator"))
    application = optional_fk(Application, "enrolments", _("mediator application"))
    watched_seconds = models.PositiveIntegerField(_("seconds of video watched"), default=0)
    last_beat_at = models.DateTimeField(null=True, blank=True, editable=False)
    hours = hours_field(_("hours credited"))
    credited_on = models.DateField(_("hours credited on"), null=True, blank=True)
    certificate = optional_fk(
        "documents.Document", "+", _("certificate"), on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=Q(mediator__isnull=False) | Q(application__isnull=False),
                name="training_enrolment_has_someone",
            ),
            models.UniqueConstraint(
                fields=["course", "mediator"], name="training_one_enrolment_per_mediator"
            ),
            models.UniqueConstraint(
                fields=["course", "application"], name="training_one_enrolment_per_application"
            ),
        ]
        indexes = [models.Index(fields=["mediator", "credited_on"])]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.course}"

    @property
    def person_name(self) -> str:
        return self.mediator.name if self.mediator else self.application.name  # type: ignore[union-attr]


class SignInImport(models.Model):
    """One on-site sign-in list: what it credited, and its rows' errors."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sign_ins", verbose_name=_("course")
    )
    filename = models.CharField(_("file"), max_length=200)
    imported_by = by_user(_("imported by"), optional=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    credited_count = models.PositiveIntegerField(_("rows credited"), default=0)
    # [{"line": 4, "name": "...", "reasons": ["unknown"]}]: codes of signin.REASONS, shown in
    # the reader's language; never an identity number.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("sign-in list")
        verbose_name_plural = _("sign-in lists")

    def __str__(self) -> str:
        return self.filename

    @property
    def error_rows(self) -> list[dict]:
        from .signin import REASONS

        return [
            {**e, "reasons": [str(REASONS.get(r, r)) for r in e.get("reasons", [])]}
            for e in self.errors
        ]
