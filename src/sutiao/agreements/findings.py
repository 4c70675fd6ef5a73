"""Does a term ask the court to confirm something CPL-I 355 keeps out of judicial
confirmation? Read clause by clause, not by one pattern over the whole text:

- the ownership or validity of an IP right (355(5), 知识产权确权): "享有……专用权",
  "归……所有", "由……单独享有", "专利权有效/无效", "商标权无效", "owns the patent",
  "the patent is invalid";
- a personal-status relation (355(3)): marriage, parentage, adoption, "身份关系".

What parties may lawfully agree is taken out of a clause before it is read: withdrawing (or
not bringing) an invalidation request (撤回无效宣告请求), a licence (许可使用) and its fees, a
transfer agreement and its payments, the agreement's own validity or term (协议有效期). A
licence or transfer clause is flagged only where it also says in so many words that a right
is confirmed (确认/认定/确定 …). The court decides: a flag is a guide for the judge
(judicial.actions.refuse) and a warning while drafting, never a refusal by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IP_RIGHT = "confirms_ip_right"
PERSONAL_STATUS = "personal_status"

_CLAUSES = re.compile(r"[。；;！!？?\n]+|(?<=[a-z\)])\.\s")

# The right's name in Chinese, and the rights held in it.
_RIGHT = r"(?:专利|商标|著作权|版权|作品|知识产权|植物新品种|集成电路布图设计|布图设计|软件|域名|技术秘密|商业秘密)"
_HELD = r"(?:专用权|专利权|著作权|版权|所有权|商标权|品种权|专有权|申请权|知识产权)"
_CONFIRM = r"(?:确认|确定|认定|认可|承认|宣告|确属)"

# What may lawfully be agreed, removed from a clause before it is read.
_LAWFUL = [
    # withdrawing or not bringing an invalidation request (and its wording)
    re.compile(
        r"(?:无效宣告|宣告无效|无效)(?:的)?(?:请求|申请|程序|审查)"
        r"|请求宣告.{0,40}?无效(?:的)?(?:请求|申请)?"
        r"|(?:撤回|撤销|放弃|不再提出|不得提出|不再)[^，,]{0,40}?无效"
    ),
    # the agreement's (or a contract's) own validity and term
    re.compile(r"(?:本|该|此)?(?:协议|合同|许可|约定|条款)[^，,]{0,12}?(?:有效期|生效|有效|无效)"),
    re.compile(r"有效期(?:限|内|为)?"),
    # licences and transfer agreements: the contract, its fees and payments
    re.compile(r"(?:许可|转让|转移)(?:使用)?(?:费|金|款|价款|合同|协议)"),
]
_LICENCE_OR_TRANSFER = re.compile(r"许可|转让|licen[cs]|assign|transfer", re.I)

_OWNERSHIP = [
    re.compile(r"享有.{0,30}?" + _HELD),
    re.compile(r"享有.{0,20}?" + _RIGHT + r".{0,10}?权利"),
    re.compile(r"归(?!还|档|纳|类|入).{1,20}?(?:所有|享有|拥有|持有|共有)"),
    re.compile(_RIGHT + r"[^，,]{0,30}?归(?!还|档|纳|类|入)[^，,]{1,20}?$"),
    re.compile(r"由.{1,20}?(?:单独|独自|独家|共同)?(?:享有|所有|拥有|共有)"),
    re.compile(_RIGHT + r".{0,30}?(?:属于|系)[^，,]{0,20}?(?:所有|方|人|公司|的)"),
    re.compile(r"(?:权利人|专利权人|著作权人|所有人|注册人|权属)(?:为|是|属于|归)"),
    re.compile(_CONFIRM + r".{0,30}?" + _RIGHT + r".{0,30}?(?:权属|归属|所有|享有|共有)"),
    re.compile(_CONFIRM + r".{0,20}?(?:为|是).{0,20}?(?:权利人|专利权人|著作权人|所有人)"),
]
_VALIDITY = [
    re.compile(
        _RIGHT
        + r"[^，,]{0,30}?(?:合法|依法|仍然|继续|应当|应予|系|为|是|已被宣告|被宣告|宣告)?"
        + r"(?:有效|无效|不成立|维持有效)"
    ),
    re.compile(_CONFIRM + r".{0,40}?(?:有效|无效)"),
]
_ENGLISH = [
    re.compile(
        r"\b(?:owns?|owned|holds?)\b.{0,40}?\b(?:patent|trade ?mark|mark|copyright|design)s?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:owner|proprietor|holder|ownership)\s+of\b.{0,40}?\b(?:patent|trade ?mark|mark|"
        r"copyright|design|right)s?\b",
        re.I,
    ),
    re.compile(
        r"\b(?:patent|trade ?mark|mark|copyright|registration|design)s?\b.{0,30}?\b"
        r"(?:is|are|remains?|be|shall be)\s+(?:held\s+)?(?:valid|invalid|void|null)\b",
        re.I,
    ),
    re.compile(r"\b(?:patent|trade ?mark|mark|copyright|right)s?\b.{0,40}?\bbelongs?\s+to\b", re.I),
]
_ENGLISH_LAWFUL = re.compile(
    r"(?:withdraw\w*|not\s+(?:file|bring|request)\w*)\b.{0,60}?\binvalid\w*"
    r"|request\s+for\s+invalidation|invalidation\s+request"
    r"|\b(?:this|the)\s+(?:agreement|contract|licen[cs]e)\s+(?:is|remains|shall be)\s+"
    r"(?:valid|invalid|void)",
    re.I,
)

_STATUS = re.compile(
    r"(?:婚姻|夫妻|收养|养父|养母|养子|养女|亲子|父子|母子|父女|母女|身份|监护|继父|继母)关系"
    r"|离婚|解除收养|解除婚姻|结婚"
    r"|\b(?:marriage|divorce|adoption|parentage|paternity|maternity|guardianship)\b",
    re.I,
)


@dataclass(frozen=True)
class Finding:
    code: str  # IP_RIGHT or PERSONAL_STATUS
    clause: str


def _clean(clause: str) -> str:
    for p in _LAWFUL:
        clause = p.sub("", clause)
    return _ENGLISH_LAWFUL.sub("", clause)


def _confirms_right(clause: str) -> bool:
    if _LICENCE_OR_TRANSFER.search(clause) and not re.search(
        _CONFIRM + "|acknowledg|confirm", clause, re.I
    ):
        return False
    text = _clean(clause)
    patterns = [*_OWNERSHIP, *_VALIDITY, *_ENGLISH]
    return any(p.search(text) for p in patterns)


def review(text: str) -> list[Finding]:
    """The clauses of `text` that would take it out of judicial confirmation (CPL-I 355)."""
    found: list[Finding] = []
    for clause in (c.strip() for c in _CLAUSES.split(text or "")):
        if not clause:
            continue
        if _STATUS.search(clause):
            found.append(Finding(PERSONAL_STATUS, clause))
        elif _confirms_right(clause):
            found.append(Finding(IP_RIGHT, clause))
    return found
