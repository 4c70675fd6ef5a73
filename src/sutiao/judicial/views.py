"""The judicial pages: the parties' joint application, the court's review queue and
application page (supplement, questioning, ruling), objections, mediation documents.
Thin: actions change; a stranger gets 404; only the steps the table allows are shown."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.accounts.roles import Role
from sutiao.agreements import forms as agreement_forms
from sutiao.agreements import otp
from sutiao.agreements.queries import term_texts
from sutiao.cases.choices import Channel
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles, lacks_special_authority, parties_of
from sutiao.core import one_time_code
from sutiao.core.errors import DomainError
from sutiao.core.forms import run_action
from sutiao.core.lookup import visible_or_404
from sutiao.documents import codes
from sutiao.workdays.periods import local_date, provisional_years, remaining

from . import actions, competence, document_lifecycle, forms, lifecycle, queries
from .choices import ENDED, MediationDocumentState, State
from .models import ConfirmationApplication, MediationDocument
from .policies import application_roles, document_roles


def _case(request, case_id: int) -> Case:
    return visible_or_404(
        request.user, Case.objects.select_related("org", "court", "mediator"), pk=case_id
    )


def _application(request, pk: int) -> ConfirmationApplication:
    return visible_or_404(
        request.user,
        ConfirmationApplication.objects.select_related("case", "agreement", "court"),
        pk=pk,
    )


def _countdown(deadline_at):
    if not deadline_at:
        return None
    try:
        r = remaining(deadline_at)
    except Exception:  # noqa: BLE001 - a year without a calendar: show the date only
        return {"deadline": deadline_at, "days": None, "overdue": deadline_at < timezone.now()}
    return {"deadline": deadline_at, "days": r.days, "overdue": r.overdue}


# The parties' side: apply ------------------------------------------------------------------


@login_required
def case_page(request, case_id: int, form=None):
    case = _case(request, case_id)
    agreement = queries.signed_agreement(case)
    apps = queries.applications_of(case)
    open_app = next((a for a in apps if a.state not in ENDED), None)
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
        end = queries.application_deadline(agreement)
        context["apply_until"] = _countdown(end)
        if end:
            years = provisional_years(local_date(agreement.effective_at), local_date(end))
            context["apply_until_provisional"] = years[0] if years else None
        try:
            queries.confirmable(agreement, at=timezone.now())
        except DomainError as exc:
            context["refusal"] = exc
        # CPL 62: an agent with a general authorisation is told why, not given the form.
        unauthorised = [p.name for p in lacks_special_authority(request.user, case)]
        context["unauthorised"] = "、".join(unauthorised)
        if context["is_party"] and not unauthorised and "refusal" not in context and not open_app:
            context["form"] = form or forms.ApplyForm(
                candidates=candidates, initial={"subject_matter_address": subject}
            )
    if case.channel == Channel.ENTRUSTED:
        context["mediation_document"] = queries.latest_mediation_document(case)
    return render(request, "judicial/case.html", context)


@login_required
@require_POST
def apply(request, case_id: int):
    case = _case(request, case_id)
    agreement = queries.signed_agreement(case)
    if agreement is None:
        raise Http404
    subject = request.POST.get("subject_matter_address", "")[:200]
    form = forms.ApplyForm(
        request.POST, candidates=competence.candidates(case, subject_matter_address=subject)
    )
    done = run_action(
        request,
        form,
        lambda d: actions.apply(
            actor=request.user,
            agreement=agreement,
            court_id=d["court"],
            subject_matter_address=subject,
            statement=d["statement"],
            contact_phone=d["contact_phone"],
            address=d["address"],
        ),
        success=_(
            "Your part of the joint application is submitted. The other party now submits theirs."
        ),
        then=lambda app: reverse("judicial:application", args=[app.pk]),
        refusal="form",
    )
    return done or case_page(request, case_id, form=form)


# The application page ---------------------------------------------------------------------

STEP_FORMS = {
    "submit_part": forms.PartForm,
    "request_supplement": forms.SupplementRequestForm,
    "supplement": forms.SupplementForm,
    "accept": None,
    "schedule_questioning": forms.QuestioningForm,
    "rule": forms.RulingForm,
    "refuse": forms.RefusalForm,
    "review_objections": forms.ObjectionReviewForm,
    "withdraw": forms.ReasonForm,
    "deem_withdrawn": forms.ReasonForm,
}


# Transitions one form takes: the outcome chosen picks the transition.
STEP_OF = {"confirm": "rule", "dismiss": "rule", "revoke_ruling": "review_objections"}


def _steps(user, app: ConfirmationApplication, bound: dict) -> list[dict]:
    roles = application_roles(user, app)
    names = []
    for t in lifecycle.available(app, roles):
        if t.name == "objection":  # its own form, for a party whose 15 days run
            continue
        name = STEP_OF.get(t.name, t.name)
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
        "parts": queries.parts(app),
        "waiting_for": queries.waiting_for(app),
        "supplements": app.supplement_requests.all(),
        "questionings": app.questionings.all(),
        "events": [{"event": e, "label": _event_label(e.kind)} for e in queries.events(app)],
        "steps": _steps(request.user, app, bound or {}),
        "countdown": _countdown(app.deadline_at),
        "ruling": ruling,
        "is_court": bool(roles & {"judge", "court_clerk"}),
        "flags": queries.acceptance_flags(app.agreement),
        "agreement_code": codes.display(app.agreement.verify_code)
        if app.agreement.verify_code
        else "",
    }
    if ruling is not None:
        context["ruling_code"] = codes.display(ruling.verify_code)
        context["objections"] = queries.objections(ruling)
        now = timezone.now()
        mine = {p.pk for p in parties_of(request.user, app.case)}
        windows = [
            {"window": w, "status": w.status(now), "mine": w.party.pk in mine}
            for w in queries.objection_windows(ruling)
        ]
        context["objection_windows"] = windows
        may_object = any(t.name == "objection" for t in lifecycle.available(app, roles))
        if may_object and any(
            w["mine"] and w["status"] == "open" and not w["window"].objected for w in windows
        ):
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
    # Each step's action has the step's name (actions.accept, actions.rule, ...).
    done = run_action(
        request,
        form,
        lambda d: getattr(actions, name)(actor=request.user, application=app, **d),
        success=_("Done."),
        then=reverse("judicial:application", args=[pk]),
    )
    return done or application(request, pk, bound={name: form})


@login_required
@require_POST
def object_to_ruling(request, pk: int):
    app = _application(request, pk)
    ruling = getattr(app, "ruling", None)
    if ruling is None:
        raise Http404
    form = forms.ObjectionForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.object_to_ruling(actor=request.user, ruling=ruling, text=d["text"]),
        success=_("Your objection is submitted to the court."),
        then=reverse("judicial:application", args=[pk]),
        refusal="form",
    )
    return done or application(request, pk, bound={"objection": form})


@login_required
def queue(request):
    """The court's applications to check, review and rule on, oldest deadline first."""
    courts = request.user.court_ids(Role.JUDGE, Role.COURT_CLERK)
    if not courts:
        raise Http404
    state = request.GET.get("state", "open")
    rows = [
        {"app": a, "countdown": _countdown(a.deadline_at)}
        for a in queries.court_queue(courts, state=state)[:200]
    ]
    return render(
        request, "judicial/queue.html", {"rows": rows, "state": state, "states": State.choices}
    )


# Mediation documents ----------------------------------------------------------------------


@login_required
def mediation_document(request, case_id: int, bound: dict | None = None):
    case = _case(request, case_id)
    bound = bound or {}
    md = queries.latest_mediation_document(case)
    roles = case_roles(request.user, case)
    context = {"case": case, "md": md}
    if md is not None and md.state == MediationDocumentState.WITHDRAWN:
        context["previous"] = md
        md = None
        context["md"] = None
    if md is None:
        if "judge" in roles and case.state == "settled" and case.channel == Channel.ENTRUSTED:
            agreement = queries.signed_agreement(case)
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
        context["receipts"] = queries.receipts(md)
        md_roles = document_roles(request.user, md)
        context["steps"] = steps = document_lifecycle.names(md, md_roles)
        mine = queries.to_sign_for(request.user, md) if "party" in md_roles else []
        if "sign_for" in steps and mine:
            context["to_sign"] = mine
            context["code_form"] = bound.get("code") or agreement_forms.CodeRequestForm(
                channels=otp.channels_of(request.user)
            )
            context["sign_form"] = bound.get("sign") or agreement_forms.SignForm()
            if "withdraw" in steps:
                context["withdraw_form"] = bound.get("withdraw") or forms.ReasonForm()
    return render(request, "judicial/mediation_document.html", context)


@login_required
@require_POST
def issue_mediation_document(request, case_id: int):
    case = _case(request, case_id)
    form = forms.MediationDocumentForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.issue_mediation_document(actor=request.user, case=case, **d),
        success=_("The mediation document is issued and served."),
        then=reverse("judicial:mediation_document", args=[case.pk]),
        refusal="form",
    )
    return done or mediation_document(request, case_id, bound={"issue": form})


def _md(request, case_id: int) -> MediationDocument:
    md = queries.latest_mediation_document(_case(request, case_id))
    if md is None:
        raise Http404
    return md


md_code, md_sign = one_time_code.signing_views(
    _md,
    code_form=agreement_forms.code_request_form,
    sign_form=agreement_forms.sign_form,
    send=lambda user, md, channel: actions.request_receipt_code(
        actor=user, mediation_document=md, channel=channel
    ),
    sign=lambda user, md, code: actions.sign_for(actor=user, mediation_document=md, code=code),
    signed=lambda _doc: _("You signed for the mediation document."),
    then=lambda md, _step: reverse("judicial:mediation_document", args=[md.case_id]),
    show=lambda request, md, step, form: mediation_document(
        request, md.case_id, bound={step: form}
    ),
)


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
        refusal="form",
    )
    return done or mediation_document(request, case_id, bound={"withdraw": form})
