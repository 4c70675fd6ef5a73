"""One lifecycle step from the case page, through the action of the same name."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.errors import DomainError
from sutiao.core.forms import run_action

from .. import actions, forms, lifecycle
from ..models import FiledCase
from ..policies import case_roles
from ._common import (
    SYSTEM_STEPS,
    _case_url,
    _error,
    _to_case,
    _visible_case,
)
from .case_page import _render_detail


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
