"""Training hours on other domains' pages (the roster's lists and profiles), in one batch:
`{% hours_status_of items as hours %}` once per list, then `{{ hours|hours_for:m.pk }}`."""

from __future__ import annotations

from typing import Any

from django import template

from sutiao.roster.models import Mediator

from ..queries import HoursStatus, hours_status

register = template.Library()


def _mediators(items: Any) -> list[Mediator]:
    found = []
    for item in items or []:
        m = item if isinstance(item, Mediator) else getattr(item, "mediator", None)
        if isinstance(m, Mediator):
            found.append(m)
    return found


@register.simple_tag
def hours_status_of(items: Any) -> dict[int, HoursStatus]:
    """Items: mediators, or rows with a `mediator` (roster entries); a single mediator too."""
    if isinstance(items, Mediator):
        items = [items]
    return hours_status(_mediators(items))


@register.filter
def hours_for(statuses: dict[int, HoursStatus] | None, mediator_id: Any) -> HoursStatus | None:
    return (statuses or {}).get(mediator_id)
