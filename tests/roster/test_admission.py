"""Recommendation by IP offices, admission by the court's clerk, measures and removal."""

from datetime import date

import pytest

from sutiao.accounts.roles import Role
from sutiao.core.errors import Conflict, Invalid, NotFound
from sutiao.roster import actions, queries
from sutiao.roster.models import Recommendation, RosterEntry
from tests import factories as f

from . import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def bj():
    staff, office = rf.office_staff(region="110000")
    court = f.court("北京知识产权法院测试", region="110108")
    return staff, office, court


@pytest.mark.rule("Notice-8b", "SIR-28a")
def test_office_recommends_and_the_clerk_admits_to_the_court_roster(bj):
    staff, office, court = bj
    mediator = rf.mediator("王调解")
    rec = actions.recommend(actor=staff, court=court, mediator=mediator, note="经验丰富")
    assert rec.status == Recommendation.Status.PENDING and rec.office == office
    clerk = rf.clerk(court)
    entry = actions.admit(
        actor=clerk,
        recommendation=rec,
        certificate_number="京73特邀001",
        term_start=date(2026, 1, 1),
        term_end=date(2028, 12, 31),
    )
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.ADMITTED
    assert entry.ip_specialty and entry.status == RosterEntry.Status.ADMITTED
    assert list(queries.eligible_for(court).mediators) == [mediator]
    assert queries.may_use(court, mediator=mediator)


@pytest.mark.rule("SIR-28a")
def test_a_court_cannot_admit_to_another_courts_roster(bj):
    staff, _, court = bj
    other_court = f.court("另一法院", region="110105")
    rec = rf.pending_recommendation(rf.mediator(), court, staff)
    foreign_clerk = rf.clerk(other_court)
    with pytest.raises(NotFound):
        actions.admit(actor=foreign_clerk, recommendation=rec, certificate_number="X1")
    # page: the recommendation is not even visible to the other court
    client = f.client_for(foreign_clerk)
    assert client.get(f"/roster/recommendations/{rec.pk}/").status_code == 404
    response = client.post(
        f"/roster/recommendations/{rec.pk}/",
        {"decision": "admit", "certificate_number": "X1", "term_start": "2026-01-01"},
    )
    assert response.status_code == 404
    assert client.get(f"/roster/courts/{court.pk}/pending/").status_code == 404
    # API
    response = client.post(
        f"/api/v1/roster/recommendations/{rec.pk}/admit",
        {"certificate_number": "X1"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not RosterEntry.objects.exists()
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.PENDING


@pytest.mark.rule("SIR-28b")
def test_a_court_cannot_remove_from_another_courts_roster(bj):
    _, _, court = bj
    entry = rf.admitted(rf.mediator(), court)
    foreign_clerk = rf.clerk(f.court("另一法院2", region="110105"))
    client = f.client_for(foreign_clerk)
    response = client.post(f"/roster/entries/{entry.pk}/", {"kind": "removal", "reason": "x"})
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/roster/entries/{entry.pk}/measures",
        {"kind": "removal", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.status == RosterEntry.Status.ADMITTED


@pytest.mark.rule("SIR-28a")
def test_a_judge_of_the_same_court_cannot_admit(bj):
    staff, _, court = bj
    rec = rf.pending_recommendation(rf.mediator(), court, staff)
    judge = f.person(Role.JUDGE, court=court)
    response = f.client_for(judge).post(
        f"/api/v1/roster/recommendations/{rec.pk}/admit",
        {"certificate_number": "X"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.rule("SIR-28a")
def test_clerk_admits_through_the_pages(bj):
    staff, _, court = bj
    mediator = rf.mediator("页面调解员")
    rec = rf.pending_recommendation(mediator, court, staff)
    client = f.client_for(rf.clerk(court))
    assert "页面调解员" in client.get(f"/roster/courts/{court.pk}/pending/").content.decode()
    response = client.post(
        f"/roster/recommendations/{rec.pk}/",
        {"decision": "admit", "certificate_number": "", "term_start": "2026-01-01"},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()  # beside the certificate field
    response = client.post(
        f"/roster/recommendations/{rec.pk}/",
        {
            "decision": "admit",
            "certificate_number": "京73特邀9",
            "term_start": "2026-01-01",
            "ip_specialty": "on",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/roster/courts/{court.pk}/").content.decode()
    assert "页面调解员" in html and "京73特邀9" in html


@pytest.mark.rule("SIR-28a")
def test_decline_needs_a_reason(bj):
    staff, _, court = bj
    rec = rf.pending_recommendation(f.org(), court, staff)
    clerk = rf.clerk(court)
    with pytest.raises(Invalid):
        actions.decline(actor=clerk, recommendation=rec, reason=" ")
    actions.decline(actor=clerk, recommendation=rec, reason="材料不全")
    rec.refresh_from_db()
    assert rec.status == Recommendation.Status.DECLINED and rec.decline_reason == "材料不全"
    with pytest.raises(Conflict):
        actions.admit(actor=clerk, recommendation=rec, certificate_number="X")


@pytest.mark.rule("Notice-8b")
def test_office_may_recommend_only_to_courts_with_ip_jurisdiction_over_its_area(bj):
    staff, _, _ = bj
    gd_court = f.court("广州测试法院", region="440100")
    with pytest.raises(Invalid) as exc:
        actions.recommend(actor=staff, court=gd_court, mediator=rf.mediator())
    assert "court" in exc.value.details["fields"]
    no_ip = f.court("无知产管辖法院", region="110105")
    no_ip.has_ip_tribunal = False
    no_ip.save()
    no_ip.ip_kinds.clear()
    with pytest.raises(Invalid):
        actions.recommend(actor=staff, court=no_ip, mediator=rf.mediator())


@pytest.mark.rule("Notice-8a", "Notice-8b")
def test_office_cannot_recommend_a_mediator_outside_its_region(bj):
    staff, _, court = bj
    gd_mediator = rf.mediator(region="440106")
    with pytest.raises(NotFound):
        actions.recommend(actor=staff, court=court, mediator=gd_mediator)


@pytest.mark.rule("Notice-8b")
def test_a_second_pending_recommendation_to_the_same_court_conflicts(bj):
    staff, _, court = bj
    m = rf.mediator()
    rf.pending_recommendation(m, court, staff)
    with pytest.raises(Conflict):
        actions.recommend(actor=staff, court=court, mediator=m)


@pytest.mark.rule("SIR-28b", "OMR-29a")
def test_warning_and_notice_keep_the_entry_removal_takes_it_off(bj):
    _, _, court = bj
    m = rf.mediator()
    entry = rf.admitted(m, court)
    clerk = rf.clerk(court)
    actions.take_measure(actor=clerk, entry=entry, kind="warning", reason="迟到")
    actions.take_measure(actor=clerk, entry=entry, kind="notice", reason="通报批评")
    assert queries.may_use(court, mediator=m)
    with pytest.raises(Invalid):
        actions.take_measure(actor=clerk, entry=entry, kind="removal", reason="")
    actions.take_measure(actor=clerk, entry=entry, kind="removal", reason="违反纪律")
    entry.refresh_from_db()
    assert entry.status == RosterEntry.Status.REMOVED and entry.removal_reason == "违反纪律"
    assert not queries.may_use(court, mediator=m)
    assert entry.measures.count() == 3
    with pytest.raises(Conflict):
        actions.take_measure(actor=clerk, entry=entry, kind="warning", reason="x")


@pytest.mark.rule("SIR-5")
def test_lower_court_may_use_its_higher_courts_roster(bj):
    _, _, _ = bj
    high = f.court("北京高院测试", region="110000", level="high")
    middle = f.court("北京中院测试", region="110108", parent=high)
    basic = f.court("海淀法院测试", region="110108", level="basic", parent=middle)
    m_high, m_basic, org = rf.mediator(), rf.mediator(), f.org()
    rf.admitted(m_high, high)
    rf.admitted(m_basic, basic)
    rf.admitted(org, middle)
    eligible = queries.eligible_for(basic)
    assert set(eligible.mediators) == {m_high, m_basic}
    assert list(eligible.orgs) == [org]
    assert set(queries.eligible_for(high).mediators) == {m_high}
    assert queries.eligible_for(high).orgs.count() == 0
    assert queries.invited_by_jurisdiction(m_high, [basic])
    assert not queries.invited_by_jurisdiction(m_basic, [high, middle])


def test_suspended_mediators_and_expired_terms_are_not_eligible(bj):
    staff, _, court = bj
    m1, m2 = rf.mediator(), rf.mediator()
    rf.admitted(m1, court)
    rf.admitted(m2, court, term_start=date(2020, 1, 1), term_end=date(2021, 1, 1))
    assert list(queries.eligible_for(court).mediators) == [m1]
    actions.set_mediator_status(actor=staff, mediator=m1, status="suspended", reason="调查中")
    assert not queries.eligible_for(court).mediators.exists()


@pytest.mark.rule("Notice-8b", "SIR-28a")
def test_api_recommend_and_admit(bj):
    staff, _, court = bj
    m = rf.mediator()
    response = f.client_for(staff).post(
        "/api/v1/roster/recommendations",
        {"court_id": court.pk, "mediator_id": m.pk, "note": "推荐"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    rec_id = response.json()["id"]
    response = f.client_for(rf.clerk(court)).post(
        f"/api/v1/roster/recommendations/{rec_id}/admit",
        {"certificate_number": "京73特邀77", "term_start": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["mediator_id"] == m.pk
    entries = f.client_for(staff).get(f"/api/v1/roster/courts/{court.pk}/entries").json()
    assert entries["count"] == 1
