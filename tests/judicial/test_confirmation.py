"""Judicial confirmation: the joint application to a court RULES §7 allows, within 30 days of
the agreement taking effect; refusals at submission (an IP right confirmed: CPL-I 355(5);
day 31: CPL 205); completeness, review, the signed ruling and the objection window."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sutiao.agreements import actions as agreement_actions
from sutiao.agreements.actions import TermIn
from sutiao.agreements.models import Agreement
from sutiao.core.errors import Conflict, Invalid
from sutiao.documents import verify
from sutiao.judicial import actions, competence
from sutiao.judicial.choices import CourtBasis, State
from tests.agreements import factories as af
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _effective(agreement: Agreement, at: datetime) -> Agreement:
    Agreement.objects.filter(pk=agreement.pk).update(effective_at=at)
    return Agreement.objects.get(pk=agreement.pk)


@pytest.mark.rule("CPL-I-355")
def test_an_agreement_confirming_patent_ownership_is_flagged_and_refused_at_submission(db, media):
    world = af.mediating_case(ip_kind="patent")
    terms = af.standard_terms(world.case)
    terms.append(TermIn("other", details="双方确认第ZL201810000000.0号发明专利权归申请人所有。"))
    agreement = af.draft(world, terms=terms)
    flagged = [w for w in agreement_actions.warnings(agreement) if w.blocking]
    assert [(w.code, w.term) for w in flagged] == [("confirms_ip_right", 4)]
    assert "第三百五十五条第五项" in flagged[0].message  # CPL-I 355(5), in Chinese
    agreement_actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    af.sign_as(world.applicant, agreement)
    af.sign_as(world.respondent, agreement)
    agreement = af.sign_as(world.mediator_user, agreement)
    assert agreement.state == "signed"
    with pytest.raises(Conflict) as refused:
        actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    assert refused.value.code == "judicial.not_confirmable"
    assert "知识产权确权" in str(refused.value.message)
    assert not agreement.confirmation_applications.exists()


@pytest.mark.rule("CPL-I-358a", "CPL-I-355")
def test_vague_terms_and_the_structured_kind_are_flagged(world):
    applicant = world.case.parties.get(role="applicant").pk
    respondent = world.case.parties.get(role="respondent").pk
    agreement = af.draft(
        world,
        terms=[
            TermIn("pay", obligor=respondent, beneficiary=applicant, subject="赔偿款"),
            TermIn("confirm_right", subject="第12345678号商标归申请人所有"),
            TermIn("other", details="被申请人适当赔偿申请人损失"),
        ],
    )
    codes = [(w.code, w.term, w.blocking) for w in agreement_actions.warnings(agreement)]
    assert ("vague_amount", 1, False) in codes and ("vague_date", 1, False) in codes
    assert ("confirms_ip_right", 2, True) in codes
    assert ("vague_amount", 3, False) in codes


@pytest.mark.rule("CPL-205a")
def test_an_application_on_day_31_is_refused_with_the_reason(world):
    agreement = af.signed_agreement(world)
    agreement = _effective(agreement, datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))
    day_31 = datetime(2026, 4, 2, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(Conflict) as late:
        actions.apply(
            actor=world.applicant, agreement=agreement, court_id=world.court.pk, at=day_31
        )
    assert late.value.code == "judicial.too_late"
    message = str(late.value.message)
    assert "三十日内" in message and "2026-03-02" in message and "2026-04-01" in message
    assert late.value.details["last_day"] == "2026-04-01"
    day_30 = datetime(2026, 4, 1, 23, 0, tzinfo=SHANGHAI)
    app = actions.apply(
        actor=world.applicant, agreement=agreement, court_id=world.court.pk, at=day_30
    )
    assert app.state == State.DRAFT
    # The second party's part on day 31 comes too late as well.
    with pytest.raises(Conflict) as late_part:
        actions.submit_part(actor=world.respondent, application=app, at=day_31)
    assert late_part.value.code == "judicial.too_late"


@pytest.mark.rule("CPL-205b")
def test_court_invited_mediation_goes_to_the_inviting_court_only(world):
    found = competence.candidates(world.case)
    assert [(c.court, c.basis) for c in found] == [(world.court, CourtBasis.INVITING)]
    assert world.court.name in found[0].reason
    agreement = af.signed_agreement(world)
    other = af.factories.court("北京市海淀区人民法院", code="京0108", level="basic")
    with pytest.raises(Invalid):
        actions.apply(actor=world.applicant, agreement=agreement, court_id=other.pk)


@pytest.mark.rule("CPL-205b")
def test_a_direct_case_chooses_among_domicile_subject_matter_and_org_seat_courts(db):
    from sutiao.cases.models import Case
    from tests import factories

    haidian = factories.court("北京市海淀区人民法院", code="京0108", level="basic", region="110108")
    hangzhou = factories.court(
        "杭州市西湖区人民法院", code="浙0106", level="basic", region="330106"
    )
    ip_court = factories.court("北京知识产权法院", code="京73", region="110108")
    world = af.mediating_case(court=ip_court)
    Case.objects.filter(pk=world.case.pk).update(channel="direct", court=None)
    case = world.reload()
    found = {c.court: c for c in competence.candidates(case)}
    assert found[haidian].basis == CourtBasis.DOMICILE and "北京市海淀区" in found[haidian].reason
    assert (
        found[hangzhou].basis == CourtBasis.DOMICILE
        and "浙江省杭州市西湖区" in found[hangzhou].reason
    )
    assert ip_court not in found  # trademark: basic courts
    Case.objects.filter(pk=case.pk).update(ip_kind_id="patent")
    case = world.reload()
    found = {c.court: c for c in competence.candidates(case)}
    assert haidian not in found and ip_court in found  # patent: the intermediate court
    assert "专利" in found[ip_court].reason or "patent" in found[ip_court].reason.lower()


@pytest.mark.rule(
    "CPL-205a", "CPL-205d", "CPL-187", "CPL-I-356", "CPL-I-358b", "CPL-I-372", "ESL-13"
)
def test_the_joint_application_review_and_signed_ruling(world, nss_db, tmp_path):
    agreement = af.signed_agreement(world)
    app = actions.apply(
        actor=world.applicant,
        agreement=agreement,
        court_id=world.court.pk,
        statement="双方自愿申请司法确认。",
    )
    assert app.state == State.DRAFT and app.court_basis == CourtBasis.INVITING
    with pytest.raises(Conflict):
        actions.submit_part(actor=world.applicant, application=app)  # one part each
    app = actions.submit_part(actor=world.respondent, application=app)
    assert app.state == State.SUBMITTED and app.submitted_at
    request = actions.request_supplement(
        actor=world.judge, application=app, items="提交被申请人营业执照复印件", days=5
    )
    assert request.deadline_at > app.submitted_at
    app = actions.supplement(actor=world.respondent, application=app, answer="已补充营业执照。")
    assert app.state == State.SUBMITTED
    app = actions.accept(actor=world.judge, application=app)
    assert app.state == State.ACCEPTED and app.number.endswith("号") and "民特" in app.number
    assert app.clock == "confirmation_decision"
    assert (app.deadline_at - app.accepted_at) >= timedelta(days=29)
    actions.schedule_questioning(
        actor=world.judge,
        application=app,
        starts_at=app.accepted_at + timedelta(days=3),
        place="线上询问室 1",
    )
    with pytest.raises(Invalid):
        actions.rule(actor=world.judge, application=app, outcome="dismissed")  # no ground
    ruling = actions.rule(actor=world.judge, application=app, outcome="valid")
    app.refresh_from_db()
    assert app.state == State.CONFIRMED and app.clock == "objection"
    assert (ruling.objection_deadline_at - ruling.served_at) >= timedelta(days=14)
    with ruling.document.file.open("rb") as fh:
        pdf = fh.read()
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == "valid"
    assert [s.holder_kind for s in verdict.signatures] == ["person", "court_seal"]
    from tests.documents.conftest import pdfsig

    assert [s.validation for s in pdfsig(pdf, nss_db, tmp_path)] == ["Signature is Valid."] * 2
    import re
    from io import BytesIO

    import pypdf

    text = "".join(
        re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(BytesIO(pdf)).pages
    )
    assert "民事裁定书" in text and app.number in text and "调解协议有效" in text
    # Objections: within 15 days of service, not after.
    actions.object_to_ruling(
        actor=world.respondent,
        ruling=ruling,
        text="异议理由",
        at=ruling.served_at + timedelta(days=2),
    )
    with pytest.raises(Conflict) as late:
        actions.object_to_ruling(
            actor=world.applicant,
            ruling=ruling,
            text="迟到的异议",
            at=ruling.objection_deadline_at + timedelta(minutes=1),
        )
    assert late.value.code == "judicial.objection_late"


@pytest.mark.rule("CPL-I-358b")
def test_a_dismissal_names_its_cpl_i_358_ground(world):
    agreement = af.signed_agreement(world)
    app = actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    app = actions.submit_part(actor=world.respondent, application=app)
    app = actions.accept(actor=world.judge, application=app)
    ruling = actions.rule(actor=world.judge, application=app, outcome="dismissed", ground=5)
    app.refresh_from_db()
    assert app.state == State.DISMISSED and ruling.ground == 5
    assert ruling.get_ground_display()
