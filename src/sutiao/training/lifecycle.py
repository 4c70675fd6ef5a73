"""The application's lifecycle as data. Roles are relative to one application: "applicant"
(who applied) and "office" (staff of the call's IP office or an office above it)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, Precondition, register
from sutiao.core.lifecycle import transition as _t

from .models import ApplicationState as S


def _hours_done(application: Any) -> bool:
    from .queries import application_hours  # queries import the models only

    done, required = application_hours(application)
    return done >= required


HOURS_DONE = Precondition(
    "hours_done",
    _hours_done,
    _("The applicant has not yet completed the hours required before joining (SIR 7)."),
)

machine = register(
    "training.Application",
    Machine(
        "application",
        [
            _t("ask_more", _("Ask for more"), [S.SUBMITTED], S.MORE_REQUESTED, ["office"]),
            _t("answer", _("Answer"), [S.MORE_REQUESTED], S.SUBMITTED, ["applicant"]),
            _t(
                "accept",
                _("Accept into pre-joining training"),
                [S.SUBMITTED],
                S.TRAINING,
                ["office"],
            ),
            _t("reject", _("Reject"), [S.SUBMITTED, S.MORE_REQUESTED], S.REJECTED, ["office"]),
            _t(
                "join",
                _("Enter into the roster collection"),
                [S.TRAINING],
                S.JOINED,
                ["office"],
                requires=[HOURS_DONE],
            ),
            _t(
                "withdraw",
                _("Withdraw the application"),
                [S.SUBMITTED, S.MORE_REQUESTED, S.TRAINING],
                S.WITHDRAWN,
                ["applicant"],
            ),
        ],
        invalid=_("You cannot %(action)s: the application is %(state)s."),
    ),
)


def roles(user: Any, application: Any) -> set[str]:
    from .policies import office_staff_of

    found: set[str] = set()
    if getattr(user, "pk", None) == application.applicant_id:
        found.add("applicant")
    if office_staff_of(user, application.call.office):
        found.add("office")
    return found
