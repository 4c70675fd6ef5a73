"""A court with two typical-case editors (one drafts, the other reviews), a closed case of
that court built through the real case actions, and a draft drawn from it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.casebook import actions
from sutiao.casebook.models import TypicalCase
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Case
from tests import factories
from tests.delivery.conftest import build_case, media  # noqa: F401  (fixture)

FACTS = (
    "申请人张伟（身份证号110108198001011237，电话13912345678）发现被申请人北京星辰科技有限公司"
    "在电商平台销售的扫地机器人落入其发明专利权利要求1的保护范围。被申请人的法定代表人李强称，"
    "其产品采用现有技术。张伟住北京市海淀区中关村大街27号，收款账号6222 0212 3456 7890 123。"
)
DRAFT = {
    "title": "扫地机器人发明专利侵权纠纷调解案",
    "facts": FACTS,
    "dispute": "被申请人的产品是否落入权利要求1的保护范围，现有技术抗辩是否成立。",
    "mediation": "调解员组织两次视频调解，释明专利侵权的判断方法，双方各退一步。",
    "result": "被申请人赔偿张伟十二万元并停止销售，双方申请司法确认。",
    "commentary": "本案体现了诉前调解在技术类案件中的作用。",
    "ip_kind": "patent",
    "industry": "manufacturing",
    "outcome": "settled",
    "channel": "delegated",
    "days_to_settle": 21,
    "amount_fen": 12_000_000,
    "persons": ["张伟", "李强"],
    "companies": ["北京星辰科技有限公司"],
    "anonymise_companies": True,
    "basis": "consent",
    "basis_note": "双方当事人于调解结束时书面同意以匿名方式公开（见同意书）。",
}


@dataclass
class Desk:
    court: object
    editor: User
    reviewer: User
    case: Case


def closed_case() -> tuple[Case, object]:
    """A delegated case its mediator accepted and settled (the real actions)."""
    served = build_case()
    case = served.case
    mediator = case.mediator.user
    case = case_actions.accept(actor=mediator, case=case)
    case = case_actions.settle(actor=mediator, case=case)
    return case, case.court


def editor_of(court, **kw) -> User:
    return factories.person("casebook_editor", court=court, **kw)


@pytest.fixture
def desk(db, media) -> Desk:  # noqa: F811
    case, court = closed_case()
    return Desk(court, editor_of(court), editor_of(court), case)


def drafted(desk: Desk, **changes) -> TypicalCase:
    return actions.draft(actor=desk.editor, data={**DRAFT, **changes}, source_case=desk.case)


def published(desk: Desk, **changes) -> TypicalCase:
    """Through every step: drafted, submitted, every change accepted, approved, published."""
    tc = actions.submit(actor=desk.editor, typical_case=drafted(desk, **changes))
    decisions = {c.pk: "accepted" for c in tc.changes.all()}
    if decisions:
        actions.decide(actor=desk.reviewer, typical_case=tc, decisions=decisions)
    tc = actions.approve(actor=desk.reviewer, typical_case=tc)
    return actions.publish(actor=desk.reviewer, typical_case=tc)


def now():
    return timezone.now()
