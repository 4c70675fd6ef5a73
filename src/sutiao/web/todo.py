"""My work: what waits on this person now, for each role they hold, nearest deadline first.

Each finder returns `Todo`s for one kind of work (to sign, to accept, to assign, to rule …),
reading the domains' queries; the home page groups them with their counts and the API
(/api/v1/me/todo) returns the same list. A thing waits on someone when the platform would
let them take its next step now; the deadline is the case's running clock (or the
application's, for judicial confirmation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases import queries as case_queries
from sutiao.cases.choices import State
from sutiao.cases.models import Case, Disclosure, Party
from sutiao.workdays.errors import CalendarIncomplete
from sutiao.workdays.periods import remaining

# The kinds of work, in the order a page lists groups with the same nearest deadline.
KINDS: dict[str, Any] = {
    "to_sign": _("To sign"),
    "to_answer": _("To answer"),
    "to_submit": _("To apply for confirmation"),
    "to_supply": _("To supply materials"),
    "to_receive": _("To sign for"),
    "to_accept": _("To accept"),
    "to_assign": _("To assign"),
    "to_seal": _("To seal"),
    "to_mediate": _("Under mediation"),
    "to_serve_on_paper": _("To serve on paper"),
    "to_rule": _("To rule"),
    "to_review": _("To review"),
    "to_read": _("To read"),
}


@dataclass
class Todo:
    kind: str
    title: str
    url: str
    case_number: str = ""
    deadline: datetime | None = None
    days: int | None = None  # calendar days left (negative: overdue)
    working_days: int | None = None
    overdue: bool = False
    case_id: int = 0  # ties on the deadline: the older case first
    extra_count: int = 0  # more of the same kind this row stands for (unread notices)

    @property
    def overdue_days(self) -> int:
        return max(-(self.days or 0), 1)

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "title": self.title,
            "url": self.url,
            "case_number": self.case_number,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days,
            "working_days_left": self.working_days,
            "overdue": self.overdue,
        }


def _todo(kind: str, case: Case, url: str, deadline: datetime | None, now: datetime) -> Todo:
    t = Todo(kind, case.title, url, case.number or "", deadline, case_id=case.pk)
    if deadline is not None:
        try:
            r = remaining(deadline, now)
        except CalendarIncomplete:
            return t
        t.days, t.working_days, t.overdue = r.days, r.working_days, r.overdue
    return t


Totals = dict[str, int]  # kinds whose list is cut at LIMIT: how many there are in all
LIMIT = 100  # the nearest deadlines a home page lists per kind; the queues list them all


def _nearest(kind: str, rows: QuerySet[Case], now: datetime, totals: Totals) -> list[Todo]:
    """The cases of `rows` nearest their deadline first, at most LIMIT (totals: all)."""
    cases = list(rows.order_by(F("deadline_at").asc(nulls_last=True), "pk")[: LIMIT + 1])
    if len(cases) > LIMIT:
        totals[kind] = totals.get(kind, 0) + rows.count() - LIMIT
        cases = cases[:LIMIT]
    return [_todo(kind, c, _case_url(c), c.deadline_at, now) for c in cases]


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def _mine(user: User) -> Q:
    return Q(user=user) | Q(agent=user)


# Parties and agents --------------------------------------------------------------------


def _party_signing(user: User, now: datetime, totals: Totals) -> list[Todo]:
    from sutiao.agreements.models import Agreement
    from sutiao.agreements.queries import field_for, signed_fields

    out = []
    rows = Agreement.objects.filter(state=Agreement.State.SIGNING).select_related("case")
    for agreement in rows.filter(case__parties__in=Party.objects.filter(_mine(user))).distinct():
        done = signed_fields(agreement)
        if any(field_for(p) not in done for p in agreement.case.parties.filter(_mine(user))):
            url = reverse("agreements:case", args=[agreement.case_id])
            out.append(_todo("to_sign", agreement.case, url, agreement.case.deadline_at, now))
    return out


def _party_disclosures(user: User, now: datetime, totals: Totals) -> list[Todo]:
    out = []
    mine = Party.objects.filter(_mine(user))
    rows = Disclosure.objects.filter(
        case__parties__in=mine, case__state__in=case_queries.OPEN_STATES
    )
    for d in rows.select_related("case").distinct():
        answered = set(d.answers.values_list("party_id", flat=True))
        if any(p.pk not in answered for p in d.case.parties.filter(_mine(user))):
            out.append(_todo("to_answer", d.case, _case_url(d.case), d.case.deadline_at, now))
    return out


def _party_judicial(user: User, now: datetime, totals: Totals) -> list[Todo]:
    from sutiao.judicial.choices import State as AppState
    from sutiao.judicial.models import ConfirmationApplication, MediationDocument
    from sutiao.judicial.queries import to_sign_for, waiting_for

    out = []
    mine = list(Party.objects.filter(_mine(user)))
    apps = ConfirmationApplication.objects.filter(case__parties__in=mine).select_related("case")
    for app in apps.filter(state__in=[AppState.DRAFT, AppState.SUPPLEMENT]).distinct():
        url = reverse("judicial:application", args=[app.pk])
        if app.state == AppState.DRAFT and set(waiting_for(app)) & set(mine):
            out.append(_todo("to_submit", app.case, url, app.deadline_at, now))
        elif app.state == AppState.SUPPLEMENT:
            out.append(_todo("to_supply", app.case, url, app.deadline_at, now))
    docs = MediationDocument.objects.filter(case__parties__in=mine, state="issued")
    for md in docs.select_related("case").distinct():
        if to_sign_for(user, md):
            url = reverse("judicial:case", args=[md.case_id])
            out.append(_todo("to_receive", md.case, url, None, now))
    return out


# Mediators and organisations -----------------------------------------------------------


def _mediator_cases(user: User, now: datetime, totals: Totals) -> list[Todo]:
    mine = case_queries.for_mediator(user)
    out = _nearest("to_accept", mine.filter(state=State.AWAITING_ACCEPTANCE), now, totals)
    under_way = mine.filter(state__in=[State.MEDIATING, State.PAUSED])
    return (
        out + _nearest("to_mediate", under_way, now, totals) + _staff_signing(user, now, "mediator")
    )


def _staff_signing(user: User, now: datetime, role: str) -> list[Todo]:
    """The mediator's signature, or the organisation's seal, once every party has signed."""
    from sutiao.agreements.models import Agreement, Signature
    from sutiao.agreements.queries import due_for

    rows = Agreement.objects.filter(state=Agreement.State.SIGNING, effective_at__isnull=False)
    if role == "mediator":
        rows = rows.filter(case__mediator__user=user)
    else:
        rows = rows.filter(case__org_id__in=user.org_ids(Role.ORG_ADMIN))
    out = []
    for agreement in rows.select_related("case"):
        slots = [
            s
            for s in due_for(user, agreement)
            if (s.kind == Signature.Kind.ORG_SEAL) == (role != "mediator")
        ]
        if slots:
            kind = "to_sign" if role == "mediator" else "to_seal"
            url = reverse("agreements:case", args=[agreement.case_id])
            out.append(_todo(kind, agreement.case, url, agreement.case.deadline_at, now))
    return out


def _org_cases(user: User, now: datetime, totals: Totals) -> list[Todo]:
    rows = case_queries.for_org(user).filter(state=State.AWAITING_ACCEPTANCE, mediator__isnull=True)
    return _nearest("to_assign", rows, now, totals) + _staff_signing(user, now, "org")


# Courts --------------------------------------------------------------------------------


def _clerk_cases(user: User, now: datetime, totals: Totals) -> list[Todo]:
    from sutiao.delivery.queries import paper_queue

    rows = case_queries.for_clerk(user).filter(state=State.SUBMITTED)
    out = _nearest("to_assign", rows, now, totals)
    paper = paper_queue(user)
    services = list(paper[: LIMIT + 1])
    if len(services) > LIMIT:
        totals["to_serve_on_paper"] = paper.count() - LIMIT
    for service in services[:LIMIT]:
        t = _todo("to_serve_on_paper", service.case, reverse("delivery:paper_queue"), None, now)
        t.title = f"{service.case.title} · {service.party.name}"
        out.append(t)
    return out


def _judge_work(user: User, now: datetime, totals: Totals) -> list[Todo]:
    from sutiao.judicial.choices import State as AppState
    from sutiao.judicial.queries import court_queue

    courts = set(user.court_ids(Role.JUDGE))
    out = []
    for app in court_queue(courts, state="open"):
        if app.judge_id not in (None, user.pk) or app.state == AppState.SUPPLEMENT:
            continue
        url = reverse("judicial:application", args=[app.pk])
        out.append(_todo("to_rule", app.case, url, app.deadline_at, now))
    waiting = case_queries.for_judge(user).filter(
        state=State.AWAITING_ACCEPTANCE, org__isnull=True, mediator__isnull=True
    )
    return out + _nearest("to_assign", waiting, now, totals)


FINDERS: dict[str, list[Callable[[User, datetime, Totals], list[Todo]]]] = {
    Role.PARTY: [_party_signing, _party_disclosures, _party_judicial],
    Role.MEDIATOR: [_mediator_cases],
    Role.ORG_ADMIN: [_org_cases],
    Role.COURT_CLERK: [_clerk_cases],
    Role.JUDGE: [_judge_work],
}


def _unread(user: User) -> list[Todo]:
    from sutiao.delivery.queries import unread_count

    n = unread_count(user.pk)
    if not n:
        return []
    item = Todo("to_read", str(_("Unread notices and documents")), reverse("delivery:inbox"))
    item.extra_count = n - 1  # one row on the page stands for all of them
    return [item]


class Found(list):
    """The list, and how many of each cut kind it leaves out (`totals`)."""

    totals: Totals


def todo_for(user: User, *, now: datetime | None = None) -> Found:
    """Everything waiting on `user`, nearest deadline first (those without one last)."""
    now = now or timezone.now()
    roles = {m.role for m in user.active_memberships}
    found = Found()
    found.totals = {}
    seen: set[tuple[str, str]] = set()
    for role in FINDERS:
        if role in roles:
            for finder in FINDERS[role]:
                for t in finder(user, now, found.totals):
                    if (t.kind, t.url + t.title) not in seen:
                        seen.add((t.kind, t.url + t.title))
                        found.append(t)
    order = list(KINDS)
    found.sort(
        key=lambda t: (t.deadline is None, t.deadline or now, order.index(t.kind), t.case_id)
    )
    unread = _unread(user)
    if unread:
        found.append(unread[0])
        found.totals["to_read"] = int(unread[0].extra_count)
    return found


def counts(items: Iterable[Todo]) -> list[dict[str, Any]]:
    """One row per kind of work with how many and its nearest deadline, in list order."""
    groups: dict[str, dict[str, Any]] = {}
    for t in items:
        g = groups.setdefault(t.kind, {"kind": t.kind, "label": t.label, "count": 0, "first": t})
        g["count"] += 1
    for kind, more in getattr(items, "totals", {}).items():
        if kind in groups:
            groups[kind]["count"] += more
    return list(groups.values())
