"""The speed must-shows rest on query counts that do not grow: delegating a batch costs the
same round trips for 4 cases as for 20 (the cases are locked, numbered, updated and audited
in bulk), and ranking mediators costs the same for a roster of 3 as for one of 60."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sutiao.audit.models import AuditEntry
from sutiao.batches import actions, matching
from sutiao.cases import actions as cases
from sutiao.cases.models import Case, CaseEvent
from sutiao.core.models import OutboxEvent
from sutiao.institutions.models import IPKind
from sutiao.roster.models import Mediator, RosterEntry
from tests import factories
from tests.cases.factories import rostered_mediator, submitted_case

from .conftest import rows, upload, xlsx


@pytest.fixture
def batch(world):
    made, _created = upload(world, xlsx(rows(24, bad=False)))
    return made


def _delegated(world, batch, selection) -> int:
    with CaptureQueriesContext(connection) as ctx:
        actions.delegate_batch(
            actor=world["clerk"], batch=batch, mediators=world["mediators"], selection=selection
        )
    return len(ctx.captured_queries)


def test_delegating_20_cases_takes_no_more_queries_than_delegating_4(world, batch):
    ids = list(Case.objects.filter(batch_link__batch=batch).values_list("pk", flat=True))
    few = _delegated(world, batch, ids[:4])
    many = _delegated(world, batch, ids[4:])
    # the first delegation of the year also creates the court's number series: a few more;
    # each mediator's stored load (cases/load.py) adds an insert and an update, per mediator
    assert many <= few <= 36, (few, many)  # one case at a time took ≈ 15 queries per case
    # ...and still one audit entry, one timeline event and one outbox event per case
    assert AuditEntry.objects.filter(action="case.delegate").count() == 24
    assert CaseEvent.objects.filter(kind="delegate", case_id__in=ids).count() == 24
    assert OutboxEvent.objects.filter(topic="case.delegate").count() == 24


def test_the_bulk_step_records_what_delegating_one_case_records(world, batch):
    """The same state, clock, deadline, timeline event, audit entry and outbox event as the
    cases domain's own `delegate`, and numbers in the batch's row order."""
    first, second, third = Case.objects.filter(batch_link__batch=batch).order_by(
        "batch_link__line"
    )[:3]
    mediator = world["mediators"][0]
    at = timezone.now()
    cases.delegate(actor=world["clerk"], case=first, mediator=mediator, at=at)
    actions.delegate_batch(
        actor=world["clerk"],
        batch=batch,
        mediators=[mediator],
        selection=[second.pk, third.pk],
        at=at,
    )
    one, *bulk = (Case.objects.get(pk=c.pk) for c in (first, second, third))
    for c in bulk:
        assert (c.state, c.clock, c.deadline_at, c.clock_basis, c.mediator_id) == (
            one.state,
            one.clock,
            one.deadline_at,
            one.clock_basis,
            one.mediator_id,
        )
    seqs = [int(c.number.rsplit("调", 1)[1].rstrip("号")) for c in (one, *bulk)]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]

    def event(c):
        e = CaseEvent.objects.get(case=c, kind="delegate")
        return (e.actor_id, e.state_before, e.state_after, e.summary, e.data, e.at)

    def entry(c):
        a = AuditEntry.objects.get(action="case.delegate", object_id=str(c.pk))
        return (a.actor_id, a.object_type, a.summary == c.number, a.changes)

    def notice(c):
        return OutboxEvent.objects.get(topic="case.delegate", payload__case=c.pk).payload

    for c in bulk:
        assert event(c) == event(one)
        assert entry(c) == entry(one)
        assert notice(c) == {**notice(one), "case": c.pk}


def _bulk_roster(court, n: int, start: int) -> None:
    """n more active mediators on the court's roster, a third of them copyright experts."""
    made = Mediator.objects.bulk_create(
        [Mediator(name=f"名册{start + i}", region_id="110108") for i in range(n)]
    )
    admin = factories.admin()
    RosterEntry.objects.bulk_create(
        RosterEntry(
            court=court,
            mediator=m,
            certificate_number=f"量{m.pk}",
            term_start=timezone.localdate(),
            admitted_by=admin,
        )
        for m in made
    )
    copyright_ = IPKind.objects.get(code="copyright")
    for m in made[::3]:
        m.ip_kinds.add(copyright_)


def _ranked(case) -> tuple[int, int]:
    d = matching.dispute_of(case)
    with CaptureQueriesContext(connection) as ctx:
        found = matching.rank(d, limit=10)
    return len(ctx.captured_queries), len(found)


def test_ranking_takes_the_same_queries_for_a_roster_of_3_and_of_60(db):
    court = factories.court()
    case = submitted_case(court)
    busy = rostered_mediator(court, name="忙碌")
    for _i in range(2):  # a mediator with open cases: the load is read, not assumed 0
        c = submitted_case(court)
        c.mediator, c.state = busy, "mediating"
        c.save()  # the stored load moves with the save (cases.load)
    _bulk_roster(court, 2, 0)
    small, shown_small = _ranked(case)
    _bulk_roster(court, 57, 100)
    large, shown_large = _ranked(case)
    assert (shown_small, shown_large) == (3, 10)
    assert large == small, (small, large)


def test_a_ranking_with_its_dispute_is_six_queries(db):
    court = factories.court()
    case = submitted_case(court)
    _bulk_roster(court, 30, 0)
    assert case.court is not None and case.ip_kind is not None  # the page has read them
    courts = matching.roster.courts_sharing_roster(case.court)  # and the courts above
    with CaptureQueriesContext(connection) as ctx:
        found = matching.rank(matching.dispute_of(case), limit=10)
    assert len(found) == 10 and len(courts) >= 1
    # the parties with their agents and choices; the pool with its mediators' facts;
    # the pool's record and the platform's mean; the hour requirements and the pool's
    # training hours of the year (one grouped query)
    assert len(ctx.captured_queries) == 6, [q["sql"][:80] for q in ctx.captured_queries]
