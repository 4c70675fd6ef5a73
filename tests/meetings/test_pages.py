"""The mediator's calendar, a party's "my sessions" and the device check page; the device
check's network test socket."""

from __future__ import annotations

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sutiao.asgi import application
from sutiao.meetings import actions
from tests import factories

from .conftest import cookie_for, mediator_of, schedule

pytestmark = pytest.mark.django_db


def test_the_calendar_shows_the_weeks_sessions_by_day_with_case_people_and_state(served):
    s = served
    start = timezone.localtime() + dt.timedelta(days=1)
    start = start.replace(hour=9, minute=30, second=0, microsecond=0)
    session = schedule(s, start=start)
    proposed = actions.propose(
        actor=mediator_of(s),
        case=s.case,
        title="第二次调解",
        times=[(start + dt.timedelta(days=2), start + dt.timedelta(days=2, hours=1))],
    )
    client = factories.client_for(mediator_of(s))
    page = client.get("/meetings/calendar/", {"week": start.date().isoformat()})
    html = page.content.decode()
    assert page.status_code == 200
    day = f'data-day="{start.date().isoformat()}"'
    assert day in html
    section = html[html.index(day) : html.index("</section>", html.index(day))]
    assert f'data-session="{session.pk}"' in section and "09:30–10:30" in section
    assert s.applicant.name in section and s.respondent.name in section
    assert (s.case.number or s.case.title) in section
    assert 'data-state="scheduled"' in section
    assert f'data-session="{proposed.pk}"' in html[html.index('id="proposed"') :]
    # Another week: not there; a bad week is this week, not an error.
    later = client.get("/meetings/calendar/", {"week": (start + dt.timedelta(days=7)).date()})
    assert f'data-session="{session.pk}"' not in later.content.decode()
    assert client.get("/meetings/calendar/", {"week": "x"}).status_code == 200
    # A party's calendar has none of them (it mediates nothing).
    party = factories.client_for(s.applicant_user).get(
        "/meetings/calendar/", {"week": start.date()}
    )
    assert f'data-session="{session.pk}"' not in party.content.decode()


def test_the_calendar_reads_a_fixed_number_of_queries(served):
    s = served
    client = factories.client_for(mediator_of(s))
    base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=7)
    schedule(s, start=monday)
    with CaptureQueriesContext(connection) as one:
        client.get("/meetings/calendar/", {"week": monday.date().isoformat()})
    for d in range(1, 4):
        schedule(s, start=monday + dt.timedelta(days=d))
    with CaptureQueriesContext(connection) as four:
        client.get("/meetings/calendar/", {"week": monday.date().isoformat()})
    assert len(four) == len(one)


def test_my_sessions_lists_the_coming_ones_with_the_device_check(served):
    s = served
    session = schedule(s)
    client = factories.client_for(s.applicant_user)
    html = client.get("/meetings/").content.decode()
    coming = html[html.index('id="coming"') :]
    assert f"/meetings/{session.pk}/devices/" in coming
    page = client.get(f"/meetings/{session.pk}/devices/")
    assert page.status_code == 200
    assert 'id="preview"' in page.content.decode() and 'id="level"' in page.content.decode()
    stranger = factories.client_for(factories.person())
    assert stranger.get(f"/meetings/{session.pk}/devices/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_network_check_echoes_for_a_logged_in_user_only(media):
    user = factories.person()
    cookie = cookie_for(user)

    async def run(cookie: str):
        headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        ws = WebsocketCommunicator(application, "/ws/meetings/ping/", headers=headers)
        connected, code = await ws.connect()
        if not connected:
            return code
        await ws.send_json_to({"type": "ping", "t": 12.5})
        answer = await ws.receive_json_from()
        await ws.disconnect()
        return answer

    assert async_to_sync(run)(cookie) == {"type": "pong", "t": 12.5}
    assert async_to_sync(run)("") == 4401


def test_the_home_pages_link_the_calendar_and_my_sessions_for_those_who_take_part(served):
    """The mediator's home links the calendar and "my sessions"; a party's and a judge's
    "my sessions"; a clerk (never a participant) neither; and the links open."""
    s = served
    schedule(s)

    def links(user) -> set[str]:
        html = factories.client_for(user).get("/").content.decode()
        return {u for u in ("/meetings/calendar/", "/meetings/") if f'href="{u}"' in html}

    judge = factories.person("judge", court=s.case.court)
    clerk = factories.person("court_clerk", court=s.case.court)
    assert links(mediator_of(s)) == {"/meetings/calendar/", "/meetings/"}
    assert links(s.applicant_user) == {"/meetings/"}
    assert links(judge) == {"/meetings/"}
    assert links(clerk) == set()
    mine = factories.client_for(s.applicant_user).get("/meetings/")
    assert mine.status_code == 200 and "第一次调解" in mine.content.decode()
    week = factories.client_for(mediator_of(s)).get("/meetings/calendar/")
    assert week.status_code == 200 and "第一次调解" in week.content.decode()
