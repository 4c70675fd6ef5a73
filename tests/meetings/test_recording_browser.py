"""Must-show, in Debian's chromium with fake camera and microphone: the mediator's start of
recording is refused while a participant present has not consented; with everyone's consent
the room shows that it is recorded; the party's withdrawal stops it, and the mediator's page
uploads a WebM that ffprobe finds a video stream and a duration in, stored in the case file
with its SHA-256 in the audit trail."""

from __future__ import annotations

import time

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import CaseFile
from sutiao.meetings.models import Recording
from tests.delivery.conftest import build_case

from .conftest import check_everyone, enter_room, mediator_of, schedule, session_cookies
from .test_recording import probe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recording_needs_consent_and_a_withdrawal_stops_it_and_stores_a_playable_webm(
    platform, in_browser, artifacts
):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    cookies = session_cookies([mediator_of(s), s.applicant_user])

    def journey(new_page):
        pages = enter_room(new_page, platform, session, cookies)
        mediator, party = pages
        mediator.wait_for_function("() => window.__meeting.peers.size === 1")

        mediator.click("#record")  # nobody has consented: refused, with the reason
        mediator.wait_for_selector("#recording-error:not([hidden])")
        assert mediator.get_attribute("#room", "data-recording") != "1"
        assert party.is_hidden("#recording-notice")

        for page in pages:
            page.click("#consent")
            page.wait_for_selector("#consent[aria-pressed='true']")
        mediator.click("#record")
        for page in pages:
            page.wait_for_selector("#room[data-recording='1']")
        assert party.is_visible("#recording-notice")
        mediator.wait_for_timeout(3000)
        mediator.screenshot(path=str(artifacts / "meetings-recording.png"), full_page=True)

        party.click("#consent")  # the party withdraws: the recording stops everywhere
        for page in pages:
            page.wait_for_selector("#room[data-recording='0']", state="attached")
        mediator.wait_for_function("() => window.__recording.uploads.length === 1", timeout=60000)
        uploads = mediator.evaluate("window.__recording.uploads")
        assert uploads[0]["status"] == 201, uploads
        for page in pages:
            assert page.errors == []
        return uploads[0]["body"]

    body = in_browser(journey)
    f = CaseFile.objects.get(case=s.case, content_type="video/webm")
    assert body["sha256"] == f.sha256
    with f.file.open("rb") as fh:
        info = probe(fh.read())
    assert any(st["codec_type"] == "video" for st in info["streams"])
    assert float(info["format"]["duration"]) > 1
    assert AuditEntry.objects.get(action="meetings.recording_stored").changes["sha256"] == f.sha256
    stopped = AuditEntry.objects.get(action="meetings.recording_stopped")
    assert stopped.changes["reason"] == "withdrawn"


def test_chunks_arrive_while_recording_and_a_page_gone_midway_leaves_a_playable_webm(
    platform, in_browser
):
    """The mediator's page uploads a chunk every 5 s while the room records; then the page
    disappears (its tab closed mid-recording): the recording stops, and what was uploaded is
    assembled into a WebM that plays."""
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    cookies = session_cookies([mediator_of(s), s.applicant_user])

    def journey(new_page):
        mediator, party = enter_room(new_page, platform, session, cookies)
        mediator.wait_for_function("() => window.__meeting.peers.size === 1")
        for page in (mediator, party):
            page.click("#consent")
            page.wait_for_selector("#consent[aria-pressed='true']")
        mediator.click("#record")
        party.wait_for_selector("#room[data-recording='1']", state="attached")
        mediator.wait_for_function(
            "() => window.__recording.chunks.filter((c) => c.status === 201).length >= 2",
            timeout=60000,
        )
        assert mediator.get_attribute("#room", "data-recording") == "1"  # still on
        assert mediator.evaluate("window.__recording.uploads") == []  # nothing assembled yet
        mediator.close()  # the tab is gone mid-recording: no stop, no last chunk
        party.wait_for_selector("#room[data-recording='0']", state="attached", timeout=60000)
        assert party.errors == []

    in_browser(journey)
    deadline = time.monotonic() + 60
    rec = Recording.objects.get(session=session)
    while rec.state not in (Recording.State.STORED, Recording.State.FAILED):
        assert time.monotonic() < deadline, rec.state
        time.sleep(0.5)
        rec.refresh_from_db()
    assert rec.state == Recording.State.STORED
    assert rec.stop_reason == "recorder_left"
    assert rec.chunks >= 2 and rec.last_chunk_at < rec.stopped_at  # they came during it
    with rec.file.file.open("rb") as fh:
        info = probe(fh.read())
    assert any(st["codec_type"] == "video" for st in info["streams"])
    assert float(info["format"]["duration"]) >= 8  # two 5 s chunks at least
    stored = AuditEntry.objects.get(action="meetings.recording_stored")
    assert stored.changes["sha256"] == rec.file.sha256
