"""Validation shared by every domain; messages in the user's language."""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError


class _StdnumModule(Protocol):
    def validate(self, number: str) -> Any: ...


def check_with_stdnum(
    module: _StdnumModule, value: str, message: str, code: str, params: dict[str, Any] | None = None
) -> None:
    """Check `value` with a python-stdnum module (`stdnum.cn.ric`, `stdnum.cn.uscc` ...);
    what it refuses becomes a ValidationError with our message and code."""
    try:
        module.validate(value)
    except StdnumError as exc:
        raise ValidationError(message, code=code, params=params) from exc
