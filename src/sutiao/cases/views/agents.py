"""A party names or revokes its agent (CPL 61–62) from the case page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.forms import run_action

from .. import actions
from ..agent_forms import AgentForm
from ..models import Agent, Party
from ._common import _case_url, _visible_case
from .case_page import _render_detail


@login_required
@require_POST
def name_agent(request, pk: int, party_id: int):
    case = _visible_case(request, pk)
    party = get_object_or_404(Party, pk=party_id, case=case)
    form = AgentForm(request.POST, request.FILES, prefix=f"agent-{party.pk}")
    done = run_action(
        request,
        form,
        lambda d: actions.name_agent(
            actor=request.user,
            case=case,
            party=party,
            data=form.agent_in(),
            power_of_attorney=d["power_of_attorney"],
        ),
        success=lambda a: (
            (
                _("%(agent)s now acts for %(party)s.")
                if a.joined
                else _("%(agent)s is invited by a link and acts for %(party)s once joined.")
            )
            % {"agent": a.display_name, "party": party.name}
        ),
        then=_case_url(case, "parties"),
        refusal="form",
    )
    return done or _render_detail(request, case, {f"agent:{party.pk}": form}, status=422)


@login_required
@require_POST
def revoke_agent(request, pk: int, agent_id: int):
    case = _visible_case(request, pk)
    agent = get_object_or_404(Agent, pk=agent_id, party__case=case)
    return run_action(
        request,
        None,
        lambda d: actions.revoke_agent(actor=request.user, case=case, agent=agent),
        success=_("The agent's power of attorney is revoked."),
        then=_case_url(case, "parties"),
    )
