"""CPL-I 372: each party's 15 days to object run from its own receipt of the ruling (the
effective service of the ruling on it, as delivery records it), not from the ruling's time;
before a party is served its days have not started; an objection is reviewed: upheld, the
ruling is revoked by a new, served decision; dismissed, the ruling stands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Conflict, Invalid
from sutiao.delivery import actions as delivery
from sutiao.delivery.models import Service
from sutiao.judicial import actions, lifecycle, queries
from sutiao.judicial.choices import ObjectionState, State
from sutiao.workdays.periods import deadline
from tests import factories
from tests.agreements import factories as af
from tests.clock import WORKING_MONDAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(WORKING_MONDAY, tick=True),
    pytest.mark.rule("CPL-I-372"),
]


def _ruled(world, outcome="valid"):
    agreement = af.signed_agreement(world)
    app = actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    app = actions.submit_part(actor=world.respondent, application=app)
    app = actions.accept(actor=world.judge, application=app)
    ground = 5 if outcome == "dismissed" else None
    return actions.rule(actor=world.judge, application=app, outcome=outcome, ground=ground)


def _service(ruling, user):
    return next(
        s
        for s in Service.objects.filter(document=ruling.document).select_related("party")
        if user.pk in (s.party.user_id, s.party.agent_id)
    )


def _windows(ruling):
    return {w.party.pk: w for w in queries.objection_windows(ruling)}


def test_cpl_i_372_each_party_objects_within_15_days_of_its_own_receipt(world, time_machine):
    ruling = _ruled(world)
    app = ruling.application
    applicant, respondent = _service(ruling, world.applicant), _service(ruling, world.respondent)
    # Nobody served yet: no window has started, so nobody may object.
    assert {w.status(timezone.now()) for w in _windows(ruling).values()} == {"not_served"}
    assert "objection" not in {t.name for t in lifecycle.available(app, {"party"})}
    with pytest.raises(Conflict) as early:
        actions.object_to_ruling(actor=world.applicant, ruling=ruling, text="异议")
    assert early.value.code == "judicial.objection_not_served"

    # The applicant receives it the next day (acts on it); the respondent on paper 5 days on.
    time_machine.move_to(WORKING_MONDAY + timedelta(days=1), tick=True)
    delivery.record_acted(actor=world.applicant, case=app.case, document=ruling.document)
    received = Service.objects.get(pk=applicant.pk).effective_at
    assert received is not None and received > ruling.ruled_at
    windows = _windows(ruling)
    assert windows[applicant.party_id].ends_at == deadline(received, "objection")
    assert windows[applicant.party_id].ends_at > deadline(ruling.ruled_at, "objection")
    assert windows[respondent.party_id].status(timezone.now()) == "not_served"
    assert "objection" in {t.name for t in lifecycle.available(app, {"party"})}
    with pytest.raises(Conflict) as not_yet:
        actions.object_to_ruling(actor=world.respondent, ruling=ruling, text="异议")
    assert not_yet.value.code == "judicial.objection_not_served"

    time_machine.move_to(WORKING_MONDAY + timedelta(days=5), tick=True)
    delivery.record_paper_service(
        actor=world.clerk,
        service=Service.objects.get(pk=respondent.pk),
        route="post",
        served_on=timezone.localdate(),
    )
    windows = _windows(ruling)
    assert windows[respondent.party_id].ends_at > windows[applicant.party_id].ends_at

    # The day after the applicant's last day: its window is closed, the respondent's runs.
    after = windows[applicant.party_id].ends_at + timedelta(minutes=1)
    assert after < windows[respondent.party_id].ends_at
    time_machine.move_to(after, tick=True)
    with pytest.raises(Conflict) as late:
        actions.object_to_ruling(actor=world.applicant, ruling=ruling, text="迟到的异议")
    assert late.value.code == "judicial.objection_late"
    # The page offers the form to the party whose days run, not to the one whose ended.
    form = f'action="{reverse("judicial:objection", args=[app.pk])}"'
    page = reverse("judicial:application", args=[app.pk])
    assert form not in factories.client_for(world.applicant).get(page).content.decode()
    respondent_client = factories.client_for(world.respondent)
    assert form in respondent_client.get(page).content.decode()
    posted = respondent_client.post(
        reverse("judicial:objection", args=[app.pk]), {"text": "调解协议内容违反自愿原则。"}
    )
    assert posted.status_code == 302
    objection = ruling.objections.get()
    assert objection.state == ObjectionState.FILED and objection.party_id == respondent.party_id
    with pytest.raises(Conflict) as twice:
        actions.object_to_ruling(actor=world.respondent, ruling=ruling, text="再次")
    assert twice.value.code == "judicial.objection_filed"
    # Both windows used or closed: the step is no longer offered.
    app.refresh_from_db()
    assert "objection" not in {t.name for t in lifecycle.available(app, {"party"})}

    # The page shows each party's window; the judge reviews and upholds: the ruling is revoked.
    page = (
        factories.client_for(world.judge)
        .get(reverse("judicial:application", args=[app.pk]))
        .content.decode()
    )
    assert 'data-status="closed"' in page and 'data-status="open"' in page
    assert 'id="step-review_objections"' in page
    app = actions.review_objections(
        actor=world.judge, application=app, outcome="upheld", reasoning="异议成立。"
    )
    assert app.state == State.REVOKED
    ruling.refresh_from_db()
    objection.refresh_from_db()
    assert ruling.revoked_at is not None
    assert objection.state == ObjectionState.UPHELD and objection.decision_id
    assert Service.objects.filter(document_id=objection.decision_id).count() == 2  # served
    assert AuditEntry.objects.filter(action="judicial.revoke_ruling").exists()
    assert app.events.filter(kind="revoke_ruling").exists()


def test_cpl_i_372_a_dismissed_objection_leaves_the_ruling_standing(world, time_machine):
    ruling = _ruled(world, outcome="dismissed")
    app = ruling.application
    assert "review_objections" not in {t.name for t in lifecycle.available(app, {"judge"})}
    delivery.record_acted(actor=world.applicant, case=app.case, document=ruling.document)
    actions.object_to_ruling(actor=world.applicant, ruling=ruling, text="异议理由")
    with pytest.raises(Invalid) as bad:
        actions.review_objections(actor=world.judge, application=app, outcome="upheld")
    assert "reasoning" in bad.value.details["fields"]  # no reasons: nothing changes
    assert queries.pending_objections(ruling).count() == 1
    app = actions.review_objections(
        actor=world.judge, application=app, outcome="dismissed", reasoning="异议不成立。"
    )
    assert app.state == State.DISMISSED
    ruling.refresh_from_db()
    assert ruling.revoked_at is None
    assert [o.state for o in ruling.objections.all()] == [ObjectionState.DISMISSED]
    assert AuditEntry.objects.filter(action="judicial.review_objections").exists()
    # Nothing left to review.
    with pytest.raises(Conflict):
        actions.review_objections(
            actor=world.judge, application=app, outcome="dismissed", reasoning="再审"
        )
