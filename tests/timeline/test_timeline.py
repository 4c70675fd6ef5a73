"""One timeline per case: every fact of every domain in order, to each person as far as they
may see it, in a bounded number of queries; the header says where the case stands."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sutiao.cases import actions as case_actions
from sutiao.cases import timeline
from sutiao.delivery import engine
from sutiao.judicial import actions as judicial
from tests import factories
from tests.agreements import factories as af
from tests.cases import factories as cf
from tests.cases.conftest import small_pdf
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def settled_confirmed_and_served(world):
    """Private caucuses, then settle → sign → confirmation → ruling → service."""
    case = world.case
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    case_actions.post_message(
        actor=world.applicant, case=case, body="申请人底线：三万元", caucus_party=applicant
    )
    case_actions.post_message(
        actor=world.respondent, case=case, body="被申请人最多付两万元", caucus_party=respondent
    )
    case_actions.post_message(actor=world.mediator_user, case=case, body="请双方下周一上线。")
    agreement = af.signed_agreement(world)
    app = judicial.apply(
        actor=world.applicant,
        agreement=agreement,
        court_id=world.court.pk,
        statement="双方自愿申请司法确认。",
    )
    app = judicial.submit_part(actor=world.respondent, application=app)
    app = judicial.accept(actor=world.judge, application=app)
    judicial.rule(actor=world.judge, application=app, outcome="valid")
    engine.run_once()
    return world.reload()


def in_order(names: list[str], *wanted: str) -> bool:
    """`wanted` appear in `names` in this order (other facts may come between)."""
    position = -1
    for name in wanted:
        try:
            position = names.index(name, position + 1)
        except ValueError:
            return False
    return True


@pytest.mark.rule("SIR-2", "OMR-18a", "OMR-19b")
def test_the_timeline_shows_each_party_every_step_in_order_and_hides_the_other_caucus(
    world, nss_db
):
    case = settled_confirmed_and_served(world)
    steps = (
        "case.created",
        "case.consent_given",
        "case.delegate",
        "case.accept",
        "agreement.opened",
        "agreement.signed",
        "agreement.effective",
        "case.settle",
        "judicial.started",
        "judicial.submit_part",
        "judicial.accept",
        "judicial.confirm",
        "delivery.served",
        "delivery.effective",
    )
    seen = {}
    for who, user in (("applicant", world.applicant), ("respondent", world.respondent)):
        entries = timeline.for_viewer(user, case)
        names = [e.name for e in entries]
        assert in_order(names, *steps), (who, "\n".join(names))
        assert [e.at for e in entries] == sorted(e.at for e in entries)
        signed = [e.summary for e in entries if e.name == "agreement.signed"]
        assert len(signed) == 4  # each party, the mediator, the organisation's seal
        # In effect once both parties have signed (OMR 20): after the second signature.
        assert in_order(names, "agreement.signed", "agreement.signed", "agreement.effective")
        seen[who] = " ".join(e.summary for e in entries)
        assert "请双方下周一上线" in seen[who]  # the open thread is everyone's
    assert "三万元" in seen["applicant"] and "两万元" not in seen["applicant"]
    assert "两万元" in seen["respondent"] and "三万元" not in seen["respondent"]
    mediator = " ".join(e.summary for e in timeline.for_viewer(world.mediator_user, case))
    assert "三万元" in mediator and "两万元" in mediator
    # A party sees what was served on it, not on the other side; the court sees every service.
    ruling_services = [
        e
        for e in timeline.for_viewer(world.applicant, case)
        if e.name == "delivery.served" and "裁定" in e.summary
    ]
    assert ruling_services and all("乙公司" not in e.summary for e in ruling_services)
    court_services = [
        e
        for e in timeline.for_viewer(world.judge, case)
        if e.name == "delivery.served" and "裁定" in e.summary
    ]
    assert len(court_services) == 2
    assert timeline.for_viewer(factories.person("party"), case) == []


def english(user):
    client = factories.client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_the_case_header_says_where_the_case_stands_after_mediation(world, nss_db):
    url = reverse("cases:detail", args=[world.case.pk])
    assert 'id="case-stage"' not in english(world.applicant).get(url).content.decode()
    agreement = af.signed_agreement(world)
    html = english(world.applicant).get(url).content.decode()
    assert 'id="case-stage"' in html and "Mediation agreement signed" in html
    app = judicial.apply(
        actor=world.applicant, agreement=agreement, court_id=world.court.pk, statement="申请。"
    )
    app = judicial.submit_part(actor=world.respondent, application=app)
    html = english(world.respondent).get(url).content.decode()
    assert '<strong class="stage-now">Judicial confirmation applied for</strong>' in html
    app = judicial.accept(actor=world.judge, application=app)
    judicial.rule(actor=world.judge, application=app, outcome="valid")
    html = english(world.applicant).get(url).content.decode()
    assert '<strong class="stage-now">Judicially confirmed</strong>' in html
    stage = [str(s) for s in timeline.stage(world.case)]
    assert "Ruling served" not in stage  # handed to delivery, not yet arrived
    engine.run_once()  # the ruling reaches both parties at their confirmed e-addresses
    stage = [str(s) for s in timeline.stage(world.case)]
    assert stage == [
        "Mediation agreement signed",
        "Agreement served",
        "Judicial confirmation applied for",
        "Judicially confirmed",
        "Ruling served",
    ]
    html = english(world.respondent).get(url).content.decode()
    assert '<strong class="stage-now">Ruling served</strong>' in html


def test_one_page_render_runs_a_bounded_number_of_queries(
    world, nss_db, django_assert_max_num_queries
):
    case = settled_confirmed_and_served(world)
    client = factories.client_for(world.applicant)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # warm the caches of the process (templates, registries)
    with django_assert_max_num_queries(60) as few:
        assert client.get(url).status_code == 200
    before = len(timeline.for_viewer(world.applicant, case))
    for i in range(12):  # the court adds documents after the ruling: more facts on the timeline
        case_actions.add_file(
            actor=world.judge,
            case=case,
            upload=SimpleUploadedFile(f"补充材料{i}.pdf", small_pdf(f"补充{i}")),
            kind="document",
        )
    assert len(timeline.for_viewer(world.applicant, case)) == before + 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "补充材料11.pdf" in html


def test_a_party_sees_that_a_mediator_declined_but_not_the_reason_staff_gave(db):
    court = factories.court("甲院")
    clerk = factories.person("court_clerk", court=court)
    mediator = cf.rostered_mediator(court)
    case = case_actions.delegate(actor=clerk, case=cf.submitted_case(court), mediator=mediator)
    case_actions.decline(actor=mediator.user, case=case, reason="本人近期档期已满")
    party = case.parties.get(role="applicant").user
    mine = [e for e in timeline.for_viewer(party, case) if e.name == "case.decline"]
    theirs = [e for e in timeline.for_viewer(clerk, case) if e.name == "case.decline"]
    assert len(mine) == 1 and mine[0].summary == ""
    assert len(theirs) == 1 and theirs[0].summary == "本人近期档期已满"
