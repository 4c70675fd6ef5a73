"""One timeline per case: every fact of every domain about it, in order, as far as the person
looking may see it; and where the case stands, also after mediation (the case header).

The case domain reads its own facts (CaseEvent rows, the messages of the case); the domains
above it (agreements, judicial, delivery) hand in a `Source` for theirs with `register`
(from their `apps.ready()`), as core's registries are handed in: cases imports none of them.
Each fact is labelled with its one registered name (`core.events`). A source runs a bounded
number of queries, so a page render does too, whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser

from sutiao.accounts.models import User
from sutiao.core import events

from .models import Case
from .policies import case_roles, parties_of
from .queries import messages_for

STAFF = frozenset({"court_clerk", "judge", "org_admin", "mediator"})
# Facts one action writes at the same instant follow from each other in this order of their
# domains: the last signature, then the case settled, then the ruling, then its service.
CAUSAL = {"agreements": 0, "cases": 1, "judicial": 2, "delivery": 3}
# Within a domain: a fact that follows the others written at its instant (an agreement in
# effect after the signature that made it so).
LAST = 2**62
# Reasons staff give among themselves: the step is on everyone's timeline, its text is not.
STAFF_TEXT = frozenset({"assign", "decline", "recuse", "push_to_court"})


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the timeline, in this case."""

    user: User | AnonymousUser
    roles: frozenset[str]
    party_ids: frozenset[int]  # the parties the viewer is, or acts for as agent

    @property
    def staff(self) -> bool:
        return bool(self.roles & STAFF)

    @property
    def court(self) -> bool:
        return bool(self.roles & {"court_clerk", "judge"})

    def represents(self, party_id: int | None) -> bool:
        return party_id is not None and party_id in self.party_ids


@dataclass(frozen=True)
class Entry:
    at: datetime
    name: str  # the registered name of the fact (core.events)
    summary: str = ""
    actor: str = ""
    domain: str = ""
    order: int = 0  # keeps facts of the same instant in the order they were written
    label: Any = field(default=None, compare=False)

    @property
    def title(self) -> Any:
        return self.label if self.label is not None else events.label(self.name)


Source = Callable[[Case, Viewer], Iterable[Entry]]
# A stage after mediation: (rank, label); in rank order they say how far the case has come.
Stage = tuple[int, Any]
StageSource = Callable[[Case], Iterable[Stage]]

SOURCES: dict[str, Source] = {}
STAGES: dict[str, StageSource] = {}


def register(domain: str, *, source: Source | None = None, stage: StageSource | None = None):
    """A domain above cases hands in how to read its facts and stages of a case."""
    if source is not None:
        SOURCES[domain] = source
    if stage is not None:
        STAGES[domain] = stage


def viewer(user: Any, case: Case) -> Viewer:
    roles = frozenset(case_roles(user, case))
    mine = frozenset(p.pk for p in parties_of(user, case)) if roles else frozenset()
    return Viewer(user, roles, mine)


def fact(domain: str, kind: str) -> events.Event | None:
    """The registered fact a domain's timeline kind stands for."""
    events.discover()
    return events.TIMELINES.get((domain, kind))


def name_of(actor: Any) -> str:
    return actor.display_name if actor is not None else ""


def _case_events(case: Case, v: Viewer) -> Iterable[Entry]:
    for e in case.events.select_related("actor").order_by("at", "id"):
        known = fact("cases", e.kind)
        summary = e.summary
        if e.kind in STAFF_TEXT and not v.staff:
            summary = ""
        yield Entry(
            e.at,
            known.name if known else f"case.{e.kind}",
            summary,
            name_of(e.actor),
            "cases",
            e.pk,
            known.label if known else e.kind,
        )


def _messages(case: Case, v: Viewer) -> Iterable[Entry]:
    """Messages of the case: the open thread to all in it, a private caucus to its party (and
    its agent) and the mediator only (policies.visible_message)."""
    if not v.roles & {"party", "mediator", "org_admin"}:
        return
    if not isinstance(v.user, User):
        return
    for m in messages_for(v.user, case):
        text = m.body if len(m.body) <= 80 else m.body[:79] + "…"
        if m.caucus_party is not None:
            text = f"[{m.caucus_party.name}] {text}"
        yield Entry(m.at, "case.message", text, name_of(m.author), "cases", m.pk)


def for_viewer(user: Any, case: Case) -> list[Entry]:
    """Every fact about `case` that `user` may see, oldest first (nothing for a stranger)."""
    v = viewer(user, case)
    if not v.roles:
        return []
    entries = [*_case_events(case, v), *_messages(case, v)]
    for source in SOURCES.values():
        entries.extend(source(case, v))
    entries.sort(key=lambda e: (e.at, CAUSAL.get(e.domain, 1), e.order))
    return entries


def stage(case: Case) -> list[Any]:
    """Where a case stands after mediation, as the steps reached in order (已签署调解协议,
    已申请司法确认, 已司法确认, 裁定书已送达 …): the last is where it stands now. Empty while
    nothing follows mediation."""
    stages = sorted((s for fn in STAGES.values() for s in fn(case)), key=lambda s: s[0])
    labels: list[Any] = []
    for _rank, label in stages:
        if label not in labels:
            labels.append(label)
    return labels
