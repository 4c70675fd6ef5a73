"""The session lifecycle as data. Roles are relative to one session: "mediator" (the case's
mediator) and "participant" (anyone scheduled, the mediator included)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, branch, register
from sutiao.core.lifecycle import transition as _t

from .models import MeetingSession, Recording, State


@branch(State.PROPOSED, State.SCHEDULED)
def _after_answer(session: Any) -> str:
    """Scheduled once every participant has accepted the same time."""
    return State.SCHEDULED if agreed_time(session) is not None else State.PROPOSED


def agreed_time(session: Any) -> int | None:
    chosen = {p.accepted_time_id for p in session.participants.all()}
    if len(chosen) == 1 and None not in chosen:
        return chosen.pop()
    return None


machine = register(
    "meetings.MeetingSession",
    Machine(
        "meeting",
        [
            _t(
                "answer",
                _("Answer the proposed times"),
                [State.PROPOSED],
                _after_answer,
                ["participant"],
            ),
            _t(
                "reschedule",
                _("Reschedule"),
                [State.PROPOSED, State.SCHEDULED],
                State.PROPOSED,
                ["mediator"],
            ),
            _t("join", _("Join the session"), [State.SCHEDULED], None, ["participant"]),
            _t(
                "invite_judge",
                _("Invite a judge"),
                [State.PROPOSED, State.SCHEDULED],
                None,
                ["mediator"],
            ),
            _t("caucus", _("Talk with one side separately"), [State.SCHEDULED], None, ["mediator"]),
            # The mediator, or the platform ("system") at the end time (meetings/timing.py).
            _t(
                "end",
                _("End the session"),
                [State.SCHEDULED],
                State.ENDED,
                ["mediator", "system"],
            ),
            _t(
                "cancel",
                _("Cancel the session"),
                [State.PROPOSED, State.SCHEDULED],
                State.CANCELLED,
                ["mediator"],
            ),
        ],
        invalid=_("You cannot %(action)s: the session is %(state)s."),
    ),
)


def roles(user: Any, session: MeetingSession) -> set[str]:
    found: set[str] = set()
    for p in session.participants.all():
        if p.user_id == getattr(user, "pk", None):
            found.add("participant")
            if p.role == "mediator":
                found.add("mediator")
    return found


# A recording's lifecycle (meetings/chunks.py): on while the mediator's page uploads, stopped
# (its last chunk may still arrive), then assembled once into the case file or failed. The
# server takes every step ("system"), whoever's request or job caused it.
R = Recording.State
recording_machine = register(
    "meetings.Recording",
    Machine(
        "meeting",  # the session's codes: a recording is a part of its session
        [
            _t("stop", _("Stop recording"), [R.ON], R.STOPPED, ["system"]),
            _t("assemble", _("Assemble the recording"), [R.STOPPED], R.ASSEMBLING, ["system"]),
            _t("store", _("Store the recording"), [R.ASSEMBLING], R.STORED, ["system"]),
            _t("fail", _("Nothing playable was uploaded"), [R.ASSEMBLING], R.FAILED, ["system"]),
        ],
        invalid=_("You cannot %(action)s: the recording is %(state)s."),
    ),
)


def move_recording(rec: Recording, name: str) -> None:
    """Check and take one step of a recording; the caller saves."""
    t = recording_machine.check(rec, name, {"system"})
    recording_machine.move(rec, t, at=timezone.now())
