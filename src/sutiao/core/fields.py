"""Field factories for the column shapes every domain repeats.

`optional_fk(Court, "cases", _("court"))` is a foreign key that may be empty (null and
blank); `by_user()` is the user who did something, with no reverse accessor on the user:
required and kept (PROTECT), or with `optional=True` empty when unknown and emptied if the
user is deleted (SET_NULL). Both return plain Django fields, so migrations see no change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, overload

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise
else:
    _StrOrPromise = str

_M = TypeVar("_M", bound=models.Model)


@overload
def optional_fk(
    to: type[_M],
    related_name: str | None = ...,
    verbose_name: _StrOrPromise | None = ...,
    *,
    on_delete: Any = ...,
    **options: Any,
) -> models.ForeignKey[_M | None, _M | None]: ...
@overload
def optional_fk(
    to: str,
    related_name: str | None = ...,
    verbose_name: _StrOrPromise | None = ...,
    *,
    on_delete: Any = ...,
    **options: Any,
) -> models.ForeignKey[Any, Any]: ...
def optional_fk(
    to: Any,
    related_name: str | None = None,
    verbose_name: _StrOrPromise | None = None,
    *,
    on_delete: Any = models.PROTECT,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """A foreign key that may be empty; PROTECT unless `on_delete` says otherwise; `options`
    (help_text ...) go to the field as they are."""
    return models.ForeignKey(
        to,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def by_user(
    verbose_name: _StrOrPromise | None = None, *, optional: bool = False
) -> models.ForeignKey[Any, Any]:
    """The user who did something (created, recorded, signed ...), no reverse accessor."""
    if optional:
        return optional_fk(settings.AUTH_USER_MODEL, "+", verbose_name, on_delete=models.SET_NULL)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )
