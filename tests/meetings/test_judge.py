"""On the mediator's request a judge of the case's court joins the session (OMR; judicial
confirmation's questioning uses the same room): audited, served the invitation through
delivery, admitted like everyone (verified, the day's identity check)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.delivery.models import Delivery
from sutiao.meetings import actions
from sutiao.meetings.models import Participant, State
from tests import factories
from tests.delivery.conftest import build_case

from .conftest import check_everyone, cookie_for, mediator_of, schedule
from .test_room_socket import refused, socket


def invitations_to(user):
    return Delivery.objects.filter(user=user, channel="inbox", subject__contains="调解会议邀请")


@pytest.mark.django_db
def test_the_mediator_invites_a_judge_of_the_court_who_is_served_the_invitation(served):
    s = served
    session = schedule(s)
    p = actions.invite_judge(actor=mediator_of(s), session=session, judge=s.judge)
    assert (p.role, p.response, p.accepted_time.start) == ("judge", "accepted", session.start)
    entry = AuditEntry.objects.get(action="meetings.judge_invited")
    assert entry.actor == mediator_of(s) and entry.changes == {"judge": s.judge.pk}
    assert invitations_to(s.judge).count() == 1
    session.refresh_from_db()
    assert session.state == State.SCHEDULED  # the agreed time stands
    with pytest.raises(Conflict):  # twice: refused, nothing more
        actions.invite_judge(actor=mediator_of(s), session=session, judge=s.judge)
    assert invitations_to(s.judge).count() == 1


@pytest.mark.django_db
def test_only_the_mediator_and_only_a_judge_of_the_cases_court(served):
    s = served
    session = schedule(s)
    with pytest.raises(Forbidden):
        actions.invite_judge(actor=s.applicant_user, session=session, judge=s.judge)
    other_court = factories.court("上海知识产权法院", region="310000", code="沪73")
    elsewhere = factories.person("judge", court=other_court)
    for wrong in (elsewhere, s.clerk, s.applicant_user):
        with pytest.raises((Invalid, Conflict)) as refusal:
            actions.invite_judge(actor=mediator_of(s), session=session, judge=wrong)
        assert refusal.value.code in ("meeting.not_a_judge", "meeting.already_participant")
    assert not session.participants.filter(role="judge").exists()
    assert not AuditEntry.objects.filter(action="meetings.judge_invited").exists()


@pytest.mark.django_db
def test_a_judge_invited_while_times_are_proposed_answers_and_is_invited_with_everyone(served):
    s = served
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() + dt.timedelta(days=2)
    session = actions.propose(
        actor=mediator_of(s),
        case=s.case,
        title="司法确认询问",
        times=[(start, start + dt.timedelta(hours=1))],
    )
    actions.invite_judge(actor=mediator_of(s), session=session, judge=s.judge)
    assert invitations_to(s.judge).count() == 0
    time_id = session.times.get().pk
    for user in (mediator_of(s), s.applicant_user, s.respondent_user):
        session = actions.answer(actor=user, session=session, time_id=time_id)
    assert session.state == State.PROPOSED  # the judge has not answered yet
    session = actions.answer(actor=s.judge, session=session, time_id=time_id)
    assert session.state == State.SCHEDULED
    assert invitations_to(s.judge).count() == 1


@pytest.mark.django_db
def test_the_invitation_page_form_and_strangers(served):
    s = served
    session = schedule(s)
    mediator = factories.client_for(mediator_of(s))
    page = mediator.get(f"/meetings/{session.pk}/").content.decode()
    assert 'id="invite-judge"' in page and f'value="{s.judge.pk}"' in page
    done = mediator.post(f"/meetings/{session.pk}/judge/", {"judge": s.judge.pk})
    assert done.status_code == 302
    assert session.participants.filter(user=s.judge, role="judge").exists()
    bad = mediator.post(f"/meetings/{session.pk}/judge/", {"judge": 999999}, follow=True)
    assert (
        "Choose a judge of the case's court." in bad.content.decode()
        or "法院" in bad.content.decode()
    )
    stranger = factories.client_for(factories.person())
    assert stranger.post(f"/meetings/{session.pk}/judge/", {"judge": s.judge.pk}).status_code == 404
    party = factories.client_for(s.applicant_user)
    party.post(f"/meetings/{session.pk}/judge/", {"judge": s.judge.pk})
    assert session.participants.filter(role="judge").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_judge_is_admitted_like_everyone_after_the_days_identity_check(media):
    s = build_case()
    session = schedule(s)
    judge = actions.invite_judge(actor=mediator_of(s), session=session, judge=s.judge)
    assert refused(session.pk, s.judge) == 4403  # no identity check today yet
    check_everyone(session, s)  # the mediator confirms every participant, the judge too
    assert judge.checks.exists()
    cookie = cookie_for(s.judge)

    async def run():
        ws = socket(session.pk, cookie)
        assert (await ws.connect())[0]
        welcome = await ws.receive_json_from()
        await ws.disconnect()
        return welcome

    assert async_to_sync(run)()["me"] == judge.pk
    assert session.attendance.filter(participant=judge, kind="joined").exists()
    assert Participant.objects.get(pk=judge.pk).role == "judge"
