"""Who sees what in docking: a partner sees what it sent and what concerns the institutions
it speaks for; nobody else (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sutiao.core.policy import rule

from .models import Partner, Submission


def partner_of(user: Any) -> Partner | None:
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    try:
        return user.docking_partner
    except Partner.DoesNotExist:
        return None


def concerns(partner: Partner) -> Q:
    """The cases a partner may follow (a filter on cases.Case)."""
    return (
        Q(docking_submission__partner=partner)
        | Q(court__in=partner.courts.all())
        | Q(org__in=partner.orgs.all())
    )


@rule(Submission, "view")
def view_submission(user: Any, submission: Submission) -> bool:
    partner = partner_of(user)
    return partner is not None and submission.partner_id == partner.pk
