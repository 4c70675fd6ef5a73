"""By the clock (meetings/timing.py, run by the scheduler): the platform ends a session at its
end time after the grace, through the mediator's own steps, and reminds every participant the
day before and 30 minutes before, each once, for the session's current time only."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.utils import timezone

from sutiao import scheduler
from sutiao.audit.models import AuditEntry
from sutiao.delivery.models import Delivery
from sutiao.meetings import actions, timing
from sutiao.meetings.models import Attendance, MeetingSession, Reminder, State
from tests.delivery.conftest import build_case

from .conftest import check_everyone, cookie_for, mediator_of, schedule
from .test_room_socket import refused, socket


def job(name: str):
    """The scheduler's own job function (sutiao serve runs it every minute)."""
    return next(fn for n, _every, fn in scheduler.JOBS if n == name)


def _move_end(session: MeetingSession, ago: dt.timedelta) -> None:
    """The session's end was `ago` (its sockets, admitted earlier, are still open)."""
    end = timezone.now() - ago
    MeetingSession.objects.filter(pk=session.pk).update(start=end - dt.timedelta(hours=1), end=end)


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_ends_a_session_after_its_end_time_and_the_grace_never_before(
    media, settings
):
    settings.MEETINGS_END_GRACE_MINUTES = 10
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    cookie_m, cookie_a = cookie_for(mediator_of(s)), cookie_for(s.applicant_user)
    end_job = database_sync_to_async(job("meetings.end"))
    seen: dict[str, list[str]] = {}

    async def drain(ws, until=None) -> list[str]:
        kinds = []
        while not await ws.receive_nothing(timeout=0.3):
            out = await ws.receive_output()
            closed = out["type"] == "websocket.close"
            kinds.append("close" if closed else json.loads(out["text"])["type"])
            if kinds[-1] == until:
                break
        return kinds

    async def run():
        a, b = socket(session.pk, cookie_m), socket(session.pk, cookie_a)
        assert (await a.connect())[0] and (await b.connect())[0]
        await drain(a), await drain(b)
        await database_sync_to_async(_move_end)(session, dt.timedelta(minutes=9, seconds=50))
        await end_job()  # within the grace: nothing
        seen["within"] = await drain(a) + await drain(b)
        await database_sync_to_async(_move_end)(session, dt.timedelta(minutes=10, seconds=5))
        await end_job()
        seen["after"] = await drain(a) + await drain(b)
        await a.disconnect(), await b.disconnect()

    async_to_sync(run)()
    assert seen["within"] == []
    assert seen["after"].count("ended") == 2 and seen["after"].count("close") == 2
    session.refresh_from_db()
    assert session.state == State.ENDED
    ended = AuditEntry.objects.get(action="meetings.ended")
    assert ended.actor is None and ended.actor_label == "system"
    # Attendance closed: each joined once and left once (the socket's own close adds nothing).
    rows = list(session.attendance.values_list("participant__user", "kind"))
    assert sorted(rows) == sorted(
        [(u.pk, k) for u in (mediator_of(s), s.applicant_user) for k in ("joined", "left")]
    )
    assert AuditEntry.objects.filter(action="meetings.left").count() == 2
    assert timing.end_overdue() == []  # ran again: nothing more
    assert refused(session.pk, s.applicant_user) == 4403


@pytest.mark.django_db
def test_the_end_job_closes_the_attendance_of_pages_long_gone_and_skips_other_sessions(media):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    later = schedule(s, start=timezone.now() + dt.timedelta(hours=3))
    p = session.participants.get(user=s.applicant_user)
    actions.record_attendance(participant=p, kind=Attendance.Kind.JOINED)
    now = session.end + timing.grace()
    assert timing.end_overdue(now=now - dt.timedelta(seconds=1)) == []
    assert timing.end_overdue(now=now) == [session.pk]
    assert list(session.attendance.values_list("kind", flat=True)) == ["joined", "left"]
    later.refresh_from_db()
    assert later.state == State.SCHEDULED


def _reminders(users) -> dict[int, int]:
    """SMS reminders per user (by the zh-hans text)."""
    rows = Delivery.objects.filter(channel="sms", body__contains="提醒：在线调解")
    return {u.pk: rows.filter(user=u).count() for u in users}


@pytest.mark.django_db
def test_every_participant_is_reminded_the_day_before_and_30_minutes_before_once_each(media):
    s = build_case()
    start = timezone.now() + dt.timedelta(days=3)
    session = schedule(s, start=start)
    users = [mediator_of(s), s.applicant_user, s.respondent_user]
    assert timing.send_reminders(now=start - dt.timedelta(hours=25)) == []
    for _ in range(3):  # the job runs every minute: sent once
        timing.send_reminders(now=start - dt.timedelta(hours=23))
    assert _reminders(users) == {u.pk: 1 for u in users}
    inbox = Delivery.objects.filter(channel="inbox", subject__startswith="调解会议提醒")
    assert inbox.count() == 3
    assert timing.send_reminders(now=start - dt.timedelta(minutes=31)) == []
    assert timing.send_reminders(now=start - dt.timedelta(minutes=29)) == [(session.pk, "soon")]
    assert timing.send_reminders(now=start - dt.timedelta(minutes=1)) == []
    assert _reminders(users) == {u.pk: 2 for u in users}
    assert timing.send_reminders(now=start + dt.timedelta(minutes=1)) == []
    assert Reminder.objects.filter(session=session).count() == 2


@pytest.mark.django_db
def test_a_rescheduled_session_is_reminded_for_its_new_time_only(media):
    s = build_case()
    old = timezone.now() + dt.timedelta(days=2)
    session = schedule(s, start=old)
    users = [mediator_of(s), s.applicant_user, s.respondent_user]
    timing.send_reminders(now=old - dt.timedelta(hours=20))  # the day's reminder, old time
    new = old + dt.timedelta(days=2)
    session = actions.reschedule(
        actor=mediator_of(s),
        session=session,
        times=[(new, new + dt.timedelta(hours=1))],
        reason="申请人出差",
    )
    # Not agreed yet, and at the old time: nothing.
    assert timing.send_reminders(now=old - dt.timedelta(minutes=20)) == []
    time_id = session.times.get(withdrawn=False).pk
    for user in users:
        session = actions.answer(actor=user, session=session, time_id=time_id)
    assert timing.send_reminders(now=old - dt.timedelta(minutes=20)) == []  # the old time
    assert timing.send_reminders(now=new - dt.timedelta(hours=23)) == [(session.pk, "day")]
    assert timing.send_reminders(now=new - dt.timedelta(minutes=10)) == [(session.pk, "soon")]
    assert _reminders(users) == {u.pk: 3 for u in users}


@pytest.mark.django_db
def test_the_scheduler_job_reminds_a_session_starting_soon(media):
    s = build_case()
    schedule(s, start=timezone.now() + dt.timedelta(minutes=20))
    job("meetings.reminders")()
    job("meetings.reminders")()
    users = [mediator_of(s), s.applicant_user, s.respondent_user]
    assert _reminders(users) == {u.pk: 1 for u in users}  # the 30 minutes', not the day's
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["soon"]
