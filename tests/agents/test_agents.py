"""Agents (CPL 61–62; CPL-I 89): a party names one with a power of attorney and its scope;
the agent sees and acts on that case only, and signs an agreement only with special
authorisation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sutiao.agreements import actions as agreement_actions
from sutiao.agreements.models import Signature
from sutiao.cases import actions
from sutiao.cases.actions import AgentIn
from sutiao.cases.models import Agent, CaseFile, Party
from sutiao.core.errors import Forbidden, Invalid, NotFound
from sutiao.delivery import engine, messages
from sutiao.delivery.models import InboxItem
from tests import factories
from tests.agreements import factories as af
from tests.cases import factories as cf
from tests.cases.conftest import small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def lawyer(name: str = "赵律师", phone: str = "13911112222"):
    user = factories.person("party")
    user.real_name, user.phone = name, phone
    user.save(update_fields=["real_name", "phone", "phone_hash"])
    return user


def pdf(name: str = "授权委托书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, small_pdf("授权委托书"), content_type="application/pdf")


def name_lawyer(world, agent_user, *, scope: str) -> Agent:
    party = world.case.parties.get(role="respondent")
    return actions.name_agent(
        actor=world.respondent,
        case=world.case,
        party=party,
        data=AgentIn(
            name=agent_user.real_name,
            phone=agent_user.phone,
            kind=Agent.Kind.LAWYER,
            scope=scope,
            licence_number="11101201810123456",
            firm="北京某某律师事务所",
        ),
        power_of_attorney=pdf(),
    )


def opened(world):
    agreement = af.draft(world)
    return agreement_actions.open_for_signing(actor=world.mediator_user, agreement=agreement)


@pytest.mark.rule("CPL-62")
def test_an_agent_without_special_authorisation_cannot_sign(world):
    agent_user = lawyer()
    agent = name_lawyer(world, agent_user, scope=Agent.Scope.GENERAL)
    assert agent.power_of_attorney.kind == CaseFile.Kind.POWER_OF_ATTORNEY
    agreement = opened(world)
    page = factories.client_for(agent_user).get(reverse("agreements:case", args=[world.case.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="sign-form"' not in html and 'id="no-special-authority"' in html
    assert 'id="refuse"' not in html  # refusing to sign disposes of the claims too
    for attempt in (
        lambda: agreement_actions.request_code(
            actor=agent_user, agreement=agreement, channel="sms"
        ),
        lambda: agreement_actions.sign(actor=agent_user, agreement=agreement, code="000000"),
    ):
        with pytest.raises(Forbidden) as refused:
            attempt()
        assert refused.value.code == "agreement.agent_without_special_authority"
        assert "乙公司" in str(refused.value.message)
    assert not Signature.objects.filter(agreement=agreement).exists()
    # The party itself still signs.
    af.sign_as(world.respondent, agreement)
    assert Signature.objects.get(agreement=agreement).signed_by == world.respondent


@pytest.mark.rule("CPL-62", "OMR-19a")
def test_an_agent_with_special_authorisation_signs_the_agreement_for_the_party(world):
    agent_user = lawyer()
    name_lawyer(world, agent_user, scope=Agent.Scope.SPECIAL)
    agreement = opened(world)
    page = factories.client_for(agent_user).get(reverse("agreements:case", args=[world.case.pk]))
    assert 'id="sign-form"' in page.content.decode()
    af.sign_as(agent_user, agreement)
    signature = Signature.objects.get(agreement=agreement)
    assert signature.party.role == "respondent" and signature.as_agent
    assert signature.signed_by == agent_user


@pytest.mark.rule("CPL-61")
def test_the_agent_is_told_in_the_inbox_that_a_party_named_them(world):
    agent_user = lawyer()
    name_lawyer(world, agent_user, scope=Agent.Scope.SPECIAL)
    engine.run_once()
    with translation.override(messages.language_of(agent_user)):
        scope = str(Agent.Scope.SPECIAL.label)
        title = translation.gettext("You are named as an agent")
    item = InboxItem.objects.get(user=agent_user, title=title)
    assert item.case_id == world.case.pk
    assert "乙公司" in item.body and scope in item.body and world.case.number in item.body


@pytest.mark.rule("CPL-61", "SIR-2")
def test_an_agent_of_one_case_gets_404_on_another_case_page_and_api(world):
    agent_user = lawyer()
    name_lawyer(world, agent_user, scope=Agent.Scope.SPECIAL)
    other = cf.submitted_case(world.court, applicant=world.respondent)
    client = factories.client_for(agent_user)
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    assert client.get(f"/api/v1/cases/{world.case.pk}").status_code == 200
    for path in (
        reverse("cases:detail", args=[other.pk]),
        reverse("agreements:case", args=[other.pk]),
        f"/api/v1/cases/{other.pk}",
        f"/api/v1/cases/{other.pk}/timeline",
        f"/api/v1/cases/{other.pk}/files",
    ):
        assert client.get(path).status_code == 404, path
    listed = client.get("/api/v1/cases?view=party").json()["items"]
    assert [c["id"] for c in listed] == [world.case.pk]


@pytest.mark.rule("CPL-61")
def test_a_bad_power_of_attorney_or_an_unknown_agent_changes_nothing(world):
    agent_user = lawyer()
    party = world.case.parties.get(role="respondent")
    files_before = CaseFile.objects.count()

    def attempt(**over):
        data = {
            "name": agent_user.real_name,
            "phone": agent_user.phone,
            "kind": Agent.Kind.LAWYER,
            "scope": Agent.Scope.SPECIAL,
            "licence_number": "11101201810123456",
            "firm": "北京某某律师事务所",
        }
        upload = over.pop("upload", pdf())
        data.update(over)
        with pytest.raises(Invalid) as refused:
            actions.name_agent(
                actor=world.respondent,
                case=world.case,
                party=party,
                data=AgentIn(**data),
                power_of_attorney=upload,
            )
        return refused.value

    image = SimpleUploadedFile(
        "poa.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40, content_type="image/png"
    )
    assert "power_of_attorney" in attempt(upload=image).details["fields"]
    hostile = SimpleUploadedFile(
        "poa.pdf", small_pdf().replace(b"%%EOF", b"<script>alert(1)</script>\n%%EOF")
    )
    refused = attempt(upload=hostile)
    assert refused.code.startswith("file.") and "power_of_attorney" in refused.details["fields"]
    assert "phone" in attempt(phone="12345").details["fields"]
    assert "name" in attempt(name=" ").details["fields"]
    assert "licence_number" in attempt(licence_number="").details["fields"]
    assert "relationship" in attempt(kind=Agent.Kind.RELATIVE).details["fields"]
    assert "power_of_attorney" in attempt(upload=None).details["fields"]
    assert not Agent.objects.exists()
    assert CaseFile.objects.count() == files_before
    assert Party.objects.get(pk=party.pk).agent_id is None


@pytest.mark.rule("CPL-61")
def test_only_the_party_names_its_agent_and_a_revoked_agent_loses_the_case(world):
    agent_user = lawyer()
    party = world.case.parties.get(role="respondent")
    data = AgentIn(
        name=agent_user.real_name,
        phone=agent_user.phone,
        kind=Agent.Kind.RELATIVE,
        scope=Agent.Scope.GENERAL,
        relationship="配偶",
    )
    with pytest.raises(Forbidden):  # the other side cannot name the respondent's agent
        actions.name_agent(
            actor=world.applicant, case=world.case, party=party, data=data, power_of_attorney=pdf()
        )
    with pytest.raises(NotFound):  # a stranger does not learn the case exists
        actions.name_agent(
            actor=factories.person("party"),
            case=world.case,
            party=party,
            data=data,
            power_of_attorney=pdf(),
        )
    agent = actions.name_agent(
        actor=world.respondent, case=world.case, party=party, data=data, power_of_attorney=pdf()
    )
    client = factories.client_for(agent_user)
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    with pytest.raises(Forbidden):  # an agent does not appoint or revoke
        actions.revoke_agent(actor=agent_user, case=world.case, agent=agent)
    respondent = factories.client_for(world.respondent)
    response = respondent.post(reverse("cases:revoke_agent", args=[world.case.pk, agent.pk]))
    assert response.status_code == 302
    assert Agent.objects.get(pk=agent.pk).revoked_at is not None
    assert Party.objects.get(pk=party.pk).agent_id is None
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    kinds = world.case.events.filter(kind__startswith="agent_").values_list("kind", flat=True)
    assert list(kinds) == ["agent_named", "agent_revoked"]


@pytest.mark.rule("CPL-61")
def test_the_party_names_its_agent_on_the_case_page(world):
    agent_user = lawyer()
    party = world.case.parties.get(role="respondent")
    client = factories.client_for(world.respondent)
    page = client.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert f'id="name-agent-{party.pk}"' in page
    other = world.case.parties.get(role="applicant")
    assert f'id="name-agent-{other.pk}"' not in page  # not for the other side
    prefix = f"agent-{party.pk}"
    form = {
        f"{prefix}-name": agent_user.real_name,
        f"{prefix}-phone": agent_user.phone,
        f"{prefix}-kind": "lawyer",
        f"{prefix}-scope": "special",
        f"{prefix}-licence_number": "11101201810123456",
        f"{prefix}-firm": "北京某某律师事务所",
    }
    url = reverse("cases:name_agent", args=[world.case.pk, party.pk])
    refused = client.post(url, form)  # no power of attorney
    assert refused.status_code == 422 and not Agent.objects.exists()
    response = client.post(url, {**form, f"{prefix}-power_of_attorney": pdf()})
    assert response.status_code == 302
    agent = Agent.objects.get()
    assert agent.user == agent_user and agent.special
    page = factories.client_for(agent_user).get(reverse("cases:detail", args=[world.case.pk]))
    html = page.content.decode()
    assert "北京某某律师事务所" in html and 'data-scope="special"' in html


@pytest.mark.rule("CPL-61")
def test_the_api_names_lists_and_revokes_an_agent(world):
    agent_user = lawyer()
    party = world.case.parties.get(role="respondent")
    url = f"/api/v1/cases/{world.case.pk}/parties/{party.pk}/agent"
    form = {
        "name": agent_user.real_name,
        "phone": agent_user.phone,
        "kind": "lawyer",
        "scope": "general",
        "licence_number": "11101201810123456",
        "firm": "北京某某律师事务所",
    }
    applicant = factories.client_for(world.applicant)
    assert applicant.post(url, {**form, "power_of_attorney": pdf()}).status_code == 403
    respondent = factories.client_for(world.respondent)
    refused = respondent.post(url, {**form, "licence_number": "", "power_of_attorney": pdf()})
    assert refused.status_code == 422 and not Agent.objects.exists()
    response = respondent.post(url, {**form, "power_of_attorney": pdf()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope"] == "general" and body["user"] == "赵律师"
    listed = factories.client_for(agent_user).get(f"/api/v1/cases/{world.case.pk}/agents")
    assert [a["id"] for a in listed.json()] == [body["id"]]
    revoke = f"/api/v1/cases/{world.case.pk}/agents/{body['id']}/revoke"
    assert factories.client_for(agent_user).post(revoke).status_code == 403
    assert respondent.post(revoke).status_code == 200
    assert factories.client_for(agent_user).get(f"/api/v1/cases/{world.case.pk}").status_code == 404
