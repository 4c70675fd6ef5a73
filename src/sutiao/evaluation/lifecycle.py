"""The complaint's lifecycle as data: the court or IP office staff concerned with the case
("decider") uphold or dismiss an open complaint, with a reason; a decided one is final."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, register
from sutiao.core.lifecycle import transition as _t

from .models import ComplaintState as S

COMPLAINT = register(
    "evaluation.Complaint",
    Machine(
        "complaint",
        [
            _t("uphold", _("Uphold the complaint"), [S.OPEN], S.UPHELD, ["decider"]),
            _t("dismiss", _("Dismiss the complaint"), [S.OPEN], S.DISMISSED, ["decider"]),
        ],
        invalid=_("You cannot %(action)s: the complaint is %(state)s."),
    ),
)


def roles(user: Any, complaint: Any) -> set[str]:
    from .policies import decides_complaint

    return {"decider"} if decides_complaint(user, complaint) else set()
