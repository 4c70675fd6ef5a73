from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.roles import Role
from sutiao.core.errors import Conflict, NotFound
from sutiao.core.policy import can, require, require_role
from sutiao.institutions import actions as institution_actions
from sutiao.institutions.choices import IP_KIND_LABELS
from sutiao.institutions.models import Court, MediationOrg
from sutiao.core.forms import run_action

from . import actions, queries, spreadsheets
from .forms import (
    AdmitForm,
    ImportForm,
    MeasureForm,
    MediatorForm,
    OrgForm,
    ReasonForm,
    RecommendForm,
)
from .models import ImportJob, Mediator, Recommendation, RosterEntry
from .policies import may_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page(request, qs, per=50):
    return Paginator(qs, per).get_page(request.GET.get("page"))


# Public -------------------------------------------------------------------------------


def public_roster(request):
    f = request.GET
    show = "orgs" if f.get("show") == "orgs" else "mediators"
    court = f.get("court", "")
    court = court if court.isdigit() else ""
    args = {
        "region": f.get("region", "").strip(),
        "court": court,
        "ip_kind": f.get("expertise", ""),
        "fee": f.get("fee", ""),
        "q": f.get("q", "").strip(),
        "ip_only": f.get("ip_only") == "1",
    }
    qs = queries.public_orgs(**args) if show == "orgs" else queries.public_mediators(**args)
    query = f.copy()
    query.pop("page", None)
    query.pop("show", None)
    return render(
        request,
        "roster/public_roster.html",
        {
            "show": show,
            "items": _page(request, qs),
            "filters": f,
            "query": query.urlencode(),
            "courts": queries.roster_courts(),
            "ip_kinds": IP_KIND_LABELS.items(),
        },
    )


def mediator_public(request, pk: int):
    mediator = get_object_or_404(Mediator.objects.select_related("region"), pk=pk)
    require(request.user, "view", mediator)
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
    entry = get_object_or_404(RosterEntry.objects.select_related("court", "mediator", "org"), pk=pk)
    require(request.user, "view", entry)
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
            "form": form,
        },
    )


# Courts -------------------------------------------------------------------------------


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
    rec = get_object_or_404(
        Recommendation.objects.select_related("court", "office", "mediator", "org"), pk=pk
    )
    require(request.user, "view", rec)
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


# IP offices ---------------------------------------------------------------------------


def _office_only(request) -> None:
    require_role(request.user, Role.IP_OFFICE_STAFF, Role.PLATFORM_ADMIN)


@login_required
def maintain(request):
    _office_only(request)
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
            "items": _page(request, items),
            "show": show,
            "filters": request.GET,
            "statuses": Mediator.Status.choices,
        },
    )


def _mediator_data(form: MediatorForm) -> dict:
    data = dict(form.cleaned_data)
    data["orgs"] = [o.pk for o in data.get("orgs") or []]
    return data


@login_required
def mediator_new(request):
    _office_only(request)
    form = MediatorForm(
        request.POST or None, orgs=queries.orgs_maintained_by(request.user), creating=True
    )
    if request.method == "POST":
        done = run_action(
            request,
            form,
            lambda d: actions.save_mediator(
                actor=request.user, mediator=None, data=_mediator_data(form)
            ),
            success=_("The mediator is saved."),
            then=lambda mediator: reverse("roster:mediator_edit", args=[mediator.pk]),
            catch=(),
        )
        if done:
            return done
    return render(request, "roster/mediator_form.html", {"form": form, "mediator": None})


@login_required
def mediator_edit(request, pk: int):
    mediator = get_object_or_404(Mediator.objects.select_related("region", "import_job"), pk=pk)
    require(request.user, "manage", mediator)
    initial = {
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
    orgs = queries.orgs_maintained_by(request.user) | MediationOrg.objects.filter(
        pk__in=mediator.orgs.values("pk")
    )
    form = MediatorForm(request.POST or None, orgs=orgs.distinct(), creating=False, initial=initial)
    status_form = ReasonForm(request.POST if "status" in request.POST else None)
    here = reverse("roster:mediator_edit", args=[pk])
    done = None
    if request.method == "POST" and "status" in request.POST:
        done = run_action(
            request,
            status_form,
            lambda d: actions.set_mediator_status(
                actor=request.user,
                mediator=mediator,
                status=request.POST["status"],
                reason=d["reason"],
            ),
            success=_("The status is changed."),
            then=here,
            refusal="message",
            catch=(Conflict,),
        )
    elif request.method == "POST":
        done = run_action(
            request,
            form,
            lambda d: actions.save_mediator(
                actor=request.user, mediator=mediator, data=_mediator_data(form)
            ),
            success=_("The mediator is saved."),
            then=here,
            catch=(),
        )
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


@login_required
def org_manage(request, pk: int):
    org = get_object_or_404(MediationOrg.objects.select_related("region"), pk=pk)
    require(request.user, "manage", org)
    initial = {
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
    form = OrgForm(request.POST if "status" not in request.POST else None, initial=initial)
    status_form = ReasonForm(request.POST if "status" in request.POST else None)
    here = reverse("roster:org_manage", args=[pk])
    done = None
    if request.method == "POST" and "status" in request.POST:
        done = run_action(
            request,
            status_form,
            lambda d: actions.set_org_active(
                actor=request.user,
                org=org,
                active=request.POST["status"] == "active",
                reason=d["reason"],
            ),
            success=_("The status is changed."),
            then=here,
            refusal="message",
            catch=(Conflict,),
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
    _office_only(request)
    subject_kind = "org" if request.GET.get("org") else "mediator"
    if subject_kind == "org":
        subject = get_object_or_404(MediationOrg, pk=request.GET.get("org"))
    else:
        subject = get_object_or_404(Mediator, pk=request.GET.get("mediator") or 0)
    require(request.user, "recommend", subject)
    courts = queries.courts_for_recommendation(request.user)
    form = RecommendForm(request.POST or None, courts=courts)
    if request.method == "POST":
        done = run_action(
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
        )
        if done:
            return done
    return render(request, "roster/recommend.html", {"form": form, "subject": subject})


@login_required
def recommendations(request):
    _office_only(request)
    return render(
        request,
        "roster/recommendations.html",
        {"recommendations": _page(request, queries.recommendations_for_office(request.user))},
    )


@login_required
def export(request):
    _office_only(request)
    mediators = queries.mediators_maintained_by(request.user).prefetch_related(
        "roster_entries__court"
    )
    orgs = queries.orgs_maintained_by(request.user)

    def mediator_rows():
        for m in mediators.iterator(chunk_size=1000):
            yield [
                m.name,
                m.id_number_masked,
                m.phone_masked,
                m.region_id,
                m.region.full_name,
                "、".join(o.name for o in m.orgs.all()),
                "、".join(spreadsheets.IP_KIND_TITLES.get(k.pk, k.pk) for k in m.ip_kinds.all()),
                m.technical_fields,
                m.languages,
                "、".join(spreadsheets.QUALIFICATION_TITLES.get(q, q) for q in m.qualifications),
                "是" if m.charges_fees else "否",
                m.get_status_display(),
                "、".join(
                    e.court.name
                    for e in m.roster_entries.all()
                    if e.status == RosterEntry.Status.ADMITTED
                ),
            ]

    def org_rows():
        for o in orgs.iterator(chunk_size=1000):
            yield [
                o.name,
                o.get_kind_display(),
                o.region_id,
                o.region.full_name,
                o.uscc,
                "、".join(spreadsheets.IP_KIND_TITLES.get(k.pk, k.pk) for k in o.ip_kinds.all()),
                "是" if o.charges_fees else "否",
                _("Active") if o.active else _("Suspended"),
            ]

    data = spreadsheets.table(
        [
            (
                "调解员",
                [
                    "姓名",
                    "身份证号码（已遮蔽）",
                    "手机号码（已遮蔽）",
                    "行政区划代码",
                    "地区",
                    "所属调解组织",
                    "擅长领域",
                    "技术领域",
                    "工作语言",
                    "资质",
                    "是否收费",
                    "状态",
                    "特邀法院",
                ],
                mediator_rows(),
            ),
            (
                "调解组织",
                [
                    "名称",
                    "类型",
                    "行政区划代码",
                    "地区",
                    "统一社会信用代码",
                    "受理纠纷类型",
                    "是否收费",
                    "状态",
                ],
                org_rows(),
            ),
        ]
    )
    return _xlsx(data, f"roster-{timezone.localdate():%Y%m%d}.xlsx")


# Collection ---------------------------------------------------------------------------


@login_required
def import_page(request):
    if not may_import(request.user):
        _office_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = run_action(
            request,
            form,
            lambda d: actions.start_import(
                actor=request.user, filename=d["file"].name, data=d["file"].read(), kind=d["kind"]
            ),
            success="",
            then=lambda job: reverse("roster:import_job", args=[job.pk]),
            catch=(),
        )
        if done:
            return done
    return render(
        request, "roster/import.html", {"form": form, "jobs": queries.imports_of(request.user)}
    )


def _job(request, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk)
    require(request.user, "view", job)
    return job


@login_required
def import_job(request, pk: int):
    return render(request, "roster/import_job.html", {"job": _job(request, pk)})


@login_required
def import_progress(request, pk: int):
    """The part of the job page that htmx reloads every second until the import ends."""
    return render(request, "roster/_import_progress.html", {"job": _job(request, pk)})


@login_required
def import_errors(request, pk: int):
    job = _job(request, pk)
    return _xlsx(spreadsheets.error_report(job), f"import-{job.pk}-errors.xlsx")


def import_template(request, kind: str):
    if kind not in ImportJob.Kind.values:
        raise NotFound()
    return _xlsx(spreadsheets.template(kind), f"sutiao-{kind}-template.xlsx")


# Mediators ----------------------------------------------------------------------------


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
