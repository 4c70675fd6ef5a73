"""An agent without an account (CPL 61): the party names them by real name and mobile phone,
the platform sends them a link by SMS (and e-mail); whoever opens it with an account verified
in that name joins as agent within the scope given. Nothing else makes anyone an agent."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from django.urls import reverse

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.actions import AgentIn
from sutiao.cases.models import Agent, AgentInvitation, Party
from sutiao.core.errors import Conflict, NotFound
from sutiao.delivery import engine
from sutiao.delivery.models import SmsRecord
from tests import factories
from tests.agents.test_agents import pdf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]

PHONE = "13966665555"
LINK = re.compile(r"https?://[^\s]+(/cases/agent-invitations/([^/\s]+)/)")


def invite(world, *, scope=Agent.Scope.SPECIAL, email="qian@lawfirm.example.com") -> Agent:
    return actions.name_agent(
        actor=world.respondent,
        case=world.case,
        party=world.case.parties.get(role="respondent"),
        data=AgentIn(
            name="钱律师",
            phone=PHONE,
            kind=Agent.Kind.LAWYER,
            scope=scope,
            licence_number="11101201810123456",
            firm="北京某某律师事务所",
            email=email,
        ),
        power_of_attorney=pdf(),
    )


def sent_token() -> str:
    engine.run_once()
    return LINK.search(SmsRecord.objects.get(to=PHONE).text).group(2)


def qian(*, name: str = "钱律师", verified: bool = True):
    user = factories.person("party", verified=verified)
    user.real_name = name
    user.save(update_fields=["real_name"])
    return user


@pytest.mark.rule("CPL-61")
def test_an_agent_without_an_account_gets_a_link_by_sms_and_email_and_joins(
    world, client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path  # e-mail to delivery's local backend: .eml files
    settings.DELIVERY_EMAIL_BACKEND = "file"
    settings.SITE_URL = "https://sutiao.example.gov.cn:9443"  # the configured site, not :8000
    agent = invite(world)
    party = Party.objects.get(pk=agent.party_id)
    assert agent.user is None and party.agent_id is None and agent.display_name == "钱律师"
    token = sent_token()
    mails = [
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        for f in (tmp_path / "mail").glob("*.eml")
    ]
    (message,) = [m for m in mails if m["To"] == "qian@lawfirm.example.com"]
    link = f"https://sutiao.example.gov.cn:9443/cases/agent-invitations/{token}/"
    assert link in message.get_content() and link in SmsRecord.objects.get(to=PHONE).text
    invitation = AgentInvitation.objects.get()
    assert invitation.token_hash != token and token not in invitation.token_cipher

    user = qian()
    client.force_login(user)
    # Before joining, the person named sees no case: the link, not the phone, makes an agent.
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    page = client.get(reverse("cases:agent_invitation", args=[token]))
    assert page.status_code == 200 and "钱律师" in page.content.decode()
    done = client.post(reverse("cases:agent_invitation", args=[token]))
    assert done.status_code == 302
    agent.refresh_from_db()
    party.refresh_from_db()
    assert agent.user == user and party.agent == user and agent.special
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    assert world.case.events.filter(kind="agent_joined").count() == 1
    assert AuditEntry.objects.filter(action="case.agent_joined").count() == 1
    # The link works once.
    assert client.get(reverse("cases:agent_invitation", args=[token])).status_code == 404


@pytest.mark.rule("CPL-61")
def test_the_link_refuses_another_name_an_unverified_account_and_a_revoked_agent(world):
    agent = invite(world, email="")
    token = sent_token()
    with pytest.raises(Conflict):
        actions.accept_agent_invitation(actor=qian(name="孙某"), token=token)
    with pytest.raises(Conflict):  # OLR 7: identity verified first
        actions.accept_agent_invitation(actor=qian(verified=False), token=token)
    with pytest.raises(Conflict):  # the other side cannot become this party's agent
        applicant = world.applicant
        applicant.real_name = "钱律师"
        applicant.save(update_fields=["real_name"])
        actions.accept_agent_invitation(actor=applicant, token=token)
    agent.refresh_from_db()
    assert agent.user is None
    actions.revoke_agent(actor=world.respondent, case=world.case, agent=agent)
    with pytest.raises(NotFound):
        actions.accept_agent_invitation(actor=qian(), token=token)
    with pytest.raises(NotFound):
        actions.agent_invitation_for("not-a-token")
    assert not Agent.objects.filter(user__isnull=False).exists()


@pytest.mark.rule("CPL-62")
def test_an_invited_agent_with_a_general_authorisation_joins_but_cannot_sign(world):
    from sutiao.agreements import actions as agreement_actions
    from sutiao.core.errors import Forbidden
    from tests.agreements import factories as af

    invite(world, scope=Agent.Scope.GENERAL)
    user = qian()
    joined = actions.accept_agent_invitation(actor=user, token=sent_token())
    assert not joined.special
    agreement = agreement_actions.open_for_signing(
        actor=world.mediator_user, agreement=af.draft(world)
    )
    with pytest.raises(Forbidden) as refused:
        agreement_actions.request_code(actor=user, agreement=agreement, channel="sms")
    assert refused.value.code == "agreement.agent_without_special_authority"
