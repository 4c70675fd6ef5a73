"""CPL-I 355 read as a review of each clause, not one pattern: the real phrasings of ownership
and validity findings (355(5)) and personal-status matters (355(3)) are flagged; what parties
may lawfully agree (withdrawing an invalidation request, a licence, a transfer and its
payments, the agreement's own validity) is not."""

from __future__ import annotations

import pytest

from sutiao.agreements.findings import IP_RIGHT, PERSONAL_STATUS, review
from sutiao.agreements.terms import check_terms

pytestmark = pytest.mark.rule("CPL-I-355")

FLAGGED = [
    ("双方确认第ZL201810000000.0号发明专利权归申请人所有。", IP_RIGHT),
    ("甲方享有第12345678号“青山”注册商标专用权。", IP_RIGHT),
    ("涉案作品的著作权由乙方单独享有。", IP_RIGHT),
    ("双方确认涉案专利权有效。", IP_RIGHT),
    ("第12345678号商标权无效。", IP_RIGHT),
    ("涉案专利权无效，申请人不得再向被申请人主张权利。", IP_RIGHT),
    ("该外观设计专利由双方共有。", IP_RIGHT),
    ("本案专利的专利权人为申请人。", IP_RIGHT),
    ("被申请人认可申请人享有涉案计算机软件著作权。", IP_RIGHT),
    ("相关技术的专利申请权归乙方所有。", IP_RIGHT),
    ("涉案商标归申请人", IP_RIGHT),
    ("被申请人确认涉案作品的权利人是申请人。", IP_RIGHT),
    ("双方认定第5678号植物新品种权合法有效", IP_RIGHT),
    ("The respondent acknowledges that the applicant owns the patent ZL201810000000.0.", IP_RIGHT),
    ("The parties agree that the patent is invalid.", IP_RIGHT),
    ("The trademark registration is invalid.", IP_RIGHT),
    ("The applicant is the owner of the copyright in the work.", IP_RIGHT),
    ("The copyright in the software belongs to the applicant.", IP_RIGHT),
    ("双方解除婚姻关系。", PERSONAL_STATUS),
    ("确认申请人与被申请人之间的收养关系无效。", PERSONAL_STATUS),
    ("双方确认亲子关系。", PERSONAL_STATUS),
    ("确认申请人与被申请人之间不存在身份关系。", PERSONAL_STATUS),
    ("The parties confirm that their marriage is dissolved.", PERSONAL_STATUS),
]

LAWFUL = [
    "申请人撤回对第ZL201810000000.0号专利提出的无效宣告请求。",
    "被申请人于2026年11月1日前撤回其向国家知识产权局提出的宣告第12345678号商标无效的请求。",
    "被申请人不再对涉案专利提出无效宣告请求。",
    "申请人许可被申请人在北京市范围内使用第12345678号注册商标，许可期限三年。",
    "被申请人向申请人支付专利许可使用费人民币50000元。",
    "被申请人于2026年12月31日前向申请人支付专利权转让费人民币100000元。",
    "双方签订的专利权转让合同继续履行，转让价款分两期支付。",
    "本协议自双方签字之日起生效。",
    "本协议有效期为三年。",
    "许可合同在有效期内有效。",
    "被申请人停止使用“青山”商标。",
    "被申请人赔偿申请人经济损失人民币30000元。",
    "被申请人删除其网店中侵犯涉案专利权的商品链接。",
    "双方不再就涉案商标另行起诉。",
    "被申请人在其网店首页发布致歉声明，持续七日。",
    "被申请人销毁库存侵权产品，由申请人派员见证。",
    "被申请人归还申请人所有样品。",
    "The respondent withdraws its request for invalidation of the patent.",
    "The applicant grants the respondent a licence to use the trademark in Beijing.",
    "The respondent pays the licence fee of 50,000 yuan by 31 December 2026.",
    "This agreement is valid from the day both parties sign it.",
    "The respondent stops selling the infringing goods.",
]


@pytest.mark.parametrize(("text", "code"), FLAGGED)
def test_cpl_i_355_findings_of_ownership_validity_or_status_are_flagged(text, code):
    assert [f.code for f in review(text)] == [code]


@pytest.mark.parametrize("text", LAWFUL)
def test_cpl_i_355_lawful_terms_are_not_flagged(text):
    assert review(text) == []


def test_cpl_i_355_the_table_has_at_least_30_phrasings_both_ways():
    assert len(FLAGGED) + len(LAWFUL) >= 30 and len(FLAGGED) >= 15 and len(LAWFUL) >= 15


def test_cpl_i_355_drafting_warnings_name_the_ground_and_the_term():
    found = check_terms(
        [
            (
                "licence",
                {
                    "obligor": 1,
                    "beneficiary": 2,
                    "subject": "第123号商标",
                    "due_date": "2027-01-01",
                },
            ),
            ("other", {"details": "双方解除收养关系。"}),
            ("other", {"details": "涉案专利权由申请人单独享有。"}),
        ]
    )
    flagged = [(w.code, w.term, w.blocking) for w in found if w.blocking]
    assert flagged == [("personal_status", 2, True), ("confirms_ip_right", 3, True)]
