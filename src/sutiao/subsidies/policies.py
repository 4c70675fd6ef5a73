"""Who may see and do what with subsidies.

- A scheme and its sheets are seen and managed by the staff of the scheme's own IP office
  (or court: its clerks and judges) and platform administrators; anyone else gets 404.
- A sheet line is seen, besides, by its mediator once the sheet is approved: their own
  subsidy for the period, nothing of anyone else's.
"""

from __future__ import annotations

from typing import Any

from sutiao.accounts.policies import institution_staff, signed_in
from sutiao.accounts.roles import Role
from sutiao.core.policy import rule

from .models import Scheme, Sheet, SheetLine, SheetState


def owner_staff(user: Any, scheme: Scheme) -> bool:
    return institution_staff(user, scheme)


def owners_of(user: Any) -> tuple[set[int], set[int]]:
    """(IP office ids, court ids) whose schemes this person manages."""
    if not signed_in(user):
        return set(), set()
    return user.ip_office_ids(), user.court_ids(Role.COURT_CLERK, Role.JUDGE)


@rule(Scheme, "view")
def can_view_scheme(user: Any, scheme: Scheme) -> bool:
    return owner_staff(user, scheme)


@rule(Scheme, "manage")
def can_manage_scheme(user: Any, scheme: Scheme) -> bool:
    return owner_staff(user, scheme)


@rule(Sheet, "view")
def can_view_sheet(user: Any, sheet: Sheet) -> bool:
    return owner_staff(user, sheet.scheme)


@rule(SheetLine, "view")
def can_view_line(user: Any, line: SheetLine) -> bool:
    if owner_staff(user, line.sheet.scheme):
        return True
    mediator = line.mediator
    return (
        signed_in(user)
        and line.sheet.state == SheetState.APPROVED
        and mediator is not None
        and mediator.user_id == user.pk
    )
