"""The court side's own people take a docked case through its steps, by the cases domain's
real actions (run inside instance B by `sutiao shell`, and in-process by the tests)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from sutiao.cases import actions
from sutiao.cases.models import Case, CaseFile
from tests import factories
from tests.cases.factories import rostered_mediator


def _pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def accept(case_id: int) -> str:
    """The partner (the applicant's agent) consents and submits; the organisation assigns a
    mediator, who accepts: mediation starts."""
    case = Case.objects.get(pk=case_id)
    agent = case.parties.get(role="applicant").agent
    # The agent's real-name verification (OLR 7), as tests.factories records it.
    type(agent).objects.filter(pk=agent.pk).update(identity_verified_at=timezone.now())
    agent.refresh_from_db()
    actions.give_consent(
        actor=agent,
        case=case,
        party=case.parties.get(role="applicant"),
        online=True,
        e_service=True,
        service_email="agent@example.com",
        notice_acknowledged=True,
    )
    actions.add_file(
        actor=agent,
        case=case,
        upload=ContentFile(_pdf(), name="授权委托书.pdf"),
        kind=CaseFile.Kind.POWER_OF_ATTORNEY,
        party=case.parties.get(role="applicant"),
    )
    case = actions.submit(actor=agent, case=case)
    admin = factories.person("org_admin", org=case.org)
    court = factories.court()
    mediator = rostered_mediator(court, org=case.org)
    case = actions.assign(actor=admin, case=case, mediator=mediator)
    case = actions.accept(actor=mediator.user, case=case)
    return case.state


def end(case_id: int) -> str:
    """The mediator ends mediation without agreement: the outcome."""
    from sutiao.cases.choices import EndReason

    case = Case.objects.get(pk=case_id)
    reason = next(v for v in EndReason.values if v != EndReason.AGREEMENT)
    case = actions.end(
        actor=case.mediator.user,
        case=case,
        reason=reason,
        course="双方就赔偿数额分歧较大，经三次调解未能达成一致。",
        reasons="被申请人不同意赔偿方案。",
    )
    return case.state
