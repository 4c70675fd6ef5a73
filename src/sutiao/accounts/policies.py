"""Who may see and manage people."""

from __future__ import annotations

from sutiao.core.policy import rule

from .models import User
from .roles import Role


def is_platform_admin(user) -> bool:
    return user.is_superuser or user.has_role(Role.PLATFORM_ADMIN)


def colleagues(a: User, b: User) -> bool:
    return bool(
        a.court_ids() & b.court_ids()
        or a.ip_office_ids() & b.ip_office_ids()
        or a.org_ids(Role.ORG_ADMIN) & b.org_ids()
    )


@rule(User, "view")
def can_view_person(user, person: User) -> bool:
    return user.pk == person.pk or is_platform_admin(user) or colleagues(user, person)


@rule(User, "manage")
def can_manage_person(user, person: User) -> bool:
    return is_platform_admin(user)
