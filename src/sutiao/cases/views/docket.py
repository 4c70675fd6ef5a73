"""The court's docket: filed cases, registering one, entrusting it to mediation."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.forms import run_action
from sutiao.core.policy import can, require

from .. import actions, forms, queries
from ..models import FiledCase, Party
from ._common import (
    _case_url,
)
from .lists import _judge_list_with

KIND_LABELS = dict(Party.Kind.choices)


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
    context: dict[str, Any] = {
        "filed": fc,
        "origin": origin,
        "mediations": fc.mediations.order_by("-id"),
        "docket_parties": [
            {**p, "kind_label": KIND_LABELS.get(p.get("kind", Party.Kind.NATURAL), "")}
            for p in fc.parties_snapshot
        ],
    }
    if origin is not None:
        party_ids = {p.pk for p in origin.parties.all()}
        transcripts = list(queries.transcripts(origin))
        for t in transcripts:  # OMR 22: a recording as the record, without its facts confirmed
            t.incomplete = queries.record_incomplete(t, party_ids)  # type: ignore[attr-defined]
        context.update(
            parties=[{"party": p, "phone": p.phone_masked} for p in origin.parties.all()],
            files=origin.files.select_related("party"),
            transcripts=transcripts,
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
            ip_kind=d["ip_kind"],
            parties=form.parties(),
        ),
        success=lambda fc: (
            _("%(number)s is registered. Entrust it to a mediator below.") % {"number": fc.number}
        ),
        then=lambda fc: reverse("cases:filed", args=[fc.pk]),
        refusal="message",
    )
    return done or _judge_list_with(request, register_form=form)


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
