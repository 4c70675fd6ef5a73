"""Domain errors with stable codes; the API and the pages turn them into responses.

A code names the rule that was broken (`case.invalid_transition`), never the exception
class, so that clients can rely on it across releases.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_message = _("The request is not valid.")

    def __init__(self, message: Any = None, *, code: str | None = None, **details: Any):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.details = details
        super().__init__(str(self.message))


class NotFound(DomainError):
    """Also what a user gets for an object they may not see: hidden and missing look alike."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_message = _("This cannot be done in the current state.")


class Invalid(DomainError):
    """Bad input, with the message for each field in `details["fields"]`."""

    status = 422
    code = "validation_failed"
    default_message = _("Some fields are not valid.")

    @classmethod
    def from_django(cls, error) -> Invalid:  # django.core.exceptions.ValidationError
        if hasattr(error, "message_dict"):
            fields = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in error.messages]}
        first = next(iter(fields.values()))[0]
        return cls(first, fields=fields)
