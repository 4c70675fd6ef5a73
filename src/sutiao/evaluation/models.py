"""The figures' summary: counts per local day and key (court, organisation, mediator, IP
kind, channel, province, city), kept up to date from the outbox and rebuilt nightly from the
raw tables (docs/evaluation.md). Keys are plain integers (0 = none), not foreign keys: a
summary row outlives nothing and must be unique on its key, which NULLs would break."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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


from .records import (  # noqa: E402, F401  (the records' models belong to this app)
    Complaint,
    PerformanceNote,
    ScoringScheme,
    ScoringVersion,
    Survey,
    SurveyAnswer,
)
