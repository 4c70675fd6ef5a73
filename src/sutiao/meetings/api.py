"""Sessions over JSON: a participant's sessions, a session's attendance, and its record with
the parties' consents that a recording replaces the written transcript (404 for others)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema

from sutiao.cases.queries import record_incomplete
from sutiao.core.errors import NotFound
from sutiao.core.lookup import visible
from sutiao.core.policy import require

from . import queries, replacement
from .models import MeetingSession

router = Router(tags=["meetings"])


class SessionOut(Schema):
    id: int
    case: int
    title: str
    state: str
    start: datetime | None
    end: datetime | None


class AttendanceOut(Schema):
    participant: int
    name: str
    kind: str
    at: datetime


@router.get("/meetings/", response=list[SessionOut])
def my_sessions(request):
    return [
        SessionOut(id=s.pk, case=s.case_id, title=s.title, state=s.state, start=s.start, end=s.end)
        for s in queries.sessions_of(request.auth)
    ]


@router.get("/meetings/{session_id}/attendance", response=list[AttendanceOut])
def attendance(request, session_id: int):
    session = visible(request.auth, MeetingSession, pk=session_id)
    return [
        AttendanceOut(participant=a.participant_id, name=str(a.participant), kind=a.kind, at=a.at)
        for a in queries.attendance_of(session)
    ]


class ConsentOut(Schema):
    party: int
    name: str
    given_by: str
    at: datetime


class RecordingOut(Schema):
    id: int
    state: str
    file: int | None
    sha256: str | None
    duration: float | None
    is_record: bool  # every party consented: it stands as the session's record (OMR 22)
    consents: list[ConsentOut]
    missing: list[int]  # the parties whose consent is still wanted


class RecordOut(Schema):
    id: int
    kind: str
    session_date: date
    undisputed_facts: str
    confirmed_by: list[int]
    complete: bool  # undisputed facts written and confirmed by every party


class SessionRecordOut(Schema):
    session: int
    written_transcript_required: bool
    record: RecordOut | None
    recordings: list[RecordingOut]


def _recording_out(row: replacement.RecordingRow) -> RecordingOut:
    rec = row.recording
    return RecordingOut(
        id=rec.pk,
        state=rec.state,
        file=rec.file_id,
        sha256=rec.file.sha256 if rec.file else None,
        duration=rec.duration,
        is_record=row.is_record,
        consents=[
            ConsentOut(party=c.party_id, name=c.party.name, given_by=str(c.given_by), at=c.at)
            for c in row.consents
        ],
        missing=[p.pk for p in row.missing],
    )


@router.get("/meetings/{session_id}/record", response=SessionRecordOut)
def session_record(request, session_id: int):
    """What the session produced as its record: its complete recordings with the parties'
    consents that one replaces the written transcript, and that record once it stands."""
    session = MeetingSession.objects.select_related("case").filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    require(request.auth, "view", session.case)
    found = replacement.session_record(request.auth, session)
    t = found.record
    parties = {p.pk for p in session.case.parties.all()}
    return SessionRecordOut(
        session=session.pk,
        written_transcript_required=found.written_transcript_required,
        record=None
        if t is None
        else RecordOut(
            id=t.pk,
            kind=t.kind,
            session_date=t.session_date,
            undisputed_facts=t.undisputed_facts,
            confirmed_by=[c.party_id for c in t.confirmations.all()],
            complete=not record_incomplete(t, parties),
        ),
        recordings=[_recording_out(r) for r in found.recordings],
    )


def _one(request, recording_id: int) -> RecordingOut:
    rec = replacement.complete_recordings_by_id(recording_id)
    parties = list(rec.session.case.parties.all())
    return _recording_out(replacement.rows_for(request.auth, [rec], parties)[0])


@router.post("/meetings/recordings/{recording_id}/replacement-consent", response=RecordingOut)
def consent_replacement(request, recording_id: int):
    """The parties the caller acts for consent that the recording replaces the written
    transcript (OMR 22); the last party's consent makes it the session's record."""
    replacement.consent(actor=request.auth, recording_id=recording_id)
    return _one(request, recording_id)


@router.delete("/meetings/recordings/{recording_id}/replacement-consent", response=RecordingOut)
def withdraw_replacement(request, recording_id: int):
    """Withdraw that consent, while the recording is not yet the record."""
    replacement.withdraw(actor=request.auth, recording_id=recording_id)
    return _one(request, recording_id)
