"""Recording a session with consent: refused while anyone present has not consented; a
withdrawal or a join without consent stops it; a consented recording becomes a playable WebM
in the case file, with its SHA-256 in the audit trail; nobody else can upload one."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sutiao.audit.models import AuditEntry
from sutiao.cases.models import CaseFile
from sutiao.core.errors import Conflict, Invalid
from sutiao.meetings import actions, recording
from sutiao.meetings.errors import MeetingError
from sutiao.meetings.models import Attendance
from tests import factories

from .conftest import check_everyone, mediator_of, schedule


@pytest.fixture
def room(served):
    session = schedule(served)
    check_everyone(session, served)
    return served, session


def join(session, user):
    p = session.participants.get(user=user)
    actions.record_attendance(participant=p, kind=Attendance.Kind.JOINED)
    return p


def consent(session, user, on=True):
    return recording.set_consent(actor=user, session=session, consent=on)


def streamed_webm(seconds: int = 2) -> bytes:
    """A WebM as MediaRecorder writes it: streamed to a pipe, so no duration and no cues."""
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc=size=160x120:rate=10:d={seconds}",
         "-c:v", "libvpx", "-f", "webm", "-live", "1", "pipe:1"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip


def probe(data: bytes) -> dict:
    """ffprobe of the bytes as stored (the storage encrypts at rest: read through it)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", "pipe:0"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    return json.loads(out)


def test_recording_is_refused_while_a_present_participant_has_not_consented(room):
    s, session = room
    mediator = mediator_of(s)
    join(session, mediator)
    join(session, s.applicant_user)
    consent(session, mediator)
    with translation.override("en"), pytest.raises(Conflict) as refused:
        recording.start(actor=mediator, session=session)
    assert refused.value.code == MeetingError.RECORDING_NOT_CONSENTED
    assert "consent" in str(refused.value.message)
    assert s.applicant.name in str(refused.value.message)  # who has not consented yet
    with translation.override("zh-hans"), pytest.raises(Conflict) as refused:
        recording.start(actor=mediator, session=session)
    assert "同意" in str(refused.value.message), refused.value.message  # Chinese first
    session.refresh_from_db()
    assert session.recording_since is None
    assert not AuditEntry.objects.filter(action="meetings.recording_started").exists()


def test_with_everyone_present_consenting_recording_starts_and_a_withdrawal_stops_it(room):
    s, session = room
    mediator = mediator_of(s)
    for user in (mediator, s.applicant_user):
        join(session, user)
        consent(session, user)
    recording.start(actor=mediator, session=session)
    session.refresh_from_db()
    assert session.recording_since is not None
    consent(session, s.applicant_user, on=False)
    session.refresh_from_db()
    assert session.recording_since is None
    stopped = AuditEntry.objects.get(action="meetings.recording_stopped")
    assert stopped.changes["reason"] == "withdrawn"
    assert AuditEntry.objects.filter(action="meetings.recording_consent_withdrawn").exists()


def test_someone_joining_without_consent_stops_the_recording(room):
    s, session = room
    mediator = mediator_of(s)
    join(session, mediator)
    consent(session, mediator)
    recording.start(actor=mediator, session=session)
    late = join(session, s.respondent_user)
    assert recording.joined_without_consent(participant=late)
    session.refresh_from_db()
    assert session.recording_since is None


def test_only_the_mediator_starts_recording(room):
    s, session = room
    from sutiao.core.errors import Forbidden

    with pytest.raises(Forbidden):
        recording.start(actor=s.applicant_user, session=session)


def test_a_consented_recording_plays_and_lands_in_the_case_file_with_its_hash_audited(room):
    s, session = room
    raw = streamed_webm()
    assert "duration" not in probe(raw)["format"]  # as MediaRecorder leaves it
    f = recording.store(actor=mediator_of(s), session=session, data=raw)
    assert f.kind == CaseFile.Kind.DOCUMENT and f.content_type == "video/webm"
    assert f.case_id == s.case.pk
    with f.file.open("rb") as fh:
        stored = fh.read()
    info = probe(stored)
    assert any(st["codec_type"] == "video" for st in info["streams"])
    assert float(info["format"]["duration"]) > 1
    assert hashlib.sha256(stored).hexdigest() == f.sha256
    entry = AuditEntry.objects.get(action="meetings.recording_stored")
    assert entry.changes["sha256"] == f.sha256
    assert AuditEntry.objects.get(action="case.file_added").changes["sha256"] == f.sha256


def test_what_is_not_a_webm_is_refused_and_nothing_is_stored(room):
    s, session = room
    with pytest.raises(Invalid) as bad:
        recording.store(actor=mediator_of(s), session=session, data=b"%PDF-1.7 nope")
    assert bad.value.code == MeetingError.BAD_RECORDING
    with pytest.raises(Invalid):
        recording.store(actor=mediator_of(s), session=session, data=b"\x1a\x45\xdf\xa3junk")
    assert not CaseFile.objects.exists()


def test_nobody_but_the_mediator_can_upload_a_recording(room):
    s, session = room
    url = f"/meetings/{session.pk}/recording/"
    webm = streamed_webm(1)

    def post(user):
        upload = SimpleUploadedFile("r.webm", webm, content_type="video/webm")
        return factories.client_for(user).post(url, {"file": upload})

    assert post(factories.person("party")).status_code == 404  # no business with the case
    assert post(s.judge).status_code == 404
    assert post(s.applicant_user).status_code == 403  # a participant, not the mediator
    assert not CaseFile.objects.exists()
    done = post(mediator_of(s))
    assert done.status_code == 201, done.content
    assert CaseFile.objects.get().sha256 == done.json()["sha256"]
