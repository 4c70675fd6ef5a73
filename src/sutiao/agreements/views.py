"""The agreement pages: drafting and preview (mediator), signing with a one-time code
(parties, agents, mediator, organisation), refusal, offline upload. Thin: actions change,
policies decide who sees what (a stranger gets 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sutiao.cases import lifecycle as case_lifecycle
from sutiao.cases.actions import PartyIn
from sutiao.cases.choices import PartyRole
from sutiao.cases.models import Case
from sutiao.cases.policies import case_roles, lacks_special_authority
from sutiao.core import one_time_code
from sutiao.core.errors import Invalid
from sutiao.core.forms import run_action, step_view
from sutiao.core.lookup import visible_or_404
from sutiao.core.policy import can
from sutiao.documents import codes

from . import actions, forms, lifecycle, otp, queries, terms
from .models import Agreement
from .policies import may_draft, signing_parties


def _case(request, case_id: int) -> Case:
    return visible_or_404(
        request.user, Case.objects.select_related("org", "mediator", "court"), pk=case_id
    )


def _agreement(request, pk: int) -> Agreement:
    return visible_or_404(
        request.user, Agreement.objects.select_related("case", "case__org"), pk=pk
    )


def _page_url(case_id: int, anchor: str = "") -> str:
    url = reverse("agreements:case", kwargs={"case_id": case_id})
    return f"{url}#{anchor}" if anchor else url


def _to_page(case_id: int, anchor: str = ""):
    return redirect(_page_url(case_id, anchor))


def _context(request, case: Case, agreement: Agreement | None, **bound) -> dict:
    user = request.user
    parties = list(case.parties.all())
    ctx = {"case": case, "agreement": agreement, "roles": case_roles(user, case)}
    ctx["waiting_for_consent"] = case_lifecycle.not_consented(case)
    editable = _editable(user, case, agreement, ctx["roles"])
    if agreement is not None and not can(user, "view", agreement):
        agreement = None
        ctx["agreement"] = None
    if editable:
        _add_draft_forms(ctx, case, agreement, parties, bound)
    if agreement is not None:
        _add_agreement_state(ctx, user, case, agreement, parties, bound)
    ctx["editable"] = editable
    return ctx


def _editable(user, case: Case, agreement: Agreement | None, roles) -> bool:
    """The user may draft the case's first agreement, or edit its draft."""
    if agreement is not None:
        return bool(can(user, "edit", agreement))
    return bool(
        may_draft(user, case)
        and "draft_agreement" in {t.name for t in case_lifecycle.available(case, roles)}
    )


def _add_draft_forms(ctx: dict, case: Case, agreement, parties: list, bound: dict) -> None:
    """The drafting forms, bound to what was posted or filled from the draft."""
    ctx["draft_form"] = bound.get("draft_form") or forms.DraftForm(
        initial={
            "facts": agreement.facts,
            "issues": agreement.issues,
            "performance": agreement.performance,
            "place": agreement.place,
        }
        if agreement
        else {"facts": case.description, "place": ""}
    )
    ctx["term_forms"] = bound.get("term_forms") or forms.term_forms(
        parties=parties, initial=forms.term_initial(agreement) if agreement else None
    )


def _add_agreement_state(
    ctx: dict, user, case: Case, agreement: Agreement, parties: list, bound: dict
) -> None:
    """What the agreement says and who signs it, and the steps this user may take now."""
    ctx["steps"] = steps = lifecycle.names(agreement, ctx["roles"])
    ctx["terms"] = queries.term_texts(agreement)
    ctx["warnings"] = queries.warnings(agreement)
    ctx["blocking"] = [w for w in ctx["warnings"] if w.blocking]
    done = queries.signatures_by_field(agreement)
    ctx["signatories"] = [
        {**s, "signed": done.get(s["field"])} for s in queries.signatories(agreement)
    ]
    # A signature is due only while the table offers the step (every party consented).
    due = queries.due_for(user, agreement) if "sign" in steps else []
    ctx["due"] = due
    if due:
        ctx["code_form"] = bound.get("code_form") or forms.CodeRequestForm(
            channels=otp.channels_of(user)
        )
        ctx["sign_form"] = bound.get("sign_form") or forms.SignForm()
        ctx["code_sent"] = queries.code_sent(user, agreement)
    if agreement.state == Agreement.State.SIGNING:
        ctx["unauthorised"] = "、".join(
            p.name for p in lacks_special_authority(user, case) if queries.field_for(p) not in done
        )
    mine = [p for p in signing_parties(user, agreement) if queries.field_for(p) not in done]
    if "refuse" in steps and mine:
        ctx["refuse_form"] = bound.get("refuse_form") or forms.RefuseForm()
    ctx["may_reopen"] = "reopen" in steps
    ctx["may_confirm_offline"] = (
        agreement.offline
        and agreement.state == Agreement.State.DRAFT
        and user.pk != case.created_by_id
        and any(p.user_id == user.pk for p in parties)
    )
    if agreement.verify_code and agreement.document_id:
        ctx["code_display"] = codes.display(agreement.verify_code)
    ctx["refusals"] = queries.refusals(agreement)


def _render(request, case, agreement, status=200, **bound):
    return render(
        request, "agreements/case.html", _context(request, case, agreement, **bound), status=status
    )


@login_required
def case_page(request, case_id: int):
    case = _case(request, case_id)
    return _render(request, case, queries.current(case))


@login_required
@require_POST
def save_draft(request, case_id: int):
    case = _case(request, case_id)
    agreement = queries.current(case)
    if agreement is not None and agreement.state not in (Agreement.State.DRAFT,):
        agreement_open = agreement.state == Agreement.State.SIGNING
        if agreement_open or agreement.state == Agreement.State.SIGNED:
            messages.error(request, _("The agreement is no longer a draft."))
            return _to_page(case.pk)
        agreement = None  # refused or withdrawn: a new draft
    form = forms.DraftForm(request.POST)
    rows = forms.term_forms(request.POST, parties=list(case.parties.all()))
    if not (form.is_valid() and all(r.is_valid() for r in rows)):
        return _render(request, case, agreement, draft_form=form, term_forms=rows)
    data = forms.draft_in(form, rows)
    opening = request.POST.get("then") == "open"
    saved = []

    def save(_d):
        try:
            if agreement is None:
                saved.append(actions.draft(actor=request.user, case=case, data=data))
            else:
                saved.append(
                    actions.update_draft(actor=request.user, agreement=agreement, data=data)
                )
        except Invalid as exc:
            _term_errors(rows, exc)
            raise

    done = run_action(
        request,
        form,
        save,
        success="" if opening else _("The draft is saved. Check the preview below."),
        then=_page_url(case.pk, "preview"),
        refused=_page_url(case.pk),
    )
    if done is None:
        return _render(request, case, agreement, draft_form=form, term_forms=rows)
    if opening and saved:
        return _open(request, saved[0])
    return done


@login_required
@require_POST
def term_preview(request, case_id: int):
    """One row of the drafting form as the agreement will read it, for the live preview
    beside the row (htmx posts the form as it is typed; nothing is saved)."""
    case = _case(request, case_id)
    agreement = queries.current(case)
    if agreement is not None and agreement.state != Agreement.State.DRAFT:
        agreement = None  # refused or withdrawn: saving would start a new draft
    if not _editable(request.user, case, agreement, case_roles(request.user, case)):
        raise PermissionDenied
    row = request.GET.get("row", "")
    if not row.isdigit() or int(row) >= forms.MAX_TERM_ROWS:
        return HttpResponseBadRequest(_("Unknown term row."))
    form = forms.TermForm(request.POST, prefix=f"term-{row}", parties=list(case.parties.all()))
    ctx: dict = {"form": form}
    term = form.term() if form.is_valid() else None
    if term is not None:
        spec = terms.KINDS[term.kind]
        data = term.data()
        ctx["text"], ctx["warnings"] = queries.term_preview(case, int(row) + 1, term.kind, data)
        ctx["missing"] = [
            form.fields[forms.FORM_NAME.get(f, f)].label
            for f in spec.required
            if data.get(f) in (None, "")
        ]
    return render(request, "agreements/_term_preview.html", ctx)


def _term_errors(rows, exc: Invalid) -> None:
    """An action's errors of the term rows ("terms.<row>.<field>") beside their fields."""
    for key, msgs in exc.details.get("fields", {}).items():
        parts = key.split(".")
        if parts[0] == "terms" and len(parts) == 3 and int(parts[1]) < len(rows):
            row = rows[int(parts[1])]
            for m in msgs:
                row.add_error(parts[2] if parts[2] in row.fields else None, m)


def _open(request, agreement: Agreement):
    return run_action(
        request,
        None,
        lambda _d: actions.open_for_signing(actor=request.user, agreement=agreement),
        success=_("The agreement is open for signing."),
        then=_page_url(agreement.case_id, "signing"),
        refused=_page_url(agreement.case_id, "preview"),
    )


@login_required
def preview_pdf(request, pk: int):
    agreement = _agreement(request, pk)
    if agreement.document_id:
        return redirect("documents:document_pdf", code=agreement.verify_code)
    pdf = actions.preview_pdf(agreement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="preview.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def open_for_signing(request, pk: int):
    return _open(request, _agreement(request, pk))


reopen = step_view(
    _agreement,
    lambda user, agreement: actions.reopen(actor=user, agreement=agreement),
    success="",
    then=lambda agreement: _page_url(agreement.case_id),
)

# The other party confirms an agreement reached offline that a party recorded.
confirm_offline = step_view(
    _agreement,
    lambda user, agreement: actions.confirm_offline(actor=user, agreement=agreement),
    success=gettext_lazy("You confirmed the agreement reached offline; the case is settled."),
    then=lambda agreement: _page_url(agreement.case_id),
)


def _signed(agreement: Agreement) -> str:
    if agreement.state == Agreement.State.SIGNED:
        return _(
            "Signed. Every signature is on the agreement: it is in effect and the case is settled."
        )
    return _("Signed. Your signature is on the agreement.")


request_code, sign = one_time_code.signing_views(
    _agreement,
    code_form=forms.code_request_form,
    sign_form=forms.sign_form,
    send=lambda user, agreement, channel: actions.request_code(
        actor=user, agreement=agreement, channel=channel
    ),
    sign=lambda user, agreement, code: actions.sign(actor=user, agreement=agreement, code=code),
    signed=_signed,
    then=lambda agreement, step: _page_url(
        agreement.case_id, "sign" if step == "code" else "signing"
    ),
    show=lambda request, agreement, step, form: _render(
        request, agreement.case, agreement, **{f"{step}_form": form}
    ),
)


@login_required
@require_POST
def refuse(request, pk: int):
    agreement = _agreement(request, pk)
    form = forms.RefuseForm(request.POST)
    done = run_action(
        request,
        form,
        lambda d: actions.refuse(actor=request.user, agreement=agreement, reason=d["reason"]),
        success=_(
            "Your refusal is recorded; the mediation has ended "
            "(a party refused to sign the agreement)."
        ),
        level=messages.INFO,
        then=reverse("cases:detail", kwargs={"pk": agreement.case_id}),
        refusal="form",
    )
    return done or _render(request, agreement.case, agreement, refuse_form=form)


def _offline_term_forms(request) -> list:
    rows = forms.term_forms(request.POST or None, parties=[])
    # Offline terms name the parties by role: 1 applicant, 2 respondent, fixed before saving.
    for r in rows:
        for name in ("obligor", "beneficiary"):
            r.fields[name].choices = [("", "—"), (1, _("Applicant")), (2, _("Respondent"))]
    return rows


def _offline_parties(d: dict) -> tuple[list[PartyIn], PartyIn | None]:
    """The two parties of the offline form, and the one the user is (if a party records)."""
    parties = [
        PartyIn(
            role=PartyRole.APPLICANT,
            name=d["applicant_name"],
            address=d["applicant_address"],
            phone=d["applicant_phone"],
        ),
        PartyIn(
            role=PartyRole.RESPONDENT,
            name=d["respondent_name"],
            kind=d["respondent_kind"],
            address=d["respondent_address"],
            phone=d["respondent_phone"],
        ),
    ]
    return parties, {"applicant": parties[0], "respondent": parties[1]}.get(d["i_am"])


@login_required
def offline(request):
    """An organisation or a party records an agreement reached offline (scan + terms)."""
    form = forms.OfflineForm(request.POST or None, request.FILES or None)
    rows = _offline_term_forms(request)
    draft_form = forms.DraftForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and draft_form.is_valid()
        and all(r.is_valid() for r in rows)
    ):
        parties, as_party = _offline_parties(form.cleaned_data)
        data = forms.draft_in(draft_form, rows)
        done = run_action(
            request,
            form,
            lambda d: actions.record_offline(
                actor=request.user,
                org=d["org"],
                title=d["title"],
                parties=parties,
                data=data,
                scan=d["scan"],
                signed_on=d["signed_on"],
                ip_kind=d["ip_kind"],
                as_party=as_party,
            ),
            success=lambda agreement: (
                _(
                    "The agreement reached offline is recorded. The "
                    "parties can now apply for judicial confirmation."
                )
                if agreement.state == Agreement.State.SIGNED
                else _(
                    "The agreement reached offline is recorded. The case is settled once "
                    "the other party confirms it with their own account."
                )
            ),
            then=lambda agreement: reverse(
                "agreements:case", kwargs={"case_id": agreement.case_id}
            ),
            refusal="form",
        )
        if done:
            return done
    return render(
        request,
        "agreements/offline.html",
        {"form": form, "draft_form": draft_form, "term_forms": rows},
    )
