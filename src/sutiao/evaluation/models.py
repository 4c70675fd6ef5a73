"""The figures' summary: counts per local day and key (court, organisation, mediator, IP
kind, channel, province, city), kept up to date from the outbox and rebuilt nightly from the
raw tables (docs/evaluation.md). Keys are plain integers (0 = none), not foreign keys: a
summary row outlives nothing and must be unique on its key, which NULLs would break."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.cases.models import Case, Party
from sutiao.institutions.models import MediationOrg, OwnedByAuthority, one_owner
from sutiao.roster.models import Mediator

# The counters of a summary row, in the order of the figures page (docs/evaluation.md).
COUNTERS = (
    "received",
    "assigned_3wd",
    "accepted_3wd",
    "declined",
    "settled",
    "failed",
    "filed",
    "trial_resumed",
    "withdrawn",
    "by_video",
    "agreements_online",
    "confirmations_applied",
    "confirmations_granted",
    "confirmations_dismissed",
    "mediation_documents",
    "services_electronic",
    "services_other",
)
KEYS = ("province", "city", "court_id", "org_id", "mediator_id", "ip_kind", "channel")


class _Keyed(models.Model):
    day = models.DateField()
    province = models.CharField(max_length=6)
    city = models.CharField(max_length=6)
    court_id = models.IntegerField(default=0)
    org_id = models.IntegerField(default=0)
    mediator_id = models.IntegerField(default=0)
    ip_kind = models.CharField(max_length=32, blank=True)
    channel = models.CharField(max_length=12)

    class Meta:
        abstract = True


class _Counts(_Keyed):
    received = models.IntegerField(default=0)
    assigned_3wd = models.IntegerField(default=0)
    accepted_3wd = models.IntegerField(default=0)
    declined = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    filed = models.IntegerField(default=0)
    trial_resumed = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    by_video = models.IntegerField(default=0)
    agreements_online = models.IntegerField(default=0)
    confirmations_applied = models.IntegerField(default=0)
    confirmations_granted = models.IntegerField(default=0)
    confirmations_dismissed = models.IntegerField(default=0)
    mediation_documents = models.IntegerField(default=0)
    services_electronic = models.IntegerField(default=0)
    services_other = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyFigure(_Counts):
    """One day × key: what happened on that day (docs/evaluation.md says which date counts)."""

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["day", *KEYS], name="daily_figure_unique_key")
        ]
        indexes = [
            models.Index(fields=["province", "day"]),
            models.Index(fields=["court_id", "day"]),
            models.Index(fields=["org_id", "day"]),
            models.Index(fields=["mediator_id", "day"]),
            models.Index(fields=["city", "day"]),
        ]


class CloseDays(_Keyed):
    """How many cases closed on `day` (with an outcome) after `days` calendar days: the
    histogram from which the median and mean days to close are exact at any level."""

    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("days to close, by day")
        verbose_name_plural = _("days to close, by day")
        constraints = [
            models.UniqueConstraint(fields=["day", *KEYS, "days"], name="close_days_unique_key")
        ]
        indexes = [
            models.Index(fields=["province", "day"]),
            models.Index(fields=["court_id", "day"]),
            models.Index(fields=["org_id", "day"]),
            models.Index(fields=["mediator_id", "day"]),
        ]


class CaseShare(models.Model):
    """What one case adds to the summary now, so that a change to the case takes back its
    old share and adds the new one (handlers.refresh)."""

    case_id = models.IntegerField(primary_key=True)
    share = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("case's share of the figures")
        verbose_name_plural = _("cases' shares of the figures")


class MonthlyFigure(_Counts):
    """The daily rows summed per month (`day` is the month's first day) and key, without the
    mediator (0): its size is bounded by months × courts × organisations × IP kinds ×
    channels, not by the number of cases, so a national or provincial page over whole
    months reads a few thousand rows whatever the case count (queries.rows_of)."""

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(fields=["day", *KEYS], name="monthly_figure_unique_key")
        ]
        indexes = [
            models.Index(fields=["province", "day"]),
            models.Index(fields=["court_id", "day"]),
            models.Index(fields=["org_id", "day"]),
            models.Index(fields=["city", "day"]),
        ]


class MonthlyCloseDays(_Keyed):
    """CloseDays summed per month, without the mediator, like MonthlyFigure."""

    days = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("days to close, by month")
        verbose_name_plural = _("days to close, by month")
        constraints = [
            models.UniqueConstraint(
                fields=["day", *KEYS, "days"], name="monthly_close_days_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["province", "day"]),
            models.Index(fields=["court_id", "day"]),
            models.Index(fields=["org_id", "day"]),
        ]


# What evaluation records besides the figures: scoring schemes as data (versioned; a
# published version never changes), the satisfaction survey sent when a case ends and its
# answers, complaints about a mediator, and commendations and warnings. A scheme, a
# commendation or a warning belongs to one IP office or one court
# (accounts.policies.institution_staff, the rule subsidies use too).


def _one_subject(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(mediator__isnull=False, org__isnull=True)
        | models.Q(mediator__isnull=True, org__isnull=False),
        name=name,
    )


class ScoringScheme(OwnedByAuthority):
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-id"]
        constraints = [one_owner("scoring_scheme_one_owner")]

    def __str__(self) -> str:
        return self.name


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class ScoringVersion(models.Model):
    """One version of a scheme's terms. A draft may be replaced; once published it is never
    changed (actions refuse), so a score computed under it stays what it was."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    period = models.CharField(_("period scored"), max_length=8, choices=Period.choices)
    # [{"code": indicator code (scoring.INDICATORS), "weight": int > 0, "threshold": number}]
    indicators = models.JSONField(default=list)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("scoring scheme version")
        verbose_name_plural = _("scoring scheme versions")
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scoring_version_unique")
        ]


class Survey(models.Model):
    """The satisfaction survey of one ended case: sent once to each party with an account."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(Mediator, null=True, on_delete=models.SET_NULL, related_name="+")
    org = models.ForeignKey(MediationOrg, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")


class SurveyAnswer(models.Model):
    """A party's answers (1–5). Only aggregates are shown: who answered what is not."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    fair = models.PositiveSmallIntegerField(_("The process was fair"))
    respect = models.PositiveSmallIntegerField(_("I was treated with respect"))
    understood = models.PositiveSmallIntegerField(_("I understood the outcome"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["survey", "party"], name="survey_answer_once")
        ]


class ComplaintState(models.TextChoices):
    OPEN = "open", _("Awaiting a decision")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Complaint(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("what happened"), max_length=2000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()
    state = models.CharField(
        _("state"), max_length=10, choices=ComplaintState.choices, default=ComplaintState.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    decision = models.CharField(_("reason for the decision"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} · {self.mediator}"


class NoteKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation (表彰)")
    WARNING = "warning", _("Warning (警告)")


class PerformanceNote(OwnedByAuthority):
    """A commendation or a warning, with its reason, on a mediator's or an organisation's
    performance file."""

    kind = models.CharField(_("kind"), max_length=12, choices=NoteKind.choices)
    mediator = models.ForeignKey(
        Mediator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        MediationOrg, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("commendation or warning")
        verbose_name_plural = _("commendations and warnings")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            one_owner("performance_note_one_owner"),
            _one_subject("performance_note_one_subject"),
        ]
