"""Recording a session, with consent: each participant gives or withdraws consent; the
mediator starts recording only while every present participant has consented; a withdrawal,
or a join without consent, stops it. The mediator's page records (MediaRecorder, WebM) and
uploads its chunks as they are produced (chunks.py); on Janus the SFU records each
publisher instead (providers/janus_media.py). The server remuxes the whole with ffmpeg (`-c copy`: MediaRecorder's WebM has no
duration), checks that ffprobe finds a video stream and a duration, and stores it in the case
file with its SHA-256 in the audit trail."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess  # nosec B404 - ffmpeg and ffprobe, fixed arguments
import tempfile
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases.actions import link_stored_file
from sutiao.cases.models import CaseFile
from sutiao.core.errors import Conflict, Invalid
from sutiao.core.policy import require

from . import lifecycle, queries
from .errors import MeetingError
from .models import MeetingSession, Participant, Recording, State
from .providers import provider

MAX_BYTES = 500 * 1024 * 1024


def _locked(pk: int) -> MeetingSession:
    return MeetingSession.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)


def _push(session: MeetingSession, reason: str = "") -> None:
    """Tell the room whether it is being recorded, and who consents (after commit)."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from .consumers import room_group

    payload = recording_event(session, reason)
    transaction.on_commit(
        lambda: async_to_sync(get_channel_layer().group_send)(
            room_group(session.pk), {"type": "room.recording", "payload": payload}
        )
    )


def recording_event(session: MeetingSession, reason: str = "") -> dict:
    consented = list(
        session.participants.filter(recording_consent=True).values_list("pk", flat=True)
    )
    running = session.recordings.filter(state=Recording.State.ON).first()
    return {
        "type": "recording",
        "on": session.recording_since is not None,
        "recording": running.pk if running else None,  # where the page uploads its chunks
        # The mediator's page records and uploads only when the media server does not.
        "upload": bool(running and running.source == Recording.Source.MESH),
        "consented": consented,
        "reason": reason,
    }


def _unconsented_present(session: MeetingSession) -> list[Participant]:
    present = set(queries.present(session.pk))
    return [
        p
        for p in session.participants.select_related("party", "user")
        if p.pk in present and not p.recording_consent
    ]


def _stop(session: MeetingSession, actor: User | str, reason: str) -> None:
    """Stop the session's recording (the caller holds the session's lock); its chunks are
    accepted a little longer (chunks.GRACE: the page's last one), then it is assembled."""
    since = session.recording_since
    session.recording_since = None
    session.save(update_fields=["recording_since"])
    by_janus = []
    for rec in session.recordings.select_for_update().filter(state=Recording.State.ON):
        lifecycle.move_recording(rec, "stop")
        rec.stopped_at, rec.stop_reason = timezone.now(), reason
        rec.save(update_fields=["state", "stopped_at", "stop_reason"])
        if rec.source == Recording.Source.JANUS:
            by_janus.append(rec.pk)
    if by_janus:  # Janus stops recording, then its files are converted (not the page's chunks)
        from .providers import janus_media

        transaction.on_commit(lambda: janus_media.stopped(session, by_janus), robust=True)
    record(
        actor,
        "meetings.recording_stopped",
        session,
        summary=reason,
        changes={"since": since.isoformat() if since else None, "reason": reason},
    )


@transaction.atomic
def set_consent(*, actor: User, session: MeetingSession, consent: bool) -> Participant:
    """A participant gives or withdraws consent; a withdrawal stops a running recording."""
    session = _locked(session.pk)
    require(actor, "view", session)
    me = session.participants.get(user=actor)
    me.recording_consent = consent
    me.save(update_fields=["recording_consent"])
    event = "meetings.recording_consented" if consent else "meetings.recording_consent_withdrawn"
    record(actor, event, session, summary=str(me), changes={"participant": me.pk})
    reason = ""
    if not consent and session.recording_since is not None:
        reason = "withdrawn"
        _stop(session, actor, reason)
    _push(session, reason)
    return me


@transaction.atomic
def start(*, actor: User, session: MeetingSession) -> MeetingSession:
    session = _locked(session.pk)
    require(actor, "manage", session)
    if session.state != State.SCHEDULED:
        raise Conflict(_("The session is not scheduled."), code=MeetingError.INVALID_TRANSITION)
    if session.recording_since is not None:
        return session
    missing = _unconsented_present(session)
    if missing:
        raise Conflict(
            _("Recording needs the consent of everyone present; not yet: %(names)s.")
            % {"names": "、".join(str(p) for p in missing)},
            code=MeetingError.RECORDING_NOT_CONSENTED,
            participants=[p.pk for p in missing],
        )
    session.recording_since = timezone.now()
    session.save(update_fields=["recording_since"])
    media = provider()
    # Janus records by itself; otherwise (mesh, LiveKit) the mediator's browser records.
    source = Recording.Source.JANUS if media.name == "janus" else Recording.Source.MESH
    rec = Recording.objects.create(
        session=session, by=actor, started_at=session.recording_since, source=source
    )
    media.start_recording(session, rec)  # Janus: the room records; unreachable: refused
    record(actor, "meetings.recording_started", session, changes={"recording": rec.pk})
    _push(session)
    return session


@transaction.atomic
def stop(*, actor: User, session: MeetingSession) -> MeetingSession:
    session = _locked(session.pk)
    require(actor, "manage", session)
    if session.recording_since is not None:
        _stop(session, actor, "mediator")
        _push(session, "mediator")
    return session


def joined_without_consent(*, participant: Participant) -> bool:
    """Called by the signalling server when someone joins: recording stops if they have not
    consented. True if it stopped."""
    if not MeetingSession.objects.filter(
        pk=participant.session_id, recording_since__isnull=False
    ).exists():
        return False  # nothing records (most joins): no lock to take
    return _stop_for_joiner(participant)


@transaction.atomic
def _stop_for_joiner(participant: Participant) -> bool:
    session = _locked(participant.session_id)
    participant.refresh_from_db(fields=["recording_consent"])
    if session.recording_since is None or participant.recording_consent:
        return False
    _stop(session, participant.user, "joined_without_consent")
    _push(session, "joined_without_consent")
    return True


def _bad(message: str) -> Invalid:
    return Invalid(message, code=MeetingError.BAD_RECORDING, fields={"file": [message]})


def playable_webm(data: bytes) -> tuple[bytes, float]:
    """The remuxed bytes of a MediaRecorder WebM and its duration (see `remux`)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.webm"
        src.write_bytes(data)
        out, duration = remux(src, Path(tmp))
        return out.read_bytes(), duration


def remux(src: Path, tmp: Path) -> tuple[Path, float]:
    """Remux a MediaRecorder WebM (no duration, no cues) with ffmpeg `-c copy` into `tmp` and
    check with ffprobe: a video stream and a duration. The remuxed file and the duration."""
    with open(src, "rb") as fh:
        if fh.read(4) != b"\x1a\x45\xdf\xa3":  # EBML: Matroska / WebM
            raise _bad(_("The recording is not a WebM file."))
    ffmpeg, ffprobe = shutil.which("ffmpeg"), shutil.which("ffprobe")
    if not ffmpeg or not ffprobe:
        raise _bad(_("The server cannot process recordings (ffmpeg is missing)."))
    out = tmp / "out.webm"
    # The demuxer is named, not guessed: an upload can never be read as a playlist or another
    # format that opens files or URLs; -c copy decodes nothing.
    run = subprocess.run(  # noqa: S603 # nosec B603 - fixed arguments, our own temporary files
        [ffmpeg, "-v", "error", "-y", "-protocol_whitelist", "file", "-f", "matroska"]
        + ["-i", str(src), "-c", "copy", str(out)],
        capture_output=True,
        timeout=300,
    )
    if run.returncode != 0 or not out.exists():
        raise _bad(_("The recording could not be read."))
    return out, playable(out)


def playable(out: Path) -> float:
    """The duration of a WebM in which ffprobe finds a video stream and a duration."""
    ffprobe = shutil.which("ffprobe")
    if not ffprobe:
        raise _bad(_("The server cannot process recordings (ffmpeg is missing)."))
    probe = subprocess.run(  # noqa: S603 # nosec B603 - our own remuxed file
        [ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(out)],
        capture_output=True,
        timeout=60,
    )
    info = json.loads(probe.stdout or b"{}")
    video = [s for s in info.get("streams", []) if s.get("codec_type") == "video"]
    duration = float(info.get("format", {}).get("duration") or 0)
    if probe.returncode != 0 or not video or duration <= 0:
        raise _bad(_("The recording has no video or no duration."))
    return duration


def store(*, actor: User, session: MeetingSession, data: bytes) -> CaseFile:
    """A whole recording uploaded at once: it becomes a document of the case file."""
    session = MeetingSession.objects.select_related("case").get(pk=session.pk)
    require(actor, "manage", session)
    if len(data) > MAX_BYTES:
        raise _bad(_("The recording is too large."))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.webm"
        src.write_bytes(data)
        out, duration = remux(src, Path(tmp))
        return keep(actor=actor, session=session, path=out, duration=duration)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def keep(
    *, actor: User, session: MeetingSession, path: Path, duration: float, extra: dict | None = None
) -> CaseFile:
    """Store a remuxed WebM as a case document, its SHA-256 in the audit trail."""
    sha, size = _sha256(path), path.stat().st_size
    with open(path, "rb") as fh:
        name = default_storage.save(f"cases/{session.case_id}/{sha[:2]}/{sha}", File(fh))
    try:
        with transaction.atomic():
            f = link_stored_file(
                actor=actor,
                case=session.case,
                name=f"{session.title}-{timezone.localtime():%Y%m%d-%H%M}.webm",
                kind=CaseFile.Kind.DOCUMENT,
                content_type="video/webm",
                size=size,
                sha256=sha,
                stored_name=name,
            )
            record(
                actor,
                "meetings.recording_stored",
                session,
                summary=f.name,
                changes={"file": f.pk, "sha256": sha, "size": size, "duration": duration}
                | (extra or {}),
            )
    except Exception:
        default_storage.delete(name)
        raise
    return f
