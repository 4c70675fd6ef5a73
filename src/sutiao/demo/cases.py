"""Demo cases at every stage, built through the real actions (called by demo.data):
awaiting assignment, awaiting acceptance, mediating, failed and filed, settled with an
agreement signed by both parties, the mediator and the organisation's seal, and one whose
agreement a court confirmed by a signed ruling. Idempotent: a stage present is left alone.
The demo organisation reaches the court's roster through the roster's own recommend/admit."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.agreements import actions as agreements
from sutiao.cases import actions as cases
from sutiao.cases.actions import AgentIn, PartyIn
from sutiao.cases.actions.invitations import link_token
from sutiao.cases.models import Agent, Case, PartyInvitation
from sutiao.institutions.models import Court, MediationOrg
from sutiao.judicial import actions as judicial
from sutiao.roster import actions as roster
from sutiao.roster.models import Mediator, RosterEntry

from .files import blank_pdf

if TYPE_CHECKING:
    from .data import Loaded

PREFIX = "【演示】"
STAGES = ["待分派", "待接受", "调解中", "调解不成已立案", "已达成调解协议", "已司法确认"]
USERS = ["party", "party2", "clerk", "judge", "mediator", "ipoffice", "lawyer"]


def _login(mediator: Mediator) -> User:
    """The demo mediator's account (the demo links one to every mediator it uses)."""
    assert mediator.user is not None, mediator
    return mediator.user


def load(loaded: Loaded, *, court_name: str, org_name: str) -> None:
    people = {u.username: u for u in User.objects.filter(username__in=USERS)}
    court = Court.objects.filter(name=court_name).first()
    org = MediationOrg.objects.filter(name=org_name).first()
    mediator = Mediator.objects.filter(user=people.get("mediator")).first()
    missing = [u for u in USERS if u not in people]
    if court is None or org is None or mediator is None or missing:
        loaded.problems.append(
            "未能创建演示案件 / could not make the demo cases: "
            f"missing {', '.join(missing) or 'court, organisation or mediator'}"
        )
        return
    loaded.step(f"roster entry {org} → {court}", _admit, court=court, org=org, people=people)
    mediating = f"{PREFIX}青山茶业诉绿叶商行商标侵权纠纷（{STAGES[2]}）"
    loaded_agent = Agent.objects.filter(party__case__title=mediating).exists()
    for stage, label in enumerate(STAGES):
        title = f"{PREFIX}青山茶业诉绿叶商行商标侵权纠纷（{label}）"
        if Case.objects.filter(title=title).exists():
            continue
        loaded.step(
            f"demo case {label}",
            _build,
            stage,
            title,
            court=court,
            org=org,
            party=people["party"],
            party2=people["party2"],
            clerk=people["clerk"],
            judge=people["judge"],
            mediator=mediator,
        )
    case = Case.objects.filter(title=mediating).first()
    if case is not None and not loaded_agent:
        loaded.step("demo agent", _agent, case, party2=people["party2"], lawyer=people["lawyer"])


def _power_of_attorney() -> ContentFile:
    """A one-page PDF standing for the signed power of attorney."""
    return blank_pdf("授权委托书（演示）", "授权委托书.pdf")


def _agent(case: Case, *, party2: User, lawyer: User) -> Agent:
    """李四 (the respondent) names 孙律师 with special authorisation (CPL 61–62)."""
    return cases.name_agent(
        actor=party2,
        case=case,
        party=case.parties.get(role="respondent"),
        data=AgentIn(
            name=lawyer.real_name,
            phone=lawyer.phone,
            kind=Agent.Kind.LAWYER,
            scope=Agent.Scope.SPECIAL,
            licence_number="11101202010654321",
            firm="北京演示律师事务所",
        ),
        power_of_attorney=_power_of_attorney(),
    )


def _admit(*, court: Court, org: MediationOrg, people: dict[str, User]) -> None:
    if RosterEntry.objects.filter(court=court, org=org, mediator=None).exists():
        return
    rec = roster.recommend(actor=people["ipoffice"], court=court, org=org)
    roster.admit(actor=people["clerk"], recommendation=rec, certificate_number=f"演示{org.pk}")


def _build(
    stage: int,
    title: str,
    *,
    court: Court,
    org: MediationOrg,
    party: User,
    party2: User,
    clerk: User,
    judge: User,
    mediator: Mediator,
) -> Case:
    """Take a new case as far as `stage` (an index of STAGES)."""
    # The first stage shows the respondent invited (SMS and e-mail), not yet on the case.
    case = _submitted(title, court=court, party=party, party2=party2, joins=stage > 0)
    if stage == 0:
        return case
    case = cases.delegate(actor=clerk, case=case, org=org)
    if stage == 1:
        return case
    org_admin = org.memberships.filter(role="org_admin").first()
    assert org_admin is not None, f"{org} has no org admin"  # demo.data makes one
    case = cases.assign(actor=org_admin.user, case=case, mediator=mediator)
    case = cases.accept(actor=_login(mediator), case=case)
    if stage == 2:
        return case
    if stage == 3:
        return _failed_and_filed(case, mediator=mediator, clerk=clerk)
    agreement = _signed_agreement(case, mediator=mediator)
    if stage == 4:
        return Case.objects.get(pk=case.pk)
    _confirmed(agreement, court=court, judge=judge)
    return Case.objects.get(pk=case.pk)


def _submitted(title: str, *, court: Court, party: User, party2: User, joins: bool = True) -> Case:
    """A trademark dispute applied for by `party` against `party2`, consented and submitted;
    the submission invites `party2`, who (`joins`) opens the link and consents."""
    case = cases.apply_for_mediation(
        actor=party,
        title=title,
        court=court,
        ip_kind="trademark",
        right_number="第12345678号",
        claims="停止销售侵权商品，赔偿经济损失及合理开支5万元",
        amount_fen=5_000_000,
        description="绿叶商行在网店销售标有“青山”字样的茶叶礼盒。",
        applicant=PartyIn(
            role="applicant",
            name=party.real_name,
            phone=party.phone,
            address="北京市东城区东长安街1号",
        ),
        respondents=[
            PartyIn(
                role="respondent",
                name=party2.real_name,
                phone=party2.phone,
                email=party2.email,
                address="北京市海淀区中关村大街27号",
            )
        ],
    )
    applicant = case.parties.get(role="applicant")
    _consent_online(party, case, applicant)
    case = cases.submit(actor=party, case=case)
    if not joins:
        return case
    # The respondent opens the invitation the submission sent (a phone number links nobody).
    invitation = PartyInvitation.objects.filter(party__case=case, party__role="respondent").latest(
        "created_at", "id"
    )
    respondent = cases.accept_invitation(actor=party2, token=link_token(invitation))
    _consent_online(party2, case, respondent)
    return Case.objects.get(pk=case.pk)


def _failed_and_filed(case: Case, *, mediator: Mediator, clerk: User) -> Case:
    case = cases.end(
        actor=_login(mediator),
        case=case,
        reason=5,
        course="两次视频调解。",
        reasons="赔偿数额分歧过大。",
        notes_for_court="建议尽快立案审理。",
    )
    cases.file_case(actor=clerk, case=case)
    return Case.objects.get(pk=case.pk)


def _signed_agreement(case: Case, *, mediator: Mediator) -> Any:
    """The agreement the mediator drafts, signed by both parties and the mediator."""
    applicant = case.parties.get(role="applicant")
    respondent = case.parties.get(role="respondent")
    agreement = agreements.draft(
        actor=_login(mediator),
        case=case,
        data=agreements.DraftIn(
            facts="申请人系第12345678号“青山”注册商标的权利人。被申请人在网店销售标有“青山”字样的茶叶"
            "礼盒，申请人认为侵害其注册商标专用权。",
            issues="被申请人是否构成侵权及赔偿数额。",
            performance="被申请人通过银行转账向申请人支付。",
            place="北京",
            terms=[
                agreements.TermIn(
                    "stop_use",
                    obligor=respondent.pk,
                    subject="销售标有“青山”字样的茶叶礼盒，并下架相关商品链接",
                ),
                agreements.TermIn(
                    "pay",
                    obligor=respondent.pk,
                    beneficiary=applicant.pk,
                    subject="经济损失及合理开支",
                    amount_fen=3_000_000,
                    due_date=timezone.localdate() + timedelta(days=30),
                ),
                agreements.TermIn("waive", obligor=applicant.pk, subject="其他调解请求"),
            ],
        ),
    )
    agreement = agreements.open_for_signing(actor=_login(mediator), agreement=agreement)
    first = case.parties.get(role="applicant").user
    assert first is not None and respondent.user is not None  # the demo's have accounts
    for user in (first, respondent.user, _login(mediator)):
        agreement = agreements.sign_verified(actor=user, agreement=agreement, verified_by="demo")
    return agreement


def _confirmed(agreement: Any, *, court: Court, judge: User) -> None:
    """Judicial confirmation applied for by both parties and ruled valid."""
    respondent = agreement.case.parties.get(role="respondent")
    applicant = agreement.case.parties.get(role="applicant").user
    assert applicant is not None and respondent.user is not None  # the demo's have accounts
    app = judicial.apply(
        actor=applicant,
        agreement=agreement,
        court_id=court.pk,
    )
    app = judicial.submit_part(actor=respondent.user, application=app)
    app = judicial.accept(actor=judge, application=app)
    judicial.rule(actor=judge, application=app, outcome="valid")


def _consent_online(user, case: Case, party) -> None:
    """The party consents to online mediation and electronic service at the user's e-mail."""
    cases.give_consent(
        actor=user,
        case=case,
        party=party,
        online=True,
        e_service=True,
        service_email=user.email,
        notice_acknowledged=True,
    )
