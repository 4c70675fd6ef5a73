"""Reads of cases for each role's list and the case page; keyset-paginated, no N+1."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.institutions.models import Court
from sutiao.workdays.errors import CalendarIncomplete
from sutiao.workdays.periods import RULES, provisional_note, remaining

from . import load
from .choices import State
from .models import (
    Agent,
    Case,
    CaseEvent,
    CaseFile,
    Disclosure,
    FiledCase,
    IdentityCheck,
    MediatorChoice,
    Message,
    Party,
    PartyInvitation,
    ShamReport,
    Transcript,
)
from .policies import case_roles, visible_message

OPEN_STATES = load.OPEN_STATES  # the states a mediator's stored load counts


def _base() -> QuerySet[Case]:
    return Case.objects.select_related("court", "org", "mediator", "ip_kind").prefetch_related(
        "parties"
    )


def for_clerk(user: User) -> QuerySet[Case]:
    """The clerk's queue: applications to assign, cases back from mediation, all of the court's."""
    return _base().filter(court_id__in=user.court_ids(Role.COURT_CLERK)).exclude(state=State.DRAFT)


def for_judge(user: User) -> QuerySet[Case]:
    return _base().filter(court_id__in=user.court_ids(Role.JUDGE), channel="entrusted")


def for_org(user: User) -> QuerySet[Case]:
    return _base().filter(org_id__in=user.org_ids(Role.ORG_ADMIN)).exclude(state=State.DRAFT)


def for_mediator(user: User) -> QuerySet[Case]:
    return _base().filter(mediator__user=user).exclude(state=State.DRAFT)


def for_party(user: User) -> QuerySet[Case]:
    return _base().filter(Q(parties__user=user) | Q(parties__agent=user)).distinct()


LISTS = {
    "clerk": for_clerk,
    "judge": for_judge,
    "org": for_org,
    "mediator": for_mediator,
    "party": for_party,
}


@dataclass
class Page:
    items: list[Case]
    next_cursor: int | None


def page(
    qs: QuerySet[Case], *, state: str = "", q: str = "", cursor: int | None = None, size: int = 25
) -> Page:
    """Newest first; the cursor is the last id seen (stable while cases are added)."""
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    if cursor:
        qs = qs.filter(pk__lt=cursor)
    items = list(qs.order_by("-pk")[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(items, items[-1].pk if more and items else None)


@dataclass
class Countdown:
    label: str
    deadline: datetime
    days: int
    working_days: int | None
    overdue: bool
    working: bool
    # The first year whose provisional holidays the deadline was computed with (None: official).
    provisional_year: int | None = None

    @property
    def overdue_days(self) -> int:
        return max(-self.days, 1)

    @property
    def last_day(self) -> bool:
        return self.days == 0 and not self.overdue

    @property
    def provisional(self) -> bool:
        return self.provisional_year is not None

    @property
    def provisional_note(self) -> str:
        return provisional_note(self.provisional_year)


def countdown(case: Case | PartyInvitation, now: datetime | None = None) -> Countdown | None:
    """The running clock of a case, or of an invitation (OMR 15), as the page shows it."""
    if not case.deadline_at or not case.clock:
        return None
    rule = RULES.get(case.clock)
    try:
        r = remaining(case.deadline_at, now or timezone.now())
    except CalendarIncomplete:
        return None
    return Countdown(
        str(rule.label) if rule else case.clock,
        case.deadline_at,
        r.days,
        r.working_days,
        r.overdue,
        bool(rule and rule.kind == "working"),
        case.deadline_provisional_year,
    )


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def messages_for(user: User, case: Case) -> list[Message]:
    """The messages `user` may read, oldest first; read once per case object (the page's
    thread and its timeline share them)."""
    cached = getattr(case, "_messages_cache", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    msgs = list(case.messages.select_related("author", "caucus_party").order_by("at", "id"))
    for m in msgs:
        # The same case object for every message, so its cached roles serve them all.
        m.case = case
    seen = [m for m in msgs if visible_message(user, m)]
    case._messages_cache = (user.pk, seen)  # type: ignore[attr-defined]
    return seen


def decline_count(mediator_id: int) -> int:
    """How often a mediator declined assignments or left them unanswered (OMR 12, 29)."""
    return CaseEvent.objects.filter(
        kind__in=["decline", "lapse"], data__declined_mediator=mediator_id
    ).count()


# Who is told (delivery reads these for the notices of OMR 10, 12–14 and the outcome) ------


def _members(role: str, **institution: object) -> list[User]:
    return list(
        User.objects.filter(
            memberships__role=role,
            memberships__active=True,
            is_active=True,
            **{f"memberships__{k}": v for k, v in institution.items()},
        ).distinct()
    )


def court_staff(case: Case) -> list[User]:
    """The court that must know the outcome: its case-filing clerks, and the judge of the
    filed case an entrusted mediation came from (seed §10)."""
    if case.court is None:
        return []
    users = _members(Role.COURT_CLERK, court=case.court)
    judge = case.filed_case.judge if case.filed_case_id and case.filed_case else None
    if judge is not None and judge not in users:
        users.append(judge)
    return users


def filing_heads(case: Case) -> list[User]:
    """OMR 10: the head of the court's case-filing division, or (none named) its clerks."""
    if case.court is None:
        return []
    head = case.court.filing_head
    if head is not None and head.is_active:
        return [head]
    return _members(Role.COURT_CLERK, court=case.court)


def assigners(case: Case) -> list[User]:
    """Who must find the case a mediator now: the organisation's administrators while it
    waits with an organisation, else the court (the judge of an entrusted case)."""
    if case.state == State.AWAITING_ACCEPTANCE and case.org is not None:
        return _members(Role.ORG_ADMIN, org=case.org)
    if case.filed_case_id and case.filed_case and case.filed_case.judge:
        return [case.filed_case.judge]
    return filing_heads(case) if case.court else []


def deciders(case: Case) -> list[User]:
    """Who decides a party's request for another mediator (OMR 14)."""
    if case.org is not None:
        return _members(Role.ORG_ADMIN, org=case.org)
    return assigners(case)


def drafts_of(user: User) -> QuerySet[Case]:
    """The applications a party saved and has not submitted yet."""
    return for_party(user).filter(state=State.DRAFT)[:20]


# The case page ------------------------------------------------------------------------


def parties(case: Case) -> list[Party]:
    if "parties" in getattr(case, "_prefetched_objects_cache", {}):  # the case page's
        return list(case.parties.all())
    return list(case.parties.select_related("user", "agent"))


def acting_agents(case: Case) -> dict[int, Agent]:
    """The agent acting now for each party of the case (party id -> agent), in one query."""
    rows = Agent.objects.filter(party__case=case, revoked_at__isnull=True).select_related(
        "user", "power_of_attorney", "invitation"
    )
    return {a.party_id: a for a in rows}


def consent_status(case: Case) -> list[dict]:
    """For the mediator: each party, whether it consented (OMR 4, 8; SIR 14), whether it is
    on the case, its latest invitation and the OMR 15 countdown while one runs."""
    latest: dict[int, PartyInvitation] = {}
    for row in case.invitations.order_by("created_at", "id"):
        latest[row.party_id] = row
    rows = []
    for p in parties(case):
        inv = latest.get(p.pk)
        rows.append(
            {
                "party": p,
                "consented": p.has_consented,
                "joined": bool(p.user_id or p.agent_id),
                "invitation": inv,
                "countdown": countdown(inv) if inv and not inv.answered_at else None,
            }
        )
    return rows


def files(case: Case) -> QuerySet[CaseFile]:
    return case.files.select_related("party", "uploaded_by")


def transcripts(case: Case) -> QuerySet[Transcript]:
    """The session records: written transcripts, and recordings standing in their place."""
    return case.transcripts.select_related("recording_file").prefetch_related(
        "confirmations__party"
    )


def record_incomplete(t: Transcript, party_ids: set[int]) -> bool:
    """OMR 22: a recording that stands as the record is complete only once its undisputed
    facts are written and every party confirmed them (`confirmations` prefetched)."""
    if not t.is_recording:
        return False
    confirmed = {c.party_id for c in t.confirmations.all()}
    return not t.undisputed_facts.strip() or not party_ids <= confirmed


def disclosures(case: Case) -> list[Disclosure]:
    return list(case.disclosures.prefetch_related("answers__party"))


def identity_checks(case: Case) -> QuerySet[IdentityCheck]:
    return case.identity_checks.select_related("party", "verified_by")


def mediator_choices(case: Case) -> QuerySet[MediatorChoice]:
    return case.mediator_choices.select_related("mediator", "party")


# The court's docket ---------------------------------------------------------------------


def judge_courts(user: User) -> list[Court]:
    return list(Court.objects.filter(pk__in=user.court_ids(Role.JUDGE)).order_by("name"))


def filed_waiting(courts: Iterable[Court]) -> QuerySet[FiledCase]:
    """Filed cases of these courts with no mediation under way: they can be entrusted."""
    return (
        FiledCase.objects.filter(court__in=courts)
        .exclude(mediations__state__in=[*OPEN_STATES, State.SETTLED])
        .order_by("-filed_at")[:200]
    )


def filed_choices(courts: Iterable[Court]) -> QuerySet[FiledCase]:
    """The same filed cases, as a queryset a form can choose from (no slice)."""
    return FiledCase.objects.filter(pk__in=[fc.pk for fc in filed_waiting(courts)]).order_by(
        "-filed_at"
    )


def filed_case(pk: int) -> FiledCase:
    """A filed case for its page (DoesNotExist when there is none)."""
    return FiledCase.objects.select_related("court", "origin", "judge", "filed_by").get(pk=pk)


__all__ = [
    "LISTS",
    "assigners",
    "court_staff",
    "deciders",
    "filing_heads",
    "case_roles",
    "countdown",
    "decline_count",
    "disclosures",
    "drafts_of",
    "filed_case",
    "filed_choices",
    "filed_waiting",
    "files",
    "identity_checks",
    "judge_courts",
    "mediator_choices",
    "messages_for",
    "page",
    "record_incomplete",
    "parties",
    "timeline",
    "transcripts",
]


def sham_reports(case: Case) -> QuerySet[ShamReport]:
    """SIR 18; OMR 23: the reports of a suspected sham mediation, newest first (for the
    mediation side and the court only)."""
    return case.sham_reports.select_related("reported_by", "decided_by")
