"""A mediator's own page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .. import actions, queries
from ..models import Mediator


@login_required
def me(request):
    actions.link_account(user=request.user)
    mediator = Mediator.objects.filter(user=request.user).select_related("region").first()
    if mediator is None:
        return render(request, "roster/me.html", {"mediator": None}, status=404)
    return render(
        request,
        "roster/me.html",
        {"mediator": mediator, "entries": queries.my_entries(mediator)},
    )
