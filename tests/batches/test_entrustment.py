"""Entrusting a batch's filed cases in one action (诉中委托): each filed case becomes its own
entrusted mediation through the cases domain's bulk entrustment (its audit entry, number and
deadline), spread over the mediators by load; any case that may not be entrusted refuses the
whole action and nothing changes."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sutiao.audit.models import AuditEntry
from sutiao.batches import actions
from sutiao.batches.models import DeclaredConflict
from sutiao.cases import actions as cases
from sutiao.cases.models import Case, FiledCase, PartyInvitation
from sutiao.core.errors import Conflict, Forbidden, NotFound
from sutiao.core.models import OutboxEvent
from tests import factories
from tests.cases.factories import rostered_mediator, rostered_org

from .conftest import file_all, rows, upload, xlsx


@pytest.fixture
def judge(world):
    return factories.person("judge", court=world["court"])


@pytest.fixture
def batch(world):
    made, _created = upload(world, xlsx(rows(20, bad=False)))
    file_all(world, made)
    return made


def _mediations(batch):
    return Case.objects.filter(filed_case__origin__batch_link__batch=batch, channel="entrusted")


@pytest.mark.rule("OMR-24b")
def test_120_filed_cases_to_3_mediators_each_audited_with_its_own_deadline(world, judge):
    batch, _created = upload(world, xlsx(rows(120, bad=False)))
    file_all(world, batch)
    done = actions.entrust_batch(actor=judge, batch=batch, mediators=world["mediators"])

    assert len(done) == 120
    assert sorted(Counter(done.values()).values()) == [40, 40, 40]  # differs by at most one
    made = list(_mediations(batch))
    assert {c.pk for c in made} == set(done)
    assert {c.state for c in made} == {"awaiting_acceptance"}
    assert all(c.deadline_at and c.clock == "accept_assignment" for c in made)
    assert len({c.number for c in made}) == 120 and all("民诉调" not in c.number for c in made)
    assert {c.filed_case_id for c in made} == set(FiledCase.objects.values_list("pk", flat=True))
    audited = AuditEntry.objects.filter(action="case.entrust")
    assert sorted(int(a.object_id) for a in audited) == sorted(done)
    assert OutboxEvent.objects.filter(topic="case.entrust").count() == 120
    assert AuditEntry.objects.filter(action="batch.entrusted").count() == 1
    # once accepted, the entrusted period of the procedure runs (15 days, ordinary: OMR 24)
    first = made[0]
    cases.accept(actor=first.mediator.user, case=first)
    first.refresh_from_db()
    assert first.clock == "mediation_entrusted_ordinary"


def test_the_spread_counts_the_load_the_mediators_already_carry(world, judge, batch):
    first, second, third = world["mediators"]
    some = list(Case.objects.filter(batch_link__batch=batch).values_list("pk", flat=True))
    actions.entrust_batch(actor=judge, batch=batch, mediators=[first], selection=some[:4])
    done = actions.entrust_batch(actor=judge, batch=batch, mediators=[first, second, third])
    assert len(done) == 16
    spread = Counter(done.values())
    load = {m.pk: spread[m.pk] + (4 if m == first else 0) for m in world["mediators"]}
    assert max(load.values()) - min(load.values()) <= 1


def test_a_mediator_with_a_declared_conflict_gets_none_of_its_cases(world, judge, batch):
    first, second, _third = world["mediators"]
    DeclaredConflict.objects.create(mediator=first, kind="relation", name="某某网店3号")
    done = actions.entrust_batch(actor=judge, batch=batch, mediators=[first, second])
    conflicted = _mediations(batch).get(parties__name="某某网店3号")
    assert done[conflicted.pk] == second.pk


def test_to_one_organisation_in_simple_procedure(world, judge, batch):
    org = rostered_org(world["court"])
    done = actions.entrust_batch(actor=judge, batch=batch, org=org, procedure="simple")
    made = Case.objects.filter(pk__in=done)
    assert {(c.org_id, c.mediator_id, c.procedure) for c in made} == {(org.pk, None, "simple")}


def test_a_selection_with_a_case_not_filed_changes_nothing_and_names_it(world, judge):
    batch, _created = upload(world, xlsx(rows(6, bad=False)))
    ids = list(
        Case.objects.filter(batch_link__batch=batch)
        .order_by("batch_link__line")
        .values_list("pk", flat=True)
    )
    file_all(world, batch, only=ids[:5])
    waiting = Case.objects.get(pk=ids[5])
    with pytest.raises(Conflict) as refused:
        actions.entrust_batch(actor=judge, batch=batch, mediators=world["mediators"], selection=ids)
    assert refused.value.code == "batch.not_entrustable"
    assert refused.value.details["cases"] == [waiting.pk]
    assert str(waiting) in refused.value.message
    assert not Case.objects.filter(channel="entrusted").exists()
    assert not AuditEntry.objects.filter(action="case.entrust").exists()


def test_a_case_already_entrusted_is_not_entrusted_twice(world, judge, batch):
    one = Case.objects.filter(batch_link__batch=batch).order_by("batch_link__line").first()
    actions.entrust_batch(
        actor=judge, batch=batch, mediators=world["mediators"], selection=[one.pk]
    )
    with pytest.raises(Conflict) as refused:
        actions.entrust_batch(
            actor=judge, batch=batch, mediators=world["mediators"], selection=[one.pk]
        )
    assert refused.value.details["cases"] == [one.pk]
    assert _mediations(batch).count() == 1


def test_a_mediator_off_the_roster_refuses_the_whole_action(world, judge, batch):
    stranger = rostered_mediator(factories.court(), name="外院调解员")
    with pytest.raises(Conflict):
        actions.entrust_batch(actor=judge, batch=batch, mediators=[world["mediators"][0], stranger])
    assert not Case.objects.filter(channel="entrusted").exists()
    assert not AuditEntry.objects.filter(action="case.entrust").exists()


def test_another_courts_judge_sees_no_batch_and_the_clerk_may_not_entrust(world, batch):
    other = factories.person("judge", court=factories.court())
    with pytest.raises(NotFound):
        actions.entrust_batch(actor=other, batch=batch, mediators=world["mediators"])
    with pytest.raises(Forbidden):
        actions.entrust_batch(actor=world["clerk"], batch=batch, mediators=world["mediators"])
    assert not Case.objects.filter(channel="entrusted").exists()


def _entrusted(judge, world, batch, selection) -> int:
    with CaptureQueriesContext(connection) as ctx:
        actions.entrust_batch(
            actor=judge, batch=batch, mediators=world["mediators"], selection=selection
        )
    return len(ctx.captured_queries)


def test_entrusting_16_filed_cases_takes_no_more_queries_than_entrusting_4(world, judge, batch):
    """The mediations are created, invited, stepped and audited in bulk: each case still gets
    its own `created` and `entrust` entries, events and its respondent's invitation."""
    ids = list(
        Case.objects.filter(batch_link__batch=batch)
        .order_by("batch_link__line")
        .values_list("pk", flat=True)
    )
    few = _entrusted(judge, world, batch, ids[:4])
    many = _entrusted(judge, world, batch, ids[4:])
    assert many <= few <= 60, (few, many)
    made = list(_mediations(batch))
    assert AuditEntry.objects.filter(action="case.entrust").count() == 20
    assert (
        AuditEntry.objects.filter(
            action="case.created", object_id__in=[str(c.pk) for c in made]
        ).count()
        == 20
    )
    invited = PartyInvitation.objects.filter(case__in=made)
    assert invited.count() == 20 and {i.party.role for i in invited} == {"respondent"}
    assert (
        OutboxEvent.objects.filter(
            topic="case.party_invited", payload__case__in=[c.pk for c in made]
        ).count()
        == 20
    )
    assert all(c.parties.count() == 2 for c in made)  # the rights holder and its respondent
