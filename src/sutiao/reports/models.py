"""Analysis reports (调解工作分析报告) and joint-meeting bulletins (联席会议通报) of a scope and
period; the joint meetings whose members are served the issued ones; the experience and
problem reports (经验做法、困难问题) local courts and IP offices file upward."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.core.fields import by_user, optional_fk
from sutiao.documents.models import Document

# The scopes a report is written for (evaluation.scopes levels).
SCOPE_LEVELS = (
    ("nation", _("Nation")),
    ("province", _("Province")),
    ("court", _("Court")),
    ("office", _("IP office")),
)


class JointMeeting(models.Model):
    """The courts' and IP offices' joint meeting of one scope: its members are served the
    scope's issued reports; `schedule` says which reports the scheduler generates."""

    class Schedule(models.TextChoices):
        NONE = "", _("On demand only")
        MONTHLY = "month", _("Monthly")
        QUARTERLY = "quarter", _("Quarterly")

    name = models.CharField(_("name"), max_length=200)
    scope_level = models.CharField(_("scope"), max_length=10, choices=SCOPE_LEVELS)
    scope_key = models.CharField(_("scope key"), max_length=20, blank=True)
    schedule = models.CharField(
        _("schedule"), max_length=8, choices=Schedule.choices, blank=True, default=""
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="joint_meetings", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        constraints = [
            models.UniqueConstraint(fields=["scope_level", "scope_key"], name="one_meeting_a_scope")
        ]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """One report of a scope and period. Generated in the background (state, progress);
    staff write the commentary; issuing renders, signs and registers the PDF and freezes
    the row: an issued report is never changed again (actions refuse)."""

    class Kind(models.TextChoices):
        ANALYSIS = "analysis", _("Analysis report on mediation work")
        BULLETIN = "bulletin", _("Joint-meeting bulletin")

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be generated")
        GENERATING = "generating", _("Generating")
        DRAFT = "draft", _("Draft: commentary to write")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Generation failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scope_level = models.CharField(_("scope"), max_length=10, choices=SCOPE_LEVELS)
    scope_key = models.CharField(_("scope key"), max_length=20, blank=True)
    scope_name = models.CharField(_("scope"), max_length=200, blank=True)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    step = models.CharField(_("step"), max_length=100, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    # The tables as generated (texts in Chinese): the PDF, the XLSX and the page read these.
    content = models.JSONField(default=dict, blank=True)
    commentary = models.TextField(_("commentary"), blank=True)
    xlsx = models.FileField(upload_to="reports/%Y/%m", blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    document = models.OneToOneField(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = by_user(_("requested by"), optional=True)
    issued_by = by_user(_("issued by"), optional=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope_level", "scope_key", "start", "end"],
                name="one_report_a_scope_and_period",
            )
        ]
        indexes = [models.Index(fields=["scope_level", "scope_key", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.scope_name} · {self.start} – {self.end}"

    @property
    def finished(self) -> bool:
        return self.state not in {self.State.QUEUED, self.State.GENERATING}


class LocalReport(models.Model):
    """An experience or problem report a court or IP office files; it goes up one level
    (to the province's, then the nation's joint meeting) and is listed in the bulletin."""

    class Kind(models.TextChoices):
        EXPERIENCE = "experience", _("Experience and good practice")
        PROBLEM = "problem", _("Difficulty or problem")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    # Who filed it (a court or an IP office) and the region it reaches: its province's code,
    # or "" (the nation) once forwarded from the province.
    court = optional_fk("institutions.Court", "+", _("court"))
    office = optional_fk("institutions.IPOffice", "+", _("IP office"))
    province = models.CharField(_("province"), max_length=6, blank=True)
    forwarded = models.BooleanField(_("forwarded to the nation"), default=False)
    filed_by = by_user(_("filed by"))
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)

    class Meta:
        verbose_name = _("experience or problem report")
        verbose_name_plural = _("experience and problem reports")
        ordering = ["-filed_at"]
