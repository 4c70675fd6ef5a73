"""The invitation link (OMR 15): the invited person logs in or opens an account, verifies
their identity and joins the party; the mediator sends the invitation again."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.forms import run_action

from .. import actions
from ..models import Party
from ._common import _case_url, _to_verify, _visible_case


def invitation(request, token: str):
    """Anyone holding the link sees what it invites to; joining needs a verified account.
    An unknown, used, replaced or expired link is a 404."""
    found = actions.invitation_for(token)
    here = reverse("cases:invitation", args=[token])
    return _invitation_page(
        request,
        here,
        "cases/invitation.html",
        lambda: _context(found, here),
        lambda user: actions.accept_invitation(actor=user, token=token),
        success=_("You have joined the case. Give your consent to go on."),
        then=lambda party: _case_url(party.case, f"consent-{party.pk}"),
    )


def _invitation_page(request, here: str, template: str, context, accept, *, success, then):
    """The page of an invitation link: anyone holding it sees `template`; a POST joins
    through `accept(user)` (`run_action`: `success`, then `then`) once logged in (else the
    page again, 403) with a verified identity (else to verification, and back `here`)."""
    user = request.user
    if request.method == "POST":
        if not user.is_authenticated:
            return render(request, template, context(), status=403)
        if not user.identity_verified_at:
            return _to_verify(request, then=here)
        done = run_action(
            request,
            None,
            lambda _d: accept(user),
            success=success,
            then=then,
            refusal="message",
        )
        if done:
            return done
    return render(request, template, context())


def _context(found, here: str) -> dict:
    case = found.case
    return {
        "invitation": found,
        "case": case,
        "party": found.party,
        "sender": case.court or case.org,
        **_links(here),
    }


@login_required
@require_POST
def reach_out(request, pk: int, party_id: int):
    """The mediator sends the invitation again, with a new link (OMR 15)."""
    case = _visible_case(request, pk)
    party = get_object_or_404(Party, pk=party_id, case=case)
    done = run_action(
        request,
        None,
        lambda _d: actions.reach_out(actor=request.user, case=case, party=party),
        success=_("The invitation is sent again."),
        then=_case_url(case, "consents"),
    )
    return done


def agent_invitation(request, token: str):
    """The link of an agent without an account (CPL 61): whoever holds it sees which party
    and case it is for; joining needs an account verified in the name the party gave."""
    found = actions.agent_invitation_for(token)
    here = reverse("cases:agent_invitation", args=[token])
    return _invitation_page(
        request,
        here,
        "cases/agent_invitation.html",
        lambda: _agent_context(found, here),
        lambda user: actions.accept_agent_invitation(actor=user, token=token),
        success=_("You have joined the case as agent."),
        then=lambda agent: _case_url(agent.party.case, "parties"),
    )


def _agent_context(found, here: str) -> dict:
    party = found.agent.party
    return {
        **_links(here),
        "invitation": found,
        "agent": found.agent,
        "party": party,
        "case": party.case,
    }


def _links(here: str) -> dict:
    return {
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': here})}",
        "register_url": f"{reverse('accounts:register')}?{urlencode({'next': here})}",
        "verify_url": f"{reverse('accounts:verify')}?{urlencode({'next': here})}",
    }
