"""Who may see a batch and act on it: its uploader, the clerks and judges of its court, and
the organisations and mediators its cases went to. Anyone else gets a 404."""

from __future__ import annotations

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.cases.models import Case
from sutiao.core.policy import rule
from sutiao.roster.models import Mediator

from .models import Batch, DeclaredConflict


def _signed_in(user) -> bool:
    return isinstance(user, User) and user.is_authenticated


def is_court_staff(user, batch: Batch) -> bool:
    return _signed_in(user) and batch.court_id in (
        *user.court_ids(Role.COURT_CLERK),
        *user.court_ids(Role.JUDGE),
    )


def admin_orgs(user, batch: Batch) -> list[int]:
    """The organisations `user` administers that hold cases of the batch."""
    if not _signed_in(user):
        return []
    mine = list(user.org_ids(Role.ORG_ADMIN))
    if not mine:
        return []
    return list(
        Case.objects.filter(batch_link__batch=batch, org_id__in=mine)
        .values_list("org_id", flat=True)
        .distinct()
    )


def mediates_in(user, batch: Batch) -> bool:
    return (
        _signed_in(user)
        and Case.objects.filter(batch_link__batch=batch, mediator__user=user).exists()
    )


@rule(Batch, "view")
def can_view(user, batch: Batch) -> bool:
    return _signed_in(user) and (
        batch.created_by_id == user.pk
        or is_court_staff(user, batch)
        or bool(admin_orgs(user, batch))
        or mediates_in(user, batch)
    )


@rule(Batch, "delegate")
def can_delegate(user, batch: Batch) -> bool:
    return _signed_in(user) and batch.court_id in user.court_ids(Role.COURT_CLERK)


@rule(Batch, "entrust")
def can_entrust(user, batch: Batch) -> bool:
    """The judges of its court entrust its filed cases (诉中委托)."""
    return _signed_in(user) and batch.court_id in user.court_ids(Role.JUDGE)


@rule(Batch, "assign")
def can_assign(user, batch: Batch) -> bool:
    return bool(admin_orgs(user, batch))


@rule(Batch, "mediate")
def can_mediate(user, batch: Batch) -> bool:
    return mediates_in(user, batch)


@rule(Mediator, "declare_conflict", hidden=True)
def can_declare_conflict(user, mediator: Mediator) -> bool:
    """OMR 13; SIR 15: a mediator declares their own conflicts, nobody else's (the platform's
    administrators enter others' in the admin)."""
    return _signed_in(user) and mediator.user_id == user.pk


@rule(DeclaredConflict, "view")
def can_view_conflict(user, conflict: DeclaredConflict) -> bool:
    return _signed_in(user) and conflict.mediator.user_id == user.pk


@rule(DeclaredConflict, "withdraw")
def can_withdraw_conflict(user, conflict: DeclaredConflict) -> bool:
    return can_view_conflict(user, conflict)
