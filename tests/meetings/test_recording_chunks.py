"""A recording uploaded in chunks as it is made: only to a recording the server started, only
by its mediator, in order; refused once it has stopped, in the user's language; appended,
sealed, to a spool on disk; assembled at the stop, or when the recorder's page is gone, into
one playable WebM in the case file with its SHA-256 in the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import CaseFile
from sutiao.meetings import chunks, recording
from sutiao.meetings.errors import MeetingError
from sutiao.meetings.models import Recording
from tests import factories

from .conftest import check_everyone, mediator_of, schedule
from .test_recording import consent, join, probe, streamed_webm


@pytest.fixture
def room(served):
    session = schedule(served)
    check_everyone(session, served)
    return served, session


def split(data: bytes, parts: int) -> list[bytes]:
    """MediaRecorder's timeslices cut the stream anywhere; so do we."""
    size = -(-len(data) // parts)
    return [data[i : i + size] for i in range(0, len(data), size)]


def started(s, session) -> Recording:
    mediator = mediator_of(s)
    join(session, mediator)
    consent(session, mediator)
    recording.start(actor=mediator, session=session)
    return Recording.objects.get(session=session, state=Recording.State.ON)


def post_chunk(user, session, rec, seq, data, **headers):
    upload = SimpleUploadedFile(f"c{seq}.webm", data, content_type="video/webm")
    url = f"/meetings/{session.pk}/recording/{rec.pk}/chunk/"
    return factories.client_for(user).post(url, {"seq": seq, "chunk": upload}, **headers)


def test_chunks_are_appended_sealed_in_order_and_the_stop_assembles_one_playable_webm(room):
    s, session = room
    mediator = mediator_of(s)
    rec = started(s, session)
    raw = streamed_webm(4)
    parts = split(raw, 4)
    for seq, part in enumerate(parts[:3]):
        r = post_chunk(mediator, session, rec, seq, part)
        assert r.status_code == 201, r.content
        assert r.json()["chunks"] == seq + 1
    spool = chunks.spool_path(rec).read_bytes()
    assert parts[0][:64] not in spool  # sealed at rest, as every stored file
    recording.stop(actor=mediator, session=session)
    assert post_chunk(mediator, session, rec, 3, parts[3]).status_code == 201  # the last one
    done = factories.client_for(mediator).post(f"/meetings/{session.pk}/recording/{rec.pk}/finish/")
    assert done.status_code == 201, done.content
    f = CaseFile.objects.get(case=s.case, content_type="video/webm")
    with f.file.open("rb") as fh:
        stored = fh.read()
    info = probe(stored)
    assert any(st["codec_type"] == "video" for st in info["streams"])
    assert float(info["format"]["duration"]) > 3  # all four chunks, not the first only
    assert hashlib.sha256(stored).hexdigest() == f.sha256 == done.json()["sha256"]
    entry = AuditEntry.objects.get(action="meetings.recording_stored")
    assert entry.changes["sha256"] == f.sha256 and entry.changes["chunks"] == 4
    rec.refresh_from_db()
    assert rec.state == Recording.State.STORED and rec.file == f
    assert not chunks.spool_path(rec).exists()
    again = factories.client_for(mediator).post(
        f"/meetings/{session.pk}/recording/{rec.pk}/finish/"
    )
    assert again.status_code == 201 and CaseFile.objects.filter(case=s.case).count() == 1


def test_a_chunk_out_of_order_is_refused_with_the_one_expected_and_changes_nothing(room):
    s, session = room
    mediator = mediator_of(s)
    rec = started(s, session)
    parts = split(streamed_webm(2), 3)
    assert post_chunk(mediator, session, rec, 0, parts[0]).status_code == 201
    for seq in (0, 2):  # a repeat, a gap
        r = post_chunk(mediator, session, rec, seq, parts[1], HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 409
        err = r.json()["error"]
        assert err["code"] == MeetingError.CHUNK_OUT_OF_ORDER and err["details"]["expected"] == 1
        assert "out of order" in err["message"]
    rec.refresh_from_db()
    assert rec.chunks == 1 and rec.size == len(parts[0])
    bad = post_chunk(mediator, session, rec, "x", parts[1])
    assert bad.status_code == 422  # no sequence number


def test_the_first_chunk_must_be_a_webm(room):
    s, session = room
    rec = started(s, session)
    r = post_chunk(mediator_of(s), session, rec, 0, b"%PDF-1.7 not a video")
    assert r.status_code == 422 and r.json()["error"]["code"] == MeetingError.BAD_RECORDING
    rec.refresh_from_db()
    assert rec.chunks == 0 and not chunks.spool_path(rec).exists()


def test_a_stopped_recording_takes_no_chunks_after_its_last_one_in_the_users_language(room):
    s, session = room
    mediator = mediator_of(s)
    rec = started(s, session)
    parts = split(streamed_webm(2), 3)
    assert post_chunk(mediator, session, rec, 0, parts[0]).status_code == 201
    recording.stop(actor=mediator, session=session)
    later = timezone.now() + chunks.GRACE + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        zh = post_chunk(mediator, session, rec, 1, parts[1], HTTP_ACCEPT_LANGUAGE="zh-hans")
        en = post_chunk(mediator, session, rec, 1, parts[1], HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 409
    assert zh.json()["error"]["code"] == MeetingError.RECORDING_STOPPED
    assert "录制已停止" in zh.json()["error"]["message"], zh.json()
    assert "stopped" in en.json()["error"]["message"]
    rec.refresh_from_db()
    assert rec.chunks == 1


def test_nobody_but_the_recording_mediator_sends_chunks_and_ids_are_not_guessable(room):
    s, session = room
    mediator = mediator_of(s)
    rec = started(s, session)
    part = split(streamed_webm(1), 2)[0]
    assert post_chunk(factories.person("party"), session, rec, 0, part).status_code == 404
    assert post_chunk(s.judge, session, rec, 0, part).status_code == 404
    assert post_chunk(s.applicant_user, session, rec, 0, part).status_code == 403
    other = factories.client_for(mediator).post(
        f"/meetings/{session.pk}/recording/{rec.pk + 1000}/chunk/",
        {"seq": 0, "chunk": SimpleUploadedFile("c.webm", part)},
    )
    assert other.status_code == 404  # no such recording of this session
    # A recording another mediator of the session started (the case changed hands).
    Recording.objects.filter(pk=rec.pk).update(by=factories.person("mediator"))
    r = post_chunk(mediator, session, rec, 0, part, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403 and r.json()["error"]["code"] == MeetingError.NOT_YOUR_RECORDING
    rec.refresh_from_db()
    assert rec.chunks == 0


def test_a_page_gone_mid_recording_still_yields_a_playable_webm_of_what_was_uploaded(room):
    s, session = room
    mediator = mediator_of(s)
    rec = started(s, session)
    parts = split(streamed_webm(6), 6)
    for seq, part in enumerate(parts[:3]):  # the browser dies after three chunks
        assert post_chunk(mediator, session, rec, seq, part).status_code == 201
    waits = chunks.left_behind(mediator.pk, session.pk)
    assert waits == [(rec.pk, 0.0)]  # running: nothing more will come, assemble now
    chunks.assemble(rec.pk, reason="recorder_left")
    rec.refresh_from_db()
    assert rec.state == Recording.State.STORED
    session.refresh_from_db()
    assert session.recording_since is None  # the recording stopped with its page
    stopped = AuditEntry.objects.get(action="meetings.recording_stopped")
    assert stopped.changes["reason"] == "recorder_left"
    with rec.file.file.open("rb") as fh:
        info = probe(fh.read())
    assert any(st["codec_type"] == "video" for st in info["streams"])
    assert 1.5 < float(info["format"]["duration"]) < 5  # about half of the six seconds


def test_the_sweep_assembles_a_recording_whose_page_went_silent_and_fails_an_empty_one(room):
    s, session = room
    mediator = mediator_of(s)
    rec = started(s, session)
    assert post_chunk(mediator, session, rec, 0, streamed_webm(2)).status_code == 201
    assert chunks.sweep() == []  # still fresh
    with time_machine.travel(timezone.now() + chunks.SILENT + dt.timedelta(seconds=5)):
        done = chunks.sweep()
    assert [r.pk for r in done] == [rec.pk] and done[0].state == Recording.State.STORED
    consent(session, mediator)
    recording.start(actor=mediator, session=session)
    empty = Recording.objects.get(session=session, state=Recording.State.ON)
    recording.stop(actor=mediator, session=session)
    with time_machine.travel(timezone.now() + chunks.GRACE + dt.timedelta(seconds=5)):
        (failed,) = chunks.sweep()
    assert failed.pk == empty.pk and failed.state == Recording.State.FAILED
    assert AuditEntry.objects.filter(action="meetings.recording_failed").count() == 1
    assert CaseFile.objects.filter(case=s.case).count() == 1
