"""The application pages: apply, edit the draft, consent and service address, the parties'
joint choice of a mediator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.errors import DomainError, Invalid
from sutiao.core.forms import apply_errors, run_action

from .. import actions, forms, queries
from ..actions import PartyIn
from ..choices import PartyRole
from ..models import Case, CaseFile, Party
from ._common import (
    _case_url,
    _error,
    _not_added,
    _store_files,
    _to_case,
    _to_verify,
    _visible_case,
)
from .case_page import _render_detail


def _apply_invalid(form, exc: Invalid) -> None:
    fields: dict[str, list[str]] = {}
    for key, msgs in exc.details.get("fields", {"__all__": [exc.message]}).items():
        fields.setdefault(forms.APPLY_FIELD_NAMES.get(key, key), []).extend(msgs)
    apply_errors(form, Invalid(exc.message, fields=fields))


def _party_in(d: dict, prefix: str, role: str) -> PartyIn:
    kind, number = d[f"{prefix}_kind"], d[f"{prefix}_id"]
    legal = kind != Party.Kind.NATURAL
    return PartyIn(
        role=role,
        kind=kind,
        name=d[f"{prefix}_name"],
        id_number="" if legal else number,
        uscc=number if legal else "",
        phone=d[f"{prefix}_phone"],
        representative=d.get(f"{prefix}_representative", ""),
        email=d.get(f"{prefix}_email", ""),
    )


def _applied(request, form: forms.ApplyForm) -> tuple[Case, Party]:
    """The draft and its applicant's consent, in one transaction, or nothing (Invalid)."""
    d = form.cleaned_data
    with transaction.atomic():
        case = actions.apply_for_mediation(
            actor=request.user,
            title=d["title"],
            court=d["court"],
            org=d["org"],
            ip_kind=d["ip_kind"],
            right_number=d["right_number"],
            claims=d["claims"],
            amount_fen=form.amount_fen(),
            description=d["description"],
            applicant=_party_in(d, "applicant", PartyRole.APPLICANT),
            respondents=[_party_in(d, "respondent", PartyRole.RESPONDENT)],
            as_agent=d["as_agent"],
        )
        applicant = case.parties.get(role=PartyRole.APPLICANT)
        if d["consents_online"] or d["consents_e_service"]:
            actions.give_consent(
                actor=request.user,
                case=case,
                party=applicant,
                online=d["consents_online"],
                e_service=d["consents_e_service"],
                service_email=d["service_email"],
                service_phone=d["service_phone"],
                notice_acknowledged=d["notice_acknowledged"],
            )
    return case, applicant


def _files_and_submit(request, case: Case, applicant: Party, form: forms.ApplyForm) -> HttpResponse:
    """The uploads of a saved draft (the agent's power of attorney with its scope); then, when
    asked and every file went in, the submission."""
    d = form.cleaned_data
    files_ok = _store_files(request, case, d["evidence"], CaseFile.Kind.EVIDENCE, applicant)
    if d["as_agent"]:
        try:
            actions.declare_agency(
                actor=request.user,
                case=case,
                data=form.agent_in(),
                power_of_attorney=d["power_of_attorney"],
            )
        except DomainError as exc:
            files_ok = False
            _not_added(request, d["power_of_attorney"].name, exc)
    elif d["power_of_attorney"]:
        files_ok &= _store_files(
            request,
            case,
            [d["power_of_attorney"]],
            CaseFile.Kind.POWER_OF_ATTORNEY,
            applicant,
        )
    if "submit" in request.POST and files_ok:
        try:
            actions.submit(actor=request.user, case=case)
        except DomainError as exc:
            _error(request, exc)
            messages.info(request, _("Your application is saved as a draft."))
        else:
            messages.success(request, _("Your application is submitted."))
        return _to_case(case)
    messages.success(request, _("Your application is saved as a draft. You can complete it later."))
    return _to_case(case)


@login_required
def apply(request):
    """A party (or its agent) applies for mediation: saved as a draft, or submitted at once."""
    initial = {"applicant_name": request.user.real_name, "applicant_phone": request.user.phone}
    form = forms.ApplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case, applicant = _applied(request, form)
        except Invalid as exc:
            _apply_invalid(form, exc)
        else:
            return _files_and_submit(request, case, applicant, form)
    drafts = queries.drafts_of(request.user)
    return render(request, "cases/apply.html", {"form": form, "drafts": drafts})


@login_required
@require_POST
def consent(request, pk: int, party_id: int):
    case = _visible_case(request, pk)
    party = get_object_or_404(Party, pk=party_id, case=case)
    if not request.user.identity_verified_at:
        return _to_verify(request, case)
    form = forms.ConsentForm(request.POST, prefix=f"consent-{party.pk}")
    refuse = "refuse" in request.POST
    if not refuse and form.is_valid() and not form.cleaned_data["consents_online"]:
        form.add_error(
            "consents_online",
            _("Tick to consent to online mediation, or press “I refuse mediation”."),
        )
    done = run_action(
        request,
        form,
        lambda d: actions.give_consent(
            actor=request.user,
            case=case,
            party=party,
            online=not refuse,
            e_service=d["consents_e_service"] and not refuse,
            service_email="" if refuse else d["service_email"],
            service_phone="" if refuse else d["service_phone"],
            notice_acknowledged=d["notice_acknowledged"],
            refuses_mediation=refuse,
        ),
        success=_("Your refusal is recorded; the case ends without mediation.")
        if refuse
        else _("Your consent and service address are recorded."),
        then=_case_url(case),
    )
    return done or _render_detail(request, case, {f"consent:{party.pk}": form})


@login_required
@require_POST
def edit_draft(request, pk: int):
    case = _visible_case(request, pk)
    form = forms.DraftForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.update_draft(actor=request.user, case=case, data=form.data_for_action()),
        success=_("The application is saved."),
        then=_case_url(case),
    )
    return done or _render_detail(request, case, {"draft": form})


@login_required
@require_POST
def choose_mediator(request, pk: int):
    case = _visible_case(request, pk)
    form = forms.MediatorChoiceForm(request.POST, court=case.court)
    done = run_action(
        request,
        form,
        lambda d: actions.choose_mediator(actor=request.user, case=case, mediator=d["mediator"]),
        success=_("Your choice of mediator is recorded."),
        then=_case_url(case),
    )
    return done or _render_detail(request, case, {"choice": form})
