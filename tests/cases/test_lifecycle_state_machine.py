"""Random sequences of steps by random people never leave the lifecycle table, and every
step taken leaves its audit entry; every refused step changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions, lifecycle
from sutiao.cases.choices import State
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles
from sutiao.core.errors import DomainError
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]

STEPS = [
    "delegate",
    "assign",
    "accept",
    "decline",
    "recuse",
    "extend",
    "pause",
    "resume",
    "settle",
    "end",
    "expire",
    "file_case",
    "resume_trial",
    "push_to_court",
    "withdraw",
]
BACKWARD = {"withdraw", "decline", "recuse"}  # left to chance: they undo progress
ACTORS = [
    "applicant",
    "respondent",
    "clerk",
    "judge",
    "org_admin",
    "mediator",
    "org_mediator",
    "stranger",
    "system",
]


class Rollback(Exception):
    pass


def world(channel: str):
    court = factories.court()
    org = cf.rostered_org(court)
    people = {
        "applicant": factories.person("party"),
        "respondent": factories.person("party"),
        "clerk": factories.person("court_clerk", court=court),
        "judge": factories.person("judge", court=court),
        "org_admin": factories.person("org_admin", org=org),
        "stranger": factories.person("party"),
    }
    solo = cf.rostered_mediator(court, name="独任调解员")
    in_org = cf.rostered_mediator(court, org=org, name="组织调解员")
    people["mediator"], people["org_mediator"] = solo.user, in_org.user
    if channel == "entrusted":
        filed = actions.register_filed_case(
            actor=people["judge"],
            court=court,
            title="委托案件",
            parties=[
                {"role": "applicant", "name": "甲", "user_id": people["applicant"].pk},
                {"role": "respondent", "name": "乙", "user_id": people["respondent"].pk},
            ],
        )
        case = actions.entrust(actor=people["judge"], filed_case=filed, org=org)
    else:
        case = cf.submitted_case(
            court if channel == "delegated" else None,
            applicant=people["applicant"],
            respondent_user=people["respondent"],
            org=org if channel == "direct" else None,
        )
    return case, court, org, solo, in_org, people


def move(case, people):
    """Mostly a step some actor may take now, to get deep into the table (steps that undo
    progress are left to chance), sometimes anything by anyone, to hit the refusals."""
    allowed = [
        (t.name, who)
        for who in ACTORS
        if who != "system"
        for t in lifecycle.available(case, case_roles(people[who], case))
        if t.name in STEPS and t.name not in BACKWARD
    ]
    anything = st.tuples(st.sampled_from(STEPS), st.sampled_from(ACTORS))
    if not allowed:
        return anything
    return st.one_of(st.sampled_from(allowed), st.sampled_from(allowed), anything)


def take(step, actor, case, court, org, solo, in_org, now):
    case = Case.objects.get(pk=case.pk)
    kw = {"actor": actor, "case": case}
    if step == "delegate":
        return actions.delegate(**kw, mediator=solo)
    if step == "assign":
        return actions.assign(**kw, mediator=in_org)
    if step in ("decline", "recuse", "withdraw", "pause"):
        return getattr(actions, step)(**kw, reason="理由")
    if step == "extend":
        return actions.extend(
            **kw, consenting_parties=list(case.parties.values_list("pk", flat=True))
        )
    if step == "end":
        return actions.end(**kw, reason=5, course="经过", reasons="分歧")
    if step == "expire":
        return actions.expire_overdue(now=now + timedelta(days=120))
    if step == "push_to_court":
        return actions.push_to_court(**kw, court=court)
    if step == "file_case":
        return actions.file_case(**kw)
    return getattr(actions, step)(**kw)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(channel=st.sampled_from(["delegated", "direct", "entrusted"]), data=st.data())
def test_random_steps_stay_inside_the_table(channel, data):
    try:
        with transaction.atomic():
            case, court, org, solo, in_org, people = world(channel)
            now = datetime.now(UTC)
            for _ in range(data.draw(st.integers(0, 14), label="length")):
                step, who = data.draw(move(Case.objects.get(pk=case.pk), people), label="move")
                actor = "system" if who == "system" else people[who]
                before = Case.objects.get(pk=case.pk).state
                audits = AuditEntry.objects.count()
                try:
                    with transaction.atomic():
                        take(step, actor, case, court, org, solo, in_org, now)
                    ok = True
                except DomainError:
                    ok = False
                after = Case.objects.get(pk=case.pk).state
                assert after in State.values
                if not ok:
                    assert after == before, (step, who)
                    assert AuditEntry.objects.count() == audits
                    continue
                if step == "expire":
                    step = "expire" if before != after else None
                if step is None:
                    continue
                event(f"took {step}")
                t = lifecycle.TRANSITIONS[step]
                assert before in t.source, (step, before)
                assert after in lifecycle.targets(t), (step, before, after)
                assert AuditEntry.objects.filter(
                    action=f"case.{step}", object_id=str(case.pk)
                ).exists()
                assert AuditEntry.objects.count() > audits
            raise Rollback
    except Rollback:
        pass


def test_table_is_closed():
    """Every target is a known state and every source can be reached from a draft."""
    reachable = {State.DRAFT, State.SUBMITTED}  # entrusted cases are born submitted
    changed = True
    while changed:
        changed = False
        for t in lifecycle.TRANSITIONS.values():
            if reachable & t.source:
                new = lifecycle.targets(t) - reachable
                if new:
                    reachable |= new
                    changed = True
    assert reachable == set(State.values)
    for t in lifecycle.TRANSITIONS.values():
        assert t.source <= set(State.values) and lifecycle.targets(t) <= set(State.values)
