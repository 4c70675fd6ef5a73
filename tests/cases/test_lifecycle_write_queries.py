"""The lifecycle writes over the API (accept, record a session, end) run a fixed number of
queries, the same with 2 parties as with 6 (issue 14): one locked look-up of the case that the
action then uses (no visibility read before it nor re-read after it), OMR 15's invitations of
the parties without accounts in one batch. Counted in the request's transaction; the audit
chain's linking after commit is tests/audit's (one UPDATE per batch on PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sutiao.accounts.actions import issue_api_token
from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.actions.application import PartyIn
from sutiao.cases.actions.invitations import link_token
from sutiao.cases.choices import EndReason
from sutiao.cases.models import CaseEvent, Party, PartyInvitation
from sutiao.core.models import OutboxEvent
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]

# The figures pinned, they must not grow back: the token; the request's transaction (a
# savepoint in a test) with the locked case, its parties, the caller's memberships; the
# action's savepoint and its writes; the two releases.
ACCEPT = 17  # the step (UPDATE, event, audit, outbox); invitations: expire, 4 bulk INSERTs
SESSION = 11  # the transcript, its event and audit entry
END = 13  # the step and the mediator's load (one upsert)


def _case(parties: int):
    """A delegated case awaiting its mediator's acceptance, with `parties` parties: the
    applicant (consented) and respondents without accounts, each invited at submission."""
    court = factories.court()
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    applicant = factories.person("party")
    case = actions.apply_for_mediation(
        actor=applicant,
        title="甲公司诉乙公司商标侵权纠纷",
        court=court,
        ip_kind="trademark",
        right_number="第12345678号",
        claims="停止侵权",
        amount_fen=10_000_000,
        description="乙公司在网店销售侵权商品。",
        applicant=PartyIn(
            role="applicant",
            name=applicant.real_name,
            id_number=factories.id_number(),
            phone="13800138000",
        ),
        respondents=[
            PartyIn(role="respondent", name=f"被申请人{i}", phone=f"1380013{i:04d}")
            for i in range(parties - 1)
        ],
    )
    cf.consent(case, applicant, case.parties.get(role="applicant"))
    case = actions.submit(actor=applicant, case=case)
    case = actions.delegate(actor=clerk, case=case, mediator=mediator)
    return case, mediator.user


def _api(user) -> Client:
    """A client with the user's bearer token, used once already (its first use writes)."""
    token = issue_api_token(actor=user, name="test", days=1)[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/cases").status_code == 200
    return client


def _post(client: Client, url: str, body: dict | None = None) -> tuple[int, dict, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(url, json.dumps(body or {}), content_type="application/json")
    return answer.status_code, answer.json(), len(queries)


def _everyone_joins(case) -> None:
    """Each respondent's person opens its invitation, joins and consents: a session needs it."""
    for party in case.parties.filter(role="respondent", user__isnull=True):
        person = factories.person("party")
        Party.objects.filter(pk=party.pk).update(name=person.real_name)
        invitation = PartyInvitation.objects.filter(party=party, accepted_at__isnull=True).latest(
            "created_at", "id"
        )
        actions.accept_invitation(actor=person, token=link_token(invitation))
        cf.consent(case, person, Party.objects.get(pk=party.pk))


@pytest.mark.parametrize("parties", [2, 6])
def test_accept_runs_the_same_queries_however_many_parties(parties):
    case, mediator = _case(parties)
    client = _api(mediator)
    before = PartyInvitation.objects.filter(case=case).count()
    status, body, queries = _post(client, f"/api/v1/cases/{case.pk}/accept")
    assert status == 200, body
    assert queries == ACCEPT, queries
    assert body["state"] == "mediating"
    assert "mediator" in body["your_roles"] and len(body["parties"]) == parties
    assert body["deadline_at"].endswith("Z")  # as read back from the database
    # Every respondent without an account has a new link with its OMR 15 clock running; the
    # earlier links (of the submission) stopped working; each one is on the timeline, audited
    # and sent.
    fresh = PartyInvitation.objects.filter(case=case).order_by("-id")[: parties - 1]
    assert PartyInvitation.objects.filter(case=case).count() == before + parties - 1
    assert all(i.clock == "reach_other_side" and i.deadline_at for i in fresh)
    live = PartyInvitation.objects.filter(case=case, expires_at__gt=WORKING_MONDAY)
    assert sorted(live.values_list("pk", flat=True)) == sorted(i.pk for i in fresh)
    assert CaseEvent.objects.filter(case=case, kind="party_invited").count() == 2 * (parties - 1)
    invited = AuditEntry.objects.filter(action="case.party_invited", object_id=str(case.pk))
    assert invited.count() == 2 * (parties - 1)
    sent = OutboxEvent.objects.filter(topic="case.party_invited", payload__case=case.pk)
    assert {e.payload["invitation"] for e in sent} >= {i.pk for i in fresh}


@pytest.mark.parametrize("parties", [2, 6])
def test_a_session_and_the_end_run_the_same_queries_however_many_parties(parties):
    case, mediator = _case(parties)
    actions.accept(actor=mediator, case=case)
    _everyone_joins(case)
    client = _api(mediator)
    session = {"session_date": "2026-12-07", "text": "线上调解，双方陈述意见。"}
    status, body, queries = _post(client, f"/api/v1/cases/{case.pk}/transcripts", session)
    assert (status, queries) == (201, SESSION), body
    assert body["text"] == session["text"]
    ending = {
        "reason": int(EndReason.POSITIONS_TOO_FAR),
        "course": "组织双方进行了一次线上调解。",
        "reasons": "双方分歧较大。",
    }
    status, body, queries = _post(client, f"/api/v1/cases/{case.pk}/end", ending)
    assert (status, queries) == (200, END), body
    assert body["state"] == "failed" and body["end_reason"] == ending["reason"]
    assert body["available_steps"] == [] and "mediator" in body["your_roles"]
    assert AuditEntry.objects.filter(action="case.end", object_id=str(case.pk)).count() == 1


def test_a_stranger_still_gets_404_and_the_case_is_untouched():
    case, _mediator = _case(2)
    stranger = factories.person("mediator")
    status, body, _queries = _post(_api(stranger), f"/api/v1/cases/{case.pk}/accept")
    assert status == 404, body
    status, body, _queries = _post(
        _api(stranger),
        f"/api/v1/cases/{case.pk}/transcripts",
        {"session_date": "2026-12-07", "text": "x"},
    )
    assert status == 404, body
    case.refresh_from_db()
    assert case.state == "awaiting_acceptance"
    assert not AuditEntry.objects.filter(action="case.accept", object_id=str(case.pk)).exists()
