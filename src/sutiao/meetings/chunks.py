"""A recording uploaded as it is made: the mediator's page posts each MediaRecorder chunk
(every few seconds) to its recording, in order; the chunks are appended to a spool file on
disk, each sealed with the storage's encryption, so that a crash of the browser loses only
the chunk being recorded. At the stop (the page's `finish`, the recorder's socket closing, a
session ending, or the periodic sweep) the spool becomes one WebM in the case file
(recording.remux and recording.keep: ffmpeg -c copy, its SHA-256 in the audit trail)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import struct
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import crypto
from sutiao.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from sutiao.core.files import private_dir
from sutiao.core.policy import require

from . import lifecycle, recording
from .errors import MeetingError
from .models import MeetingSession, Recording

# After a stop the page still sends the chunk MediaRecorder flushes at its stop.
GRACE = dt.timedelta(seconds=15)
# A running recording without a chunk for this long has lost its page (the sweep stops it).
SILENT = dt.timedelta(minutes=2)
MAX_CHUNK_BYTES = 50 * 1024 * 1024
EBML = b"\x1a\x45\xdf\xa3"
log = logging.getLogger("sutiao.meetings")


def spool_path(rec: Recording) -> Path:
    return private_dir(Path(settings.DATA_DIR) / "recordings") / f"{rec.pk}.spool"


def _locked(pk: int, session_id: int) -> Recording:
    rec = Recording.objects.select_for_update().filter(pk=pk, session_id=session_id).first()
    if rec is None:
        raise NotFound(_("There is no such recording in this session."))
    return rec


def _accepting(rec: Recording) -> bool:
    if rec.source != Recording.Source.MESH:
        return False  # Janus records it: the page uploads nothing
    if rec.state == Recording.State.ON:
        return True
    return (
        rec.state == Recording.State.STOPPED
        and rec.stopped_at is not None
        and timezone.now() - rec.stopped_at <= GRACE
    )


def _read(upload: UploadedFile) -> bytes:
    """A chunk (a few seconds of video, read whole: the whole recording never is)."""
    if upload.size is None or upload.size > MAX_CHUNK_BYTES:
        raise Invalid(
            _("A part of the recording may be at most 50 MB."), code=MeetingError.BAD_RECORDING
        )
    return b"".join(upload.chunks())


@transaction.atomic
def append(
    *, actor: User, session: MeetingSession, recording_id: int, seq: int, upload: UploadedFile
) -> Recording:
    """Append the chunk `seq` (0, 1, 2, … with no gap) of a running recording: the recorder
    only, in order; a retry of a chunk already received is refused with the expected number."""
    require(actor, "manage", session)
    rec = _locked(recording_id, session.pk)
    if rec.by_id != actor.pk:
        raise Forbidden(
            _("This recording was started by another mediator; only they upload it."),
            code=MeetingError.NOT_YOUR_RECORDING,
        )
    if not _accepting(rec):
        raise Conflict(
            _("The recording has stopped; it takes no more parts."),
            code=MeetingError.RECORDING_STOPPED,
        )
    if seq != rec.chunks:
        raise Conflict(
            _("Part %(seq)s of the recording is out of order; part %(expected)s is expected.")
            % {"seq": seq, "expected": rec.chunks},
            code=MeetingError.CHUNK_OUT_OF_ORDER,
            expected=rec.chunks,
        )
    data = _read(upload)
    if not data or (seq == 0 and not data.startswith(EBML)):
        raise Invalid(_("The recording is not a WebM file."), code=MeetingError.BAD_RECORDING)
    if rec.size + len(data) > recording.MAX_BYTES:
        raise Invalid(_("The recording is too large."), code=MeetingError.BAD_RECORDING)
    sealed = crypto.encrypt_bytes(data)
    path = spool_path(rec)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as fh:
        fh.truncate(rec.spooled)  # drop what a failed earlier append left behind
        fh.seek(rec.spooled)
        fh.write(struct.pack(">Q", len(sealed)) + sealed)
    rec.chunks += 1
    rec.size += len(data)
    rec.spooled += 8 + len(sealed)
    rec.last_chunk_at = timezone.now()
    rec.save(update_fields=["chunks", "size", "spooled", "last_chunk_at"])
    return rec


def _unsealed(rec: Recording, out: Path) -> None:
    """The clear WebM of the chunks committed to the spool, written to `out`."""
    with open(spool_path(rec), "rb") as src, open(out, "wb") as dst:
        left = rec.spooled
        while left > 0:
            (n,) = struct.unpack(">Q", src.read(8))
            dst.write(crypto.decrypt_bytes(src.read(n)))
            left -= 8 + n


@transaction.atomic
def _claim(rec_id: int, actor: User | None, reason: str) -> Recording | None:
    """Take the recording for assembly (stopping it first if it still runs); None if it is
    already assembled or being assembled."""
    rec = Recording.objects.select_for_update().select_related("session").get(pk=rec_id)
    if rec.state == Recording.State.ON:
        session = recording._locked(rec.session_id)
        recording._stop(session, actor or rec.by, reason)
        recording._push(session, reason)
        rec.refresh_from_db()
    if rec.state != Recording.State.STOPPED:
        return None
    lifecycle.move_recording(rec, "assemble")
    rec.save(update_fields=["state"])
    return rec


def _media(rec: Recording, tmp: Path, names: dict[int, str]) -> tuple[Path, float, dict]:
    """The recording as one playable WebM in `tmp`, its duration, and what to audit of it:
    from the uploaded chunks (embedded), or from the files Janus wrote."""
    extra: dict = {"recording": rec.pk, "source": rec.source, "reason": rec.stop_reason}
    if rec.source == Recording.Source.JANUS:
        from .providers import janus_media

        out, more = janus_media.convert(rec, tmp, names)
        return out, recording.playable(out), extra | more
    if rec.chunks == 0:
        raise Invalid(_("No part of the recording was uploaded."))
    src = tmp / "in.webm"
    _unsealed(rec, src)
    out, duration = recording.remux(src, tmp)
    return out, duration, extra | {"chunks": rec.chunks}


def assemble(
    rec_id: int,
    *,
    actor: User | None = None,
    reason: str = "assembled",
    names: dict[int, str] | None = None,
) -> Recording:
    """The recording as one WebM in the case file (state `stored`), or `failed` with the
    reason audited if nothing playable was recorded. Runs ffmpeg outside any transaction.
    `names`: Janus publisher ids to participants, to title the tracks."""
    rec = _claim(rec_id, actor, reason)
    if rec is None:
        return Recording.objects.get(pk=rec_id)
    session = MeetingSession.objects.select_related("case").get(pk=rec.session_id)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out, duration, extra = _media(rec, Path(tmp), names or {})
            f = recording.keep(
                actor=rec.by, session=session, path=out, duration=duration, extra=extra
            )
        rec.file, rec.duration = f, duration
        lifecycle.move_recording(rec, "store")
    except DomainError as exc:
        lifecycle.move_recording(rec, "fail")
        record(
            rec.by,
            "meetings.recording_failed",
            session,
            summary=str(exc.message),
            changes={"recording": rec.pk, "chunks": rec.chunks, "size": rec.size},
        )
    rec.save(update_fields=["state", "file", "duration"])
    spool_path(rec).unlink(missing_ok=True)
    if rec.source == Recording.Source.JANUS and rec.state == Recording.State.STORED:
        from .providers import janus_media  # (a failed one's files stay, for the operator)

        janus_media.discard(rec)
    return rec


def finish(*, actor: User, session: MeetingSession, recording_id: int) -> Recording:
    """The recorder's page has sent its last chunk: assemble now."""
    require(actor, "manage", session)
    rec = Recording.objects.filter(pk=recording_id, session_id=session.pk).first()
    if rec is None:
        raise NotFound(_("There is no such recording in this session."))
    if rec.by_id != actor.pk:
        raise Forbidden(
            _("This recording was started by another mediator; only they upload it."),
            code=MeetingError.NOT_YOUR_RECORDING,
        )
    return assemble(rec.pk, actor=actor, reason="mediator")


def left_behind(user_id: int, session_id: int) -> list[tuple[int, float]]:
    """The recorder's page is gone (its socket closed): its recordings of the session not yet
    assembled, each with the seconds to wait first (a stopped one's last chunk may be on its
    way)."""
    now = timezone.now()
    waits = []
    for rec in Recording.objects.filter(
        session_id=session_id,
        by_id=user_id,
        state__in=[Recording.State.ON, Recording.State.STOPPED],
    ):
        left = GRACE - (now - rec.stopped_at) if rec.stopped_at else dt.timedelta(0)
        waits.append((rec.pk, max(left.total_seconds(), 0.0)))
    return waits


def sweep() -> list[Recording]:
    """Periodic: assemble recordings stopped longer than GRACE ago, and stop and assemble
    running ones whose page has sent nothing for SILENT."""
    now = timezone.now()
    done = []
    for rec in Recording.objects.filter(state__in=[Recording.State.ON, Recording.State.STOPPED]):
        last = rec.last_chunk_at or rec.started_at
        # (Janus records by itself: no chunks come, and none are missed.)
        stale = (
            rec.state == Recording.State.ON
            and rec.source == Recording.Source.MESH
            and now - last > SILENT
        )
        late = rec.state == Recording.State.STOPPED and now - (rec.stopped_at or now) > GRACE
        if stale or late:
            done.append(assemble(rec.pk, reason="no_chunks"))
    if done:
        log.info("recordings assembled by the sweep", extra={"recordings": len(done)})
    return done
