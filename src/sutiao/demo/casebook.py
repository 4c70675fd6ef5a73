"""Demo typical cases and a legal-education article, through the casebook's actions: the
editor drafts, the reviewer accepts every proposed change, approves and publishes."""

from __future__ import annotations

from sutiao.accounts.models import User
from sutiao.casebook import actions
from sutiao.casebook.models import Article, TypicalCase

CASES = [
    {
        "title": "扫地机器人避障结构发明专利纠纷诉前调解案",
        "facts": "申请人张建华（电话13800138000）发现被申请人北京星辰科技有限公司在电商平台销售的"
        "扫地机器人落入其发明专利权利要求1的保护范围。",
        "dispute": "被诉产品是否落入权利要求1的保护范围，现有技术抗辩是否成立。",
        "mediation": "调解员组织两次视频调解，释明专利侵权判断方法，双方各退一步。",
        "result": "被申请人赔偿十二万元并停止销售，双方申请司法确认。",
        "commentary": "技术类纠纷经诉前调解，21天化解。",
        "ip_kind": "patent",
        "industry": "manufacturing",
        "outcome": "settled",
        "channel": "delegated",
        "days_to_settle": 21,
        "amount_fen": 12_000_000,
        "persons": ["张建华"],
        "companies": ["北京星辰科技有限公司"],
    },
    {
        "title": "直播带货销售近似商标运动鞋纠纷调解案",
        "facts": "被申请人李明通过直播带货销售带有与申请人注册商标近似标识的运动鞋。",
        "dispute": "标识是否构成商标近似、是否容易导致混淆。",
        "mediation": "调解员组织双方线上调解，被申请人承认侵权事实。",
        "result": "被申请人赔偿五万元，下架全部商品。",
        "commentary": "",
        "ip_kind": "trademark",
        "industry": "retail",
        "outcome": "settled",
        "channel": "direct",
        "days_to_settle": 9,
        "amount_fen": 5_000_000,
        "persons": ["李明"],
        "companies": [],
    },
]
BASIS = {"basis": "consent", "basis_note": "双方当事人书面同意以匿名方式公开。"}


def load() -> None:
    editor = User.objects.get(username="editor")
    reviewer = User.objects.get(username="reviewer")
    for data in CASES:
        if TypicalCase.objects.filter(title=data["title"]).exists():
            continue
        tc = actions.draft(actor=editor, data={**data, **BASIS})
        tc = actions.submit(actor=editor, typical_case=tc)
        decisions = {c.pk: "accepted" for c in tc.changes.all()}
        if decisions:
            actions.decide(actor=reviewer, typical_case=tc, decisions=decisions)
        tc = actions.approve(actor=reviewer, typical_case=tc)
        actions.publish(actor=reviewer, typical_case=tc)
    if not Article.objects.exists():
        article = actions.save_article(
            actor=editor,
            data={
                "title": "知识产权纠纷为什么可以先调解",
                "body": "诉前调解不收费、周期短，达成的调解协议可以申请司法确认……",
                "ip_kind": None,
            },
        )
        actions.publish_article(actor=editor, article=article)
