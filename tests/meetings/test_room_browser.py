"""Must-show, in Debian's chromium with fake camera and microphone: a mediator and two parties
join one scheduled session; each page decodes video from each of the other two (getStats
framesDecoded > 0 per remote peer); the attendance shows three joins with their times; a party
leaving is recorded.

The platform runs as `sutiao serve` runs it: uvicorn (pages and the WebSockets) in this
process, the in-memory channel layer. Media go over loopback (no STUN server)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from sutiao.meetings.models import Attendance
from tests import factories
from tests.browser_support import BrowserThread, asgi_server
from tests.delivery.conftest import build_case, free_port

from .conftest import check_everyone, mediator_of, schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAKE_MEDIA = (
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
)

FRAMES_JS = """
async () => {
  const out = {};
  for (const [id, p] of window.__meeting.peers) {
    const stats = await p.pc.getStats();
    let frames = 0;
    stats.forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") frames += r.framesDecoded || 0;
    });
    out[id] = frames;
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def chromium():
    """This module's chromium: the fake devices and loopback ICE (../shared/STACK-NOTES.md)."""
    browser = BrowserThread(FAKE_MEDIA)
    browser.start()
    yield browser
    browser.stop()


@pytest.fixture
def platform(transactional_db, media):
    with asgi_server(free_port()) as url:
        yield url


def test_three_participants_see_each_other_and_attendance_is_kept(platform, in_browser, artifacts):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    users = [mediator_of(s), s.applicant_user, s.respondent_user]
    ids = {u.pk: session.participants.get(user=u).pk for u in users}
    cookies = {
        u.pk: factories.client_for(u).cookies[settings.SESSION_COOKIE_NAME].value for u in users
    }

    def journey(new_page):
        pages = []
        for user in users:
            page = new_page()
            page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookies[user.pk], "url": platform}]
            )
            page.goto(f"{platform}/meetings/{session.pk}/room/")
            page.wait_for_selector("#room-status[data-connected='1']", state="attached")
            pages.append((user, page))

        frames = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            frames = {user.pk: page.evaluate(FRAMES_JS) for user, page in pages}
            if all(
                len(seen) == 2 and all(n > 0 for n in seen.values()) for seen in frames.values()
            ):
                break
            time.sleep(0.5)
        for user, _page in pages:
            others = {str(ids[u.pk]) for u in users if u.pk != user.pk}
            assert set(frames[user.pk]) == others, frames
            assert all(n > 0 for n in frames[user.pk].values()), frames

        mediator_page = pages[0][1]
        mediator_page.wait_for_function(
            "document.querySelectorAll('#attendance li[data-kind=joined]').length === 3"
        )
        mediator_page.screenshot(path=str(artifacts / "meetings-room.png"), full_page=True)
        for _user, page in pages:
            assert page.errors == []

        pages[2][1].close()  # the respondent leaves
        mediator_page.wait_for_selector("#attendance li[data-kind=left]")
        mediator_page.wait_for_function("window.__meeting.peers.size === 1")

    in_browser(journey)
    joins = Attendance.objects.filter(session=session, kind="joined")
    assert sorted(joins.values_list("participant", flat=True)) == sorted(ids.values())
    assert all(a.at is not None for a in joins)
    # The respondent left first (the others leave as the journey closes their pages).
    left = Attendance.objects.filter(session=session, kind="left")
    assert left.first().participant_id == ids[s.respondent_user.pk]
