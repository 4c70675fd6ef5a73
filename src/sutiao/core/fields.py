"""Field factories for the column shapes every domain repeats.

`optional_fk(Court, "cases", _("court"))` is a foreign key that may be empty (null and
blank); `by_user()` is the person who did something, kept for the record (PROTECT) with no
reverse accessor on the user. Both return plain Django fields, so migrations see no change.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from django.conf import settings
from django.db import models
from django.utils.functional import Promise

_M = TypeVar("_M", bound=models.Model)
_OnDelete = Any  # models.PROTECT, models.CASCADE, ... (Django types them loosely)


@overload
def optional_fk(
    to: type[_M],
    related_name: str | None = ...,
    verbose_name: str | Promise | None = ...,
    *,
    on_delete: _OnDelete = ...,
) -> models.ForeignKey[_M | None, _M | None]: ...
@overload
def optional_fk(
    to: str,
    related_name: str | None = ...,
    verbose_name: str | Promise | None = ...,
    *,
    on_delete: _OnDelete = ...,
) -> models.ForeignKey[Any, Any]: ...
def optional_fk(
    to: Any,
    related_name: str | None = None,
    verbose_name: str | Promise | None = None,
    *,
    on_delete: _OnDelete = models.PROTECT,
) -> models.ForeignKey[Any, Any]:
    """A foreign key that may be empty; PROTECT unless `on_delete` says otherwise."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def by_user(verbose_name: str | Promise | None = None) -> models.ForeignKey[Any, Any]:
    """The user who did something (created, recorded, signed ...): required, kept (PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )
