"""Failure points: where tests kill or break the worker on purpose.

`point(name)` does nothing unless the point is armed: by `arm()` in a test, or by the
environment (SUTIAO_DELIVERY_FAULT=<name>:<action>, e.g. "after_accept:exit" to stop the
process dead, as `kill -9` would, right after the far side accepted a message and before the
worker recorded it). Actions: "exit" (os._exit, no cleanup at all), "raise" (WorkerKilled,
which no `except Exception` catches).
"""

from __future__ import annotations

import os

EXIT_CODE = 86
_armed: dict[str, str] = {}


class WorkerKilled(BaseException):  # noqa: N818 - not an error the worker may handle
    pass


def arm(name: str, action: str = "raise") -> None:
    _armed[name] = action


def disarm(name: str | None = None) -> None:
    if name is None:
        _armed.clear()
    else:
        _armed.pop(name, None)


def _from_environment(name: str) -> str:
    spec = os.environ.get("SUTIAO_DELIVERY_FAULT", "")
    point, _, action = spec.partition(":")
    return (action or "exit") if point == name else ""


def point(name: str) -> None:
    action = _armed.get(name) or _from_environment(name)
    if action == "exit":
        os._exit(EXIT_CODE)
    if action == "raise":
        raise WorkerKilled(name)
