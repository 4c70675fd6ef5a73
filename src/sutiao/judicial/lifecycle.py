"""The life of a confirmation application, as data (like cases/lifecycle.py).

Roles are relative to one application (policies.application_roles): "party" (a party of the
case or its agent), "judge" and "court_clerk" (of the court applied to).
Clocks: `confirmation_application` runs from the agreement's effect while the parties apply;
the court sets the supplement deadline; `confirmation_decision` (30 days, CPL 187) runs from
acceptance; `objection` (15 days, CPL-I 372) from the service of the ruling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from sutiao.core.errors import Conflict, Forbidden

from .choices import State
from .models import ConfirmationApplication


@dataclass(frozen=True)
class Transition:
    name: str
    label: object
    source: frozenset[str]
    target: str | Callable[[ConfirmationApplication], str] | None
    by: frozenset[str]
    clock: str | None = None  # a workdays rule, "set" (the action sets it) or "stop"


def _t(name, label, source, target, by, clock=None):
    return Transition(name, label, frozenset(source), target, frozenset(by), clock)


def _after_part(app: ConfirmationApplication) -> str:
    # Joint: submitted to the court once every party has given its part.
    parties = set(app.case.parties.values_list("pk", flat=True))
    given = set(app.parts.values_list("party_id", flat=True))
    return State.SUBMITTED if parties <= given else State.DRAFT


_after_part.targets = frozenset({State.DRAFT, State.SUBMITTED})

OPEN = {State.DRAFT, State.SUBMITTED, State.SUPPLEMENT, State.ACCEPTED}
COURT = {"judge", "court_clerk"}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t(
            "submit_part",
            _("Submit my part of the joint application"),
            {State.DRAFT},
            _after_part,
            {"party"},
        ),
        _t(
            "request_supplement",
            _("Ask for more materials"),
            {State.SUBMITTED},
            State.SUPPLEMENT,
            COURT,
            clock="set",
        ),
        _t(
            "supplement",
            _("Supplement the materials"),
            {State.SUPPLEMENT},
            State.SUBMITTED,
            {"party"},
            clock="stop",
        ),
        _t(
            "accept",
            _("Accept the application"),
            {State.SUBMITTED},
            State.ACCEPTED,
            COURT,
            clock="confirmation_decision",
        ),
        _t(
            "schedule_questioning",
            _("Schedule a questioning session"),
            {State.ACCEPTED},
            None,
            {"judge"},
        ),
        _t(
            "confirm",
            _("Rule: the agreement is valid"),
            {State.ACCEPTED},
            State.CONFIRMED,
            {"judge"},
            clock="set",
        ),
        _t(
            "dismiss",
            _("Rule: dismiss the application"),
            {State.ACCEPTED},
            State.DISMISSED,
            {"judge"},
            clock="set",
        ),
        _t(
            "withdraw",
            _("Withdraw the application"),
            OPEN,
            State.WITHDRAWN,
            {"party"},
            clock="stop",
        ),
        _t(
            "deem_withdrawn",
            _("Treat as withdrawn (materials not supplemented, or no appearance)"),
            {State.SUPPLEMENT, State.ACCEPTED},
            State.WITHDRAWN,
            {"judge"},
            clock="stop",
        ),
    ]
}


def targets(t: Transition) -> set[str]:
    if t.target is None:
        return set(t.source)
    if callable(t.target):
        return set(t.target.targets)
    return {t.target}


def check(app: ConfirmationApplication, name: str, roles: set[str]) -> Transition:
    t = TRANSITIONS[name]
    if app.state not in t.source:
        raise Conflict(
            _("“%(action)s” is not possible while the application is “%(state)s”.")
            % {"action": t.label, "state": app.get_state_display()},
            code="judicial.invalid_transition",
            transition=name,
            state=app.state,
        )
    if not roles & t.by:
        raise Forbidden(code="judicial.not_your_step", transition=name)
    return t


def available(app: ConfirmationApplication, roles: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if app.state in t.source and roles & t.by]


def move(app: ConfirmationApplication, t: Transition, *, at: datetime) -> str:
    from sutiao.workdays import clocks

    before = app.state
    if callable(t.target):
        app.state = t.target(app)
    elif t.target:
        app.state = t.target
    if t.clock == "stop":
        clocks.stop(app)
    elif t.clock and t.clock != "set":
        clocks.start(app, t.clock, at)
    return before
