"""What every step on a typical case starts with: the row locked, the editor's right to
it, the transition the table allows."""

from __future__ import annotations

from collections.abc import Callable

from sutiao.accounts.models import User
from sutiao.core.lifecycle import Transition
from sutiao.core.policy import require

from .. import lifecycle
from ..models import TypicalCase


def locked(tc: TypicalCase) -> TypicalCase:
    return TypicalCase.objects.select_for_update(of=("self",)).get(pk=tc.pk)


def checked(
    actor: User, typical_case: TypicalCase, step: str | Callable[[TypicalCase], str]
) -> tuple[TypicalCase, Transition]:
    """The typical case locked, once `actor` may edit it, and the transition `step` (a name,
    or a function of the locked row) that the table lets `actor` take now."""
    tc = locked(typical_case)
    require(actor, "edit", tc)
    name = step(tc) if callable(step) else step
    return tc, lifecycle.machine.check(tc, name, lifecycle.roles(actor, tc))
