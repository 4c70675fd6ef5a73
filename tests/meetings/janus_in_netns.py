"""The three-person session through Janus, run by test_janus_room.py inside a network
namespace of its own (`unshare -n`, lo and a veth end holding 127.0.0.2: Janus skips loopback
interfaces, ../shared/STACK-NOTES.md), so that every packet stays on loopback addresses.

Not collected by itself (no test_ prefix): outside the namespace Janus would send the media
over the machine's own address. Janus (its own config), the platform (uvicorn) and chromium all
run in the namespace; the platform reaches PostgreSQL over its Unix socket."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from sutiao.meetings.models import Attendance, State
from sutiao.meetings.providers.janus import Janus as JanusProvider
from tests import factories
from tests.browser_support import BrowserThread, asgi_server
from tests.delivery.conftest import build_case, free_port

from .conftest import check_everyone, mediator_of, schedule
from .janus_server import janus_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page publishes a canvas in its own colour (the fake camera looks alike on every page).
COLOURS = {"mediator": (230, 30, 30), "applicant": (30, 200, 30), "respondent": (30, 30, 230)}

CANVAS_CAMERA = """
(() => {
  const [r, g, b] = %s;
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320; canvas.height = 240;
    const ctx = canvas.getContext("2d");
    const paint = () => { ctx.fillStyle = `rgb(${r},${g},${b})`; ctx.fillRect(0, 0, 320, 240); };
    paint(); setInterval(paint, 50);
    const video = canvas.captureStream(20).getVideoTracks()[0];
    const audio = (await real({ audio: true })).getAudioTracks()[0];
    return new MediaStream([video, audio]);
  };
})();
"""

# The centre pixel of each remote participant's decoded video, by participant id.
PIXELS_JS = """
() => {
  const out = {};
  document.querySelectorAll("#videos video[data-peer]").forEach((v) => {
    if (!v.videoWidth) return;
    const c = document.createElement("canvas");
    c.width = v.videoWidth; c.height = v.videoHeight;
    const ctx = c.getContext("2d");
    ctx.drawImage(v, 0, 0);
    const d = ctx.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
    out[v.dataset.peer] = [d[0], d[1], d[2]];
  });
  return out;
}
"""

# The addresses of the ICE pairs in use on this page's Janus connections.
PAIRS_JS = """
async () => {
  const handles = [];
  window.__meeting.sfu.feeds.forEach((f) => handles.push(f.handle));
  const out = [];
  for (const h of handles) {
    const pc = h && h.webrtcStuff && h.webrtcStuff.pc;
    if (!pc) continue;
    const stats = await pc.getStats();
    stats.forEach((s) => {
      if (s.type !== "candidate-pair" || s.state !== "succeeded") return;
      out.push(stats.get(s.localCandidateId).address, stats.get(s.remoteCandidateId).address);
    });
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def janus(tmp_path_factory):
    with janus_server(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture(scope="module")
def chromium():
    browser = BrowserThread(
        ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream")
    )
    browser.start()
    yield browser
    browser.stop()


@pytest.fixture
def platform(transactional_db, media, janus, settings):
    settings.MEETINGS_PROVIDER = "janus"
    settings.JANUS_URL, settings.JANUS_WS_URL = janus.http, janus.ws
    settings.JANUS_ADMIN_KEY = janus.admin_key
    with asgi_server(free_port()) as url:
        yield url


def near(seen, colour) -> bool:
    return all(abs(a - b) < 60 for a, b in zip(seen, colour))


def test_three_participants_decode_each_others_own_stream_through_janus(
    platform, in_browser, artifacts
):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    who = {
        "mediator": mediator_of(s),
        "applicant": s.applicant_user,
        "respondent": s.respondent_user,
    }
    pid = {name: session.participants.get(user=u).pk for name, u in who.items()}
    colour_of = {str(pid[name]): COLOURS[name] for name in who}
    cookie = settings.SESSION_COOKIE_NAME

    def journey(new_page):
        pages = {}
        for name, user in who.items():
            page = new_page()
            page.add_init_script(CANVAS_CAMERA % list(COLOURS[name]))
            value = factories.client_for(user).cookies[cookie].value
            page.context.add_cookies([{"name": cookie, "value": value, "url": platform}])
            page.goto(f"{platform}/meetings/{session.pk}/room/")
            page.wait_for_selector("#room[data-media='joined']", state="attached")
            pages[name] = page
        seen = {}
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            seen = {name: page.evaluate(PIXELS_JS) for name, page in pages.items()}
            if all(
                set(got) == {str(pid[o]) for o in who if o != name}
                and all(near(rgb, colour_of[p]) for p, rgb in got.items())
                for name, got in seen.items()
            ):
                break
            time.sleep(0.5)
        for name, got in seen.items():
            assert set(got) == {str(pid[o]) for o in who if o != name}, seen
            for p, rgb in got.items():
                assert near(rgb, colour_of[p]), (name, p, rgb, seen)
        addresses = {a for page in pages.values() for a in page.evaluate(PAIRS_JS)}
        assert addresses and all(a.startswith("127.") for a in addresses), addresses
        pages["mediator"].screenshot(
            path=str(artifacts / "meetings-janus-room.png"), full_page=True
        )
        for page in pages.values():
            assert page.errors == [], page.errors
            assert page.locator("#room").get_attribute("data-media-error") is None
        pages["mediator"].click("#end")
        for page in pages.values():
            page.wait_for_selector("#room-status[data-ended='1']", state="attached")

    in_browser(journey)
    session.refresh_from_db()
    assert session.state == State.ENDED
    joins = Attendance.objects.filter(session=session, kind="joined")
    assert sorted(joins.values_list("participant", flat=True)) == sorted(pid.values())
    # Ended: the VideoRoom is gone from Janus.
    gone = JanusProvider.from_settings().videoroom({"request": "exists", "room": session.pk})
    assert gone["exists"] is False
