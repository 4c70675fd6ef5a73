"""A mediator's stored load (open cases, cases.load) never drifts from a recount: every step
that changes a case's mediator or whether it is open moves it, in the same transaction."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sutiao.cases import actions, load
from sutiao.cases.actions.bulk import delegate_many
from sutiao.cases.models import Case, MediatorLoad
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def stored() -> dict[int, int]:
    return {m: n for m, n in MediatorLoad.objects.values_list("mediator_id", "open_cases") if n}


def recounted() -> dict[int, int]:
    open_ = Case.objects.filter(state__in=load.OPEN_STATES, mediator__isnull=False)
    return dict(Counter(open_.values_list("mediator_id", flat=True)))


def agrees(**expected: int) -> None:
    """The stored counts equal the recount, and the named mediators carry these loads."""
    assert stored() == recounted()
    for name, n in expected.items():
        assert stored().get(MEDIATORS[name].pk, 0) == n, name


MEDIATORS: dict = {}


@pytest.fixture
def world():
    court = factories.court("北京知识产权法院", code="京73")
    org = cf.rostered_org(court)
    MEDIATORS.clear()
    MEDIATORS.update(
        a=cf.rostered_mediator(court, name="甲"),
        b=cf.rostered_mediator(court, name="乙"),
        c=cf.rostered_mediator(court, org=org, name="丙"),
    )
    return {
        "court": court,
        "org": org,
        "clerk": factories.person("court_clerk", court=court),
        "judge": factories.person("judge", court=court),
        "org_admin": factories.person("org_admin", org=org),
    }


def test_delegate_decline_accept_pause_resume_recuse_and_end(world):
    a, b = MEDIATORS["a"], MEDIATORS["b"]
    clerk = world["clerk"]
    case = cf.submitted_case(world["court"])
    agrees(a=0)
    case = actions.delegate(actor=clerk, case=case, mediator=a)
    agrees(a=1)
    case = actions.decline(actor=a.user, case=case, reason="与当事人存在利害关系")
    agrees(a=0)
    case = actions.delegate(actor=clerk, case=case, mediator=b)
    case = actions.accept(actor=b.user, case=case)
    agrees(a=0, b=1)
    case = actions.pause(actor=b.user, case=case, reason="等待鉴定")
    agrees(b=1)
    case = actions.resume(actor=b.user, case=case)
    agrees(b=1)
    case = actions.recuse(actor=b.user, case=case, reason="与代理人曾共事")
    agrees(b=0)
    case = actions.delegate(actor=clerk, case=case, mediator=a)
    case = actions.accept(actor=a.user, case=case)
    agrees(a=1, b=0)
    actions.end(
        actor=a.user,
        case=case,
        reason=5,
        course="两次视频调解",
        reasons="赔偿数额分歧过大",
        cost_conduct="无",
        notes_for_court="建议尽快立案",
    )
    agrees(a=0)


def test_entrusted_assigned_and_settled(world):
    c = MEDIATORS["c"]
    filed = actions.register_filed_case(
        actor=world["judge"],
        court=world["court"],
        title="丙诉丁著作权纠纷",
        procedure="simple",
        parties=[{"role": "applicant", "name": "丙"}, {"role": "respondent", "name": "丁"}],
    )
    case = actions.entrust(actor=world["judge"], filed_case=filed, org=world["org"])
    agrees(c=0)
    case = actions.assign(actor=world["org_admin"], case=case, mediator=c)
    agrees(c=1)
    case = actions.accept(actor=c.user, case=case)
    agrees(c=1)
    actions.settle(actor=c.user, case=case)
    agrees(c=0)


def test_withdrawn_refused_returned_unanswered_and_delegated_in_bulk(world):
    a, b = MEDIATORS["a"], MEDIATORS["b"]
    clerk, applicant, respondent = world["clerk"], factories.person("party"), None
    one = cf.submitted_case(world["court"], applicant=applicant)
    actions.delegate(actor=clerk, case=one, mediator=a)
    agrees(a=1)
    actions.withdraw(actor=applicant, case=one, reason="已和解")
    agrees(a=0)

    respondent = factories.person("party")
    two = cf.submitted_case(world["court"], respondent_user=respondent)
    two = actions.accept(actor=a.user, case=actions.delegate(actor=clerk, case=two, mediator=a))
    agrees(a=1)
    actions.refuse_mediation(actor=respondent, case=two, reason="不同意调解")
    agrees(a=0)

    many = [cf.submitted_case(world["court"]) for _i in range(3)]
    delegate_many(
        actor=clerk, plan=[(many[0], (None, a)), (many[1], (None, b)), (many[2], (None, b))]
    )
    agrees(a=1, b=2)
    returned = actions.return_unanswered(now=timezone.now() + timedelta(days=30))
    assert len(returned) == 3  # nobody accepted within 3 working days (OMR 12)
    agrees(a=0, b=0)


def test_recount_repairs_a_count_changed_outside_the_actions(world):
    a = MEDIATORS["a"]
    case = actions.delegate(
        actor=world["clerk"], case=cf.submitted_case(world["court"]), mediator=a
    )
    Case.objects.filter(pk=case.pk).update(mediator=MEDIATORS["b"])  # past Case.save
    assert stored() != recounted()
    out = StringIO()
    call_command("cases", "recount-load", stdout=out)
    assert f"mediator {a.pk}: stored 1, recounted 0" in out.getvalue()
    assert "2 mediator load(s) corrected" in out.getvalue()
    agrees(a=0, b=1)
    assert load.recount() == {}  # nothing left to correct
