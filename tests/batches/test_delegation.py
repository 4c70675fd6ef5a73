"""Delegating a batch in one action: each case through the cases domain's delegate (its
audit entry, its own deadline), spread over the mediators by load."""

from __future__ import annotations

from collections import Counter

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.batches import actions
from sutiao.batches.models import DeclaredConflict
from sutiao.cases.models import Case
from sutiao.core.errors import Conflict, NotFound
from tests import factories
from tests.cases.factories import rostered_mediator, rostered_org

from .conftest import rows, upload, xlsx


@pytest.fixture
def batch(world):
    made, _created = upload(world, xlsx(rows(40, bad=False)))
    return made


def test_293_cases_to_3_mediators_each_audited_with_its_deadline(world):
    batch, _created = upload(world, xlsx(rows()))
    done = actions.delegate_batch(actor=world["clerk"], batch=batch, mediators=world["mediators"])

    assert len(done) == 293
    spread = Counter(done.values())
    assert sorted(spread.values()) == [97, 98, 98]  # differs by at most one
    cases = Case.objects.filter(batch_link__batch=batch)
    assert {c.state for c in cases} == {"awaiting_acceptance"}
    assert all(c.deadline_at and c.clock == "accept_assignment" and c.number for c in cases)
    assert len({c.number for c in cases}) == 293  # each its own case number
    audited = AuditEntry.objects.filter(action="case.delegate")
    assert sorted(int(a.object_id) for a in audited) == sorted(c.pk for c in cases)
    assert AuditEntry.objects.filter(action="batch.delegated").count() == 1


def test_the_spread_counts_the_load_the_mediators_already_carry(world, batch):
    first, second, third = world["mediators"]
    some = list(Case.objects.filter(batch_link__batch=batch).values_list("pk", flat=True))
    actions.delegate_batch(
        actor=world["clerk"], batch=batch, mediators=[first], selection=some[:10]
    )
    done = actions.delegate_batch(
        actor=world["clerk"], batch=batch, mediators=[first, second, third]
    )
    spread = Counter(done.values())
    load = {m.pk: spread[m.pk] + (10 if m == first else 0) for m in world["mediators"]}
    assert max(load.values()) - min(load.values()) <= 1
    assert spread[first.pk] < spread[second.pk]


def test_a_mediator_with_a_declared_conflict_gets_none_of_its_cases(world, batch):
    first, second, _third = world["mediators"]
    DeclaredConflict.objects.create(mediator=first, kind="relation", name="某某网店3号")
    done = actions.delegate_batch(actor=world["clerk"], batch=batch, mediators=[first, second])
    conflicted = Case.objects.get(batch_link__batch=batch, parties__name="某某网店3号")
    assert done[conflicted.pk] == second.pk


def test_to_one_organisation(world, batch):
    org = rostered_org(world["court"])
    done = actions.delegate_batch(actor=world["clerk"], batch=batch, org=org)
    assert set(Case.objects.filter(pk__in=done).values_list("org_id", flat=True)) == {org.pk}


def test_a_mediator_off_the_roster_refuses_the_whole_action(world, batch):
    stranger = rostered_mediator(factories.court(), name="外院调解员")
    with pytest.raises(Conflict):
        actions.delegate_batch(
            actor=world["clerk"], batch=batch, mediators=[world["mediators"][0], stranger]
        )
    assert not Case.objects.filter(state="awaiting_acceptance").exists()
    assert not AuditEntry.objects.filter(action="case.delegate").exists()


def test_another_courts_clerk_sees_no_batch(world, batch):
    other = factories.person("court_clerk", court=factories.court())
    with pytest.raises(NotFound):
        actions.delegate_batch(actor=other, batch=batch, mediators=world["mediators"])


def test_the_org_administrator_spreads_its_cases_over_its_mediators(world, batch):
    org = rostered_org(world["court"])
    admin = factories.person("org_admin", org=org)
    staff = [rostered_mediator(world["court"], org=org, name=f"组织调解员{i}") for i in range(4)]
    actions.delegate_batch(actor=world["clerk"], batch=batch, org=org)
    done = actions.assign_batch(actor=admin, batch=batch, org=org, mediators=staff)
    assert len(done) == 40
    assert sorted(Counter(done.values()).values()) == [10, 10, 10, 10]
    assert AuditEntry.objects.filter(action="case.assign").count() == 40
