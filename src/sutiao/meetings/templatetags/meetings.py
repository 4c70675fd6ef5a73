"""The sessions section of a case page."""

from __future__ import annotations

from django import template

from sutiao.cases import lifecycle as case_lifecycle
from sutiao.core.policy import can

from .. import queries

register = template.Library()


@register.inclusion_tag("meetings/_case_section.html", takes_context=True)
def case_sessions(context, case):
    user = context["request"].user
    return {
        "case": case,
        "sessions": list(queries.sessions_of_case(user, case)[:20]),
        # OMR 4, 8: the button only where proposing is possible (every party consented).
        "may_propose": can(user, "mediate", case)
        and case_lifecycle.TRANSITIONS["hold_session"].failing(case) is None,
    }
