"""The case page: everything one person may see of a case and the buttons they may press."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from sutiao.accounts.identity import mask_phone
from sutiao.core.policy import can
from sutiao.workdays.citations import cite
from sutiao.workdays.periods import RULES

from .. import actions, fees, forms, lifecycle, queries, recusal_forms, timeline
from ..agent_forms import AgentForm
from ..choices import Channel, State
from ..models import Case, Party
from ..policies import case_roles, may_name_agent, parties_of
from ._common import (
    STAFF_ROLES,
    SYSTEM_STEPS,
    _countdown,
    _threads,
    _upload_kinds,
    _visible_case,
)


def _period_preview(case: Case) -> dict | None:
    """The mediation period of the case, from acceptance (OMR 24), while it can still run."""
    rule = RULES.get(lifecycle.mediation_rule(case))
    if rule is None or case.state not in {State.DRAFT, *queries.OPEN_STATES}:
        return None
    return {"label": rule.label, "days": rule.days, "source": cite(rule.source)}


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{Decimal(fen) / 100:,.2f}"


def _steps(case: Case, available: list, bound: dict) -> list[dict]:
    """The buttons of the case page: what the table and the roles allow, from this page."""
    steps = []
    for t in available:
        if t.name in SYSTEM_STEPS:
            continue
        form = bound.get(f"step:{t.name}") or forms.step_form(t.name, case)
        steps.append(
            {
                "name": t.name,
                "label": t.label,
                "form": form,
                "open": t.name in {k.removeprefix("step:") for k in bound},
            }
        )
    return steps


def _records(case: Case, mine: list[Party], bound: dict, may_mediate: bool) -> dict:
    """Session records and disclosures, each marked with whether one of `mine` still has
    to confirm or answer it; a recording standing as the record (OMR 22) with whether it is
    still incomplete and, for the mediator, the form of its undisputed facts."""
    my_ids = {p.pk for p in mine}
    party_ids = {p.pk for p in case.parties.all()}  # the page's prefetched parties
    transcripts = list(queries.transcripts(case))
    for t in transcripts:
        confirmed = {c.party_id for c in t.confirmations.all()}
        facts = bool(t.undisputed_facts.strip())
        # (for the page:)
        t.may_confirm = bool(my_ids - confirmed) and (facts or not t.is_recording)  # type: ignore[attr-defined]
        t.incomplete = queries.record_incomplete(t, party_ids)  # type: ignore[attr-defined]
        if may_mediate and t.is_recording and not confirmed:
            t.facts_form = bound.get(f"facts:{t.pk}") or forms.UndisputedFactsForm(  # type: ignore[attr-defined]
                prefix=f"facts-{t.pk}", initial={"undisputed_facts": t.undisputed_facts}
            )
    disclosures = queries.disclosures(case)
    for d in disclosures:
        answered = {a.party_id for a in d.answers.all()}
        d.may_answer = bool(my_ids - answered)  # type: ignore[attr-defined]  # for the page
    return {"transcripts": transcripts, "disclosures": disclosures, "is_party": bool(mine)}


def _consent_forms(user, case: Case, mine: list[Party], bound: dict) -> list[tuple]:
    """A consent form for each of the user's parties that has not consented, while it counts."""
    if case.state not in {State.DRAFT, *queries.OPEN_STATES}:
        return []
    return [
        (
            p,
            bound.get(f"consent:{p.pk}")
            or forms.ConsentForm(
                prefix=f"consent-{p.pk}",
                initial={
                    "service_email": p.service_email
                    or (user.email if p.user_id == user.pk else ""),
                    "service_phone": p.service_phone,
                },
            ),
        )
        for p in mine
        if p.consent_at is None
    ]


def _work_forms(
    user, case: Case, roles: set[str], mine: list[Party], parties: list[Party], bound: dict
) -> dict:
    """The forms of the people at work on the case: messages, uploads, the mediator's records."""
    context: dict = {
        "may_mediate": can(user, "mediate", case),
        "may_post": can(user, "post_message", case),
        "may_upload": can(user, "upload", case),
    }
    if context["may_post"]:
        context["message_form"] = bound.get("message") or forms.MessageForm(
            threads=_threads(user, case, roles)
        )
    if context["may_upload"]:
        context["upload_form"] = bound.get("upload") or forms.UploadForm(
            kinds=_upload_kinds(roles, mine)
        )
    if context["may_mediate"]:
        context["transcript_form"] = bound.get("transcript") or forms.TranscriptForm(
            prefix="transcript"
        )
        context["identity_form"] = bound.get("identity") or forms.IdentityCheckForm(
            prefix="identity", parties=parties
        )
        context["disclosure_form"] = bound.get("disclosure") or forms.DisclosureForm(
            prefix="disclosure"
        )
    return context


def _fee(case: Case) -> dict | None:
    """The half acceptance fee of a filed case settled by mediation (诉讼费用交纳办法 15),
    where the claim has an amount: entrusted cases, the ones already filed."""
    saving = fees.half_fee_saving(case.amount_fen) if case.channel == Channel.ENTRUSTED else None
    if saving is None:
        return None
    return {
        "fee": _yuan(saving.fee_fen),
        "half": _yuan(saving.half_fen),
        "saved": _yuan(saving.saved_fen),
    }


def _recusal_forms(case: Case, roles: set[str], mine: list[Party], bound: dict) -> dict:
    """OMR 14 and 21: a party's request for another mediator, the decisions waiting for the
    organisation or the court, the failure report still to write."""
    context: dict = {}
    if mine and case.mediator_id and case.state in lifecycle.REFUSABLE:
        context["change_form"] = bound.get("change") or recusal_forms.ChangeRequestForm(
            prefix="change"
        )
    requests = list(case.change_requests.select_related("party", "mediator"))
    deciding = bool(roles & ({"org_admin"} if case.org_id else {"court_clerk", "judge"}))
    context["change_requests"] = [
        {
            "request": r,
            "form": (
                bound.get(f"decide:{r.pk}")
                or recusal_forms.ChangeDecisionForm(prefix=f"decide-{r.pk}")
            )
            if deciding and r.state == "pending"
            else None,
        }
        for r in requests
        if roles & STAFF_ROLES or r.party in mine
    ]
    writer = "mediator" in roles or (case.mediator_id is None and "org_admin" in roles)
    if writer and actions.report_missing(case):
        context["report_form"] = bound.get("report") or forms.FailureReportForm(prefix="report")
    return context


def _detail_context(request, case: Case, *, bound: dict | None = None) -> dict:
    """Everything the case page shows; `bound` replaces a form by the one posted with errors."""
    user = request.user
    bound = bound or {}
    roles = case_roles(user, case)
    mine = parties_of(user, case)
    parties = queries.parties(case)
    available = lifecycle.available(case, roles)  # once: its preconditions read the database
    return {
        "case": case,
        "roles": roles,
        "is_staff_role": bool(roles & STAFF_ROLES),
        "is_court": bool(roles & {"court_clerk", "judge"}),
        "sham_reports": queries.sham_reports(case) if roles & STAFF_ROLES else [],
        "countdown": _countdown(case),
        "amount": _yuan(case.amount_fen),
        "fee": _fee(case),
        **_recusal_forms(case, roles, mine, bound),
        "period": _period_preview(case),
        "parties": _party_rows(user, case, parties, bound),
        "files": queries.files(case),
        "timeline": timeline.for_viewer(user, case),
        "stage": timeline.stage(case),
        "messages_list": queries.messages_for(user, case),
        **_records(case, mine, bound, can(user, "mediate", case)),
        "identity_checks": queries.identity_checks(case),
        "steps": _steps(case, available, bound),
        "choice": _choice_context(request, case, mine, bound),
        "draft_form": (bound.get("draft") or forms.DraftForm(initial=_draft_initial(case)))
        if can(user, "edit_draft", case)
        else None,
        "consent_forms": _consent_forms(user, case, mine, bound),
        "needs_verification": bool(mine) and not user.identity_verified_at,
        "consents": queries.consent_status(case) if roles & {"mediator", "org_admin"} else None,
        "may_reach_out": "mediator" in roles and case.state in lifecycle.REFUSABLE,
        "may_record_session": "hold_session" in {t.name for t in available},
        "consent_reason": lifecycle.PARTIES_CONSENTED.reason,
        "filed": getattr(case, "filed_as", None) if case.state == State.FILED else None,
        **_work_forms(user, case, roles, mine, parties, bound),
    }


def _party_rows(user, case: Case, parties: list[Party], bound: dict) -> list[dict]:
    """Each party with its acting agent, and the form to name one for the user's own."""
    agents = queries.acting_agents(case)
    rows = []
    for p in parties:
        may_name = may_name_agent(user, p)
        rows.append(
            {
                "party": p,
                "phone": p.phone_masked,
                "service_phone": mask_phone(p.service_phone),
                "agent": agents.get(p.pk),
                "may_name_agent": may_name,
                "agent_form": (bound.get(f"agent:{p.pk}") or AgentForm(prefix=f"agent-{p.pk}"))
                if may_name
                else None,
            }
        )
    return rows


def _render_detail(request, case: Case, bound: dict | None = None, status: int = 200):
    return render(
        request, "cases/detail.html", _detail_context(request, case, bound=bound), status=status
    )


@login_required
def detail(request, pk: int):
    case = _visible_case(request, pk, with_parties=True)
    return _render_detail(request, case)


def _draft_initial(case: Case) -> dict:
    return {
        "title": case.title,
        "ip_kind": case.ip_kind_id or "",
        "right_number": case.right_number,
        "claims": case.claims,
        "description": case.description,
        "amount_yuan": None if case.amount_fen is None else case.amount_fen / 100,
    }


def _choice_context(request, case: Case, mine, bound: dict) -> dict | None:
    """The parties' joint choice of a mediator (OMR 10), while the court has not assigned one."""
    if not mine or case.state != State.SUBMITTED or not case.court_id:
        return None
    limit = actions.choice_deadline(case)
    if limit is None:
        return None
    chosen = {c.party_id: c for c in queries.mediator_choices(case)}
    return {
        "deadline": limit,
        "open": timezone.now() <= limit,
        "choices": list(chosen.values()),
        "joint": actions.joint_choice(case),
        "form": bound.get("choice") or forms.MediatorChoiceForm(court=case.court),
    }
