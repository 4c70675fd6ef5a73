"""The tables of a figures page as plain rows: the page and the XLSX export read the same
rows, so an exported table is the table on the screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from sutiao.cases.choices import Channel
from sutiao.institutions.choices import IP_KIND_LABELS
from sutiao.institutions.models import Court, MediationOrg, Region
from sutiao.roster.models import Mediator

from . import queries
from .scopes import Scope

# The indicators of the summary table, in order (docs/evaluation.md defines each).
INDICATORS = [
    ("received", _("Applications received")),
    ("assigned_3wd", _("Assigned within 3 working days")),
    ("assigned_3wd_rate", _("Share assigned within 3 working days")),
    ("accepted_3wd", _("Accepted within 3 working days")),
    ("accepted_3wd_rate", _("Share accepted within 3 working days")),
    ("declined", _("Declined")),
    ("withdrawn", _("Withdrawn")),
    ("settled", _("Settled")),
    ("failed", _("Failed")),
    ("concluded", _("Concluded with an outcome")),
    ("success_rate", _("Success rate")),
    ("median_days", _("Median days to close")),
    ("mean_days", _("Mean days to close")),
    ("by_video", _("Concluded after a video session")),
    ("video_share", _("Share held by video")),
    ("agreements_online", _("Agreements signed online")),
    ("confirmations_applied", _("Judicial confirmations applied for")),
    ("confirmations_granted", _("Judicial confirmations granted")),
    ("confirmations_dismissed", _("Judicial confirmations dismissed")),
    ("mediation_documents", _("Mediation documents issued")),
    ("filed", _("Failed, then filed as a lawsuit")),
    ("trial_resumed", _("Failed, trial resumed")),
    ("e_service_rate", _("Electronic service success rate")),
]
RATES = {"assigned_3wd_rate", "accepted_3wd_rate", "success_rate", "video_share", "e_service_rate"}
COLUMNS = ["received", "settled", "failed", "declined", "success_rate", "median_days"]
BY_LABELS = {
    "province": _("Province"),
    "court_id": _("Court"),
    "org_id": _("Mediation organisation"),
    "mediator_id": _("Mediator"),
    "ip_kind": _("IP kind"),
    "channel": _("Channel"),
}
_LEVEL_OF = {
    "province": "province",
    "court_id": "court",
    "org_id": "org",
    "mediator_id": "mediator",
}


@dataclass
class Table:
    name: str
    title: Any
    headers: list[Any]
    rows: list[list[Any]]  # cell values; a rate is a fraction, shown as a percentage
    links: list[str | None]
    rate_columns: set[int]
    rate_rows: set[int] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)  # the summary's indicator of each row

    def display(self) -> list[dict[str, Any]]:
        """The rows as the page shows them: each cell's value, its text and link."""
        shown = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, value in enumerate(row):
                rate = c in self.rate_columns or (c == 1 and r in self.rate_rows)
                text = str(value) if c == 0 else show(value, rate=rate)
                raw = "" if value is None or c == 0 else value
                cells.append(
                    {"text": text, "value": raw, "link": self.links[r] if c == 0 else None}
                )
            shown.append({"key": self.keys[r] if self.keys else "", "cells": cells})
        return shown


def show(value: Any, *, rate: bool = False) -> str:
    """A figure as shown: a rate as a percentage, a missing one (nothing to divide) as —."""
    if value is None:
        return "—"
    if rate:
        return f"{number_format(value * 100, 1)}%"
    if isinstance(value, float):
        return number_format(value, 1)
    return number_format(value, force_grouping=True)


def summary(figures: queries.Figures) -> Table:
    values = figures.as_dict()
    rows = [[label, values[key]] for key, label in INDICATORS]
    rates = {i for i, (key, _) in enumerate(INDICATORS) if key in RATES}
    return Table(
        "summary",
        _("Figures"),
        [_("Indicator"), _("Value")],
        rows,
        [None] * len(rows),
        set(),
        rates,
        [key for key, _ in INDICATORS],
    )


def _names(by: str, values: list[Any]) -> dict[Any, str]:
    if by == "province":
        return dict(Region.objects.filter(code__in=values).values_list("code", "name"))
    if by == "ip_kind":
        return {v: str(IP_KIND_LABELS.get(v, v or _("Not stated"))) for v in values}
    if by == "channel":
        return {v: str(Channel(v).label) if v in Channel.values else v for v in values}
    model = {"court_id": Court, "org_id": MediationOrg, "mediator_id": Mediator}[by]
    return {
        pk: str(obj) for pk, obj in model._default_manager.in_bulk([v for v in values if v]).items()
    }


def by_key(
    scope: Scope,
    start: dt.date,
    end: dt.date,
    by: str,
    query: str,
    page: queries.Page | None = None,
) -> Table:
    """The table of the scope's figures per value of `by`; from `page` (queries.read with
    `by` among its keys) when the caller has read it already."""
    found = page.breakdown(by) if page else queries.breakdown(scope, start, end, by)
    names = _names(by, list(found))
    order = sorted(found, key=lambda v: (-found[v].counts["received"], str(v)))
    headers = [BY_LABELS[by], *[label for key, label in INDICATORS if key in COLUMNS]]
    header_keys = [key for key, _ in INDICATORS if key in COLUMNS]
    rows, links = [], []
    for value in order:
        if by in _LEVEL_OF and not value:
            continue  # cases without a court (direct applications) have no court row
        values = found[value].as_dict()
        rows.append([names.get(value, str(value)), *[values[k] for k in header_keys]])
        level = _LEVEL_OF.get(by)
        links.append(reverse("evaluation:scope", args=[level, value]) + query if level else None)
    rates = {1 + i for i, k in enumerate(header_keys) if k in RATES}
    return Table(by, BY_LABELS[by], headers, rows, links, rates)
