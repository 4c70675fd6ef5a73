"""A filed case is its court's: its clerks and judges see it, only its judges entrust it, and
to anyone else it does not exist (404 on the page and the API alike)."""

import pytest

from sutiao.cases import actions
from sutiao.core.policy import can
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed():
    court = factories.court("甲院")
    judge = factories.person("judge", court=court)
    fc = actions.register_filed_case(
        actor=judge, court=court, title="侵害商标权纠纷", parties=[{"name": "甲公司"}]
    )
    return fc, {
        "judge": judge,
        "clerk": factories.person("court_clerk", court=court),
        "another court's judge": factories.person("judge", court=factories.court("乙院")),
        "a party": factories.person("party"),
    }


@pytest.mark.rule("SIR-11b")
def test_only_the_courts_judges_entrust_a_filed_case_and_its_staff_see_it(filed):
    fc, people = filed
    assert can(people["judge"], "view", fc) and can(people["judge"], "entrust", fc)
    assert can(people["clerk"], "view", fc) and not can(people["clerk"], "entrust", fc)
    for who in ("another court's judge", "a party"):
        assert not can(people[who], "view", fc) and not can(people[who], "entrust", fc)


def test_strangers_get_404_on_the_filed_case_page_and_its_entrust_endpoint(filed):
    fc, people = filed
    assert factories.client_for(people["clerk"]).get(f"/cases/filed/{fc.pk}/").status_code == 200
    for who in ("clerk", "another court's judge", "a party"):
        client = factories.client_for(people[who])
        response = client.post(
            f"/api/v1/filed-cases/{fc.pk}/entrust", {}, content_type="application/json"
        )
        assert response.status_code == 404, who
    for who in ("another court's judge", "a party"):
        page = factories.client_for(people[who]).get(f"/cases/filed/{fc.pk}/")
        assert page.status_code == 404, who
