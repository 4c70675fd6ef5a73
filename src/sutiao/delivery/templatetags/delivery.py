"""Tags for pages: the inbox badge in the header, the served documents on a case page."""

from __future__ import annotations

from django import template

from .. import queries
from ..policies import is_staff

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_unread(context) -> int:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return queries.unread_count(user.pk)


@register.simple_tag(takes_context=True)
def live_socket(context) -> bool:
    """Whether this page can open the live WebSocket: only the ASGI server (`sutiao serve`)
    answers /ws/live/; a page served over WSGI (a WSGI-only deployment, the test server) has
    no socket beside it and does not try."""
    request = context.get("request")
    return getattr(request, "scope", {}).get("type") == "http"


@register.inclusion_tag("delivery/_case_section.html", takes_context=True)
def case_services(context, case):

    user = context["request"].user
    services = list(queries.services_for_case(user, case)[:50])
    staff = is_staff(user, case)
    return {
        "case": case,
        "services": services,
        "staff": staff,
        "attention": [s for s in services if s.needs_attention] if staff else [],
    }
