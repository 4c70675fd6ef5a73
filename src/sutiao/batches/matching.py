"""Mediator matching: for a case or a batch, the mediators its court may use (its roster or a
higher court's: SIR 5, OMR 9(2), 27), ranked, each score with its reasons in words.

A mediator who declared a conflict (OMR 13; SIR 15) with a party or an agent of the dispute
never appears. The parties' joint choice binds (OMR 10): where they made one, it heads the
list, marked binding. The points are rounded per part, and the total is their sum, so the
reasons a page shows add up to the score it shows.

Scale: the roster filter, the conflicts, the expertise and the load (the mediator's stored
count of open cases) are one SQL query that keeps the `POOL` most expert and least loaded; the record (success rate and median days, shrunk toward
the platform's mean by `PRIOR_WEIGHT` cases) is read for that pool only.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from sutiao.cases.choices import State
from sutiao.cases.models import Agent, Case, MediatorChoice, MediatorLoad, Party
from sutiao.institutions.models import Court, IPKind
from sutiao.roster import queries as roster
from sutiao.roster.models import Mediator
from sutiao.training.queries import HoursStatus, hours_status

from .models import DeclaredConflict

Say = Callable[[str], str]  # gettext, or _silent while only the points count
POOL = 200
PRIOR_WEIGHT = 5  # ended cases a mediator's record counts as before it is trusted
ENDED = [State.SETTLED, State.FAILED, State.FILED, State.TRIAL_RESUMED]
POINTS = {"kind": 30, "field": 10, "load": 20, "success": 15, "speed": 10, "region": 10}
POINTS["language"] = 5
POINTS["training"] = 10  # SIR 7: the year's training hours against the region's requirement


@dataclass
class Dispute:
    court: Court
    ip_kind: IPKind | None
    names: set[str] = field(default_factory=set)  # parties, agents, agents' firms
    usccs: set[str] = field(default_factory=set)
    technical_field: str = ""
    language: str = "中文"
    joint_choice: int | None = None  # mediator id (OMR 10)


@dataclass
class Part:
    key: str
    points: float
    reason: str


@dataclass
class Match:
    # With `FACTS` read (as `Mediator.objects.only(*FACTS)` reads it): a page that shows
    # more of the mediators reads them for all the matches at once.
    mediator: Mediator
    parts: list[Part]
    binding: bool = False

    @property
    def score(self) -> float:
        return _total(self.parts)


def _people(
    cases: Iterable[Case], *, choices: bool = False
) -> tuple[set[str], set[str], dict[int, int | None]]:
    """The names (parties, their agents, the agents' firms) and codes a conflict is declared
    against, and each party's choice of mediator (OMR 10; with `choices`, else None): one
    query, each party with its agents in force (a party without one comes once)."""
    ids = [c.pk for c in cases]
    names: set[str] = set()
    usccs: set[str] = set()
    chose: dict[int, int | None] = {}
    live = FilteredRelation("agents", condition=Q(agents__revoked_at__isnull=True))
    choice: Any = Value(None, output_field=IntegerField())
    if choices:
        own = MediatorChoice.objects.filter(case_id=OuterRef("case_id"), party_id=OuterRef("pk"))
        choice = Subquery(own.values("mediator_id")[:1])  # one a party (a constraint)
    rows = (
        Party.objects.filter(case_id__in=ids)
        .annotate(live=live, chose=choice)
        .values_list(
            "pk", "name", "uscc", "agent__real_name", "live__user__real_name", "live__firm", "chose"
        )
    )
    for pk, name, uscc, agent, agents_name, firm, mediator_id in rows:
        chose[pk] = mediator_id
        names.update((name, agent or "", agents_name or "", firm or ""))
        usccs.add(uscc)
    return names - {""}, usccs - {""}, chose


def dispute_of(case: Case, **extra) -> Dispute:
    names, usccs, chose = _people([case], choices=True)
    chosen = set(chose.values())
    joint = None
    if len(chosen) == 1 and None not in chosen:  # every party chose the same mediator
        joint = chosen.pop()
    assert case.court is not None
    return Dispute(case.court, case.ip_kind, names, usccs, joint_choice=joint, **extra)


def dispute_of_cases(court: Court, ip_kind: IPKind | None, cases: list[Case], **extra) -> Dispute:
    """A batch (or a selection of it): a mediator in conflict with any of its parties is out."""
    names, usccs, _parties = _people(cases)
    return Dispute(court, ip_kind, names, usccs, **extra)


def conflicted(names: set[str], usccs: set[str]) -> Q:
    return Q(name__in=names) | Q(uscc__in=usccs - {""})


def _pool(d: Dispute, among: QuerySet[Mediator] | None = None) -> QuerySet:
    """(mediator id, expert, load) of the mediators the dispute may go to, best first: read
    from the court's roster entries (not from all the country's mediators), with the load
    the mediator's stored count (cases.load) read by the entry's `mediator_id` (no join to
    the mediators: their status is an index of the few inactive ones, in
    `eligible_mediator_entries`) and the expertise one set of the IP kind's experts (issue
    20)."""
    experts = Mediator.ip_kinds.through.objects.filter(
        ipkind_id=d.ip_kind.pk if d.ip_kind else ""
    ).values("mediator_id")
    ids: QuerySet[Any]
    if among is None:
        stored = MediatorLoad.objects.filter(mediator_id=OuterRef("mediator_id"))
        ids = roster.eligible_mediator_entries(d.court).annotate(
            mid=F("mediator_id"), stored=Subquery(stored.values("open_cases"))
        )
    else:
        ids = among.annotate(mid=F("pk"), stored=F("load__open_cases"))
    if d.names or d.usccs:
        bad = DeclaredConflict.objects.filter(conflicted(d.names, d.usccs))
        ids = ids.exclude(mid__in=bad.values("mediator_id"))
    return (
        ids.annotate(
            expert=ExpressionWrapper(Q(mid__in=experts), output_field=BooleanField()),
            carried=Coalesce("stored", Value(0)),  # not `load`: the mediator's relation
        )
        .values_list("mid", "expert", "carried")
        .order_by("-expert", "carried", "mid")
        .distinct()  # a mediator on the court's roster and a higher court's counts once
    )


def loads(mediator_ids: Iterable[int]) -> dict[int, int]:
    """Open cases per mediator (the load assignment balances): the stored counts."""
    ids = list(mediator_ids)
    found = dict(MediatorLoad.objects.filter(mediator_id__in=ids).values_list("pk", "open_cases"))
    return {i: found.get(i, 0) for i in ids}


def _records(ids: list[int]) -> tuple[dict[int, list[tuple[bool, float]]], float, float]:
    """Each mediator's ended cases (settled?, days), and the platform's success rate and
    median days, which small samples are shrunk toward."""
    ended = Case.objects.filter(state__in=ENDED, accepted_at__isnull=False, ended_at__isnull=False)
    by: dict[int, list[tuple[bool, float]]] = defaultdict(list)
    for mid, state, start, end in ended.filter(mediator_id__in=ids).values_list(
        "mediator_id", "state", "accepted_at", "ended_at"
    ):
        if start and end:  # the filter guarantees both; the types do not know it
            by[mid].append((state == State.SETTLED, (end - start).total_seconds() / 86400))
    counts = ended.filter(mediator__isnull=False).aggregate(
        total=Count("pk"), settled=Count("pk", filter=Q(state=State.SETTLED))
    )
    total, settled = counts["total"], counts["settled"]
    prior_rate = settled / total if total else 0.5
    days = [d for rows in by.values() for _s, d in rows]
    prior_days = statistics.median(days) if days else 20.0
    return by, prior_rate, prior_days


FACTS = ["id", "name", "region_id", "technical_fields", "languages"]  # a score's, a page's


@dataclass
class Facts:
    """What a score reads of one mediator of the pool (a light row, not the whole mediator:
    none of its encrypted fields), with the pool's expertise and load."""

    pk: int
    name: str
    region_id: str | None
    technical_fields: str
    languages: str
    expert: bool
    load: int

    def mediator(self) -> Mediator:
        """The mediator, as the ORM builds one read `.only(*FACTS)`: its other fields are
        read from the database if something asks for them."""
        row = (self.pk, self.name, self.region_id, self.technical_fields, self.languages)
        return Mediator.from_db(Mediator.objects.db, FACTS, row)


def _with_facts(pool: QuerySet) -> list[Facts]:
    """The rows of a (sliced) `_pool`, each with the `FACTS` of its mediator: one query, the
    mediators' columns joined after the pool's LIMIT, so only those rows of the mediators
    are read. In SQL because the ORM cannot join to a sliced queryset; the pool's SQL and
    its parameters are the ORM's own, and only column names are put into the text."""
    sql, params = pool.query.get_compiler(pool.db).as_sql()
    quote = connections[pool.db].ops.quote_name
    meta = Mediator._meta
    named = {f.attname: f.column for f in meta.concrete_fields}
    columns = ", ".join(f"m.{quote(named[f])}" for f in FACTS)
    columns += f", p.{quote('expert')}, p.{quote('carried')}"
    join = f"JOIN ({sql}) p ON p.{quote('mid')} = m.{quote(meta.pk.column)}"
    query = f"SELECT {columns} FROM {quote(meta.db_table)} m {join}"  # noqa: S608  # nosec B608 (names, the ORM's SQL; values as parameters)
    with connections[pool.db].cursor() as cursor:
        cursor.execute(query, params)
        return [Facts(*row) for row in cursor.fetchall()]


def rank(d: Dispute, *, limit: int = 10, among: QuerySet[Mediator] | None = None) -> list[Match]:
    """The best `limit` mediators for the dispute; `among`: an organisation's own mediators
    (its administrator assigns), else those the court may use. The pool is scored in
    numbers, read with the light facts of its mediators, and only the `limit` shown are put in
    words: with `dispute_of`, six queries however large the roster (the training's two: the
    hour requirements, and the pool's hours of the year in one grouped query)."""
    pool = _with_facts(_pool(d, among)[:POOL])
    if d.joint_choice and not any(f.pk == d.joint_choice for f in pool):
        pool += _with_facts(_pool(d, among).filter(mid=d.joint_choice))
    records, prior_rate, prior_days = _records([f.pk for f in pool])
    trained = hours_status(f.mediator() for f in pool)  # the pool's hours, grouped: 2 queries

    def parts(f: Facts, words: bool) -> list[Part]:
        rec = records.get(f.pk, [])
        found = _parts(d, f, rec, prior_rate, prior_days, words=words)
        return found + [_training(trained[f.pk], gettext if words else _silent)]

    def order(f: Facts) -> tuple[bool, float, int]:
        return (f.pk != d.joint_choice, -_total(parts(f, False)), f.pk)

    shown = sorted(pool, key=order)[:limit]
    return [Match(f.mediator(), parts(f, True), binding=f.pk == d.joint_choice) for f in shown]


def _total(parts: list[Part]) -> float:
    return round(sum(p.points for p in parts), 1)


def _silent(message: str) -> str:
    return ""  # scoring the pool: the points without the words


def _pts(key: str, share: float) -> float:
    return round(POINTS[key] * max(0.0, min(1.0, share)), 1)


def _parts(
    d: Dispute, m: Facts, rec, prior_rate: float, prior_days: float, *, words: bool = True
) -> list[Part]:
    _ = gettext if words else _silent  # named `_`: xgettext finds the messages by it
    parts = [_expertise(d, m, _)]
    if d.technical_field:
        hit = d.technical_field.strip() in (m.technical_fields or "")
        p = _pts("field", 1.0 if hit else 0.0)
        text = (
            _("Technical field %(field)s: %(points)s points")
            if hit
            else _("No expertise in the technical field %(field)s: %(points)s points")
        )
        parts.append(Part("field", p, text % {"field": d.technical_field, "points": p}))
    load = m.load
    p = _pts("load", 1 / (1 + load / 5))
    parts.append(
        Part("load", p, _("%(n)d open cases: %(points)s points") % {"n": load, "points": p})
    )
    parts += _record(rec, prior_rate, prior_days, _)
    parts.append(_region(d, m, _))
    langs = m.languages or ""
    p = _pts("language", 1.0 if d.language and d.language in langs else 0.0)
    text = (
        _("Works in %(language)s: %(points)s points")
        if p
        else _("Does not list %(language)s as a working language: %(points)s points")
    )
    parts.append(Part("language", p, text % {"language": d.language, "points": p}))
    return parts


def _expertise(d: Dispute, m: Facts, _: Say) -> Part:
    if d.ip_kind is None:
        return Part("kind", 0.0, _("The dispute names no IP kind: 0 points"))
    hit = m.expert
    p = _pts("kind", 1.0 if hit else 0.0)
    text = (
        _("Expert in %(kind)s disputes: %(points)s points")
        if hit
        else _("No expertise in %(kind)s disputes: %(points)s points")
    )
    return Part("kind", p, text % {"kind": d.ip_kind, "points": p})


def _record(
    rec: list[tuple[bool, float]], prior_rate: float, prior_days: float, _: Say
) -> list[Part]:
    n, k = len(rec), PRIOR_WEIGHT
    settled = sum(1 for s, _d in rec if s)
    rate = (settled + k * prior_rate) / (n + k)
    p = _pts("success", rate)
    success = _(
        "Settled %(settled)d of %(n)d ended cases, %(rate)s%% once shrunk toward the "
        "average %(prior)s%%: %(points)s points"
    ) % {
        "settled": settled,
        "n": n,
        "rate": round(rate * 100),
        "prior": round(prior_rate * 100),
        "points": p,
    }
    median = statistics.median([d for _s, d in rec]) if rec else prior_days
    days = (n * median + k * prior_days) / (n + k)
    q = _pts("speed", 1 - days / 60)
    speed = _(
        "Median %(median)s days to an end, %(days)s once shrunk toward the average "
        "%(prior)s: %(points)s points"
    ) % {
        "median": round(median, 1),
        "days": round(days, 1),
        "prior": round(prior_days, 1),
        "points": q,
    }
    return [Part("success", p, success), Part("speed", q, speed)]


def _training(status: HoursStatus, _: Say) -> Part:
    """The year's credited training hours against the region's requirement (SIR 7): full
    points once met, a share of them below."""
    share = float(status.year_hours / status.per_year) if status.per_year else 1.0
    p = _pts("training", share)
    args = {
        "hours": status.year_hours,
        "required": status.per_year,
        "year": status.year,
        "points": p,
    }
    text = (
        _("Trained %(hours)s of the %(required)s hours required in %(year)s: %(points)s points")
        if status.below
        else _("Met the training hours of %(year)s (%(hours)s of %(required)s): %(points)s points")
    )
    return Part("training", p, text % args)


def _region(d: Dispute, m: Facts, _: Say) -> Part:
    court, own = d.court.region_id or "", m.region_id or ""
    city = court[2:4] != "00" and own[:4] == court[:4]
    if city:
        p = _pts("region", 1.0)
        return Part("region", p, _("In the court's city: %(points)s points") % {"points": p})
    if own[:2] == court[:2]:
        p = _pts("region", 0.5)
        return Part("region", p, _("In the court's province: %(points)s points") % {"points": p})
    p = 0.0
    return Part("region", p, _("Outside the court's province: %(points)s points") % {"points": p})


def conflicts_by_case(cases: list[Case], mediator_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each case, the mediators of `mediator_ids` who declared a conflict with one of its
    parties or agents (a few queries for any number of cases)."""
    declared = list(
        DeclaredConflict.objects.filter(mediator_id__in=list(mediator_ids)).values_list(
            "mediator_id", "name", "uscc"
        )
    )
    found: dict[int, set[int]] = defaultdict(set)
    if not declared:
        return found
    people: dict[int, set[str]] = defaultdict(set)
    ids = [c.pk for c in cases]
    for case_id, name, uscc, agent in Party.objects.filter(case_id__in=ids).values_list(
        "case_id", "name", "uscc", "agent__real_name"
    ):
        people[case_id].update((name, uscc, agent or ""))
    for case_id, real_name, firm in Agent.objects.filter(
        party__case_id__in=ids, revoked_at__isnull=True
    ).values_list("party__case_id", "user__real_name", "firm"):
        people[case_id].update((real_name, firm))
    for case_id, known in people.items():
        known.discard("")
        for mid, name, uscc in declared:
            if name in known or (uscc and uscc in known):
                found[case_id].add(mid)
    return found
