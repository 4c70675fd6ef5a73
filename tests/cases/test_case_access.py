"""Nobody outside the case sees it: another mediator, another party, another court's clerk."""

import pytest

from sutiao.cases import actions
from tests import factories
from tests.cases import factories as cf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.fixture
def case_and_people():
    court = factories.court("甲院")
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    case = actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    party = case.parties.get(role="applicant").user
    return case, {"clerk": clerk, "mediator": mediator.user, "party": party}


@pytest.mark.rule("SIR-2")
@pytest.mark.parametrize("who", ["clerk", "mediator", "party"])
def test_people_of_the_case_see_it(case_and_people, who):
    case, people = case_and_people
    client = factories.client_for(people[who])
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert client.get(f"/api/v1/cases/{case.pk}/events").status_code == 200


def strangers():
    other_court = factories.court("乙院")
    return {
        "another mediator": cf.rostered_mediator(other_court, name="别的调解员").user,
        "another party": factories.person("party"),
        "another court's clerk": factories.person("court_clerk", court=other_court),
        "a judge of another court": factories.person("judge", court=other_court),
    }


@pytest.mark.rule("SIR-2", "Pub-4a")
def test_strangers_get_404_everywhere(case_and_people):
    case, _ = case_and_people
    for who, user in strangers().items():
        client = factories.client_for(user)
        for path in (
            f"/api/v1/cases/{case.pk}",
            f"/api/v1/cases/{case.pk}/events",
            f"/api/v1/cases/{case.pk}/files",
            f"/api/v1/cases/{case.pk}/messages",
        ):
            assert client.get(path).status_code == 404, (who, path)
        response = client.post(f"/api/v1/cases/{case.pk}/accept")
        assert response.status_code == 404, who
        for view in ("party", "clerk", "mediator", "judge", "org"):
            items = client.get(f"/api/v1/cases?view={view}").json()["items"]
            assert case.pk not in [c["id"] for c in items], (who, view)


def test_lists_show_own_cases(case_and_people):
    case, people = case_and_people
    for who, view in (("clerk", "clerk"), ("mediator", "mediator"), ("party", "party")):
        items = factories.client_for(people[who]).get(f"/api/v1/cases?view={view}").json()["items"]
        assert [c["id"] for c in items] == [case.pk]


def test_api_answers_409_with_the_reason_for_a_forbidden_step(case_and_people):
    case, people = case_and_people
    client = factories.client_for(people["mediator"])
    assert client.post(f"/api/v1/cases/{case.pk}/accept").status_code == 200
    response = client.post(f"/api/v1/cases/{case.pk}/accept")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "case.invalid_transition" and error["details"]["state"] == "mediating"


def test_a_party_may_not_take_the_courts_step(case_and_people):
    case, people = case_and_people
    response = factories.client_for(people["party"]).post(f"/api/v1/cases/{case.pk}/accept")
    assert response.status_code == 403


@pytest.mark.rule("OMR-18a", "SIR-2")
def test_caucus_messages_stay_with_their_party(case_and_people):
    case, people = case_and_people
    actions.accept(actor=people["mediator"], case=case)
    respondent_user = factories.person("party")
    case.parties.filter(role="respondent").update(user=respondent_user)
    applicant = case.parties.get(role="applicant")
    actions.post_message(
        actor=people["mediator"], case=case, body="私下沟通", caucus_party=applicant
    )
    actions.post_message(actor=people["mediator"], case=case, body="大家好")
    mine = factories.client_for(people["party"]).get(f"/api/v1/cases/{case.pk}/messages").json()
    theirs = factories.client_for(respondent_user).get(f"/api/v1/cases/{case.pk}/messages").json()
    assert {m["body"] for m in mine} == {"私下沟通", "大家好"}
    assert {m["body"] for m in theirs} == {"大家好"}


@pytest.mark.rule("SIR-2")
def test_detail_masks_identity_numbers(case_and_people):
    case, people = case_and_people
    body = factories.client_for(people["mediator"]).get(f"/api/v1/cases/{case.pk}").json()
    applicant = next(p for p in body["parties"] if p["role"] == "applicant")
    assert "*" in applicant["id_number"]
    assert body["available_steps"] == ["decline", "recuse", "accept"] or set(
        body["available_steps"]
    ) == {"accept", "decline", "recuse"}
