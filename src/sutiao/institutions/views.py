from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sutiao.accounts.roles import Role
from sutiao.core.forms import form_page
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import require, require_role

from . import actions, queries
from .choices import IP_KIND_LABELS, OrgKind
from .forms import CourtSettingsForm, OrgForm
from .models import Court, IPOffice, MediationOrg


def directory(request):
    region = request.GET.get("region", "").strip()
    q = request.GET.get("q", "").strip()
    context = {
        "courts": queries.courts(region=region, ip_only=True, q=q)[:200],
        "offices": queries.ip_offices(region=region, q=q)[:200],
        "orgs": Paginator(
            queries.orgs(
                region=region,
                q=q,
                kind=request.GET.get("kind", ""),
                ip_kind=request.GET.get("ip_kind", ""),
                fee=request.GET.get("fee", ""),
            ),
            50,
        ).get_page(request.GET.get("page")),
        "org_kinds": OrgKind.choices,
        "ip_kinds": IP_KIND_LABELS.items(),
        "filters": request.GET,
        # The filters without the page number, for the pager links.
        "query": "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "page" and v),
    }
    return render(request, "institutions/directory.html", context)


def court_detail(request, pk: int):
    court = visible_or_404(request.user, Court.objects.select_related("region", "parent"), pk=pk)
    return render(request, "institutions/court_detail.html", {"court": court})


def _staff_page(request: HttpRequest, model: type[Model], pk: int, which: str) -> HttpResponse:
    """The people of a court, an IP office or an organisation (`which`: the staff_of keyword)."""
    institution = get_object_or_404(model, pk=pk)
    require(request.user, "view_staff", institution)
    return render(
        request,
        "institutions/staff.html",
        {"institution": institution, "staff": queries.staff_of(**{which: institution})},
    )


@login_required
def court_staff(request, pk: int):
    return _staff_page(request, Court, pk, "court")


@login_required
def court_settings(request, pk: int):
    court = get_object_or_404(Court, pk=pk)
    require(request.user, "manage_settings", court)
    form = CourtSettingsForm(request.POST or None, instance=court)
    return form_page(
        request,
        form,
        lambda d: actions.update_court_settings(
            actor=request.user,
            court=court,
            data={k: request.POST.get(k, "") for k in form.fields},
        ),
        success=_("The court settings are saved."),
        then=reverse("institutions:court_settings", args=[court.pk]),
        catch=(),
        template="institutions/court_settings.html",
        context={"court": court, "form": form},
    )


def office_detail(request, pk: int):
    office = get_object_or_404(IPOffice.objects.select_related("region", "parent"), pk=pk)
    return render(request, "institutions/office_detail.html", {"office": office})


@login_required
def office_staff(request, pk: int):
    return _staff_page(request, IPOffice, pk, "office")


def org_detail(request, pk: int):
    org = visible_or_404(request.user, MediationOrg.objects.select_related("region"), pk=pk)
    return render(request, "institutions/org_detail.html", {"org": org})


@login_required
def org_staff(request, pk: int):
    return _staff_page(request, MediationOrg, pk, "org")


@login_required
def org_list(request):
    """The organisations an IP office maintains."""
    require_role(request.user, Role.IP_OFFICE_STAFF, Role.PLATFORM_ADMIN)
    orgs = Paginator(queries.orgs_maintained_by(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "institutions/org_list.html", {"orgs": orgs})


@login_required
def org_edit(request, pk: int | None = None):
    """IP office staff create and maintain the organisations of their region."""
    org = get_object_or_404(MediationOrg, pk=pk) if pk else None
    if org:
        require(request.user, "manage", org)
    else:
        require_role(request.user, Role.IP_OFFICE_STAFF, Role.PLATFORM_ADMIN)
    form = OrgForm(request.POST or None, instance=org)
    return form_page(
        request,
        form,
        lambda d: actions.save_org(actor=request.user, org=org, data=dict(d)),
        success=_("The organisation is saved."),
        then=lambda saved: reverse("institutions:org_detail", args=[saved.pk]),
        catch=(),
        template="institutions/org_edit.html",
        context={"form": form, "org": org},
    )
