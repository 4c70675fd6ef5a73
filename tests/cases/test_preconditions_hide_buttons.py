"""A step whose precondition fails is not offered: the case page shows no button for it and
the API's `available_steps` omits it, so that no button leads to a refusal.

Each scenario puts a case in a source state of the transition with an actor who may take it,
first with every precondition holding (the button is there: the scenario is a real one), then
with one precondition broken. Every precondition of the table has its scenario."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sutiao.cases import actions, lifecycle
from sutiao.cases.models import (
    Case,
    CaseFile,
    Disclosure,
    DisclosureAnswer,
    MediatorChangeRequest,
)
from tests import factories
from tests.cases import factories as cf
from tests.cases.conftest import small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@dataclass
class World:
    case: Case
    people: dict[str, Any]
    objects: dict[str, Any]


@dataclass
class Scenario:
    transition: str
    precondition: str
    state: str
    actor: str
    holds: dict[str, Any]  # case fields with every precondition holding ("@x": objects["x"])
    breaks: dict[str, Any]  # the fields that break this one precondition
    prepare: Callable[[World], None] = field(default=lambda w: None)
    undo: Callable[[World], None] = field(default=lambda w: None)


def _agent_with_power_of_attorney(w: World) -> None:
    applicant = w.people["applicant"]
    w.case.parties.filter(role="applicant").update(user=None, agent=applicant)
    upload = SimpleUploadedFile("委托书.pdf", small_pdf(), "application/pdf")
    actions.add_file(actor=applicant, case=w.case, upload=upload, kind="power_of_attorney")


def _no_power_of_attorney(w: World) -> None:
    CaseFile.objects.filter(case=w.case, kind="power_of_attorney").delete()


def _no_consent(w: World) -> None:
    w.case.parties.filter(role="applicant").update(consents_online=False)


def _disclosure_refused(w: World) -> None:
    mediator = w.objects["mediator"]
    d = Disclosure.objects.create(case=w.case, mediator=mediator, statement="曾代理申请人")
    party = w.case.parties.get(role="applicant")
    DisclosureAnswer.objects.create(
        disclosure=d, party=party, consents=False, answered_by=w.people["applicant"]
    )


def _no_refusal(w: World) -> None:
    DisclosureAnswer.objects.filter(disclosure__case=w.case).delete()


def _change_requested(w: World) -> None:
    MediatorChangeRequest.objects.create(
        case=w.case,
        party=w.case.parties.get(role="applicant"),
        mediator=w.objects["mediator"],
        reason="调解员与被申请人相识",
        requested_by=w.people["applicant"],
        at=WORKING_MONDAY,
    )


def _no_request(w: World) -> None:
    MediatorChangeRequest.objects.filter(case=w.case).delete()


def _every_party_signed(w: World) -> None:
    """An agreement every party signed (in effect, OMR 19): refusals no longer end the case."""
    from django.utils import timezone

    from sutiao.agreements.models import Agreement, AgreementTemplateVersion
    from tests.agreements.conftest import seed_templates

    seed_templates()
    Agreement.objects.create(
        case=w.case,
        template_version=AgreementTemplateVersion.objects.first(),
        state="signing",
        facts="事实",
        created_by=w.people["mediator"],
        effective_at=timezone.now(),
    )


def _everyone_consented(w: World) -> None:
    """The respondent joins through its invitation and consents (OMR 4, 8; SIR 14)."""
    respondent = factories.person("party")
    party = cf.join(w.case, respondent)
    cf.consent(w.case, respondent, party)


def _respondent_not_consented(w: World) -> None:
    w.case.parties.filter(role="respondent").update(notice_acknowledged_at=None)


SCENARIOS = [
    Scenario("submit", "applicant_consented", "draft", "applicant", {}, {}, undo=_no_consent),
    Scenario(
        "submit",
        "power_of_attorney",
        "draft",
        "applicant",
        {},
        {},
        prepare=_agent_with_power_of_attorney,
        undo=_no_power_of_attorney,
    ),
    Scenario(
        "submit",
        "not_offline",
        "draft",
        "applicant",
        {},
        {"channel": "offline", "org": "@org"},
    ),
    Scenario(
        "delegate",
        "pre_filing",
        "submitted",
        "clerk",
        {"channel": "delegated"},
        {"channel": "direct"},
    ),
    Scenario(
        "entrust",
        "filed",
        "submitted",
        "judge",
        {"channel": "entrusted", "filed_case": "@filed"},
        {"filed_case": None},
    ),
    Scenario(
        "assign",
        "sent_to_org",
        "awaiting_acceptance",
        "org_admin",
        {"org": "@org"},
        {"org": None},
    ),
    Scenario(
        "accept",
        "has_mediator",
        "awaiting_acceptance",
        "org_admin",
        {"org": "@org", "mediator": "@mediator"},
        {"mediator": None},
    ),
    Scenario(
        "extend",
        "not_extended",
        "mediating",
        "mediator",
        {"mediator": "@mediator", "extended": False},
        {"extended": True},
    ),
    Scenario(
        "pause",
        "before_filing",
        "mediating",
        "mediator",
        {"mediator": "@mediator", "channel": "delegated"},
        {"channel": "entrusted"},
    ),
    Scenario(
        "mediator_rejected",
        "disclosure_refused",
        "mediating",
        "applicant",
        {"mediator": "@mediator"},
        {},
        prepare=_disclosure_refused,
        undo=_no_refusal,
    ),
    Scenario(
        "replace_mediator",
        "change_requested",
        "mediating",
        "org_admin",
        {"org": "@org", "mediator": "@mediator"},
        {},
        prepare=_change_requested,
        undo=_no_request,
    ),
    # OMR 19: once every party signed, nobody refuses mediation or changes the mediator.
    Scenario(
        "refuse_mediation",
        "parties_not_agreed",
        "mediating",
        "applicant",
        {"mediator": "@mediator"},
        {},
        undo=_every_party_signed,
    ),
    Scenario(
        "mediator_rejected",
        "parties_not_agreed",
        "mediating",
        "applicant",
        {"mediator": "@mediator"},
        {},
        prepare=_disclosure_refused,
        undo=_every_party_signed,
    ),
    Scenario(
        "replace_mediator",
        "parties_not_agreed",
        "mediating",
        "org_admin",
        {"org": "@org", "mediator": "@mediator"},
        {},
        prepare=_change_requested,
        undo=_every_party_signed,
    ),
    Scenario(
        "file_case",
        "fileable",
        "failed",
        "clerk",
        {"channel": "delegated"},
        {"channel": "entrusted"},
    ),
    Scenario(
        "resume_trial",
        "entrusted",
        "failed",
        "judge",
        {"channel": "entrusted"},
        {"channel": "delegated"},
    ),
    Scenario(
        "push_to_court",
        "direct_without_court",
        "failed",
        "mediator",
        {"channel": "direct", "court": None, "org": "@org", "mediator": "@mediator"},
        {"court": "@court"},
    ),
    # OMR 4, 8: sessions and agreement drafts wait for every party's consent.
    *(
        Scenario(
            gate,
            "parties_consented",
            "mediating",
            "mediator",
            {"mediator": "@mediator"},
            {},
            prepare=_everyone_consented,
            undo=_respondent_not_consented,
        )
        for gate in ("hold_session", "draft_agreement")
    ),
    Scenario(
        "suspend_sham",
        "has_court",
        "mediating",
        "mediator",
        {"channel": "direct", "org": "@org", "mediator": "@mediator"},
        {"court": None},
    ),
    Scenario(
        "withdraw_settlement",
        "entrusted",
        "settled",
        "applicant",
        {"channel": "entrusted"},
        {"channel": "delegated"},
    ),
]


def test_every_precondition_of_the_table_has_a_scenario():
    # A step only the system takes has no button to hide: its tests are its job's
    # (expire's precondition: tests/agreements/test_omr_19_parties_signature.py).
    table = {
        (t.name, p.name)
        for t in lifecycle.TRANSITIONS.values()
        for p in t.requires
        if t.by != {"system"}
    }
    assert {(s.transition, s.precondition) for s in SCENARIOS} == table


def _world() -> World:
    court = factories.court("北京知识产权法院", code="京73")
    org = cf.rostered_org(court)
    mediator = cf.rostered_mediator(court, org=org, name="组织调解员")
    people = {
        "applicant": factories.person("party"),
        "clerk": factories.person("court_clerk", court=court),
        "judge": factories.person("judge", court=court),
        "org_admin": factories.person("org_admin", org=org),
        "mediator": mediator.user,
    }
    case = cf.submitted_case(court, applicant=people["applicant"])
    filed = actions.register_filed_case(actor=people["judge"], court=court, title="委托案件")
    objects = {"court": court, "org": org, "mediator": mediator, "filed": filed}
    return World(case, people, objects)


def _set(w: World, fields: dict[str, Any]) -> None:
    values = {
        k: w.objects[v[1:]] if isinstance(v, str) and v[:1] == "@" else v for k, v in fields.items()
    }
    Case.objects.filter(pk=w.case.pk).update(**values)


def _offered(w: World, who: str, name: str) -> tuple[bool | None, bool | None]:
    """(the case page has its button, the API lists it); None where the case is not visible."""
    user = w.people[who]
    page = factories.client_for(user).get(reverse("cases:detail", args=[w.case.pk]))
    body = factories.client_for(user).get(f"/api/v1/cases/{w.case.pk}")
    button = reverse("cases:step", args=[w.case.pk, name])
    on_page = None if page.status_code == 404 else f'action="{button}"' in page.content.decode()
    in_api = None if body.status_code == 404 else name in body.json()["available_steps"]
    return on_page, in_api


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: f"{s.transition}-{s.precondition}")
def test_a_step_whose_precondition_fails_is_not_offered(s: Scenario, media):
    w = _world()
    s.prepare(w)
    _set(w, {"state": s.state, **s.holds})
    on_page, in_api = _offered(w, s.actor, s.transition)
    assert in_api, "the scenario must offer the step while its preconditions hold"
    assert on_page is (s.transition not in lifecycle.ELSEWHERE | lifecycle.FROM_FORMS)

    _set(w, s.breaks)
    s.undo(w)
    case = Case.objects.get(pk=w.case.pk)
    failing = lifecycle.TRANSITIONS[s.transition].failing(case)
    assert failing is not None and failing.name == s.precondition
    on_page, in_api = _offered(w, s.actor, s.transition)
    assert not on_page and not in_api  # None: the actor no longer sees the case at all


@pytest.mark.rule("OMR-4")
def test_an_incomplete_application_is_refused_with_every_lack(media):
    """The precondition hides the button; an API client that submits anyway still gets the
    stable `case.incomplete` code with everything the application lacks."""
    w = _world()
    _set(w, {"state": "draft"})
    _agent_with_power_of_attorney(w)
    _no_power_of_attorney(w)
    _no_consent(w)
    client = factories.client_for(w.people["applicant"])
    response = client.post(f"/api/v1/cases/{w.case.pk}/submit")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "case.incomplete"
    assert (
        error["details"]["problems"] == [str(p.reason) for p in lifecycle.INCOMPLETE]
        and error["message"] == error["details"]["problems"][0]
    )
