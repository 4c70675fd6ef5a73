"""Periodic jobs of the embedded platform, run by daemon threads inside `sutiao serve`.

It lives in the project package, beside the API assembly, because it names jobs of several
domains; `sutiao serve` (core) finds it through `settings.SCHEDULER`, so core imports no domain.

Production runs the same jobs from cron or Celery beat (`sutiao cases expire`); each job is
idempotent and locks what it changes, so two schedulers running at once do no harm.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from django.db import close_old_connections

from sutiao.audit import checkpoint
from sutiao.cases.actions import (
    end_unanswered,
    escalate_unassigned,
    expire_overdue,
    return_unanswered,
)
from sutiao.delivery.engine import scheduled_digest, scheduled_tick
from sutiao.delivery.reminders import remind_deadlines
from sutiao.docking import engine as docking
from sutiao.docking import peers as docking_peers
from sutiao.evaluation import tasks as evaluation
from sutiao.meetings import chunks as meeting_recordings
from sutiao.meetings import timing as meeting_timing
from sutiao.reports import tasks as reports

log = logging.getLogger("sutiao.scheduler")


def _expire_cases() -> None:
    ended = expire_overdue()
    if ended:
        log.info("mediations ended: period expired", extra={"cases": len(ended)})


def _time_limits() -> None:
    """OMR 10 and 12: escalate cases no mediator was assigned to in time; return cases the
    mediator did not answer (counted as a refusal)."""
    escalated, returned = escalate_unassigned(), return_unanswered()
    if escalated or returned:
        log.info(
            "time limits acted", extra={"escalated": len(escalated), "returned": len(returned)}
        )


def _end_unanswered() -> None:
    ended = end_unanswered()
    if ended:
        log.info("mediations ended: the other side did not answer", extra={"cases": len(ended)})


def _remind() -> None:
    reminded = remind_deadlines()
    if reminded:
        log.info("deadline reminders", extra={"cases": len(reminded)})


def _deliver() -> None:
    scheduled_tick()


def _digest() -> None:
    scheduled_digest()


def _reports() -> None:
    reports.scheduled()


def _pull_peers() -> None:
    taken = docking_peers.pull_all()
    if taken:
        log.info("peer events pulled", extra={"events": taken})


def _recordings() -> None:
    meeting_recordings.sweep()


def _end_sessions() -> None:
    ended = meeting_timing.end_overdue()
    if ended:
        log.info("sessions ended at their end time", extra={"sessions": len(ended)})


def _session_reminders() -> None:
    sent = meeting_timing.send_reminders()
    if sent:
        log.info("session reminders", extra={"sent": len(sent)})


def _audit_checkpoint() -> None:
    written = checkpoint.write_if_due()
    if written:
        log.info("audit checkpoint written", extra={"seq": written.seq, "file": written.name})


JOBS: list[tuple[str, float, Callable[[], None]]] = [
    ("cases.expire", 300, _expire_cases),
    ("cases.time_limits", 300, _time_limits),
    ("cases.unanswered", 300, _end_unanswered),  # OMR 15
    # The embedded delivery worker (docs/delivery.md); with SUTIAO_BROKER_URL, Celery runs it.
    ("delivery.work", float(os.environ.get("SUTIAO_DELIVERY_POLL_SECONDS") or 2), _deliver),
    ("delivery.digest", 300, _digest),
    ("delivery.reminders", 900, _remind),  # a working day before a deadline
    # Checked hourly, written when the newest checkpoint is a day old (AUDIT_CHECKPOINT_HOURS).
    ("audit.checkpoint", 3600, _audit_checkpoint),
    # Docking: the feed mirrors docked cases' outbox events; webhooks due are sent.
    ("docking.work", float(os.environ.get("SUTIAO_DOCKING_POLL_SECONDS") or 2), docking.scheduled),
    # Docking: every peer's feed from its cursor (what webhooks missed while we were down).
    ("docking.pull", float(os.environ.get("SUTIAO_DOCKING_PULL_SECONDS") or 60), _pull_peers),
    # Checked hourly; once a night the figures' summary is checked against the raw tables.
    ("evaluation.nightly", 3600, evaluation.nightly),
    # Hourly: the analysis report of the month or quarter just ended, per joint meeting.
    ("reports.scheduled", 3600, _reports),
    # Recordings whose page is gone without its socket closing, or stopped and never finished.
    ("meetings.recordings", 60, _recordings),
    # Sessions past their end time and the grace (MEETINGS_END_GRACE_MINUTES) are ended.
    ("meetings.end", 60, _end_sessions),
    # The day before and 30 minutes before a session, each participant is reminded once.
    ("meetings.reminders", 60, _session_reminders),
]


def start(stop: threading.Event | None = None) -> threading.Event:
    stop = stop or threading.Event()

    def loop(name: str, every: int, job: Callable[[], None]) -> None:
        while not stop.wait(every):
            try:
                close_old_connections()
                job()
            except Exception:  # a failed run is logged and tried again next time
                log.exception("scheduled job failed", extra={"job": name})
            finally:
                close_old_connections()

    for name, every, job in JOBS:
        threading.Thread(target=loop, args=(name, every, job), name=name, daemon=True).start()
    return stop
