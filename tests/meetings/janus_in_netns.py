"""The three-person session through Janus, run by test_janus_room.py inside a network
namespace of its own (`unshare -n`, lo and a veth end holding 127.0.0.2: Janus skips loopback
interfaces, ../shared/STACK-NOTES.md), so that every packet stays on loopback addresses.

Not collected by itself (no test_ prefix): outside the namespace Janus would send the media
over the machine's own address. Janus (its own config), the platform (uvicorn) and chromium all
run in the namespace; the platform reaches PostgreSQL over its Unix socket."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.conf import settings

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import CaseFile
from sutiao.meetings.models import Attendance, Recording, State
from sutiao.meetings.providers.janus import Janus as JanusProvider
from sutiao.meetings.providers.janus import rec_dir, session_rec_dir
from tests import factories
from tests.browser_support import BrowserThread, asgi_server
from tests.delivery.conftest import build_case, free_port

from .conftest import check_everyone, mediator_of, schedule
from .janus_server import janus_server
from .test_recording import probe

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
    settings.JANUS_REC_DIR = str(janus.rec_dir)  # Janus writes, the platform reads: one path
    with asgi_server(free_port()) as url:
        yield url


def near(seen, colour) -> bool:
    return all(abs(a - b) < 60 for a, b in zip(seen, colour))


def open_pages(new_page, platform, session, cookies: dict[str, str]) -> dict:
    """A page per participant (by name: its colour), logged in, joined to the Janus room."""
    pages = {}
    for name, value in cookies.items():
        page = new_page()
        page.add_init_script(CANVAS_CAMERA % list(COLOURS[name]))
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": platform}]
        )
        page.goto(f"{platform}/meetings/{session.pk}/room/")
        page.wait_for_selector("#room[data-media='joined']", state="attached")
        pages[name] = page
    return pages


def decoding(pages: dict, pid: dict, wait: float = 90) -> dict:
    """Each page's decoded centre pixels of the others, once every page shows every other in
    its colour (or after `wait` s: the caller asserts)."""
    colour_of = {str(pid[name]): COLOURS[name] for name in pages}
    seen: dict = {}
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        seen = {name: page.evaluate(PIXELS_JS) for name, page in pages.items()}
        if all(
            set(got) == {str(pid[o]) for o in pages if o != name}
            and all(near(rgb, colour_of[p]) for p, rgb in got.items())
            for name, got in seen.items()
        ):
            break
        time.sleep(0.5)
    return seen


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

    cookies = {name: factories.client_for(u).cookies[cookie].value for name, u in who.items()}

    def journey(new_page):
        pages = open_pages(new_page, platform, session, cookies)
        seen = decoding(pages, pid)
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


def _people(s, names):
    users = {
        "mediator": mediator_of(s),
        "applicant": s.applicant_user,
        "respondent": s.respondent_user,
    }
    cookie = settings.SESSION_COOKIE_NAME
    return {n: factories.client_for(users[n]).cookies[cookie].value for n in names}


def _stored(session) -> Recording:
    """The session's one recording, once Janus's files are converted and stored (or failed)."""
    deadline = time.monotonic() + 90
    rec = Recording.objects.get(session=session)
    while rec.state not in (Recording.State.STORED, Recording.State.FAILED):
        assert time.monotonic() < deadline, rec.state
        time.sleep(0.5)
        rec.refresh_from_db()
    return rec


def test_janus_records_a_consented_session_into_one_playable_webm_in_the_case_file(
    platform, in_browser
):
    """Everyone consents, the mediator starts and stops: Janus records each publisher (no page
    uploads anything), and the platform stores one WebM with a video track per participant."""
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    cookies = _people(s, ["mediator", "applicant", "respondent"])
    pid = {
        n: session.participants.get(user=u).pk
        for n, u in (
            ("mediator", mediator_of(s)),
            ("applicant", s.applicant_user),
            ("respondent", s.respondent_user),
        )
    }

    def journey(new_page):
        pages = open_pages(new_page, platform, session, cookies)
        seen = decoding(pages, pid)
        assert all(len(got) == 2 for got in seen.values()), seen  # the media flow first
        for page in pages.values():
            page.click("#consent")
            page.wait_for_selector("#consent[aria-pressed='true']")
        mediator = pages["mediator"]
        mediator.click("#record")
        for page in pages.values():
            page.wait_for_selector("#room[data-recording='1']", state="attached")
        mediator.wait_for_timeout(5000)
        mediator.click("#record")
        for page in pages.values():
            page.wait_for_selector("#room[data-recording='0']", state="attached")
            assert page.errors == [], page.errors
        return mediator.evaluate("[window.__recording.chunks, window.__recording.uploads]")

    chunks_sent, uploads = in_browser(journey)
    assert chunks_sent == [] and uploads == []  # the page recorded nothing: Janus did
    rec = _stored(session)
    assert rec.state == Recording.State.STORED, rec.state
    assert rec.source == "janus" and rec.chunks == 0 and rec.stop_reason == "mediator"
    f = CaseFile.objects.get(case=s.case, content_type="video/webm")
    assert rec.file == f
    with f.file.open("rb") as fh:
        data = fh.read()
    assert hashlib.sha256(data).hexdigest() == f.sha256
    info = probe(data)
    videos = [st for st in info["streams"] if st["codec_type"] == "video"]
    assert len(videos) == 3, info["streams"]  # one per publisher
    assert any(st["codec_type"] == "audio" for st in info["streams"])
    assert float(info["format"]["duration"]) > 1, info["format"]
    print(  # the figures, for the record of the run
        "janus recording:",
        info["format"]["duration"],
        "s,",
        [(st["codec_type"], st.get("start_time"), st.get("tags", {})) for st in info["streams"]],
    )
    stored = AuditEntry.objects.get(action="meetings.recording_stored")
    assert stored.changes["sha256"] == f.sha256 and stored.changes["source"] == "janus"
    tracks = stored.changes["tracks"]  # one per publisher, its video and audio together
    assert sorted(t["participant"] for t in tracks) == sorted(str(p) for p in pid.values())
    assert all(t["video"] for t in tracks), tracks
    assert not rec_dir(rec).exists()  # the .mjr files are gone once stored


def test_janus_recording_is_refused_without_consent_and_a_withdrawal_stops_it(platform, in_browser):
    """The party has not consented: the start is refused and Janus writes nothing; once they
    consent it records, and their withdrawal stops Janus at once."""
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    cookies = _people(s, ["mediator", "applicant"])
    folder = session_rec_dir(session.pk)

    def journey(new_page):
        pages = open_pages(new_page, platform, session, cookies)
        mediator, party = pages["mediator"], pages["applicant"]
        mediator.click("#consent")
        mediator.wait_for_selector("#consent[aria-pressed='true']")
        mediator.click("#record")  # the party has not consented: refused
        mediator.wait_for_selector("#recording-error:not([hidden])")
        refused = mediator.text_content("#recording-error")
        mediator.wait_for_timeout(2000)
        written_when_refused = sorted(p.name for p in folder.rglob("*.mjr"))
        assert mediator.get_attribute("#room", "data-recording") != "1"

        party.click("#consent")
        party.wait_for_selector("#consent[aria-pressed='true']")
        mediator.click("#record")
        party.wait_for_selector("#room[data-recording='1']", state="attached")
        deadline = time.monotonic() + 30
        while not any(p.stat().st_size > 1000 for p in folder.rglob("*.mjr")):
            assert time.monotonic() < deadline, "Janus wrote nothing"
            time.sleep(0.5)
        party.click("#consent")  # withdrawn: the recording stops everywhere
        for page in pages.values():
            page.wait_for_selector("#room[data-recording='0']", state="attached")
        return refused, written_when_refused

    refused, written_when_refused = in_browser(journey)
    assert refused  # the reason is shown to the mediator
    assert written_when_refused == []  # Janus recorded nothing while a consent was missing
    rec = _stored(session)  # only the consented one exists
    assert rec.stop_reason == "withdrawn" and rec.source == "janus"
    assert rec.state == Recording.State.STORED, rec.state
    assert Recording.objects.filter(session=session).count() == 1
    assert AuditEntry.objects.filter(action="meetings.recording_started").count() == 1


# This page's Janus subscriptions: the participants whose video it decodes, and how much.
FRAMES_JS = """
async () => {
  const out = {};
  for (const [who, f] of window.__meeting.sfu.feeds) {
    const pc = f.handle && f.handle.webrtcStuff && f.handle.webrtcStuff.pc;
    if (!pc) continue;
    (await pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video") out[who] = s.framesDecoded || 0;
    });
  }
  return out;
}
"""

# What Janus answers a page that asks for a feed itself (not through janus-room.js).
PROBE_JS = """
([server, body]) => new Promise((resolve) => {
  const done = (answer) => { resolve(answer); if (j) j.destroy(); };
  let j = null;
  j = new Janus({
    server: server,
    success: () => j.attach({
      plugin: "janus.plugin.videoroom",
      success: (h) => h.send({ message: body }),
      onmessage: (msg, jsep) => done({ error_code: msg.error_code || null, offer: !!jsep,
                                       videoroom: msg.videoroom || null }),
      error: (e) => done({ error: String(e) }),
    }),
    error: (e) => done({ error: String(e) }),
  });
  setTimeout(() => done({ error: "no answer" }), 10000);
})
"""


def _feed_of(room: int, participant: int) -> int:
    """The Janus id of a participant's publisher in `room` (its display is their id)."""
    listed = JanusProvider.from_settings().videoroom({"request": "listparticipants", "room": room})
    return next(
        int(p["id"]) for p in listed["participants"] if p.get("display") == str(participant)
    )


def test_a_caucus_on_janus_parts_the_sides_and_brings_them_back(platform, in_browser):
    """The mediator talks with the applicant alone: the respondent's page decodes nothing of
    theirs any more (its subscriptions ended: Janus destroyed the room they were in) nor gets
    their chat, while the two decode each other in the talk's room; a page of the respondent
    that asks Janus for the applicant's feed itself is refused. Together again: all decode all."""
    from sutiao.meetings.providers.janus import caucus_room

    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    cookies = _people(s, ["mediator", "applicant", "respondent"])
    users = {
        "mediator": mediator_of(s),
        "applicant": s.applicant_user,
        "respondent": s.respondent_user,
    }
    parts = {n: session.participants.get(user=u) for n, u in users.items()}
    pid = {n: p.pk for n, p in parts.items()}
    talk = caucus_room(session.pk)
    janus = JanusProvider.from_settings()
    b_token = janus.token(session, parts["respondent"])

    def journey(new_page):
        pages = open_pages(new_page, platform, session, cookies)
        seen = decoding(pages, pid)
        assert all(len(got) == 2 for got in seen.values()), seen
        b = pages["respondent"]
        b.evaluate(
            "() => { window.__before = []; document.querySelectorAll('#videos video[data-peer]')"
            ".forEach((v) => v.srcObject.getTracks().forEach((t) => window.__before.push(t))); }"
        )
        pages["mediator"].click(f"button.caucus[data-with='{pid['applicant']}']")
        b.wait_for_selector("#caucus-notice:not([hidden])")
        for name in ("mediator", "applicant"):
            pages[name].wait_for_selector(f"#room[data-media-room='{talk}']", state="attached")
        inside = {n: pages[n] for n in ("mediator", "applicant")}
        seen_inside = decoding(inside, pid)
        # The respondent's page, for 5 s while the two talk: nothing of theirs.
        frames_b = []
        for _ in range(10):
            frames_b.append(b.evaluate(FRAMES_JS))
            assert b.evaluate(PIXELS_JS) == {}, b.evaluate(PIXELS_JS)
            b.wait_for_timeout(500)
        ended = b.evaluate("() => window.__before.map((t) => t.readyState)")
        pages["mediator"].fill("#chat-body", "caucus-only")
        pages["mediator"].press("#chat-body", "Enter")
        pages["applicant"].wait_for_selector("#chat li:has-text('caucus-only')")
        b.wait_for_timeout(2000)
        b_chat = b.text_content("#chat")
        # The respondent's page asks Janus itself for the applicant's feed, with its own token.
        feed = _feed_of(talk, pid["applicant"])
        sub = {"request": "join", "ptype": "subscriber", "streams": [{"feed": feed}]}
        probes = {
            "talk room, own token": {**sub, "room": talk, "token": b_token},
            "talk room, made-up private id": {
                **sub,
                "room": talk,
                "token": b_token,
                "private_id": 12345,
            },
            "main room": {**sub, "room": session.pk, "token": b_token},
            "talk room as publisher": {
                "request": "join",
                "ptype": "publisher",
                "room": talk,
                "token": b_token,
                "display": str(pid["respondent"]),
            },
        }
        answers = {k: b.evaluate(PROBE_JS, [janus.ws_url, body]) for k, body in probes.items()}
        pages["mediator"].click("#caucus-end")
        b.wait_for_selector("#caucus-notice", state="hidden")
        seen_after = decoding(pages, pid)
        for page in pages.values():
            assert page.errors == [], page.errors
        return seen_inside, frames_b, ended, b_chat, answers, seen_after

    seen_inside, frames_b, ended, b_chat, answers, seen_after = in_browser(journey)
    for name, got in seen_inside.items():  # the two decode each other's own colour
        other = "applicant" if name == "mediator" else "mediator"
        assert set(got) == {str(pid[other])}, seen_inside
        assert near(got[str(pid[other])], COLOURS[other]), seen_inside
    apart = {pid["mediator"], pid["applicant"]}
    assert all(not (set(map(int, f)) & apart) for f in frames_b), frames_b
    assert ended and all(state == "ended" for state in ended), ended
    assert "caucus-only" not in (b_chat or "")
    print("caucus probes of the other side's page:", answers)
    assert answers["talk room, own token"]["error_code"] == 433, answers
    assert answers["talk room, made-up private id"]["error_code"] == 433, answers
    assert answers["main room"]["error_code"] == 428, answers  # not published there
    assert answers["talk room as publisher"]["error_code"] == 433, answers
    assert not any(a.get("offer") for a in answers.values()), answers
    for name, got in seen_after.items():
        assert set(got) == {str(pid[o]) for o in pid if o != name}, seen_after
        assert all(near(rgb, COLOURS[n]) for n in pid for p, rgb in got.items() if p == str(pid[n]))
