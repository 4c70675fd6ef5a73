"""Backends chosen by a setting: a short name for a built-in one, or a dotted path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.utils.module_loading import import_string

T = TypeVar("T")


def chosen(name: str, builtin: Mapping[str, Callable[[], T]]) -> T:
    """A new backend: `builtin[name]` where the setting gives a short name ("local", "smtp"),
    otherwise the class at the dotted path `name` (a deployment's own, or a test's fake)."""
    if name in builtin:
        return builtin[name]()
    made: T = import_string(name)()
    return made
