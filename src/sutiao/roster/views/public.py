"""The public roster: every organisation and mediator on a court's roster, and each entry."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sutiao.core.errors import Conflict
from sutiao.core.forms import run_action
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import can
from sutiao.institutions.choices import IP_KIND_LABELS
from sutiao.institutions.models import Court

from .. import actions, queries
from ..forms import MeasureForm
from ..models import Mediator, RosterEntry
from ._common import page


def public_roster(request):
    f = request.GET
    show = "orgs" if f.get("show") == "orgs" else "mediators"
    court = f.get("court", "")
    court = court if court.isdigit() else ""
    args = queries.PublicFilter(
        region=f.get("region", "").strip(),
        court=court,
        ip_kind=f.get("expertise", ""),
        fee=f.get("fee", ""),
        q=f.get("q", "").strip(),
        ip_only=f.get("ip_only") == "1",
    )
    qs = queries.public_orgs(args) if show == "orgs" else queries.public_mediators(args)
    query = f.copy()
    query.pop("page", None)
    query.pop("show", None)
    return render(
        request,
        "roster/public_roster.html",
        {
            "show": show,
            "items": page(request, qs),
            "filters": f,
            "query": query.urlencode(),
            "courts": queries.roster_courts(),
            "ip_kinds": IP_KIND_LABELS.items(),
        },
    )


def mediator_public(request, pk: int):
    mediator = visible_or_404(request.user, Mediator.objects.select_related("region"), pk=pk)
    entries = queries.entries_in_force().filter(mediator=mediator).select_related("court")
    return render(
        request,
        "roster/mediator_public.html",
        {
            "mediator": mediator,
            "entries": entries,
            "may_manage": can(request.user, "manage", mediator),
        },
    )


def court_roster(request, pk: int):
    court = get_object_or_404(Court.objects.select_related("parent"), pk=pk)
    ip_only = request.GET.get("ip") == "1"
    entries = list(queries.court_roster(court, ip_only=ip_only))
    return render(
        request,
        "roster/court_roster.html",
        {
            "court": court,
            "entries": entries,
            "ip_only": ip_only,
            "higher": court.ancestors(),
            "may_manage": can(request.user, "manage_roster", court),
        },
    )


def entry_detail(request, pk: int):
    entry = visible_or_404(
        request.user, RosterEntry.objects.select_related("court", "mediator", "org"), pk=pk
    )
    may_manage = can(request.user, "manage", entry)
    form = MeasureForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("accounts:login")
        done = run_action(
            request,
            form,
            lambda d: actions.take_measure(actor=request.user, entry=entry, **d),
            success=_("The measure is recorded."),
            then=reverse("roster:entry", args=[entry.pk]),
            refusal="form",
            catch=(Conflict,),
        )
        if done:
            return done
    return render(
        request,
        "roster/entry.html",
        {
            "entry": entry,
            "measures": entry.measures.all(),
            "may_manage": may_manage and entry.status == RosterEntry.Status.ADMITTED,
            # OMR 29: the court that keeps the roster sees how often the assignments it
            # sent were refused; the public roster does not show it.
            "may_see_refusals": may_manage,
            "form": form,
        },
    )
