"""Court clerks decide the recommendations sent to their court."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.core.errors import Conflict
from sutiao.core.forms import run_action
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import can, require
from sutiao.institutions.models import Court

from .. import actions, queries
from ..forms import AdmitForm, ReasonForm
from ..models import Recommendation


@login_required
def pending(request, pk: int):
    court = get_object_or_404(Court, pk=pk)
    require(request.user, "manage_roster", court)
    return render(
        request,
        "roster/pending.html",
        {"court": court, "recommendations": queries.pending_for(court)},
    )


@login_required
def recommendation(request, pk: int):
    rec = visible_or_404(
        request.user,
        Recommendation.objects.select_related("court", "office", "mediator", "org"),
        pk=pk,
    )
    may_decide = can(request.user, "decide", rec) and rec.status == Recommendation.Status.PENDING
    admit_form = AdmitForm(
        request.POST if request.POST.get("decision") == "admit" else None,
        initial={"term_start": timezone.localdate(), "ip_specialty": True},
    )
    decline_form = ReasonForm(request.POST if request.POST.get("decision") == "decline" else None)
    decision = request.POST.get("decision") if request.method == "POST" else None
    done = None
    if decision == "admit":
        done = run_action(
            request,
            admit_form,
            lambda d: actions.admit(actor=request.user, recommendation=rec, **d),
            success=_("Admitted to the court's roster."),
            then=lambda entry: reverse("roster:court_roster", args=[entry.court_id]),
            refusal="message",
            catch=(Conflict,),
        )
    elif decision == "decline":
        done = run_action(
            request,
            decline_form,
            lambda d: actions.decline(actor=request.user, recommendation=rec, reason=d["reason"]),
            success=_("The recommendation is declined."),
            then=reverse("roster:pending", args=[rec.court_id]),
            refusal="message",
            catch=(Conflict,),
        )
    if done:
        return done
    return render(
        request,
        "roster/recommendation.html",
        {
            "rec": rec,
            "may_decide": may_decide,
            "admit_form": admit_form,
            "decline_form": decline_form,
        },
    )
