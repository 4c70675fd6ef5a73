"""The buttons of OMR 22 on the case page: a party consents that a session's recording
replaces its written transcript, or withdraws the consent (meetings/replacement.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sutiao.core.forms import run_action
from sutiao.core.policy import can

from . import replacement
from .models import Recording


def _case_url(request, recording_id: int) -> str:
    """Where the buttons send back to; a stranger's or a missing recording is a 404 page."""
    rec = Recording.objects.select_related("session__case").filter(pk=recording_id).first()
    if rec is None or not can(request.user, "view", rec.session.case):
        raise Http404
    return reverse("cases:detail", args=[rec.session.case_id]) + "#transcripts"


@login_required
@require_POST
def consent(request, recording_id: int):
    then = _case_url(request, recording_id)
    return run_action(
        request,
        None,
        lambda _d: replacement.consent(actor=request.user, recording_id=recording_id),
        success=lambda rec: (
            _("The recording now stands as the session's record.")
            if rec.transcript_id
            else _("You consented that the recording replaces the written transcript.")
        ),
        then=then,
    )


@login_required
@require_POST
def withdraw(request, recording_id: int):
    return run_action(
        request,
        None,
        lambda _d: replacement.withdraw(actor=request.user, recording_id=recording_id),
        success=_("You withdrew your consent to the recording as the record."),
        then=_case_url(request, recording_id),
    )
