"""Pages of party feedback and oversight: the survey, complaints, scoring schemes, and
commendations and warnings recorded from a performance file. Thin: forms call actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.forms import form_page, run_action

from . import actions, feedback, lifecycle, policies
from .forms import NoteForm, ReasonForm, SchemeForm, SurveyForm, VersionForm, chosen
from .models import Complaint, ScoringScheme, Survey, SurveyAnswer
from .scopes import resolve


@login_required
def survey(request, case_id: int):
    party = feedback.party_of(request.user, case_id)  # 404 for anyone but a party
    survey = Survey.objects.filter(case_id=case_id).first()
    done = survey and SurveyAnswer.objects.filter(survey=survey, party=party).exists()
    form = SurveyForm(request.POST or None)
    context = {"case": party.case, "form": form, "done": done, "open": survey is not None}
    return form_page(
        request,
        form,
        lambda d: feedback.answer_survey(
            actor=request.user, case_id=case_id, answers=d, comment=d.get("comment", "")
        ),
        template="evaluation/survey.html",
        context=context,
        success=_("Thank you: your answers are recorded."),
        then=reverse("evaluation:survey", args=[case_id]),
        refusal="form",
    )


@login_required
def complaint_new(request, case_id: int):
    party = feedback.party_of(request.user, case_id)
    form = ReasonForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: feedback.file_complaint(actor=request.user, case_id=case_id, reason=d["reason"]),
        template="evaluation/complaint_new.html",
        context={"case": party.case, "form": form},
        success=_("Your complaint is filed; the court or IP office concerned will decide it."),
        then=lambda c: reverse("evaluation:complaint", args=[c.pk]),
        refusal="form",
    )


def _complaint(request, pk: int) -> Complaint:
    rows = Complaint.objects.select_related("case__org", "mediator", "party", "decided_by")
    complaint = rows.filter(pk=pk).first()
    if complaint is None or not policies.sees_complaint(request.user, complaint):
        raise Http404
    return complaint


@login_required
def complaint_detail(request, pk: int):
    complaint = _complaint(request, pk)
    steps = lifecycle.COMPLAINT.available(complaint, lifecycle.roles(request.user, complaint))
    context = {"complaint": complaint, "steps": steps, "form": ReasonForm()}
    return render(request, "evaluation/complaint.html", context)


@login_required
@require_POST
def complaint_step(request, pk: int, step: str):
    complaint = _complaint(request, pk)
    form = ReasonForm(request.POST)
    here = reverse("evaluation:complaint", args=[pk])
    done = run_action(
        request,
        form,
        lambda d: feedback.decide_complaint(
            actor=request.user, complaint=complaint, step=step, reason=d["reason"]
        ),
        success=_("The complaint is decided."),
        then=here,
    )
    if done:
        return done
    steps = lifecycle.COMPLAINT.available(complaint, lifecycle.roles(request.user, complaint))
    context = {"complaint": complaint, "steps": steps, "form": form}
    return render(request, "evaluation/complaint.html", context, status=400)


@login_required
@require_POST
def note_new(request, level: str, key: str):
    scope = resolve(level, key)
    owners = policies.owners_for(request.user, scope) if scope else []
    if scope is None or scope.level not in {"mediator", "org"} or not owners:
        raise Http404
    form = NoteForm(request.POST, owners=owners)
    here = reverse("evaluation:scope", args=[level, key])
    done = run_action(
        request,
        form,
        lambda d: actions.record_note(
            actor=request.user,
            scope=scope,
            kind=d["kind"],
            reason=d["reason"],
            owner=chosen(owners, d["owner"]),
        ),
        success=_("Recorded on the performance file."),
        then=here + "#notes",
    )
    if done:
        return done
    return render(request, "evaluation/note_form.html", {"form": form, "scope": scope}, status=400)


def _owners(request) -> list:
    from sutiao.accounts.roles import Role
    from sutiao.institutions.models import Court, IPOffice

    user = request.user
    return [
        *IPOffice.objects.filter(pk__in=user.ip_office_ids()),
        *Court.objects.filter(pk__in=user.court_ids(Role.COURT_CLERK, Role.JUDGE)),
    ]


@login_required
def schemes(request):
    owners = _owners(request)
    if not owners:
        raise Http404
    form = SchemeForm(request.POST or None, owners=owners)
    rows = ScoringScheme.objects.filter(
        office__in=[o for o in owners if o._meta.model_name == "ipoffice"]
    ) | ScoringScheme.objects.filter(court__in=[o for o in owners if o._meta.model_name == "court"])
    return form_page(
        request,
        form,
        lambda d: actions.create_scheme(
            actor=request.user, name=d["name"], owner=chosen(owners, d["owner"])
        ),
        template="evaluation/schemes.html",
        context={"form": form, "schemes": rows.select_related("office", "court")},
        success=_("The scheme is saved."),
        then=lambda s: reverse("evaluation:scheme", args=[s.pk]),
        refusal="form",
    )


def _scheme(request, pk: int) -> ScoringScheme:
    from sutiao.accounts.policies import institution_staff

    scheme = ScoringScheme.objects.filter(pk=pk).select_related("office", "court").first()
    if scheme is None or not institution_staff(request.user, scheme):
        raise Http404
    return scheme


@login_required
def scheme_detail(request, pk: int):
    scheme = _scheme(request, pk)
    form = VersionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda d: actions.save_version(
            actor=request.user,
            scheme=scheme,
            period=d["period"],
            indicators=form.indicators(),
            note=d.get("note", ""),
        ),
        template="evaluation/scheme.html",
        context={"scheme": scheme, "versions": scheme.versions.all(), "form": form},
        success=_("The draft version is saved; publish it to apply it."),
        then=reverse("evaluation:scheme", args=[pk]),
        refusal="form",
    )


@login_required
@require_POST
def version_publish(request, pk: int, number: int):
    scheme = _scheme(request, pk)
    version = scheme.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return run_action(
        request,
        None,
        lambda _d: actions.publish_version(actor=request.user, version=version),
        success=_("The version is published."),
        then=reverse("evaluation:scheme", args=[pk]),
    )
