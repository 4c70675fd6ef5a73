"""A delegated case whose two parties consented to online mediation, and a session of it
scheduled for now (its room open): built through the real actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from sutiao.meetings import actions
from sutiao.meetings.models import MeetingSession
from tests import factories
from tests.browser_support import BrowserThread, asgi_server
from tests.delivery.conftest import Served, build_case, free_port, media  # noqa: F401  (fixture)


def mediator_of(s: Served):
    return s.case.mediator.user


def schedule(s: Served, *, start: dt.datetime | None = None, minutes: int = 60) -> MeetingSession:
    """Proposed by the mediator, accepted by all three: scheduled at `start` (default: in
    10 minutes, so that the room is open now)."""
    start = start or timezone.now() + dt.timedelta(minutes=10)
    end = start + dt.timedelta(minutes=minutes)
    session = actions.propose(
        actor=mediator_of(s), case=s.case, title="第一次调解", times=[(start, end)]
    )
    time_id = session.times.get().pk
    for user in (mediator_of(s), s.applicant_user, s.respondent_user):
        session = actions.answer(actor=user, session=session, time_id=time_id)
    return session


def check_everyone(session: MeetingSession, s: Served) -> None:
    """The day's identity check: the mediator confirms each party against the ID; the
    mediator passes it with a code to the verified phone."""
    from sutiao.delivery.models import SmsRecord

    mediator = mediator_of(s)
    for p in session.participants.exclude(user=mediator):
        actions.confirm_identity(actor=mediator, participant=p)
    actions.request_day_code(actor=mediator, session=session)
    actions.confirm_day_code(actor=mediator, session=session, code=sms_code(SmsRecord))


def sms_code(model) -> str:
    import re

    text = model.objects.order_by("-id").first().text
    return re.search(r"\d{6}", text).group(0)


def cookie_for(user) -> str:
    client = factories.client_for(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def session_cookies(users) -> list[str]:
    """Session cookie values, made before a journey (its browser thread asks no database)."""
    return [factories.client_for(u).cookies[settings.SESSION_COOKIE_NAME].value for u in users]


def enter_room(new_page, platform: str, session: MeetingSession, cookies: list[str]) -> list:
    """A page per cookie, logged in, connected to the session's room."""
    pages = []
    for value in cookies:
        page = new_page()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": platform}]
        )
        page.goto(f"{platform}/meetings/{session.pk}/room/")
        page.wait_for_selector("#room-status[data-connected='1']", state="attached")
        pages.append(page)
    return pages


FAKE_MEDIA = (
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
)


@pytest.fixture(scope="module")
def chromium():
    """The room journeys' chromium: fake devices and loopback ICE (../shared/STACK-NOTES.md).
    (tests/meetings/janus_in_netns.py has its own, inside its network namespace.)"""
    browser = BrowserThread(FAKE_MEDIA)
    browser.start()
    yield browser
    browser.stop()


@pytest.fixture
def platform(transactional_db, media):  # noqa: F811
    """The ASGI application as `sutiao serve` runs it, pages and WebSockets, on loopback."""
    with asgi_server(free_port()) as url:
        yield url


@pytest.fixture
def served(db, media):  # noqa: F811
    return build_case()
