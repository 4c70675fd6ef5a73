"""The official holiday schedule, year by year.

Monday to Friday are working days and Saturday and Sunday rest days, except for the days
listed in CalendarDay: the days off of a statutory holiday (放假) and the weekend days worked
in exchange (调休上班). A year counts only once its CalendarYear is marked complete: before
the State Council publishes the schedule, nothing about that year is known.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holiday schedule (the State Council's notice) has been entered."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Tick once every holiday and make-up working day of the year has been entered; "
            "until then no time limit reaching into this year is computed."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The notice the schedule comes from, e.g. 国办发明电〔2025〕7号."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by actions.load_year: the stored deadlines it computed again (not a column).
    moves: list[Any]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday (day off)")
        WORKDAY = "workday", _("make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=60, blank=True, help_text=_("The holiday, e.g. 国庆节.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="workdays_day_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        if self.date and self.kind == self.Kind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError(
                {"date": _("A make-up working day falls on a Saturday or a Sunday.")}
            )
