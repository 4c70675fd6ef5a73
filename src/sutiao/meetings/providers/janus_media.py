"""A recording made by Janus: at the stop, the room's recorders are closed and each publisher's
`.mjr` files are converted with `janus-pp-rec` (video to WebM, audio to Opus), then merged with
`ffmpeg -c copy` into one WebM (a video and an audio track per publisher, named by participant,
each placed at the time it started), checked with ffprobe and stored in the case file like an
embedded recording (chunks.assemble, recording.keep: its SHA-256 in the audit trail)."""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess  # nosec B404 - janus-pp-rec and ffmpeg, fixed arguments
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from sutiao.core.errors import Invalid

from ..errors import MeetingError
from . import ProviderUnavailable
from .janus import Janus, rec_dir

log = logging.getLogger("sutiao.meetings")
# Janus's names: videoroom-<room>-user-<publisher>-<time>-<video|audio>-<m-line>.mjr
MJR = re.compile(r"^videoroom-\d+-user-(\d+)-(\d+)-(video|audio)-\d+\.mjr$")


@dataclass
class Feed:
    """One publisher's stream, from one (re)publication: its converted video and audio."""

    publisher: int
    started: int  # µs, from Janus's file name
    video: Path | None = None
    audio: Path | None = None
    first: dict[str, int] = field(default_factory=dict)  # first packet (µs) per kind


def _bad(message: str) -> Invalid:
    return Invalid(message, code=MeetingError.BAD_RECORDING)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise _bad(
            _("The server cannot process recordings (%(tool)s is missing).") % {"tool": name}
        )
    return found


def _first_packet(pp_rec: str, mjr: Path) -> int | None:
    """The time (µs) of the first packet written, from the file's header (`janus-pp-rec -j`)."""
    run = subprocess.run(  # noqa: S603 # nosec B603 - fixed arguments, Janus's own file
        [pp_rec, "-j", str(mjr)], capture_output=True, text=True, timeout=60
    )
    try:
        header = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None
    at = header.get("u") or header.get("s")
    return int(at) if at else None


def feeds(folder: Path, out: Path) -> list[Feed]:
    """Each publisher's .mjr files in `folder`, converted into `out`; files with no packet (a
    muted or audio-only publisher's other half) are left out."""
    pp_rec = _tool("janus-pp-rec")
    found: list[Feed] = []
    named = (
        [(m, p) for p in folder.glob("*.mjr") if (m := MJR.match(p.name))]
        if folder.is_dir()
        else []
    )
    # A publisher's audio and video files have times of their own; a second file of a kind is
    # a republication (a reconnection): a feed of its own.
    for m, mjr in sorted(named, key=lambda mp: (int(mp[0][1]), int(mp[0][2]))):
        publisher, started, kind = int(m[1]), int(m[2]), m[3]
        feed = next(
            (f for f in reversed(found) if f.publisher == publisher and getattr(f, kind) is None),
            None,
        )
        if feed is None:
            feed = Feed(publisher, started)
            found.append(feed)
        target = out / f"{mjr.stem}.{'webm' if kind == 'video' else 'opus'}"
        run = subprocess.run(  # noqa: S603 # nosec B603 - fixed arguments, Janus's own file
            [pp_rec, "-o", str(mjr), str(target)], capture_output=True, timeout=600
        )
        if run.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            continue
        setattr(feed, kind, target)
        feed.first[kind] = _first_packet(pp_rec, mjr) or started
    return sorted((f for f in found if f.video or f.audio), key=lambda f: f.started)


def merge(found: list[Feed], names: dict[int, str], out: Path) -> Path:
    """One WebM of every feed's tracks (`-c copy`), each offset from the earliest start."""
    if not any(f.video for f in found):
        raise _bad(_("The recording has no video or no duration."))
    origin = min(at for f in found for at in f.first.values())
    args: list[str] = []
    maps: list[str] = []
    n = 0
    for feed in found:
        for kind in ("video", "audio"):
            path = getattr(feed, kind)
            if path is None:
                continue
            offset = (feed.first[kind] - origin) / 1_000_000
            demuxer = "matroska" if kind == "video" else "ogg"
            args += ["-itsoffset", f"{offset:.3f}", "-f", demuxer]
            args += ["-i", str(path)]
            title = names.get(feed.publisher, str(feed.publisher))
            maps += ["-map", f"{n}:0", f"-metadata:s:{n}", f"title={title} ({kind})"]
            n += 1
    merged = out / "merged.webm"
    run = subprocess.run(  # noqa: S603 # nosec B603 - fixed arguments, our own converted files
        [_tool("ffmpeg"), "-v", "error", "-y", "-protocol_whitelist", "file"]
        + args
        + maps
        + ["-c", "copy", "-f", "webm", str(merged)],
        capture_output=True,
        timeout=600,
    )
    if run.returncode != 0 or not merged.exists():
        raise _bad(_("The recording could not be read."))
    return merged


def convert(rec, out: Path, names: dict[int, str]) -> tuple[Path, dict]:
    """The recording's .mjr files as one WebM in `out`, and what the audit trail says of it."""
    found = feeds(rec_dir(rec), out)
    merged = merge(found, names, out)
    tracks = [
        {
            "publisher": f.publisher,
            "participant": names.get(f.publisher, ""),
            "video": bool(f.video),
            "audio": bool(f.audio),
        }
        for f in found
    ]
    return merged, {"tracks": tracks}


def discard(rec) -> None:
    """The .mjr files, once the recording is stored (or failed, its reason audited)."""
    shutil.rmtree(rec_dir(rec), ignore_errors=True)


def stopped(session, rec_ids: list[int]) -> None:
    """After the commit of a stop: Janus stops recording now, and the recordings are converted
    and stored in a thread of their own (the sweep does it if this process dies first)."""
    names: dict[int, str] = {}
    try:
        names = Janus.from_settings().stop_recording(session)
    except ProviderUnavailable:
        log.warning("Janus did not stop recording", extra={"session": session.pk})
    threading.Thread(target=_assemble, args=(rec_ids, names), daemon=True).start()


def _assemble(rec_ids: list[int], names: dict[int, str]) -> None:
    from .. import chunks

    try:
        for rec_id in rec_ids:
            chunks.assemble(rec_id, names=names)
    except Exception:
        log.exception("a Janus recording was not assembled", extra={"recordings": rec_ids})
    finally:
        connections.close_all()
