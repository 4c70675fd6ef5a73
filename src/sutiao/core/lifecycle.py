"""One engine for every lifecycle: a table of transitions per model, as data.

A domain writes its table (who may take each transition, from which states, to which state,
the clock it starts, and the preconditions that must hold, each with the reason shown when
it does not) and builds a `Machine` from it. Actions take transitions only through
`check` then `move`; pages show only what `available` returns; the API answers 409 with the
reason for the rest. The engine knows nothing of any domain: clocks are started by the hook
the domain passes (`on_clock`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import Conflict, Forbidden

Target = str | Callable[[Any], str] | None  # None: the state does not change


@dataclass(frozen=True)
class Precondition:
    """Something about the object that must hold for a transition; `reason` says why not."""

    name: str
    holds: Callable[[Any], bool]
    reason: Any  # a lazy translated string


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    source: frozenset[str]
    target: Target
    by: frozenset[str]
    clock: str | None = None  # the domain's clock name, "stop", or None (unchanged)
    requires: tuple[Precondition, ...] = field(default=())

    def failing(self, obj: Any) -> Precondition | None:
        return next((p for p in self.requires if not p.holds(obj)), None)


def transition(
    name: str,
    label: Any,
    source: Iterable[str],
    target: Target,
    by: Iterable[str],
    *,
    clock: str | None = None,
    requires: Iterable[Precondition] = (),
) -> Transition:
    return Transition(name, label, frozenset(source), target, frozenset(by), clock, tuple(requires))


def table(*transitions: Transition) -> dict[str, Transition]:
    """A domain's state table: its transitions by name, in the order written."""
    return {t.name: t for t in transitions}


def branch(*states: str) -> Callable[[Callable[[Any], str]], Callable[[Any], str]]:
    """Mark a target function with every state it can choose (for tests and diagrams)."""

    def mark(fn: Any) -> Any:
        fn.targets = frozenset(states)
        return fn

    return mark


class Machine:
    """The transitions of one model, and the three operations every action uses."""

    def __init__(
        self,
        prefix: str,
        transitions: Iterable[Transition],
        *,
        invalid: Any,
        on_clock: Callable[[Any, Transition, datetime], None] | None = None,
        state_field: str = "state",
    ):
        self.prefix = prefix  # error codes: "<prefix>.invalid_transition", ".not_your_step"
        self.transitions = table(*transitions)
        self.invalid = invalid  # lazy message with %(action)s and %(state)s
        self.on_clock = on_clock
        self.state_field = state_field

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def state_of(self, obj: Any) -> str:
        return getattr(obj, self.state_field)

    def check(self, obj: Any, name: str, roles: set[str]) -> Transition:
        """The transition, or Conflict / Forbidden with the reason the table refuses it."""
        t = self.transitions[name]
        if self.state_of(obj) not in t.source:
            display = getattr(obj, f"get_{self.state_field}_display", lambda: self.state_of(obj))
            raise Conflict(
                self.invalid % {"action": t.label, "state": display()},
                code=f"{self.prefix}.invalid_transition",
                transition=name,
                state=self.state_of(obj),
            )
        if not roles & t.by:
            raise Forbidden(code=f"{self.prefix}.not_your_step", transition=name)
        failing = t.failing(obj)
        if failing is not None:
            raise Conflict(
                failing.reason,
                code=f"{self.prefix}.invalid_transition",
                transition=name,
                state=self.state_of(obj),
                precondition=failing.name,
            )
        return t

    def available(self, obj: Any, roles: set[str]) -> list[Transition]:
        """What these roles may do now: the buttons a page shows."""
        state = self.state_of(obj)
        held: dict[str, bool] = {}  # a precondition shared by several steps is asked once

        def holds(p: Precondition) -> bool:
            if p.name not in held:
                held[p.name] = p.holds(obj)
            return held[p.name]

        return [
            t
            for t in self.transitions.values()
            if state in t.source and roles & t.by and all(holds(p) for p in t.requires)
        ]

    def move(self, obj: Any, t: Transition, *, at: datetime) -> str:
        """Move a checked object along `t` and start or stop its clock; returns the state it
        left. The caller saves, audits and records the event."""
        before = self.state_of(obj)
        if callable(t.target):
            setattr(obj, self.state_field, t.target(obj))
        elif t.target:
            setattr(obj, self.state_field, t.target)
        if t.clock and self.on_clock is not None:
            self.on_clock(obj, t, at)
        return before

    @staticmethod
    def targets(t: Transition) -> set[str]:
        """Every state a transition can lead to."""
        if t.target is None:
            return set(t.source)
        if callable(t.target):
            return set(t.target.targets)  # type: ignore[attr-defined]
        return {t.target}


@dataclass(frozen=True)
class Rule(Precondition):
    """A precondition whose refusal keeps its stable error code; `explain` says the reason
    with the object's particulars (the reason itself is what a list of buttons needs)."""

    code: str = ""
    explain: Callable[[Any], Any] | None = None


class CodedMachine(Machine):
    """A machine whose refusals keep the stable codes the domain's actions gave before the
    table held their rules: a failing `Rule` answers with its code (and `explain`ed reason),
    and a step taken in a state it does not leave with `refused[name]` (code, message)."""

    def __init__(
        self,
        prefix: str,
        transitions: Iterable[Transition],
        *,
        invalid: Any,
        refused: dict[str, tuple[str, Any]],
    ):
        super().__init__(prefix, transitions, invalid=invalid)
        self.refused = refused

    def check(self, obj: Any, name: str, roles: set[str]) -> Transition:
        try:
            return super().check(obj, name, roles)
        except Conflict as exc:
            failing = exc.details.get("precondition")
            rule = next((p for p in self[name].requires if p.name == failing), None)
            if isinstance(rule, Rule) and rule.code:
                message = rule.explain(obj) if rule.explain else rule.reason
                raise Conflict(message, code=rule.code, **exc.details) from None
            if failing is None and name in self.refused:
                code, message = self.refused[name]
                raise Conflict(message, code=code, **exc.details) from None
            raise

    def names(self, obj: Any, roles: set[str]) -> set[str]:
        """The steps these roles may take now (what a page offers)."""
        return {t.name for t in self.available(obj, roles)}


# Every machine of the platform, so that a test can walk every model with a state field.
MACHINES: dict[str, Machine] = {}


def register(model_label: str, machine: Machine) -> Machine:
    MACHINES[model_label] = machine
    return machine
