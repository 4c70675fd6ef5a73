"""Scheduling (OMR 16): the mediator proposes times, every participant answers, the invitation
is served through delivery with an ICS file; rescheduling needs a reason."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.delivery.models import Delivery
from sutiao.meetings import actions
from sutiao.meetings.models import MeetingSession, Mode, Participant, State
from tests import clock, factories
from tests.delivery.conftest import APPLICANT_MAIL, RESPONDENT_MAIL

from .conftest import mediator_of, schedule

pytestmark = pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.rule("OMR-4")
def test_omr_4_no_session_is_proposed_while_a_party_has_not_consented(db, media):
    from tests.delivery.conftest import build_case

    s = build_case(respondent_consents=False)
    with pytest.raises(Conflict) as refused:
        actions.propose(
            actor=mediator_of(s), case=s.case, title="调解", times=[(at(14, 9), at(14, 10))]
        )
    assert refused.value.details["precondition"] == "parties_consented"
    assert not MeetingSession.objects.exists()
    page = factories.client_for(mediator_of(s)).get(reverse("cases:detail", args=[s.case.pk]))
    assert reverse("meetings:propose", args=[s.case.pk]) not in page.content.decode()


def test_participants_are_the_mediator_and_the_parties(served):
    s = served
    session = actions.propose(
        actor=mediator_of(s), case=s.case, title="调解", times=[(at(14, 9), at(14, 10))]
    )
    assert sorted(session.participants.values_list("role", "user")) == sorted(
        [
            ("mediator", mediator_of(s).pk),
            ("party", s.applicant_user.pk),
            ("party", s.respondent_user.pk),
        ]
    )


def test_everyone_accepts_one_time_the_session_is_scheduled_and_the_ics_served(served):
    s = served
    session = actions.propose(
        actor=mediator_of(s),
        case=s.case,
        title="第一次调解",
        times=[(at(14, 9, 30), at(14, 11)), (at(15, 14), at(15, 15))],
    )
    first, second = session.times.all()
    actions.answer(actor=mediator_of(s), session=session, time_id=first.pk)
    actions.answer(actor=s.applicant_user, session=session, time_id=first.pk)
    # The respondent first picks another proposed time: not agreed yet, nothing served.
    session = actions.answer(actor=s.respondent_user, session=session, time_id=second.pk)
    assert session.state == State.PROPOSED
    assert not Delivery.objects.filter(case=s.case).exclude(ics="").exists()
    session = actions.answer(actor=s.respondent_user, session=session, time_id=first.pk)
    assert session.state == State.SCHEDULED
    assert (session.start, session.end) == (at(14, 9, 30), at(14, 11))

    invitations = Delivery.objects.filter(case=s.case).exclude(ics="")
    assert {d.address for d in invitations} >= {APPLICANT_MAIL, RESPONDENT_MAIL}
    cal = icalendar.Calendar.from_ical(invitations.first().ics)
    (event,) = cal.walk("VEVENT")
    start = event.decoded("DTSTART").astimezone(SHANGHAI)
    end = event.decoded("DTEND").astimezone(SHANGHAI)
    assert (start.date(), start.hour, start.minute) == (dt.date(2026, 10, 14), 9, 30)
    assert (end.hour, end.minute) == (11, 0)
    assert str(event["URL"]) == f"{settings.SITE_URL.rstrip('/')}/meetings/{session.pk}/room/"
    assert AuditEntry.objects.filter(action="meetings.scheduled").count() == 1


def test_asking_for_another_time_is_recorded_and_keeps_it_proposed(served):
    s = served
    session = schedule(s, start=at(14, 9))
    session = actions.reschedule(
        actor=mediator_of(s), session=session, times=[(at(16, 9), at(16, 10))], reason="当事人出差"
    )
    assert session.state == State.PROPOSED and session.start is None
    assert session.reschedule_reason == "当事人出差"
    assert set(session.participants.values_list("response", flat=True)) == {"pending"}
    session = actions.answer(
        actor=s.applicant_user, session=session, time_id=None, note="下周一上午"
    )
    me = session.participants.get(user=s.applicant_user)
    assert (me.response, me.note) == (Participant.Response.ANOTHER, "下周一上午")
    assert session.state == State.PROPOSED


def test_reschedule_without_a_reason_or_with_a_past_time_changes_nothing(served):
    s = served
    session = schedule(s, start=at(14, 9))
    with pytest.raises(Invalid) as no_reason:
        actions.reschedule(
            actor=mediator_of(s), session=session, times=[(at(16, 9), at(16, 10))], reason=" "
        )
    assert no_reason.value.code == "meeting.reason_missing"
    with pytest.raises(Invalid) as past:
        actions.reschedule(
            actor=mediator_of(s), session=session, times=[(at(11, 9), at(11, 10))], reason="改期"
        )
    assert past.value.code == "meeting.bad_times"
    session.refresh_from_db()
    assert session.state == State.SCHEDULED and session.start == at(14, 9)


def test_a_party_cannot_reschedule_and_a_stranger_sees_nothing(served):
    s = served
    session = schedule(s, start=at(14, 9))
    with pytest.raises(Exception) as refused:
        actions.reschedule(
            actor=s.applicant_user, session=session, times=[(at(16, 9), at(16, 10))], reason="x"
        )
    assert refused.value.status == 403
    stranger = factories.person("party")
    with pytest.raises(NotFound):
        actions.answer(actor=stranger, session=session, time_id=None)
    assert factories.client_for(stranger).get(f"/meetings/{session.pk}/").status_code == 404
    assert factories.client_for(s.applicant_user).get(f"/meetings/{session.pk}/").status_code == 200


def test_answering_a_scheduled_session_is_a_conflict(served):
    s = served
    session = schedule(s, start=at(14, 9))
    with pytest.raises(Conflict):
        actions.answer(actor=s.applicant_user, session=session, time_id=None)


@pytest.mark.rule("OMR-16")
def test_the_mode_of_each_party_is_recorded(served):
    s = served
    session = schedule(s, start=at(14, 9))
    p = session.participants.get(user=s.respondent_user)
    actions.set_mode(actor=mediator_of(s), participant=p, mode=Mode.FACILITY)
    assert Participant.objects.get(pk=p.pk).mode == "facility"
    with pytest.raises(Invalid):
        actions.set_mode(actor=mediator_of(s), participant=p, mode="by_pigeon")
    assert MeetingSession.objects.get(pk=session.pk).participants.get(pk=p.pk).mode == "facility"
    assert AuditEntry.objects.filter(action="meetings.mode_set").count() == 1


def test_the_mediator_proposes_from_the_case_page(served):
    s = served
    client = factories.client_for(mediator_of(s))
    page = client.get(f"/cases/{s.case.pk}/")
    assert f"/meetings/case/{s.case.pk}/propose/".encode() in page.content
    response = client.post(
        f"/meetings/case/{s.case.pk}/propose/",
        {"title": "首次调解", "start_1": "2026-10-14T09:00", "end_1": "2026-10-14T10:00"},
    )
    session = MeetingSession.objects.get(case=s.case)
    assert response.status_code == 302 and response["Location"] == f"/meetings/{session.pk}/"
    assert session.times.get().start == at(14, 9)
    assert timezone.localtime(session.times.get().end).hour == 10
