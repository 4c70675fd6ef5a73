"""What each case adds to the figures, read from the raw tables (cases, agreements, judicial,
delivery, meetings). One code path serves the outbox handler (one case) and the nightly
rebuild (every case, in ranges of ids), so that both count alike. The counting rules are
written down in docs/evaluation.md; each line below says which date a counter takes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sutiao.agreements.models import Agreement
from sutiao.cases.choices import State
from sutiao.cases.models import Case, FiledCase
from sutiao.delivery.models import Service
from sutiao.judicial.choices import State as ConfirmationState
from sutiao.judicial.models import ConfirmationApplication, MediationDocument
from sutiao.meetings.models import MeetingSession
from sutiao.meetings.models import State as SessionState
from sutiao.workdays.periods import add_working_days

LOCAL = ZoneInfo("Asia/Shanghai")
# Mediation ended with an outcome: the denominator of the success rate and of days to close.
OUTCOMES = {State.SETTLED, State.FAILED, State.FILED, State.TRIAL_RESUMED}
# A case's end state → the counter it adds to on the day it ended.
END_COUNTER = {
    State.SETTLED: "settled",
    State.FAILED: "failed",
    State.FILED: "failed",
    State.TRIAL_RESUMED: "failed",
    State.DECLINED: "declined",
    State.WITHDRAWN: "withdrawn",
}
CASE_FIELDS = (
    "id",
    "channel",
    "state",
    "court_id",
    "org_id",
    "mediator_id",
    "ip_kind_id",
    "submitted_at",
    "assigned_at",
    "accepted_at",
    "ended_at",
    "court__region_id",
    "org__region_id",
    "mediator__region_id",
)
Share = dict[str, Any]


def local_day(at: dt.datetime) -> dt.date:
    return at.astimezone(LOCAL).date()


@lru_cache(maxsize=4096)
def _three_working_days(day: dt.date) -> dt.date:
    return add_working_days(day, 3)


def within_3_working_days(start: dt.datetime | None, end: dt.datetime | None) -> bool:
    """OMR 10, 12: `end` on or before the 3rd working day after the day of `start`."""
    return bool(start and end and local_day(end) <= _three_working_days(local_day(start)))


def _key(case: dict[str, Any]) -> list[Any]:
    region = case["court__region_id"] or case["org__region_id"] or case["mediator__region_id"]
    region = region or "000000"
    return [
        region[:2] + "0000",
        region[:4] + "00",
        case["court_id"] or 0,
        case["org_id"] or 0,
        case["mediator_id"] or 0,
        case["ip_kind_id"] or "",
        case["channel"],
    ]


class Extras:
    """The other domains' rows of a range of cases, by case id."""

    def __init__(self, cases: Any) -> None:
        self.agreements: dict[int, list[dt.datetime]] = defaultdict(list)
        for case_id, at in Agreement.objects.filter(
            case__in=cases, state=Agreement.State.SIGNED, offline=False, effective_at__isnull=False
        ).values_list("case_id", "effective_at"):
            if at is not None:
                self.agreements[case_id].append(at)
        self.confirmations: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for row in ConfirmationApplication.objects.filter(
            case__in=cases, submitted_at__isnull=False
        ).values_list("case_id", "submitted_at", "state", "decided_at"):
            self.confirmations[row[0]].append(row[1:])
        self.documents: dict[int, list[dt.datetime]] = defaultdict(list)
        for case_id, at in MediationDocument.objects.filter(case__in=cases).values_list(
            "case_id", "issued_at"
        ):
            self.documents[case_id].append(at)
        self.filed = dict(
            FiledCase.objects.filter(origin__in=cases).values_list("origin_id", "filed_at")
        )
        self.services: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for service in Service.objects.filter(case__in=cases).values_list(
            "case_id", "created_at", "state", "effective_basis"
        ):
            self.services[service[0]].append(service[1:])
        self.video = set(
            MeetingSession.objects.filter(case__in=cases, state=SessionState.ENDED).values_list(
                "case_id", flat=True
            )
        )


def share_of(case: dict[str, Any], extras: Extras) -> Share:
    """The counters this case adds, by local day, and its days to close."""
    days: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(at: dt.datetime | None, counter: str) -> None:
        if at is not None:
            days[local_day(at).isoformat()][counter] += 1

    submitted = case["submitted_at"]
    if submitted is None:
        return {}
    add(submitted, "received")  # by the day it was submitted (the cohort of received)
    if within_3_working_days(submitted, case["assigned_at"]):
        add(submitted, "assigned_3wd")
    if within_3_working_days(case["assigned_at"], case["accepted_at"]):
        add(submitted, "accepted_3wd")
    ended, state = case["ended_at"], case["state"]
    close = None
    if ended is not None and state in END_COUNTER:
        add(ended, END_COUNTER[state])  # by the day mediation ended
        if state == State.FILED and case["id"] in extras.filed:
            add(extras.filed[case["id"]], "filed")
        if state == State.TRIAL_RESUMED:
            add(ended, "trial_resumed")
        if state in OUTCOMES:
            close = [local_day(ended).isoformat(), (local_day(ended) - local_day(submitted)).days]
            if case["id"] in extras.video:
                add(ended, "by_video")
    for at in extras.agreements.get(case["id"], ()):
        add(at, "agreements_online")
    for applied, cstate, decided in extras.confirmations.get(case["id"], ()):
        add(applied, "confirmations_applied")
        if cstate == ConfirmationState.CONFIRMED:
            add(decided, "confirmations_granted")
        elif cstate == ConfirmationState.DISMISSED:
            add(decided, "confirmations_dismissed")
    for at in extras.documents.get(case["id"], ()):
        add(at, "mediation_documents")
    for created, sstate, basis in extras.services.get(case["id"], ()):
        if sstate == Service.State.EFFECTIVE and basis != Service.Basis.PAPER:
            add(created, "services_electronic")
        elif sstate != Service.State.PENDING:
            add(created, "services_other")
    return {"key": _key(case), "days": days, "close": close}


def shares(cases: Any) -> dict[int, Share]:
    """Every share of the cases of a queryset (load a range of ids at a time)."""
    rows = list(cases.values(*CASE_FIELDS))
    extras = Extras(cases.values("id"))
    return {row["id"]: share_of(row, extras) for row in rows}


def shares_in_range(lo: int, hi: int) -> dict[int, Share]:
    return shares(Case.objects.filter(id__gte=lo, id__lt=hi).order_by())
