"""Reads for the docking API: the feed, a partner's applications, events as CloudEvents."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sutiao.cases.models import Case
from sutiao.core.links import site_url

from .models import CaseEvent, Partner, Submission
from .policies import concerns

PREFIX = "/api/docking/v1"


def source() -> str:
    return site_url(PREFIX)


def partners_concerned(case: Case) -> QuerySet[Partner]:
    return Partner.objects.filter(
        Q(submissions__case=case) | Q(courts=case.court_id) | Q(orgs=case.org_id)
    ).distinct()


def submission(partner: Partner, reference: str) -> Submission | None:
    return (
        Submission.objects.select_related("case")
        .filter(partner=partner, external_ref=reference)
        .first()
    )


def feed(partner: Partner, after: int, limit: int) -> list[CaseEvent]:
    """By commit-order position (feed.py), never by id."""
    cases = Case.objects.filter(concerns(partner)).values("pk")
    return list(
        CaseEvent.objects.filter(position__gt=after, case__in=cases)
        .select_related("case__docking_submission")
        .order_by("position")[:limit]
    )


def cloudevent(event: CaseEvent, partner: Partner) -> dict[str, Any]:
    """CloudEvents 1.0 (structured JSON). Thin: ids, the state and links; the reference and
    the status link only for the partner that sent the application."""
    data = dict(event.data)
    sub = getattr(event.case, "docking_submission", None)
    if sub is not None and sub.partner_id == partner.pk:
        data["reference"] = sub.external_ref
        data["receipt"] = str(sub.receipt)
        data["links"] = {"status": f"{PREFIX}/applications/{sub.external_ref}"}
    return {
        "specversion": "1.0",
        "id": str(event.event_id),
        "source": source(),
        "type": event.type,
        "subject": f"cases/{event.case_id}",
        "time": event.time.isoformat(),
        "datacontenttype": "application/json",
        "sequence": str(event.sequence),
        "cursor": str(event.position or ""),
        "data": data,
    }
