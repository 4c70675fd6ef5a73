"""Must-show, in Debian's chromium with fake camera and microphone: a mediator and two parties
join one scheduled session; each page decodes video from each of the other two (getStats
framesDecoded > 0 per remote peer); the attendance shows three joins with their times; a party
leaving is recorded.

The platform runs as `sutiao serve` runs it: uvicorn (pages and the WebSockets) in this
process, the in-memory channel layer. Media go over loopback (no STUN server)."""

from __future__ import annotations

import time

import pytest

from sutiao.meetings.models import Attendance
from tests.delivery.conftest import build_case

from .conftest import check_everyone, enter_room, mediator_of, schedule, session_cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAMES_JS = """
async () => {
  const out = {};
  for (const [id, p] of window.__meeting.peers) {
    const stats = await p.pc.getStats();
    let frames = 0;
    stats.forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") frames += r.framesDecoded || 0;
    });
    // the states say why, when a peer shows no frames
    out[id] = frames || [p.pc.connectionState, p.pc.iceConnectionState, p.pc.signalingState].join("/");
  }
  return out;
}
"""


def test_three_participants_see_each_other_and_attendance_is_kept(platform, in_browser, artifacts):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    users = [mediator_of(s), s.applicant_user, s.respondent_user]
    ids = {u.pk: session.participants.get(user=u).pk for u in users}
    cookies = session_cookies(users)

    def journey(new_page):
        pages = list(zip(users, enter_room(new_page, platform, session, cookies), strict=True))

        frames = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            frames = {user.pk: page.evaluate(FRAMES_JS) for user, page in pages}
            if all(
                len(seen) == 2 and all(isinstance(n, int) for n in seen.values())
                for seen in frames.values()
            ):
                break
            time.sleep(0.5)
        for user, _page in pages:
            others = {str(ids[u.pk]) for u in users if u.pk != user.pk}
            assert set(frames[user.pk]) == others, frames
            assert all(isinstance(n, int) for n in frames[user.pk].values()), frames

        mediator_page = pages[0][1]
        mediator_page.wait_for_function(
            "() => document.querySelectorAll('#attendance li[data-kind=joined]').length === 3"
        )
        mediator_page.screenshot(path=str(artifacts / "meetings-room.png"), full_page=True)
        for _user, page in pages:
            assert page.errors == []

        pages[2][1].close()  # the respondent leaves
        mediator_page.wait_for_selector("#attendance li[data-kind=left]")
        mediator_page.wait_for_function("() => window.__meeting.peers.size === 1")

    in_browser(journey)
    joins = Attendance.objects.filter(session=session, kind="joined")
    assert sorted(joins.values_list("participant", flat=True)) == sorted(ids.values())
    assert all(a.at is not None for a in joins)
    # The respondent left first (the others leave as the journey closes their pages).
    left = Attendance.objects.filter(session=session, kind="left")
    assert left.first().participant_id == ids[s.respondent_user.pk]
