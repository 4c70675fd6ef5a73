"""`{{ step_name|confirm_text:"case" }}`: what an irreversible step says before it is taken
(issue 15 item 5); empty for a step that can be undone. static/sutiao/confirm.js asks."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

_CASE = _("This cannot be undone: the mediation ends, everyone on the case and the court are told.")
_RULING = _(
    "This ruling cannot be taken back here: it is served on every party, who may object to it."
)
TEXTS = {
    "case": {
        "settle": _(
            "Record that mediation succeeded? This cannot be undone: the mediation ends, the "
            "court is told and the parties may apply for judicial confirmation."
        ),
        "end": _(
            "End the mediation without agreement? This cannot be undone: the court is told, "
            "and the case may be filed or its trial resumes."
        ),
        "withdraw": _CASE,
        "refuse_mediation": _CASE,
        "confirm_sham": _CASE,
    },
    "judicial": {
        "confirm": _RULING,
        "dismiss": _RULING,
        "refuse": _RULING,
        "withdraw": _(
            "Withdraw the application for judicial confirmation? This cannot be undone here; "
            "the court is told."
        ),
    },
}


@register.filter
def confirm_text(step: str, machine: str = "case") -> str:
    text = TEXTS.get(machine, {}).get(step)
    return str(text) if text else ""
