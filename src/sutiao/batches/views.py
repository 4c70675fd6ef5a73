"""The batch pages: the list (one line per batch, counts by state), the upload, and a batch's
page — the clerk delegates, the organisation's administrator assigns, the mediator contacts
the respondents and sees who answered — and the mediator's declared conflicts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.cases import lifecycle
from sutiao.cases.actions import PartyIn
from sutiao.cases.choices import Channel, State
from sutiao.cases.models import Case
from sutiao.core.errors import Forbidden
from sutiao.core.forms import run_action
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import can
from sutiao.institutions.models import MediationOrg
from sutiao.roster import queries as roster
from sutiao.roster.models import Mediator

from . import actions, matching, queries, spreadsheet
from .actions.agreements import ready_cases
from .forms import (
    AgreementsForm,
    AssignForm,
    ConflictForm,
    DelegateForm,
    EntrustForm,
    UploadForm,
)
from .models import Batch, DeclaredConflict
from .policies import admin_orgs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choices(form, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def _url(batch: Batch) -> str:
    return reverse("batches:detail", args=[batch.pk])


@login_required
def batch_list(request):
    batches = list(queries.batches_of(request.user)[:200])
    counts = queries.counts_by_state([b.pk for b in batches])
    rows = [(b, counts.get(b.pk, [])) for b in batches]
    is_mediator = Mediator.objects.filter(user=request.user).exists()
    return render(request, "batches/list.html", {"rows": rows, "is_mediator": is_mediator})


@login_required
def template(request):
    response = HttpResponse(spreadsheet.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="batch-template.xlsx"'
    return response


def _upload(request, d):
    files = [(f, "evidence") for f in d["evidence"]]
    if d["power_of_attorney"]:
        files.append((d["power_of_attorney"], "power_of_attorney"))
    natural = d["applicant_kind"] == "natural"
    return actions.upload_batch(
        actor=request.user,
        court=d["court"],
        title=d["title"],
        ip_kind=d["ip_kind"],
        claims=d["claims"],
        description=d["description"],
        applicant=PartyIn(
            role="applicant",
            name=d["applicant_name"],
            kind=d["applicant_kind"],
            uscc="" if natural else d["applicant_code"],
            id_number=d["applicant_code"] if natural else "",
            phone=d["applicant_phone"],
        ),
        consent=actions.ConsentIn(
            service_email=d["service_email"] or "",
            service_phone=d["service_phone"],
            notice_acknowledged=d["notice_acknowledged"],
        ),
        spreadsheet_file=d["spreadsheet"],
        files=files,
        as_agent=d["as_agent"],
    )


def _uploaded(result) -> str:
    batch, created = result
    if not created:
        return _("This spreadsheet was uploaded before: nothing was created again.")
    return _("%(created)d applications created; %(errors)d rows need correcting.") % {
        "created": batch.created_count,
        "errors": batch.error_count,
    }


@login_required
def new(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        done = run_action(
            request,
            form,
            lambda d: _upload(request, d),
            success=_uploaded,
            then=lambda result: _url(result[0]),
            refusal="form",
        )
        if done:
            return done
    return render(request, "batches/new.html", {"form": form})


def _clerk_context(batch: Batch, waiting) -> dict:
    d = matching.dispute_of_cases(batch.court, batch.ip_kind, waiting)
    matches = matching.rank(d) if waiting else []
    form = DelegateForm(initial={"mediators": [m.mediator.pk for m in matches[:3]]})
    _choices(form, "mediators").queryset = Mediator.objects.filter(
        pk__in=[m.mediator.pk for m in matches]
    )
    _choices(form, "org").queryset = roster.eligible_for(batch.court).orgs
    return {"matches": matches, "delegate_form": form}


def _entrust_allowed(batch: Batch, filed: list[Case]) -> bool:
    """The lifecycle's answer for the button: the entrusted mediation a filed case becomes
    starts as submitted, and `entrust` from there is the judge's (cases.lifecycle)."""
    if not filed:
        return False
    fc = filed[0].filed_as
    probe = Case(channel=Channel.ENTRUSTED, state=State.SUBMITTED, court=batch.court)
    probe.filed_case_id = fc.pk
    return any(t.name == "entrust" for t in lifecycle.available(probe, {"judge"}))


def _judge_context(batch: Batch) -> dict:
    filed = queries.entrustable(batch)
    if not _entrust_allowed(batch, filed):
        return {}
    d = matching.dispute_of_cases(batch.court, batch.ip_kind, filed)
    matches = matching.rank(d)
    form = EntrustForm(initial={"mediators": [m.mediator.pk for m in matches[:3]]})
    _choices(form, "mediators").queryset = Mediator.objects.filter(
        pk__in=[m.mediator.pk for m in matches]
    )
    _choices(form, "org").queryset = roster.eligible_for(batch.court).orgs
    return {
        "entrust_form": form,
        "entrustable": {c.pk for c in filed},
        "entrust_matches": matches,
    }


def _admin_context(batch: Batch, org_id: int, waiting) -> dict:
    among = Mediator.objects.filter(orgs=org_id, status=Mediator.Status.ACTIVE)
    d = matching.dispute_of_cases(batch.court, batch.ip_kind, waiting)
    matches = matching.rank(d, among=among, limit=50) if waiting else []
    form = AssignForm()
    _choices(form, "mediators").queryset = among.filter(pk__in=[m.mediator.pk for m in matches])
    return {"matches": matches, "assign_form": form, "admin_org": org_id}


@login_required
def detail(request, pk: int):
    batch = visible_or_404(request.user, Batch.objects.select_related("court"), pk=pk)
    cases = list(queries.cases_of(batch, request.user))
    by_pk = {c.pk: c for c in cases}
    context = {
        "batch": batch,
        "cases": _with_respondents(cases),
        "counts": queries.counts_by_state([batch.pk]).get(batch.pk, []),
        "may_mediate": can(request.user, "mediate", batch),
    }
    if context["may_mediate"]:
        context["agreements_form"] = _agreements_form(request.user, batch)
    if can(request.user, "delegate", batch):
        context["may_delegate"] = True
        context.update(_clerk_context(batch, [c for c in cases if c.state == State.SUBMITTED]))
    if can(request.user, "entrust", batch):
        context.update(_judge_context(batch))
        for origin_pk, mediation in queries.entrusted_as(cases).items():
            by_pk[origin_pk].entrusted_as = mediation  # type: ignore[attr-defined]
        if not context.get("matches"):  # a judge who is no clerk: the filed cases' matches
            context["matches"] = context.get("entrust_matches")
    orgs = admin_orgs(request.user, batch)
    if orgs:
        waiting = [
            c for c in cases if c.org_id == orgs[0] and not c.mediator_id and c.state != "draft"
        ]
        context.update(_admin_context(batch, orgs[0], waiting))
    return render(request, "batches/detail.html", context)


def _with_respondents(cases):
    found = queries.respondents(cases)
    return [(c, found.get(c.pk)) for c in cases]


def _selection(request) -> list[int] | None:
    ids = [int(i) for i in request.POST.getlist("case") if i.isdigit()]
    return ids or None


def _route(request, pk: int, form_class, action, success, **extra):
    """Delegation and entrustment of a batch share their shape: the organisation among those
    eligible for the batch's court, its mediators, the selected cases (all when none)."""
    batch = visible_or_404(request.user, Batch, pk=pk)
    form = form_class(request.POST)
    _choices(form, "org").queryset = roster.eligible_for(batch.court).orgs
    done = run_action(
        request,
        form,
        lambda d: action(
            actor=request.user,
            batch=batch,
            org=d["org"],
            mediators=list(d["mediators"]),
            selection=_selection(request),
            **{name: get(d) for name, get in extra.items()},
        ),
        success=lambda done: success % {"n": len(done)},
        then=_url(batch),
        refusal="redirect",
    )
    return done or _form_refused(request, form, batch)


@login_required
@require_POST
def delegate(request, pk: int):
    return _route(request, pk, DelegateForm, actions.delegate_batch, _("%(n)d cases delegated."))


@login_required
@require_POST
def entrust(request, pk: int):
    return _route(
        request,
        pk,
        EntrustForm,
        actions.entrust_batch,
        _("%(n)d filed cases entrusted."),
        procedure=lambda d: d["procedure"] or None,
    )


def _form_refused(request, form, batch):
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect(_url(batch))


@login_required
@require_POST
def assign(request, pk: int):
    batch = visible_or_404(request.user, Batch, pk=pk)
    orgs = admin_orgs(request.user, batch)
    form = AssignForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.assign_batch(
            actor=request.user,
            batch=batch,
            org=_org(orgs),
            mediators=list(d["mediators"]),
            selection=_selection(request),
        ),
        success=lambda done: _("%(n)d cases assigned.") % {"n": len(done)},
        then=_url(batch),
    )
    return done or _form_refused(request, form, batch)


def _org(org_ids: list[int]) -> MediationOrg:
    if not org_ids:
        raise Forbidden()
    return MediationOrg.objects.get(pk=org_ids[0])


@login_required
@require_POST
def contact(request, pk: int):
    batch = visible_or_404(request.user, Batch, pk=pk)
    return run_action(
        request,
        None,
        lambda _d: actions.contact_respondents(actor=request.user, batch=batch),
        success=lambda n: _("%(n)d respondents contacted.") % {"n": n},
        then=_url(batch),
    )


def _agreements_form(user, batch: Batch, data=None) -> AgreementsForm:
    """The template with an amount for each respondent whose agreement can be sent."""
    ready = ready_cases(user, batch)
    return AgreementsForm(data, rows=_with_respondents(ready))


@login_required
@require_POST
def send_agreements(request, pk: int):
    batch = visible_or_404(request.user, Batch, pk=pk)
    form = _agreements_form(request.user, batch, request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.send_agreements(
            actor=request.user,
            batch=batch,
            template=actions.TemplateIn(
                d["facts"], d["subject"], d["due_date"], amounts=form.amounts()
            ),
        ),
        success=lambda sent: _("%(n)d agreements sent for signing.") % {"n": len(sent)},
        then=_url(batch),
    )
    return done or _form_refused(request, form, batch)


def _own_mediator(user) -> Mediator:
    mediator = Mediator.objects.filter(user=user).first()
    if mediator is None:
        raise Http404()
    return mediator


@login_required
def conflicts(request):
    """The mediator's declared conflicts (OMR 13; SIR 15): the list, a form to declare one."""
    mediator = _own_mediator(request.user)
    form = ConflictForm(request.POST or None)
    if request.method == "POST":
        done = run_action(
            request,
            form,
            lambda d: actions.declare_conflict(
                actor=request.user, mediator=mediator, data=actions.ConflictIn(**d)
            ),
            success=_("Conflict declared: you will not be offered for cases that involve it."),
            then=reverse("batches:conflicts"),
        )
        if done:
            return done
    declared = DeclaredConflict.objects.filter(mediator=mediator).order_by("-declared_at", "-pk")
    return render(request, "batches/conflicts.html", {"form": form, "declared": declared})


@login_required
@require_POST
def withdraw_conflict(request, pk: int):
    conflict = visible_or_404(
        request.user, DeclaredConflict.objects.select_related("mediator"), pk=pk
    )
    return run_action(
        request,
        None,
        lambda _d: actions.withdraw_conflict(actor=request.user, conflict=conflict),
        success=_("Declaration withdrawn."),
        then=reverse("batches:conflicts"),
    )
