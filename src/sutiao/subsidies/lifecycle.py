"""The subsidy sheet's lifecycle as data. Roles are relative to one sheet: "preparer" (staff
of the scheme's office or court), "reviewer" and "approver" (named by the scheme's version
the sheet was computed with). Whoever prepared a sheet is never its reviewer or approver,
and its reviewer never its approver: four eyes at least (actions say why with their own
error, subsidy.own_sheet)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, register
from sutiao.core.lifecycle import transition as _t

from .models import SheetState as S

machine = register(
    "subsidies.Sheet",
    Machine(
        "sheet",
        [
            _t("review", _("Mark as reviewed"), [S.PREPARED], S.REVIEWED, ["reviewer"]),
            _t("approve", _("Approve"), [S.REVIEWED], S.APPROVED, ["approver"]),
            _t(
                "send_back",
                _("Send back"),
                [S.PREPARED, S.REVIEWED],
                S.RETURNED,
                ["reviewer", "approver"],
            ),
            _t("recompute", _("Compute again"), [S.RETURNED], S.PREPARED, ["preparer"]),
        ],
        invalid=_("You cannot %(action)s: the sheet is %(state)s."),
    ),
)


def roles(user: Any, sheet: Any) -> set[str]:
    from .policies import owner_staff

    found: set[str] = set()
    if not owner_staff(user, sheet.scheme):
        return found
    found.add("preparer")
    uid = user.pk
    if uid != sheet.prepared_by_id and sheet.version.reviewers.filter(pk=uid).exists():
        found.add("reviewer")
    if uid not in (sheet.prepared_by_id, sheet.reviewed_by_id) and (
        sheet.version.approvers.filter(pk=uid).exists()
    ):
        found.add("approver")
    return found
