"""`{% similar_outcomes %}`: the panel of similar cases' outcomes, for pages outside the
casebook (the application form), which reloads it through htmx when the IP kind changes."""

from __future__ import annotations

from django import template

from sutiao.institutions.models import IPKind

from ..views import outcome_context

register = template.Library()


@register.inclusion_tag("casebook/_outcomes_panel.html")
def similar_outcomes(ip_kind: str = "", select: str = "") -> dict:
    """`select`: the CSS id of the form's IP-kind select, whose changes reload the panel."""
    kind = IPKind.objects.filter(pk=ip_kind or "").first()
    return {**outcome_context(kind), "select": select}
