"""The signalling WebSocket admits only a scheduled participant of that session, in its window,
checked today (OMR 17 / OLR 7); it keeps the attendance and relays signalling and chat."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from sutiao.asgi import application
from sutiao.audit.models import AuditEntry
from sutiao.cases.models import Message
from sutiao.delivery.models import SmsRecord
from sutiao.meetings import actions
from sutiao.meetings.models import Attendance, DayCheck
from tests import factories
from tests.delivery.conftest import build_case

from .conftest import check_everyone, cookie_for, mediator_of, schedule, sms_code

pytestmark = pytest.mark.django_db(transaction=True)


def socket(session_id: int, cookie: str = "") -> WebsocketCommunicator:
    """`cookie`: a logged-in user's (cookie_for, computed outside the event loop)."""
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/meetings/{session_id}/", headers=headers)


def refused(session_id: int, user) -> int:
    """The close code the server answers a connection with (it must not accept)."""
    cookie = cookie_for(user) if user is not None else ""

    async def run():
        ws = socket(session_id, cookie)
        connected, code = await ws.connect()
        await ws.disconnect()
        return None if connected else code

    return async_to_sync(run)()


@pytest.fixture
def room(media):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    return s, session


def test_participants_join_signal_chat_and_leave_with_the_times_recorded(room):
    s, session = room
    mediator = mediator_of(s)
    p_mediator = session.participants.get(user=mediator)
    p_applicant = session.participants.get(user=s.applicant_user)
    cookie_m, cookie_a = cookie_for(mediator), cookie_for(s.applicant_user)

    async def run():
        a = socket(session.pk, cookie_m)
        assert (await a.connect())[0]
        welcome = await a.receive_json_from()
        assert welcome["type"] == "welcome" and welcome["present"] == []
        assert (await a.receive_json_from())["kind"] == "joined"  # its own join
        b = socket(session.pk, cookie_a)
        assert (await b.connect())[0]
        assert (await b.receive_json_from())["present"] == [p_mediator.pk]
        joined = await a.receive_json_from()
        assert (joined["type"], joined["peer"], joined["kind"]) == (
            "attendance",
            p_applicant.pk,
            "joined",
        )
        await b.receive_json_from()
        await a.send_json_to({"type": "signal", "to": p_applicant.pk, "data": {"sdp": "x"}})
        assert await b.receive_json_from() == {
            "type": "signal",
            "from": p_mediator.pk,
            "data": {"sdp": "x"},
        }
        await b.send_json_to({"type": "chat", "body": "我方同意分期付款"})
        for ws in (a, b):
            chat = await ws.receive_json_from()
            assert (chat["type"], chat["body"]) == ("chat", "我方同意分期付款")
        await b.disconnect()
        left = await a.receive_json_from()
        assert (left["peer"], left["kind"]) == (p_applicant.pk, "left")
        await a.disconnect()

    async_to_sync(run)()
    rows = list(Attendance.objects.filter(session=session).values_list("participant", "kind"))
    assert rows == [
        (p_mediator.pk, "joined"),
        (p_applicant.pk, "joined"),
        (p_applicant.pk, "left"),
        (p_mediator.pk, "left"),
    ]
    assert all(a.at for a in Attendance.objects.all())
    assert AuditEntry.objects.filter(action="meetings.joined").count() == 2
    assert AuditEntry.objects.filter(action="meetings.left").count() == 2
    assert Message.objects.get(case=s.case).body == "我方同意分期付款"  # kept with the case


def test_a_second_join_is_a_reconnection(room):
    s, session = room
    cookie = cookie_for(s.applicant_user)

    async def run():
        for _ in range(2):
            ws = socket(session.pk, cookie)
            assert (await ws.connect())[0]
            await ws.disconnect()

    async_to_sync(run)()
    kinds = list(Attendance.objects.values_list("kind", flat=True))
    assert kinds == ["joined", "left", "reconnected", "left"]


def test_someone_not_scheduled_is_refused(room):
    s, session = room
    assert refused(session.pk, factories.person("party")) == 4404
    assert refused(session.pk, s.judge) == 4404
    assert refused(session.pk, None) == 4404  # anonymous
    assert not Attendance.objects.exists()


def test_outside_the_window_is_refused(room):
    s, session = room
    too_early = session.start - dt.timedelta(minutes=16)
    after = session.end + dt.timedelta(minutes=1)
    with time_machine.travel(too_early, tick=False):
        assert refused(session.pk, s.applicant_user) == 4403
    with time_machine.travel(session.start - dt.timedelta(minutes=14), tick=False):
        assert refused(session.pk, s.applicant_user) is None  # opens 15 minutes early
    with time_machine.travel(after, tick=False):
        assert refused(session.pk, s.applicant_user) == 4403


@pytest.mark.rule("OLR-7")
def test_without_the_days_identity_check_is_refused(media):
    s = build_case()
    session = schedule(s)
    assert refused(session.pk, s.respondent_user) == 4403
    # Yesterday's check does not count for today (OLR 7: again at each session).
    p = session.participants.get(user=s.respondent_user)
    DayCheck.objects.create(
        participant=p,
        day=timezone.localdate() - dt.timedelta(days=1),
        method="mediator",
        by=mediator_of(s),
        at=timezone.now() - dt.timedelta(days=1),
    )
    assert refused(session.pk, s.respondent_user) == 4403
    actions.confirm_identity(actor=mediator_of(s), participant=p)
    assert refused(session.pk, s.respondent_user) is None


@pytest.mark.rule("OMR-4")
def test_omr_4_nobody_joins_the_room_while_a_party_has_not_consented(room):
    s, session = room
    assert refused(session.pk, s.applicant_user) is None
    # The respondent's consent lapses (the notice no longer acknowledged): the room closes.
    s.case.parties.filter(role="respondent").update(notice_acknowledged_at=None)
    assert refused(session.pk, s.applicant_user) == 4403
    assert refused(session.pk, mediator_of(s)) == 4403


def test_a_participant_of_another_case_cannot_enter_this_room(room):
    from sutiao.institutions.models import Court

    s, session = room
    Court.objects.filter(pk=s.case.court_id).update(name="上海知识产权法院")  # names are unique
    other = build_case()
    other_session = schedule(other)
    check_everyone(other_session, other)
    assert refused(session.pk, other.applicant_user) == 4404
    assert refused(other_session.pk + 1000, s.applicant_user) == 4404  # no such session


@pytest.mark.rule("OLR-7")
def test_an_unverified_user_is_refused_and_cannot_ask_for_a_code(media):
    from django.contrib.auth import get_user_model

    from sutiao.core.errors import Forbidden

    s = build_case()
    session = schedule(s)
    get_user_model().objects.filter(pk=s.applicant_user.pk).update(identity_verified_at=None)
    s.applicant_user.refresh_from_db()
    with pytest.raises(Forbidden):
        actions.request_day_code(actor=s.applicant_user, session=session)
    p = session.participants.get(user=s.applicant_user)
    with pytest.raises(Forbidden):
        actions.confirm_identity(actor=mediator_of(s), participant=p)
    assert refused(session.pk, s.applicant_user) == 4403


def test_the_day_code_goes_to_the_verified_phone_and_a_wrong_code_changes_nothing(media):
    from sutiao.core.errors import Invalid

    s = build_case()
    session = schedule(s)
    actions.request_day_code(actor=s.applicant_user, session=session)
    sms = SmsRecord.objects.get()
    assert sms.to == s.applicant_user.phone
    with pytest.raises(Invalid):
        actions.confirm_day_code(actor=s.applicant_user, session=session, code="000000x")
    assert not DayCheck.objects.exists()
    actions.confirm_day_code(actor=s.applicant_user, session=session, code=sms_code(SmsRecord))
    assert DayCheck.objects.get().method == "code"
    assert refused(session.pk, s.applicant_user) is None


@pytest.mark.rule("OMR-18a")
def test_in_a_caucus_the_other_side_receives_no_signal_or_chat_from_it(room):
    s, session = room
    ids = {u: session.participants.get(user=u).pk for u in (s.applicant_user, s.respondent_user)}
    m = session.participants.get(role="mediator").pk
    cookies = [cookie_for(u) for u in (mediator_of(s), s.applicant_user, s.respondent_user)]

    async def run():
        socks = []
        for cookie in cookies:
            ws = socket(session.pk, cookie)
            assert (await ws.connect())[0]
            socks.append(ws)
        med, a, b = socks
        for ws in socks:  # welcome and the joins each one saw
            while await ws.receive_nothing(timeout=0.3) is False:
                await ws.receive_json_from()
        await med.send_json_to({"type": "caucus", "with": ids[s.applicant_user]})
        for ws in socks:
            assert await ws.receive_json_from() == {
                "type": "caucus",
                "with": ids[s.applicant_user],
            }
        await med.send_json_to({"type": "signal", "to": ids[s.respondent_user], "data": 1})
        await a.send_json_to({"type": "signal", "to": ids[s.respondent_user], "data": 2})
        await a.send_json_to({"type": "chat", "body": "私下说：可以让步"})
        for ws in (med, a):
            assert (await ws.receive_json_from())["body"] == "私下说：可以让步"
        assert await b.receive_nothing(timeout=0.5)  # nothing from the mediator's side
        await med.send_json_to({"type": "signal", "to": ids[s.applicant_user], "data": 3})
        assert (await a.receive_json_from())["data"] == 3  # inside the talk: relayed
        await med.send_json_to({"type": "caucus", "with": None})
        for ws in socks:
            assert (await ws.receive_json_from())["with"] is None
        await med.send_json_to({"type": "signal", "to": ids[s.respondent_user], "data": 4})
        assert (await b.receive_json_from())["data"] == 4
        await b.send_json_to({"type": "caucus", "with": ids[s.respondent_user]})
        assert (await b.receive_json_from())["type"] == "error"  # only the mediator
        for ws in socks:
            await ws.disconnect()
        return m

    async_to_sync(run)()
    private = Message.objects.get(case=s.case)
    assert private.caucus_party_id == s.applicant.pk  # kept as the private caucus message
    assert AuditEntry.objects.filter(action="meetings.caucus_started").count() == 1
    assert AuditEntry.objects.filter(action="meetings.caucus_ended").count() == 1


def test_the_mediator_ends_the_session_and_everyone_is_told(room):
    s, session = room
    cookie_m, cookie_a = cookie_for(mediator_of(s)), cookie_for(s.applicant_user)

    async def run():
        a, b = socket(session.pk, cookie_m), socket(session.pk, cookie_a)
        assert (await a.connect())[0]
        assert (await b.connect())[0]
        await b.send_json_to({"type": "end"})  # a party cannot end it
        while (await b.receive_json_from())["type"] != "error":
            pass
        await a.send_json_to({"type": "end"})
        for ws in (a, b):
            while (await ws.receive_json_from())["type"] != "ended":
                pass
            assert (await ws.receive_output())["type"] == "websocket.close"

    async_to_sync(run)()
    session.refresh_from_db()
    assert session.state == "ended"
    assert AuditEntry.objects.filter(action="meetings.ended").count() == 1
    assert refused(session.pk, s.applicant_user) == 4403  # nobody enters an ended session


def test_a_janus_that_does_not_answer_refuses_the_room_and_records_no_join(room, settings):
    s, session = room
    settings.MEETINGS_PROVIDER = "janus"
    settings.JANUS_URL = "http://127.0.0.1:9/janus"  # discard port: nothing answers
    assert refused(session.pk, s.applicant_user) == 4503
    assert not Attendance.objects.filter(session=session).exists()
