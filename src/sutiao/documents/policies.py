"""Who may use a signing key: only its holder (a person's own key; an organisation's seal by
its administrators and mediators; a court's seal by its judges and clerks)."""

from __future__ import annotations

from typing import Any

from django.db.models import ForeignObjectRel

from sutiao.accounts.roles import Role
from sutiao.core.policy import can, rule

from .models import Document, SignerCertificate


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


# The records of other domains that hold a document and carry their own "view" rule, or name
# the case or application that does (a ruling names its application).
_HOLDER_ATTRIBUTES = ("case", "application")


def _holders(document: Document) -> list[Any]:
    """Every row of another domain that points at this document (an agreement, a service, a
    ruling...): found through the model relations, so documents imports none of them."""
    found: list[Any] = []
    for rel in Document._meta.get_fields(include_hidden=True):
        if not isinstance(rel, ForeignObjectRel) or not (rel.one_to_many or rel.one_to_one):
            continue
        model = rel.related_model
        if not isinstance(model, type) or model._meta.app_label == "documents":
            continue
        found.extend(model._default_manager.filter(**{rel.field.name: document})[:20])
    return found


@rule(Document, "view")
def can_read(user: Any, document: Document) -> bool:
    """The whole PDF is for the people on its case: whoever may see a record that holds the
    document (the agreement, the served notice, the ruling, the mediation document) or the
    case or application that record names. The public verification page shows the verdict
    only."""
    if user.has_role(Role.PLATFORM_ADMIN):
        return True
    for holder in _holders(document):
        candidates = [holder, *(getattr(holder, a, None) for a in _HOLDER_ATTRIBUTES)]
        if any(c is not None and can(user, "view", c) for c in candidates):
            return True
    return False
