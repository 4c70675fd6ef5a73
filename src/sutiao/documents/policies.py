"""Who may use a signing key: only its holder (a person's own key; an organisation's seal by
its administrators and mediators; a court's seal by its judges and clerks)."""

from __future__ import annotations

from typing import Any

from sutiao.accounts.roles import Role
from sutiao.core.policy import rule

from .models import SignerCertificate


def controls(user: Any, cert: SignerCertificate) -> bool:
    if cert.holder_kind == SignerCertificate.Holder.PERSON:
        return cert.user_id == user.pk
    if cert.holder_kind == SignerCertificate.Holder.ORG_SEAL:
        return cert.org_id in user.org_ids(Role.ORG_ADMIN, Role.MEDIATOR)
    if cert.holder_kind == SignerCertificate.Holder.COURT_SEAL:
        return cert.court_id in user.court_ids(Role.JUDGE, Role.COURT_CLERK)
    return False


@rule(SignerCertificate, "view")
def can_view(user: Any, cert: SignerCertificate) -> bool:
    return controls(user, cert) or user.has_role(Role.PLATFORM_ADMIN)


@rule(SignerCertificate, "sign")
def can_sign(user: Any, cert: SignerCertificate) -> bool:
    return controls(user, cert)


def may_issue_for(user: Any, holder: Any) -> bool:
    """Who may have a certificate issued for `holder` (None: the system, inside a flow)."""
    from sutiao.accounts.models import User
    from sutiao.institutions.models import Court, MediationOrg

    if user is None:
        return True
    if user.has_role(Role.PLATFORM_ADMIN):
        return True
    if isinstance(holder, User):
        return holder.pk == user.pk
    if isinstance(holder, MediationOrg):
        return holder.pk in user.org_ids(Role.ORG_ADMIN)
    if isinstance(holder, Court):
        return holder.pk in user.court_ids(Role.JUDGE, Role.COURT_CLERK)
    return False
