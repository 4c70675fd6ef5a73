"""Builders for subsidy tests: an IP office with a preparer, a reviewer and an approver, an
organisation with two mediators, and cases ended on given days."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases.models import Case, Transcript
from sutiao.institutions.models import IPOffice, MediationOrg
from sutiao.roster.models import Mediator
from sutiao.subsidies.actions import Terms
from tests import factories as f
from tests.roster import factories as rf

LOCAL = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


@dataclass
class World:
    office: IPOffice
    preparer: User
    reviewer: User
    approver: User
    org: MediationOrg
    m1: Mediator
    m2: Mediator
    m1_user: User


def world() -> World:
    office = f.office(region="110000")
    preparer, reviewer, approver = (
        f.person(Role.IP_OFFICE_STAFF, ip_office=office) for _ in range(3)
    )
    org = f.org(region="110108")
    m1_user = f.person(Role.MEDIATOR, org=org)
    m1 = rf.mediator("张调解", orgs=[org])
    Mediator.objects.filter(pk=m1.pk).update(user=m1_user)
    m1.refresh_from_db()
    m2 = rf.mediator("李调解", orgs=[org])
    return World(office, preparer, reviewer, approver, org, m1, m2, m1_user)


def terms(w: World, **kw: Any) -> Terms:
    values: dict[str, Any] = {
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": dt.date(2026, 12, 31),
        "settled_fen": 30_000,
        "failed_fen": 10_000,
        "rates": {"patent": [50_000, 20_000]},
        "cap_mediator_fen": None,
        "cap_period_fen": None,
        "reviewers": [w.reviewer],
        "approvers": [w.approver],
    }
    values.update(kw)
    return Terms(**values)


def case(
    mediator: Mediator | None,
    org: MediationOrg | None,
    *,
    state: str,
    day: dt.date,
    kind: str = "trademark",
    documented: bool = False,
    recorder: User | None = None,  # who recorded the session (needed when documented)
) -> Case:
    n = next(_seq)
    ended = dt.datetime.combine(day, dt.time(10), LOCAL)
    c = Case.objects.create(
        number=f"（2026）京知调{n}号",
        channel="direct",
        title=f"纠纷{n}",
        state=state,
        org=org,
        mediator=mediator,
        ip_kind_id=kind,
        submitted_at=ended - dt.timedelta(days=20),
        created_by=User.objects.order_by("pk").first(),
        ended_at=ended,
    )
    if documented:
        Transcript.objects.create(
            case=c,
            session_date=day,
            text="双方陈述意见，未能达成一致。",
            recorded_by=recorder or User.objects.order_by("pk").first(),
        )
    return c
