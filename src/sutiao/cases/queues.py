"""The work queues of clerks and judges (issue 15): counts per state, filters, search, sorting
and keyset pagination over the cases a person's role lets them see (queries.LISTS).

A filter arrives as the query string of the page (`QueueFilter.from_params`); the same
filter drives the page, its XLSX export and the API, so an export holds exactly the rows
shown. The cursor is the sort value and the id of the last row seen, so a page stays stable
while cases are added."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date

from sutiao.accounts.models import User

from .choices import Channel, State
from .models import Case
from .queries import LISTS

# Sort name -> (field, descending). Unset dates sort last either way.
SORTS: dict[str, tuple[str, bool]] = {
    "deadline": ("deadline_at", False),
    "-submitted": ("submitted_at", True),
    "submitted": ("submitted_at", False),
}
FAR = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
NEVER = dt.datetime(1, 1, 2, tzinfo=dt.UTC)


@dataclass
class QueueFilter:
    state: str = ""
    ip_kind: str = ""
    channel: str = ""
    court: int | None = None
    org: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "deadline"
    cursor: str = ""
    size: int = 25
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Any) -> QueueFilter:
        """Read the page's query string; a value that does not parse is dropped and named in
        `errors` (the page says so) instead of failing the page."""
        f = cls(q=(params.get("q") or "").strip()[:100], cursor=params.get("cursor") or "")
        f.state = params.get("state") if params.get("state") in State.values else ""
        f.channel = params.get("channel") if params.get("channel") in Channel.values else ""
        f.ip_kind = (params.get("ip_kind") or "")[:40]
        f.sort = params.get("sort") if params.get("sort") in SORTS else "deadline"
        f.overdue = params.get("overdue") in ("1", "on", "true")
        for name in ("court", "org"):
            raw = params.get(name) or ""
            if raw.isdigit():
                setattr(f, name, int(raw))
            elif raw:
                f.errors[name] = raw
        for name in ("since", "until"):
            raw = params.get(name) or ""
            try:
                setattr(f, name, parse_date(raw) if raw else None)
            except ValueError:
                f.errors[name] = raw
            if raw and getattr(f, name) is None:
                f.errors[name] = raw
        return f

    def params(self, **override: Any) -> dict[str, str]:
        """The filter as a query string's items (for links: next page, export, sort)."""
        values = {
            "state": self.state,
            "ip_kind": self.ip_kind,
            "channel": self.channel,
            "court": str(self.court or ""),
            "org": str(self.org or ""),
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "overdue": "1" if self.overdue else "",
            "q": self.q,
            "sort": self.sort,
            **override,
        }
        return {k: v for k, v in values.items() if v}


@dataclass
class Queue:
    items: list[Case]
    next_cursor: str
    counts: list[dict[str, Any]]
    total: int


def scope(user: User, which: str) -> QuerySet[Case]:
    return LISTS[which](user)


def _filtered(qs: QuerySet[Case], f: QueueFilter, now: dt.datetime) -> QuerySet[Case]:
    if f.ip_kind:
        qs = qs.filter(ip_kind_id=f.ip_kind)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.court:
        qs = qs.filter(court_id=f.court)
    if f.org:
        qs = qs.filter(org_id=f.org)
    if f.since:
        qs = qs.filter(submitted_at__date__gte=f.since)
    if f.until:
        qs = qs.filter(submitted_at__date__lte=f.until)
    if f.overdue:
        qs = qs.filter(deadline_at__lt=now).exclude(clock="")
    if f.q:
        qs = qs.filter(
            Q(number__icontains=f.q) | Q(title__icontains=f.q) | Q(parties__name__icontains=f.q)
        ).distinct()
    return qs


def _sorted(qs: QuerySet[Case], f: QueueFilter) -> QuerySet[Case]:
    name, desc = SORTS[f.sort]
    blank = NEVER if desc else FAR
    qs = qs.annotate(sort_key=Coalesce(name, Value(blank), output_field=DateTimeField()))
    if f.cursor:
        raw_key, _, raw_pk = f.cursor.rpartition("|")
        try:
            key, pk = dt.datetime.fromisoformat(raw_key), int(raw_pk)
        except ValueError:
            key, pk = None, 0
        if key is not None:
            after = Q(sort_key__lt=key) if desc else Q(sort_key__gt=key)
            qs = qs.filter(after | Q(sort_key=key, pk__gt=pk))
    return qs.order_by("-sort_key" if desc else "sort_key", "pk")


def queue(user: User, which: str, f: QueueFilter, *, now: dt.datetime | None = None) -> Queue:
    """One page of the queue `which` (queries.LISTS) as `f` filters and sorts it, with the
    count per state of everything the other filters match."""
    now = now or timezone.now()
    matching = _filtered(scope(user, which), f, now)
    by_state = dict(matching.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))
    labels = dict(State.choices)
    counts = [
        {"state": s, "label": labels[s], "count": by_state[s]}
        for s in State.values
        if by_state.get(s)
    ]
    rows = matching.filter(state=f.state) if f.state else matching
    items = list(_sorted(rows, f)[: f.size + 1])
    more = len(items) > f.size
    items = items[: f.size]
    cursor = ""
    if more and items:
        last = items[-1]
        cursor = f"{last.sort_key.isoformat()}|{last.pk}"  # type: ignore[attr-defined]
    return Queue(items, cursor, counts, sum(by_state.values()))
