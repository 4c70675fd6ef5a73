"""The one object a request names, for a caller who may see it: the look-up every page and
endpoint starts with ("find it, or 404; hidden from this user, 404 too")."""

from __future__ import annotations

from typing import Any

from django.db.models import Manager, Model, QuerySet
from django.http import Http404

from .errors import NotFound
from .policy import require


def visible(
    user: Any,
    rows: QuerySet | Manager | type[Model],
    *,
    missing: type[Exception] = NotFound,
    **lookup: Any,
) -> Any:
    """The first of `rows` (a queryset or a model) matching `lookup`, if `user` may view it.

    Missing: `missing` is raised (NotFound, the API's 404; pages pass Http404 for Django's 404
    page). There but not visible to `user`: NotFound from `policy.require`, a 404 as well."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise missing()
    require(user, "view", obj)
    return obj


def visible_or_404(user: Any, rows: QuerySet | Manager | type[Model], **lookup: Any) -> Any:
    """`visible` for pages: a missing object is Django's 404 page, as with get_object_or_404."""
    return visible(user, rows, missing=Http404, **lookup)
