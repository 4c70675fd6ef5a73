"""A report's lifecycle as data: queued → generating → draft (staff write the commentary) →
issued, immutable from then on; a generation that fails can be requested again. "system" is
the background job; "staff" the staff of the report's scope (reports.policies)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, register
from sutiao.core.lifecycle import transition as _t

from .models import Report

S = Report.State

machine = register(
    "reports.Report",
    Machine(
        "report",
        [
            _t("generate", _("Generate"), [S.QUEUED], S.GENERATING, ["system"]),
            _t("generated", _("Generated"), [S.GENERATING], S.DRAFT, ["system"]),
            _t("fail", _("Generation failed"), [S.GENERATING], S.FAILED, ["system"]),
            _t("request_again", _("Request again"), [S.FAILED], S.QUEUED, ["staff", "system"]),
            _t("issue", _("Issue"), [S.DRAFT], S.ISSUED, ["staff"]),
        ],
        invalid=_("You cannot %(action)s: the report is %(state)s."),
    ),
)
