"""A mediating case with every participant, agreements drafted and signed through the real
actions (one-time codes read from where the platform sends them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import mail
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.agreements import actions, otp
from sutiao.agreements.actions import DraftIn, TermIn
from sutiao.agreements.models import Agreement
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Case
from sutiao.institutions.models import Court, MediationOrg
from sutiao.roster.models import Mediator
from tests import factories
from tests.cases import factories as cf


@dataclass
class World:
    court: Court
    org: MediationOrg
    clerk: User
    judge: User
    org_admin: User
    mediator: Mediator
    applicant: User
    respondent: User
    case: Case

    @property
    def mediator_user(self) -> User:
        return self.mediator.user

    def reload(self) -> Case:
        self.case = Case.objects.get(pk=self.case.pk)
        return self.case


def _named(user: User, name: str, email: str = "") -> User:
    user.real_name = name
    user.email = email
    user.save(update_fields=["real_name", "email"])
    return User.objects.get(pk=user.pk)


def mediating_case(
    *,
    ip_kind: str = "trademark",
    court: Court | None = None,
    org_name: str = "中国（北京）知识产权保护中心",
    with_org: bool = True,
) -> World:
    """A delegated case of 北京知识产权法院, sent to an organisation (or, with_org=False, to
    a mediator of its own), under mediation."""
    court = court or factories.court("北京知识产权法院", code="京73", region="110108")
    org = cf.rostered_org(court, name=org_name)
    clerk = factories.person("court_clerk", court=court)
    judge = _named(factories.person("judge", court=court), "陈法官")
    org_admin = factories.person("org_admin", org=org)
    mediator = cf.rostered_mediator(court, org=org if with_org else None, name="王调解")
    _named(mediator.user, "王调解")
    applicant = _named(factories.person("party"), "张三丰", "zhang@example.com")
    respondent = _named(factories.person("party"), "李四海")
    case = cf.submitted_case(court, applicant=applicant, respondent_user=respondent)
    case.parties.filter(role="applicant").update(address="北京市海淀区中关村大街1号")
    case.parties.filter(role="respondent").update(address="浙江省杭州市西湖区文三路2号")
    Case.objects.filter(pk=case.pk).update(ip_kind_id=ip_kind)
    if with_org:
        case = case_actions.delegate(actor=clerk, case=case, org=org)
        case = case_actions.assign(actor=org_admin, case=case, mediator=mediator)
    else:
        case = case_actions.delegate(actor=clerk, case=case, mediator=mediator)
    case = case_actions.accept(actor=Mediator.objects.get(pk=mediator.pk).user, case=case)
    return World(
        court,
        org,
        clerk,
        judge,
        org_admin,
        Mediator.objects.get(pk=mediator.pk),
        User.objects.get(pk=applicant.pk),
        User.objects.get(pk=respondent.pk),
        case,
    )


FACTS = (
    "申请人系第12345678号“青山”注册商标的权利人，核定使用商品为第30类茶叶。申请人主张，被申请人在其"
    "经营的网店中销售标有“青山”字样的茶叶礼盒，侵害了申请人的注册商标专用权。\n"
    "被申请人辩称其所售商品系从他人处合法购进，但承认未尽审查义务。"
)


def standard_terms(case: Case, *, due: date | None = None) -> list[TermIn]:
    applicant = case.parties.get(role="applicant").pk
    respondent = case.parties.get(role="respondent").pk
    due = due or timezone.localdate() + timedelta(days=30)
    return [
        TermIn(
            "stop_use",
            obligor=respondent,
            subject="销售标有“青山”字样的茶叶礼盒，并下架相关商品链接",
        ),
        TermIn(
            "pay",
            obligor=respondent,
            beneficiary=applicant,
            subject="经济损失及合理开支",
            amount_fen=3_000_000,
            due_date=due,
        ),
        TermIn("waive", obligor=applicant, subject="其他调解请求"),
    ]


def draft(world: World, *, terms: list[TermIn] | None = None) -> Agreement:
    return actions.draft(
        actor=world.mediator_user,
        case=world.case,
        data=DraftIn(
            facts=FACTS,
            issues="被申请人是否构成侵权及赔偿数额。",
            terms=terms if terms is not None else standard_terms(world.case),
            performance="被申请人通过银行转账向申请人指定账户支付。",
            place="北京",
        ),
    )


def code_for(user: User, channel: str = "sms") -> str:
    """The last one-time code sent to `user` by SMS (kept by the local sender) or e-mail."""
    if channel == "sms" and isinstance(otp.sms_sender(), otp.DeliverySmsSender):
        from sutiao.delivery.models import SmsRecord

        texts = list(
            SmsRecord.objects.filter(to__endswith=user.phone)
            .order_by("pk")
            .values_list("text", flat=True)
        )
    elif channel == "sms":
        texts = [m.text for m in otp.LocalSmsSender.outbox if m.phone == user.phone]
    else:
        texts = [m.body for m in getattr(mail, "outbox", []) if user.email in m.to]
    assert texts, f"no code was sent to {user} by {channel}"
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", texts[-1])
    assert found, texts[-1]
    return found.group(1)


def sign_as(user: User, agreement: Agreement, *, channel: str = "sms") -> Agreement:
    actions.request_code(actor=user, agreement=agreement, channel=channel)
    return actions.sign(actor=user, agreement=agreement, code=code_for(user, channel))


def signed_agreement(world: World, **kw) -> Agreement:
    """Drafted, opened, signed by both parties, the mediator and the organisation's seal."""
    agreement = draft(world, **kw)
    agreement = actions.open_for_signing(actor=world.mediator_user, agreement=agreement)
    sign_as(world.applicant, agreement, channel="email")
    sign_as(world.respondent, agreement)
    return sign_as(world.mediator_user, agreement)
