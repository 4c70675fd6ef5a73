"""One place answers "may this user see / do this to that object".

Each domain registers its rules in its own policies.py with `@rule(Model, "action")`;
pages and the API both call `require` or `can` from here. A user who may not *see* an
object gets NotFound, so that a foreign id and a missing one answer alike; a user who may
see it but not act on it gets Forbidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model

from .errors import Forbidden, NotFound

Rule = Callable[[Any, Any], bool]
_RULES: dict[tuple[type, str], Rule] = {}


def rule(model: type[Model], action: str, *, hidden: bool = False) -> Callable[[Rule], Rule]:
    """Register who may take `action` on `model`.

    hidden=True: the action reaches a private facet of an otherwise visible object
    (a court's staff list, its settings); refusing it answers 404, not 403, so that a
    stranger learns nothing about it.
    """

    def register(fn: Rule) -> Rule:
        fn.hidden = hidden  # type: ignore[attr-defined]
        _RULES[(model, action)] = fn
        return fn

    return register


def _lookup(obj_type: type, action: str) -> Rule | None:
    for klass in obj_type.__mro__:
        found = _RULES.get((klass, action))
        if found:
            return found
    return None


def can(user: Any, action: str, obj: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        fn = _lookup(type(obj), action)
        # Public rules (e.g. a court's public page) take an anonymous user too.
        return bool(fn and getattr(fn, "public", False) and fn(user, obj))
    fn = _lookup(type(obj), action)
    if fn is None:
        return False  # nothing registered: deny
    return bool(fn(user, obj))


def require(user: Any, action: str, obj: Any) -> None:
    if action != "view" and _lookup(type(obj), "view") and not can(user, "view", obj):
        raise NotFound()
    if not can(user, action, obj):
        fn = _lookup(type(obj), action)
        if action == "view" or getattr(fn, "hidden", False):
            raise NotFound()
        raise Forbidden()


def require_role(user: Any, *roles: str) -> None:
    """Pages and endpoints that belong to some roles only: others get 403."""
    if not (user and user.is_authenticated and user.has_role(*roles)):
        raise Forbidden()


def public(fn: Rule) -> Rule:
    """Mark a rule that also answers for anonymous visitors."""
    fn.public = True  # type: ignore[attr-defined]
    return fn


def open_to_all(model: type[Model], action: str) -> None:
    """Register `action` on `model` for everyone, anonymous visitors too (public pages)."""

    def anyone(user: Any, obj: Any) -> bool:
        return True

    rule(model, action)(public(anyone))
