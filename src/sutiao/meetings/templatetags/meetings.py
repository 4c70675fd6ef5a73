"""The sessions section of a case page."""

from __future__ import annotations

from django import template

from sutiao.core.policy import can

from .. import queries

register = template.Library()


@register.inclusion_tag("meetings/_case_section.html", takes_context=True)
def case_sessions(context, case):
    user = context["request"].user
    return {
        "case": case,
        "sessions": list(queries.sessions_of_case(user, case)[:20]),
        "may_propose": can(user, "mediate", case),
    }
