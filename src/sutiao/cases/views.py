"""The pages of a case's life: apply, the lists of each role, the case page and its steps,
the filed case. Thin: every change goes through `actions`, every read through `queries`,
and who may see what through the policies (a stranger gets 404)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sutiao.accounts.identity import mask_phone
from sutiao.accounts.roles import Role
from sutiao.core.errors import DomainError, Invalid
from sutiao.core.policy import can, require
from sutiao.web.forms import apply_errors, run_action
from sutiao.workdays.periods import RULES

from . import actions, forms, lifecycle, queries
from .actions import PartyIn
from .choices import PartyRole, State
from .models import Case, CaseFile, Disclosure, FiledCase, Party, Transcript
from .policies import case_roles, parties_of

# The lists of /cases/, in the order they are offered: (key, role, title, url name).
LISTS = [
    ("party", Role.PARTY, gettext_lazy("My cases"), "cases:mine"),
    ("clerk", Role.COURT_CLERK, gettext_lazy("Case queue"), "cases:queue"),
    ("judge", Role.JUDGE, gettext_lazy("Entrusted cases"), "cases:entrusted"),
    ("org", Role.ORG_ADMIN, gettext_lazy("Incoming cases"), "cases:incoming"),
    ("mediator", Role.MEDIATOR, gettext_lazy("My cases as mediator"), "cases:assigned"),
]

EVENT_LABELS = {
    "created": gettext_lazy("Case created"),
    "consent": gettext_lazy("Consent and service address given"),
    "file_added": gettext_lazy("File added"),
    "transcript": gettext_lazy("Session record written"),
    "transcript_confirmed": gettext_lazy("Session record confirmed"),
    "identity_checked": gettext_lazy("Identity verified"),
    "disclosure": gettext_lazy("Disclosure by the mediator"),
    "disclosure_answered": gettext_lazy("Answer to the disclosure"),
    "filed_as": gettext_lazy("Filed as a lawsuit"),
}

# Steps a person never takes from the case page (the system's, and those of other pages).
SYSTEM_STEPS = {"expire", *lifecycle.ELSEWHERE}
STAFF_ROLES = {"court_clerk", "judge", "org_admin", "mediator"}


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def _visible_case(request, pk: int) -> Case:
    case = get_object_or_404(
        Case.objects.select_related("court", "org", "mediator", "ip_kind", "filed_case"), pk=pk
    )
    require(request.user, "view", case)
    return case


def _to_case(case: Case):
    return redirect("cases:detail", pk=case.pk)


def _case_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


# Lists ---------------------------------------------------------------------------------


def _lists_of(user) -> list[tuple]:
    found = []
    for key, role, title, url_name in LISTS:
        if user.has_role(role) or (key == "party" and queries.for_party(user).exists()):
            found.append((key, title, url_name))
    return found


def _list_context(request, which: str, **bound) -> dict:
    lists = _lists_of(request.user)
    if not lists:
        return {"lists": [], "which": ""}
    keys = [key for key, _title, _url in lists]
    if which and which not in keys:
        raise Http404
    which = which or keys[0]
    state = request.GET.get("state", "")
    if state not in {"", "open", *State.values}:
        state = ""
    q = request.GET.get("q", "").strip()[:100]
    cursor = request.GET.get("cursor", "")
    cursor = int(cursor) if cursor.isdigit() else None
    result = queries.page(queries.LISTS[which](request.user), state=state, q=q, cursor=cursor)
    more = None
    if result.next_cursor:
        more = "?" + urlencode({"state": state, "q": q, "cursor": result.next_cursor})
    context = {
        "lists": lists,
        "which": which,
        "title": next(t for key, t, _url in lists if key == which),
        "rows": [{"case": c, "countdown": _countdown(c)} for c in result.items],
        "more": more,
        "cursor": cursor,
        "filters": {"state": state, "q": q},
        "states": State.choices,
    }
    if which == "judge":
        courts = queries.judge_courts(request.user)
        context["register_form"] = bound.get("register_form") or forms.RegisterFiledCaseForm(
            courts=courts
        )
        context["entrust_form"] = bound.get("entrust_form") or forms.EntrustForm(
            filed_cases=queries.filed_choices(courts), courts=courts
        )
        context["filed_cases"] = queries.filed_waiting(courts)
    return context


@login_required
def case_list(request, which: str = ""):
    return render(request, "cases/list.html", _list_context(request, which))


# Application ---------------------------------------------------------------------------


def _apply_invalid(form, exc: Invalid) -> None:
    fields = {}
    for key, msgs in exc.details.get("fields", {"__all__": [exc.message]}).items():
        fields.setdefault(forms.APPLY_FIELD_NAMES.get(key, key), []).extend(msgs)
    apply_errors(form, Invalid(exc.message, fields=fields))


def _party_in(role: str, kind: str, name: str, number: str, phone: str) -> PartyIn:
    legal = kind == Party.Kind.LEGAL
    return PartyIn(
        role=role,
        kind=kind,
        name=name,
        id_number="" if legal else number,
        uscc=number if legal else "",
        phone=phone,
    )


def _store_files(request, case: Case, uploads, kind: str, party: Party | None) -> bool:
    """Each file through `add_file`; a refused one is a message (413/422), the rest stay."""
    ok = True
    for upload in uploads:
        try:
            actions.add_file(actor=request.user, case=case, upload=upload, kind=kind, party=party)
        except DomainError as exc:
            ok = False
            messages.error(
                request,
                _("%(name)s was not added: %(reason)s")
                % {"name": upload.name, "reason": exc.message},
            )
    return ok


@login_required
def apply(request):
    """A party (or its agent) applies for mediation: saved as a draft, or submitted at once."""
    initial = {"applicant_name": request.user.real_name, "applicant_phone": request.user.phone}
    form = forms.ApplyForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():  # the draft and its consent, or nothing
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
                    applicant=_party_in(
                        PartyRole.APPLICANT,
                        d["applicant_kind"],
                        d["applicant_name"],
                        d["applicant_id"],
                        d["applicant_phone"],
                    ),
                    respondents=[
                        _party_in(
                            PartyRole.RESPONDENT,
                            d["respondent_kind"],
                            d["respondent_name"],
                            d["respondent_id"],
                            d["respondent_phone"],
                        )
                    ],
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
                    )
        except Invalid as exc:
            _apply_invalid(form, exc)
        else:
            files_ok = _store_files(request, case, d["evidence"], CaseFile.Kind.EVIDENCE, applicant)
            if d["power_of_attorney"]:
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
            messages.success(
                request, _("Your application is saved as a draft. You can complete it later.")
            )
            return _to_case(case)
    drafts = queries.drafts_of(request.user)
    return render(request, "cases/apply.html", {"form": form, "drafts": drafts})


# The case page -------------------------------------------------------------------------


def _threads(user, case: Case, roles: set[str]) -> list[tuple[str, str]]:
    """The private caucus threads a user may write in."""
    parties = list(case.parties.all()) if "mediator" in roles else parties_of(user, case)
    label = _("Private caucus: %(party)s and the mediator")
    return [(str(p.pk), label % {"party": p.name}) for p in parties]


def _upload_kinds(roles: set[str], mine: list[Party]) -> list[str]:
    kinds = [CaseFile.Kind.EVIDENCE]
    if any(p.agent_id for p in mine):
        kinds.append(CaseFile.Kind.POWER_OF_ATTORNEY)
    if roles & STAFF_ROLES:
        kinds.append(CaseFile.Kind.DOCUMENT)
    return kinds


def _period_preview(case: Case) -> dict | None:
    """The mediation period of the case, from acceptance (OMR 24), while it can still run."""
    rule = RULES.get(lifecycle.mediation_rule(case))
    if rule is None or case.state not in {State.DRAFT, *queries.OPEN_STATES}:
        return None
    return {"label": rule.label, "days": rule.days, "source": rule.source}


def _countdown(case: Case) -> queries.Countdown | None:
    return queries.countdown(case)


def _yuan(fen: int | None) -> str:
    return "" if fen is None else f"{Decimal(fen) / 100:,.2f}"


def _detail_context(request, case: Case, *, bound: dict | None = None) -> dict:
    """Everything the case page shows; `bound` replaces a form by the one posted with errors."""
    user = request.user
    bound = bound or {}
    roles = case_roles(user, case)
    mine = parties_of(user, case)
    steps = []
    for t in lifecycle.available(case, roles):
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
    parties = queries.parties(case)
    transcripts = list(queries.transcripts(case))
    my_ids = {p.pk for p in mine}
    for t in transcripts:
        confirmed = {c.party_id for c in t.confirmations.all()}
        t.may_confirm = bool(my_ids - confirmed)
    disclosures = queries.disclosures(case)
    for d in disclosures:
        answered = {a.party_id for a in d.answers.all()}
        d.may_answer = bool(my_ids - answered)
    may_mediate = can(user, "mediate", case)
    may_post = can(user, "post_message", case)
    may_upload = can(user, "upload", case)
    to_consent = [
        p
        for p in mine
        if p.consent_at is None and case.state in {State.DRAFT, *queries.OPEN_STATES}
    ]
    context = {
        "case": case,
        "roles": roles,
        "is_staff_role": bool(roles & STAFF_ROLES),
        "is_court": bool(roles & {"court_clerk", "judge"}),
        "countdown": _countdown(case),
        "amount": _yuan(case.amount_fen),
        "period": _period_preview(case),
        "parties": [
            {"party": p, "phone": p.phone_masked, "service_phone": mask_phone(p.service_phone)}
            for p in parties
        ],
        "files": queries.files(case),
        "timeline": [{"event": e, "label": _event_label(e)} for e in queries.timeline(case)],
        "messages_list": queries.messages_for(user, case),
        "transcripts": transcripts,
        "identity_checks": queries.identity_checks(case),
        "disclosures": disclosures,
        "steps": steps,
        "may_mediate": may_mediate,
        "may_post": may_post,
        "may_upload": may_upload,
        "choice": _choice_context(request, case, mine, bound),
        "draft_form": (bound.get("draft") or forms.DraftForm(initial=_draft_initial(case)))
        if can(user, "edit_draft", case)
        else None,
        "consent_forms": [
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
            for p in to_consent
        ],
        "filed": getattr(case, "filed_as", None) if case.state == State.FILED else None,
    }
    if may_post:
        context["message_form"] = bound.get("message") or forms.MessageForm(
            threads=_threads(user, case, roles)
        )
    if may_upload:
        context["upload_form"] = bound.get("upload") or forms.UploadForm(
            kinds=_upload_kinds(roles, mine)
        )
    if may_mediate:
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


def _event_label(event) -> str:
    t = lifecycle.TRANSITIONS.get(event.kind)
    if t is not None:
        return t.label
    return EVENT_LABELS.get(event.kind, event.kind)


def _render_detail(request, case: Case, bound: dict | None = None, status: int = 200):
    return render(
        request, "cases/detail.html", _detail_context(request, case, bound=bound), status=status
    )


@login_required
def detail(request, pk: int):
    case = _visible_case(request, pk)
    return _render_detail(request, case)


@login_required
@require_POST
def step(request, pk: int, name: str):
    """One lifecycle step, through its action. A step the table forbids is a message."""
    if name not in lifecycle.TRANSITIONS or name in SYSTEM_STEPS:
        raise Http404
    case = _visible_case(request, pk)
    try:
        lifecycle.check(case, name, case_roles(request.user, case))
    except DomainError as exc:
        _error(request, exc)
        return _to_case(case)
    form = forms.step_form(name, case, request.POST)

    def take(_d):
        # Each step's action has the step's name (actions.accept, actions.file_case, ...);
        # a returned mediation is entrusted again to the court's filed case.
        if name == "entrust":
            return actions.entrust(
                actor=request.user, filed_case=case.filed_case, case=case, **form.arguments()
            )
        return getattr(actions, name)(actor=request.user, case=case, **form.arguments())

    done = run_action(
        request,
        form,
        take,
        success=lambda result: _step_done(result, name),
        then=lambda result: (
            reverse("cases:filed", args=[result.pk])
            if isinstance(result, FiledCase)
            else _case_url(result)
        ),
        refused=_case_url(case),
    )
    return done or _render_detail(request, case, {f"step:{name}": form})


def _step_done(result, name: str) -> str:
    if isinstance(result, FiledCase):
        return _("The case is filed as %(number)s.") % {"number": result.number}
    return _("Done: %(step)s.") % {"step": lifecycle.TRANSITIONS[name].label}


@login_required
@require_POST
def consent(request, pk: int, party_id: int):
    case = _visible_case(request, pk)
    party = get_object_or_404(Party, pk=party_id, case=case)
    form = forms.ConsentForm(request.POST, prefix=f"consent-{party.pk}")
    done = run_action(
        request,
        form,
        lambda d: actions.give_consent(
            actor=request.user,
            case=case,
            party=party,
            online=d["consents_online"],
            e_service=d["consents_e_service"],
            service_email=d["service_email"],
            service_phone=d["service_phone"],
        ),
        success=_("Your consent and service address are recorded."),
        then=_case_url(case),
    )
    return done or _render_detail(request, case, {f"consent:{party.pk}": form})


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
    f = get_object_or_404(CaseFile.objects.select_related("case"), pk=file_id, case_id=pk)
    require(request.user, "view", f)
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


@login_required
@require_POST
def disclose(request, pk: int):
    case = _visible_case(request, pk)
    form = forms.DisclosureForm(request.POST, prefix="disclosure")
    done = run_action(
        request,
        form,
        lambda d: actions.disclose(actor=request.user, case=case, statement=d["statement"]),
        success=_("Your disclosure is recorded; the parties will answer."),
        then=_case_url(case, "disclosures"),
        refused=_case_url(case),
    )
    return done or _render_detail(request, case, {"disclosure": form})


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


# The court's docket --------------------------------------------------------------------


def _court_filed_case(request, pk: int) -> FiledCase:
    """A filed case, for the clerks and judges of its court only (others: 404)."""
    try:
        fc = queries.filed_case(pk)
    except FiledCase.DoesNotExist:
        raise Http404 from None
    require(request.user, "view", fc)
    return fc


@login_required
def filed_detail(request, pk: int, entrust_form=None):
    fc = _court_filed_case(request, pk)
    origin = fc.origin
    context = {"filed": fc, "origin": origin, "mediations": fc.mediations.order_by("-id")}
    if origin is not None:
        context.update(
            parties=[{"party": p, "phone": p.phone_masked} for p in origin.parties.all()],
            files=origin.files.select_related("party"),
            transcripts=queries.transcripts(origin),
        )
    if can(request.user, "entrust", fc):
        waiting = queries.filed_choices([fc.court]).filter(pk=fc.pk)
        if waiting.exists():
            context["entrust_form"] = entrust_form or forms.EntrustForm(
                initial={"filed_case": fc.pk, "procedure": ""},
                filed_cases=waiting,
                courts=[fc.court],
            )
    return render(request, "cases/filed.html", context)


@login_required
@require_POST
def register_filed(request):
    courts = queries.judge_courts(request.user)
    if not courts:
        raise Http404
    form = forms.RegisterFiledCaseForm(request.POST, courts=courts)
    done = run_action(
        request,
        form,
        lambda d: actions.register_filed_case(
            actor=request.user,
            court=d["court"],
            title=d["title"],
            procedure=d["procedure"],
            parties=form.parties(),
        ),
        success=lambda fc: (
            _("%(number)s is registered. Entrust it to a mediator below.") % {"number": fc.number}
        ),
        then=lambda fc: reverse("cases:filed", args=[fc.pk]),
        refusal="message",
    )
    return done or _judge_list_with(request, register_form=form)


def _judge_list_with(request, **bound):
    return render(request, "cases/list.html", _list_context(request, "judge", **bound))


@login_required
@require_POST
def entrust(request):
    courts = queries.judge_courts(request.user)
    if not courts:
        raise Http404
    form = forms.EntrustForm(request.POST, filed_cases=queries.filed_choices(courts), courts=courts)
    back = request.POST.get("back") == "filed"
    done = run_action(
        request,
        form,
        lambda d: actions.entrust(
            actor=request.user,
            filed_case=d["filed_case"],
            procedure=d["procedure"] or None,
            **forms.split_target(d["target"]),
        ),
        success=lambda case: (
            _("%(number)s is entrusted as %(mediation)s.")
            % {"number": form.cleaned_data["filed_case"].number, "mediation": case.number}
        ),
        then=_case_url,
        refusal="message",
    )
    if done:
        return done
    filed_id = form.data.get(form.add_prefix("filed_case"), "")
    if back and filed_id.isdigit():
        return filed_detail(request, int(filed_id), entrust_form=form)
    return _judge_list_with(request, entrust_form=form)


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
