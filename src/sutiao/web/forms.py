"""Helpers shared by the pages of every domain."""

from __future__ import annotations

from django import forms

from sutiao.core.errors import Invalid


def apply_errors(form: forms.Form, exc: Invalid) -> None:
    """Put an action's field errors beside the fields of the form that called it."""
    for field, messages in exc.details.get("fields", {"__all__": [exc.message]}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
