"""Who may see and manage people."""

from __future__ import annotations

from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser

from sutiao.core.policy import rule

from .models import User
from .roles import Role

# Who a public rule may be asked about: a visitor who has not logged in too.
AnyUser = User | AnonymousUser | None


def signed_in(user: AnyUser) -> TypeGuard[User]:
    """A person who has logged in (not nobody, not an anonymous visitor)."""
    return bool(user and user.is_authenticated)


def is_platform_admin(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.PLATFORM_ADMIN)


def institution_staff(user: AnyUser, owned: Any) -> bool:
    """Whether a person works for what owns `owned` (anything with `office_id` and
    `court_id`, one of them set: a subsidy or scoring scheme, a commendation): staff of that
    IP office, or clerks and judges of that court; platform administrators too."""
    if not signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    if owned.office_id:
        return owned.office_id in user.ip_office_ids()
    return owned.court_id in user.court_ids(Role.COURT_CLERK, Role.JUDGE)


def colleagues(a: User, b: User) -> bool:
    return bool(
        a.court_ids() & b.court_ids()
        or a.ip_office_ids() & b.ip_office_ids()
        or a.org_ids(Role.ORG_ADMIN) & b.org_ids()
    )


@rule(User, "view")
def can_view_person(user: User, person: User) -> bool:
    return user.pk == person.pk or is_platform_admin(user) or colleagues(user, person)


@rule(User, "manage")
def can_manage_person(user: User, person: User) -> bool:
    return is_platform_admin(user)
