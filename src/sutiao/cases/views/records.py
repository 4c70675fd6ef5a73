"""Files, messages and the records of mediation on the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.forms import run_action
from sutiao.core.lookup import visible_or_404

from .. import actions, forms, recusal_forms
from ..models import CaseFile, Disclosure, MediatorChangeRequest, Transcript
from ..policies import case_roles, parties_of
from ._common import (
    _case_url,
    _store_files,
    _threads,
    _to_case,
    _upload_kinds,
    _visible_case,
)
from .case_page import _render_detail


@login_required
@require_POST
def upload(request, pk: int):
    case = _visible_case(request, pk)
    roles = case_roles(request.user, case)
    mine = parties_of(request.user, case)
    form = forms.UploadForm(request.POST, request.FILES, kinds=_upload_kinds(roles, mine))
    if not form.is_valid():
        return _render_detail(request, case, {"upload": form})
    kind = form.cleaned_data["kind"]
    party = None
    if mine:
        agents = [p for p in mine if p.agent_id == request.user.pk]
        party = (agents or mine)[0] if kind == CaseFile.Kind.POWER_OF_ATTORNEY else mine[0]
    files = form.cleaned_data["files"]
    if _store_files(request, case, files, kind, party):
        messages.success(request, _("The files are added."))
    return _to_case(case)


@login_required
def download(request, pk: int, file_id: int):
    """The stored bytes, to those who may see the case only."""
    f = visible_or_404(
        request.user, CaseFile.objects.select_related("case"), pk=file_id, case_id=pk
    )
    response = FileResponse(
        f.file.open("rb"), as_attachment=True, filename=f.name, content_type=f.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def post_message(request, pk: int):
    case = _visible_case(request, pk)
    roles = case_roles(request.user, case)
    form = forms.MessageForm(request.POST, threads=_threads(request.user, case, roles))
    if not form.is_valid():
        return _render_detail(request, case, {"message": form})
    thread = form.cleaned_data.get("thread")
    caucus = case.parties.filter(pk=thread).first() if thread else None
    done = run_action(
        request,
        form,
        lambda d: actions.post_message(
            actor=request.user, case=case, body=d["body"], caucus_party=caucus
        ),
        success="",
        then=_case_url(case, "messages"),
    )
    return done or _render_detail(request, case, {"message": form})


@login_required
@require_POST
def record_transcript(request, pk: int):
    case = _visible_case(request, pk)
    form = forms.TranscriptForm(request.POST, prefix="transcript")
    done = run_action(
        request,
        form,
        lambda d: actions.record_transcript(actor=request.user, case=case, **d),
        success=_("The record of the session is saved."),
        then=_case_url(case, "transcripts"),
        refused=_case_url(case),
    )
    return done or _render_detail(request, case, {"transcript": form})


@login_required
@require_POST
def confirm_transcript(request, pk: int, transcript_id: int):
    case = _visible_case(request, pk)
    transcript = get_object_or_404(Transcript, pk=transcript_id, case=case)
    return run_action(
        request,
        None,
        lambda _d: actions.confirm_transcript(actor=request.user, transcript=transcript),
        success=_("You confirmed the record of the session."),
        then=_case_url(case, "transcripts"),
    )


@login_required
@require_POST
def record_undisputed_facts(request, pk: int, transcript_id: int):
    """OMR 22: the mediator writes the undisputed facts of a recording that is the record."""
    case = _visible_case(request, pk)
    transcript = get_object_or_404(Transcript, pk=transcript_id, case=case)
    form = forms.UndisputedFactsForm(request.POST, prefix=f"facts-{transcript.pk}")
    done = run_action(
        request,
        form,
        lambda d: actions.record_undisputed_facts(
            actor=request.user, transcript=transcript, text=d["undisputed_facts"]
        ),
        success=_("The undisputed facts are saved; each party confirms them."),
        then=_case_url(case, "transcripts"),
    )
    return done or _render_detail(request, case, {f"facts:{transcript.pk}": form})


@login_required
@require_POST
def identity_check(request, pk: int):
    case = _visible_case(request, pk)
    parties = list(case.parties.all())
    form = forms.IdentityCheckForm(request.POST, prefix="identity", parties=parties)
    done = run_action(
        request,
        form,
        lambda d: actions.record_identity_check(
            actor=request.user,
            case=case,
            party=next(p for p in parties if str(p.pk) == d["party"]),
            session_date=d["session_date"],
            method=d["method"],
        ),
        success=_("The identity check is recorded."),
        then=_case_url(case, "identity"),
        refused=_case_url(case),
    )
    return done or _render_detail(request, case, {"identity": form})


def _case_form(request, case, form, call, *, success: str, anchor: str, key: str):
    """A form of the case page posted to its action: done → back to the case at `anchor`;
    bad input → the case page again with the form and its errors under `key`."""
    done = run_action(
        request,
        form,
        call,
        success=success,
        then=_case_url(case, anchor),
        refused=_case_url(case),
    )
    return done or _render_detail(request, case, {key: form})


@login_required
@require_POST
def disclose(request, pk: int):
    case = _visible_case(request, pk)
    return _case_form(
        request,
        case,
        forms.DisclosureForm(request.POST, prefix="disclosure"),
        lambda d: actions.disclose(actor=request.user, case=case, statement=d["statement"]),
        success=_("Your disclosure is recorded; the parties will answer."),
        anchor="disclosures",
        key="disclosure",
    )


@login_required
@require_POST
def answer_disclosure(request, pk: int, disclosure_id: int):
    case = _visible_case(request, pk)
    disclosure = get_object_or_404(Disclosure, pk=disclosure_id, case=case)
    agrees = request.POST.get("consents") == "yes"
    return run_action(
        request,
        None,
        lambda _d: actions.answer_disclosure(
            actor=request.user, disclosure=disclosure, consents=agrees
        ),
        success=_("Your answer is recorded."),
        then=_case_url(case, "disclosures"),
    )


@login_required
@require_POST
def request_change(request, pk: int):
    """OMR 14: a party asks for another mediator, with a reason."""
    case = _visible_case(request, pk)
    return _case_form(
        request,
        case,
        recusal_forms.ChangeRequestForm(request.POST, prefix="change"),
        lambda d: (actions.refuse_mediation if d["refuse_all"] else actions.request_other_mediator)(
            actor=request.user, case=case, reason=d["reason"]
        ),
        success=_("Your request is recorded; the organisation or the court decides."),
        anchor="mediator-change",
        key="change",
    )


@login_required
@require_POST
def decide_change(request, pk: int, request_id: int):
    case = _visible_case(request, pk)
    change = get_object_or_404(MediatorChangeRequest, pk=request_id, case=case)
    return _case_form(
        request,
        case,
        recusal_forms.ChangeDecisionForm(request.POST, prefix=f"decide-{change.pk}"),
        lambda d: actions.decide_change_request(
            actor=request.user, request=change, grant=d["grant"], note=d["note"]
        ),
        success=_("The decision is recorded."),
        anchor="mediator-change",
        key=f"decide:{change.pk}",
    )


@login_required
@require_POST
def report_failure(request, pk: int):
    """OMR 21: the failure report of a case that ended without one (the period expired)."""
    case = _visible_case(request, pk)
    return _case_form(
        request,
        case,
        forms.FailureReportForm(request.POST, prefix="report"),
        lambda d: actions.report_failure(actor=request.user, case=case, **d),
        success=_("The failure report is recorded; the court is told."),
        anchor="failure-report",
        key="report",
    )
