"""IP offices maintain mediators and organisations and recommend them to courts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sutiao.core.errors import Conflict
from sutiao.core.forms import form_page, run_action
from sutiao.core.policy import require
from sutiao.institutions import actions as institution_actions
from sutiao.institutions.models import Court, MediationOrg

from .. import actions, queries
from ..forms import MediatorForm, OrgForm, ReasonForm, RecommendForm
from ..models import Mediator
from ._common import SignedInRequest, change_status, office_only, page


@login_required
def maintain(request):
    office_only(request)
    q = request.GET.get("q", "").strip()
    show = "orgs" if request.GET.get("show") == "orgs" else "mediators"
    if show == "orgs":
        items = queries.orgs_maintained_by(request.user, q=q)
    else:
        items = queries.mediators_maintained_by(
            request.user, q=q, status=request.GET.get("status", "")
        )
    return render(
        request,
        "roster/maintain.html",
        {
            "items": page(request, items),
            "show": show,
            "filters": request.GET,
            "statuses": Mediator.Status.choices,
        },
    )


def _mediator_initial(mediator: Mediator) -> dict[str, Any]:
    return {
        "name": mediator.name,
        "phone": mediator.phone,
        "region": mediator.region_id,
        "orgs": list(mediator.orgs.all()),
        "ip_kinds": [k.pk for k in mediator.ip_kinds.all()],
        "technical_fields": mediator.technical_fields,
        "languages": mediator.languages,
        "qualifications": mediator.qualifications,
        "charges_fees": mediator.charges_fees,
        "fee_note": mediator.fee_note,
        "bio": mediator.bio,
    }


def _mediator_data(form: MediatorForm) -> dict:
    data = dict(form.cleaned_data)
    data["orgs"] = [o.pk for o in data.get("orgs") or []]
    return data


def _save_mediator(
    request: SignedInRequest, form: MediatorForm, mediator: Mediator | None, *, then: Any
) -> HttpResponse | None:
    """Save the mediator form (a new mediator when `mediator` is None); then go to `then`."""
    return run_action(
        request,
        form,
        lambda d: actions.save_mediator(
            actor=request.user, mediator=mediator, data=_mediator_data(form)
        ),
        success=_("The mediator is saved."),
        then=then,
        catch=(),
    )


@login_required
def mediator_new(request):
    office_only(request)
    form = MediatorForm(
        request.POST or None, orgs=queries.orgs_maintained_by(request.user), creating=True
    )
    if request.method == "POST":
        done = _save_mediator(
            request,
            form,
            None,
            then=lambda mediator: reverse("roster:mediator_edit", args=[mediator.pk]),
        )
        if done:
            return done
    return render(request, "roster/mediator_form.html", {"form": form, "mediator": None})


@login_required
def mediator_edit(request, pk: int):
    mediator = get_object_or_404(Mediator.objects.select_related("region", "import_job"), pk=pk)
    require(request.user, "manage", mediator)
    initial = _mediator_initial(mediator)
    orgs = queries.orgs_maintained_by(request.user) | MediationOrg.objects.filter(
        pk__in=mediator.orgs.values("pk")
    )
    form = MediatorForm(request.POST or None, orgs=orgs.distinct(), creating=False, initial=initial)
    status_form = ReasonForm(request.POST if "status" in request.POST else None)
    here = reverse("roster:mediator_edit", args=[pk])
    done = None
    if request.method == "POST" and "status" in request.POST:
        done = change_status(
            request,
            status_form,
            lambda status, reason: actions.set_mediator_status(
                actor=request.user, mediator=mediator, status=status, reason=reason
            ),
            then=here,
        )
    elif request.method == "POST":
        done = _save_mediator(request, form, mediator, then=here)
    if done:
        return done
    return render(
        request,
        "roster/mediator_form.html",
        {
            "form": form,
            "mediator": mediator,
            "status_form": status_form,
            "history": queries.history(mediator)[:50],
            "entries": queries.my_entries(mediator),
            "recommendations": mediator.recommendations.select_related("court")[:20],
        },
    )


def _org_initial(org: MediationOrg) -> dict[str, Any]:
    return {
        "name": org.name,
        "kind": org.kind,
        "region": org.region_id,
        "uscc": org.uscc,
        "ip_kinds": [k.pk for k in org.ip_kinds.all()],
        "charges_fees": org.charges_fees,
        "fee_note": org.fee_note,
        "contact_person": org.contact_person,
        "contact_phone": org.contact_phone,
        "address": org.address,
        "description": org.description,
    }


@login_required
def org_manage(request, pk: int):
    org = get_object_or_404(MediationOrg.objects.select_related("region"), pk=pk)
    require(request.user, "manage", org)
    initial = _org_initial(org)
    form = OrgForm(request.POST if "status" not in request.POST else None, initial=initial)
    status_form = ReasonForm(request.POST if "status" in request.POST else None)
    here = reverse("roster:org_manage", args=[pk])
    done = None
    if request.method == "POST" and "status" in request.POST:
        done = change_status(
            request,
            status_form,
            lambda status, reason: actions.set_org_active(
                actor=request.user, org=org, active=status == "active", reason=reason
            ),
            then=here,
        )
    elif request.method == "POST":
        done = run_action(
            request,
            form,
            lambda d: institution_actions.save_org(actor=request.user, org=org, data=d),
            success=_("The organisation is saved."),
            then=here,
            catch=(),
        )
    if done:
        return done
    return render(
        request,
        "roster/org_form.html",
        {"form": form, "org": org, "status_form": status_form},
    )


@login_required
def recommend(request):
    office_only(request)
    subject_kind = "org" if request.GET.get("org") else "mediator"
    if subject_kind == "org":
        subject = get_object_or_404(MediationOrg, pk=request.GET.get("org"))
    else:
        subject = get_object_or_404(Mediator, pk=request.GET.get("mediator") or 0)
    require(request.user, "recommend", subject)
    courts = queries.courts_for_recommendation(request.user)
    form = RecommendForm(request.POST or None, courts=courts)
    return form_page(
        request,
        form,
        lambda d: actions.recommend(
            actor=request.user,
            court=get_object_or_404(Court, pk=d["court"]),
            note=d["note"],
            **{subject_kind: subject},
        ),
        success=_("The recommendation is sent to the court."),
        then=reverse("roster:recommendations"),
        refusal="form",
        catch=(Conflict,),
        template="roster/recommend.html",
        context={"form": form, "subject": subject},
    )


@login_required
def recommendations(request):
    office_only(request)
    return render(
        request,
        "roster/recommendations.html",
        {"recommendations": page(request, queries.recommendations_for_office(request.user))},
    )
