"""The judicial pages: the parties' joint application, the court's review queue and
application page (supplement, questioning, ruling), objections, mediation documents.
Thin: actions change; a stranger gets 404; only the steps the table allows are shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.accounts.roles import Role
from sutiao.agreements import forms as agreement_forms
from sutiao.agreements import otp
from sutiao.agreements.actions import term_texts
from sutiao.agreements.models import Agreement
from sutiao.cases.choices import Channel
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles, parties_of
from sutiao.core.errors import DomainError, Invalid, NotFound
from sutiao.core.policy import require
from sutiao.documents import codes
from sutiao.web.forms import apply_errors, run_action
from sutiao.workdays.periods import local_date, provisional_years, remaining

from . import actions, competence, forms, lifecycle
from .choices import MediationDocumentState, State
from .models import ConfirmationApplication, MediationDocument
from .policies import application_roles, document_roles


def _case(request, case_id: int) -> Case:
    case = get_object_or_404(Case.objects.select_related("org", "court", "mediator"), pk=case_id)
    require(request.user, "view", case)
    return case


def _application(request, pk: int) -> ConfirmationApplication:
    app = get_object_or_404(
        ConfirmationApplication.objects.select_related("case", "agreement", "court"), pk=pk
    )
    require(request.user, "view", app)
    return app


def _countdown(deadline_at):
    if not deadline_at:
        return None
    try:
        r = remaining(deadline_at)
    except Exception:  # noqa: BLE001 - a year without a calendar: show the date only
        return {"deadline": deadline_at, "days": None, "overdue": deadline_at < timezone.now()}
    return {"deadline": deadline_at, "days": r.days, "overdue": r.overdue}


# The parties' side: apply ------------------------------------------------------------------


def _signed_agreement(case: Case) -> Agreement | None:
    return case.agreements.filter(state=Agreement.State.SIGNED).order_by("-id").first()


@login_required
def case_page(request, case_id: int, form=None):
    case = _case(request, case_id)
    agreement = _signed_agreement(case)
    apps = list(case.confirmation_applications.select_related("court").order_by("-id"))
    open_app = next((a for a in apps if a.state not in (State.WITHDRAWN, State.DISMISSED)), None)
    if open_app is not None and request.method == "GET" and form is None:
        return redirect("judicial:application", pk=open_app.pk)
    subject = request.GET.get("subject", "")[:200]
    candidates = competence.candidates(case, subject_matter_address=subject)
    context = {
        "case": case,
        "agreement": agreement,
        "applications": apps,
        "candidates": candidates,
        "is_party": bool(parties_of(request.user, case)),
    }
    if agreement is not None:
        context["terms"] = term_texts(agreement)
        end = actions.application_deadline(agreement)
        context["apply_until"] = _countdown(end)
        if end:
            years = provisional_years(local_date(agreement.effective_at), local_date(end))
            context["apply_until_provisional"] = years[0] if years else None
        try:
            actions.confirmable(agreement, at=timezone.now())
        except DomainError as exc:
            context["refusal"] = exc
        if context["is_party"] and "refusal" not in context and open_app is None:
            context["form"] = form or forms.ApplyForm(
                candidates=candidates, initial={"subject_matter_address": subject}
            )
    if case.channel == Channel.ENTRUSTED:
        context["mediation_document"] = case.mediation_documents.order_by("-id").first()
    return render(request, "judicial/case.html", context)


@login_required
@require_POST
def apply(request, case_id: int):
    case = _case(request, case_id)
    agreement = _signed_agreement(case)
    if agreement is None:
        raise Http404
    subject = request.POST.get("subject_matter_address", "")[:200]
    form = forms.ApplyForm(
        request.POST, candidates=competence.candidates(case, subject_matter_address=subject)
    )
    if form.is_valid():
        d = form.cleaned_data
        try:
            app = actions.apply(
                actor=request.user,
                agreement=agreement,
                court_id=d["court"],
                subject_matter_address=subject,
                statement=d["statement"],
                contact_phone=d["contact_phone"],
                address=d["address"],
            )
        except Invalid as exc:
            apply_errors(form, exc)
        except NotFound:
            raise
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "Your part of the joint application is submitted. The "
                    "other party now submits theirs."
                ),
            )
            return redirect("judicial:application", pk=app.pk)
    return case_page(request, case_id, form=form)


# The application page ---------------------------------------------------------------------

STEP_FORMS = {
    "submit_part": forms.PartForm,
    "request_supplement": forms.SupplementRequestForm,
    "supplement": forms.SupplementForm,
    "accept": None,
    "schedule_questioning": forms.QuestioningForm,
    "rule": forms.RulingForm,
    "withdraw": forms.ReasonForm,
    "deem_withdrawn": forms.ReasonForm,
}


def _steps(user, app: ConfirmationApplication, bound: dict) -> list[dict]:
    roles = application_roles(user, app)
    names = []
    for t in lifecycle.available(app, roles):
        name = "rule" if t.name in ("confirm", "dismiss") else t.name
        if name == "submit_part":
            given = set(app.parts.values_list("party_id", flat=True))
            if not [p for p in parties_of(user, app.case) if p.pk not in given]:
                continue
        if name not in names:
            names.append(name)
    out = []
    for name in names:
        form_class = STEP_FORMS[name]
        label = (
            _("Rule on the application") if name == "rule" else lifecycle.TRANSITIONS[name].label
        )
        out.append(
            {
                "name": name,
                "label": label,
                "form": bound.get(name) or (form_class(prefix=name) if form_class else None),
                "open": name in bound,
            }
        )
    return out


def _event_label(kind: str) -> str:
    if kind in lifecycle.TRANSITIONS:
        return str(lifecycle.TRANSITIONS[kind].label)
    return {"started": _("Application started"), "objection": _("Objection")}.get(kind, kind)


@login_required
def application(request, pk: int, bound: dict | None = None):
    app = _application(request, pk)
    roles = application_roles(request.user, app)
    ruling = getattr(app, "ruling", None)
    context = {
        "app": app,
        "case": app.case,
        "roles": roles,
        "terms": term_texts(app.agreement),
        "parts": app.parts.select_related("party", "submitted_by"),
        "waiting_for": [
            p
            for p in app.case.parties.all()
            if p.pk not in set(app.parts.values_list("party_id", flat=True))
        ],
        "supplements": app.supplement_requests.all(),
        "questionings": app.questionings.all(),
        "events": [
            {"event": e, "label": _event_label(e.kind)} for e in app.events.select_related("actor")
        ],
        "steps": _steps(request.user, app, bound or {}),
        "countdown": _countdown(app.deadline_at),
        "ruling": ruling,
        "is_court": bool(roles & {"judge", "court_clerk"}),
        "agreement_code": codes.display(app.agreement.verify_code)
        if app.agreement.verify_code
        else "",
    }
    if ruling is not None:
        context["ruling_code"] = codes.display(ruling.verify_code)
        context["objections"] = ruling.objections.select_related("party")
        if "party" in roles and timezone.now() <= ruling.objection_deadline_at:
            context["objection_form"] = (bound or {}).get("objection") or forms.ObjectionForm()
    return render(request, "judicial/application.html", context)


@login_required
@require_POST
def step(request, pk: int, name: str):
    if name not in STEP_FORMS:
        raise Http404
    app = _application(request, pk)
    form_class = STEP_FORMS[name]
    form = form_class(request.POST, prefix=name) if form_class else None
    if form is not None and not form.is_valid():
        return application(request, pk, bound={name: form})
    d = form.cleaned_data if form else {}
    actor = request.user
    try:
        if name == "submit_part":
            actions.submit_part(actor=actor, application=app, **d)
        elif name == "request_supplement":
            actions.request_supplement(actor=actor, application=app, **d)
        elif name == "supplement":
            actions.supplement(actor=actor, application=app, **d)
        elif name == "accept":
            actions.accept(actor=actor, application=app)
        elif name == "schedule_questioning":
            actions.schedule_questioning(actor=actor, application=app, **d)
        elif name == "rule":
            actions.rule(actor=actor, application=app, **d)
        elif name == "withdraw":
            actions.withdraw(actor=actor, application=app, **d)
        elif name == "deem_withdrawn":
            actions.deem_withdrawn(actor=actor, application=app, **d)
    except Invalid as exc:
        if form is None:
            messages.error(request, str(exc.message))
            return redirect("judicial:application", pk=pk)
        apply_errors(form, exc)
        return application(request, pk, bound={name: form})
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("judicial:application", pk=pk)
    messages.success(request, _("Done."))
    return redirect("judicial:application", pk=pk)


@login_required
@require_POST
def object_to_ruling(request, pk: int):
    app = _application(request, pk)
    ruling = getattr(app, "ruling", None)
    if ruling is None:
        raise Http404
    form = forms.ObjectionForm(request.POST)
    if form.is_valid():
        try:
            actions.object_to_ruling(
                actor=request.user, ruling=ruling, text=form.cleaned_data["text"]
            )
        except Invalid as exc:
            apply_errors(form, exc)
        except NotFound:
            raise
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your objection is submitted to the court."))
            return redirect("judicial:application", pk=pk)
    return application(request, pk, bound={"objection": form})


@login_required
def queue(request):
    """The court's applications to check, review and rule on, oldest deadline first."""
    courts = request.user.court_ids(Role.JUDGE, Role.COURT_CLERK)
    if not courts:
        raise Http404
    state = request.GET.get("state", "open")
    qs = (
        ConfirmationApplication.objects.filter(court_id__in=courts)
        .exclude(state=State.DRAFT)
        .select_related("case", "court")
    )
    if state == "open":
        qs = qs.filter(state__in=[State.SUBMITTED, State.SUPPLEMENT, State.ACCEPTED])
    elif state in State.values:
        qs = qs.filter(state=state)
    rows = [
        {"app": a, "countdown": _countdown(a.deadline_at)}
        for a in qs.order_by("deadline_at", "id")[:200]
    ]
    return render(
        request, "judicial/queue.html", {"rows": rows, "state": state, "states": State.choices}
    )


# Mediation documents ----------------------------------------------------------------------


@login_required
def mediation_document(request, case_id: int, bound: dict | None = None):
    case = _case(request, case_id)
    bound = bound or {}
    md = case.mediation_documents.order_by("-id").first()
    roles = case_roles(request.user, case)
    context = {"case": case, "md": md}
    if md is not None and md.state == MediationDocumentState.WITHDRAWN:
        context["previous"] = md
        md = None
        context["md"] = None
    if md is None:
        if "judge" in roles and case.state == "settled" and case.channel == Channel.ENTRUSTED:
            agreement = _signed_agreement(case)
            context["issue_form"] = bound.get("issue") or forms.MediationDocumentForm(
                initial={
                    "claims": case.claims or case.title,
                    "facts": agreement.facts if agreement else case.description,
                    "result": "\n".join(
                        f"{i}. {t}" for i, t in enumerate(term_texts(agreement), start=1)
                    )
                    if agreement
                    else "",
                }
            )
    else:
        context["code_display"] = codes.display(md.verify_code)
        context["receipts"] = md.receipts.select_related("party", "signed_by")
        mine = (
            actions._to_sign_for(request.user, md)
            if "party" in document_roles(request.user, md)
            else []
        )
        if md.state == MediationDocumentState.ISSUED and mine:
            context["to_sign"] = mine
            context["code_form"] = bound.get("code") or agreement_forms.CodeRequestForm(
                channels=otp.channels_of(request.user)
            )
            context["sign_form"] = bound.get("sign") or agreement_forms.SignForm()
            context["withdraw_form"] = bound.get("withdraw") or forms.ReasonForm()
    return render(request, "judicial/mediation_document.html", context)


@login_required
@require_POST
def issue_mediation_document(request, case_id: int):
    case = _case(request, case_id)
    form = forms.MediationDocumentForm(request.POST)
    if form.is_valid():
        try:
            actions.issue_mediation_document(actor=request.user, case=case, **form.cleaned_data)
        except Invalid as exc:
            apply_errors(form, exc)
        except NotFound:
            raise
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The mediation document is issued and served."))
            return redirect("judicial:mediation_document", case_id=case.pk)
    return mediation_document(request, case_id, bound={"issue": form})


def _md(request, case_id: int) -> MediationDocument:
    case = _case(request, case_id)
    md = case.mediation_documents.order_by("-id").first()
    if md is None:
        raise Http404
    return md


@login_required
@require_POST
def md_code(request, case_id: int):
    md = _md(request, case_id)
    form = agreement_forms.CodeRequestForm(request.POST, channels=otp.channels_of(request.user))
    done = run_action(
        request,
        form,
        lambda d: actions.request_receipt_code(
            actor=request.user, mediation_document=md, channel=d["channel"]
        ),
        success=lambda sent: (
            _("A code was sent to %(to)s. It is valid for 10 minutes.") % {"to": sent.destination}
        ),
        then=reverse("judicial:mediation_document", args=[case_id]),
        refusal_on_form=True,
    )
    return done or mediation_document(request, case_id, bound={"code": form})


@login_required
@require_POST
def md_sign(request, case_id: int):
    md = _md(request, case_id)
    form = agreement_forms.SignForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.sign_for(actor=request.user, mediation_document=md, code=d["code"]),
        success=_("You signed for the mediation document."),
        then=reverse("judicial:mediation_document", args=[case_id]),
        refusal_on_form=True,
    )
    return done or mediation_document(request, case_id, bound={"sign": form})


@login_required
@require_POST
def md_withdraw(request, case_id: int):
    md = _md(request, case_id)
    form = forms.ReasonForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.withdraw_from_mediation_document(
            actor=request.user, mediation_document=md, reason=d["reason"]
        ),
        success=_("You withdrew from the settlement; the trial resumes."),
        then=reverse("cases:detail", args=[case_id]),
        refusal_on_form=True,
    )
    return done or mediation_document(request, case_id, bound={"withdraw": form})
