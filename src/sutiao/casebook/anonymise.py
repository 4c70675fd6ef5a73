"""The anonymisation pipeline (法释〔2016〕19号 arts. 8–10): pure functions from a text to the
changes it proposes, and from the changes a reviewer accepted to the public text.

Nothing here decides: every `Proposal` is shown to a person, who accepts or rejects it; the
public text applies only the accepted ones (`apply`). Detectors run in order of certainty, and
a later match that overlaps an earlier one is dropped, except trade-secret flags, which cover a
whole sentence and, when accepted, replace everything inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DELETED = "××"  # how published judgments mark a deleted number or address
SECRET = "（涉及商业秘密的内容已略去）"  # nosec B105 - the text put in place of a trade secret, not a password
_SERIAL = "甲乙丙丁戊己庚辛壬癸"


@dataclass(frozen=True)
class Proposal:
    kind: str  # one of KINDS
    start: int
    end: int
    original: str
    replacement: str


KINDS = (
    "id_number",
    "certificate",
    "bank_account",
    "phone",
    "plate",
    "name",
    "company",
    "address",
    "trade_secret",
)

_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 申屠 澹台 "
    "轩辕 独孤 南宫 西门 百里 呼延 万俟 闻人 东郭 钟离 宗政 濮阳 太史"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())
# The commonest single surnames: enough to recognise a name next to a role word.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
ROLE_WORDS = (
    "被申请人|申请人|原告|被告|第三人|委托诉讼代理人|委托代理人|代理人|诉讼代理人|法定代表人|"
    "负责人|证人|当事人|调解员|律师|经理|员工|职工|股东|专利代理师|发明人|设计人|作者"
)
_NAME_END = r"(?=[，。、；：:,;（()\s“”\"]|称|认为|向|于|与|和|及|主张|表示|同意|提出|的|在|是|系|等|均|曾|已|也|亦|将|未|并|对|从|说|到|$)"
_ROLE_NAME = re.compile(
    rf"(?:{ROLE_WORDS})[：:\s]*(?P<name>(?:{'|'.join(sorted(COMPOUND_SURNAMES))}|[{''.join(SURNAMES)}])"
    rf"[\u4e00-\u9fa5]{{1,2}}?){_NAME_END}"
)

_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_BANK = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{4}[ -]){3,4}\d{1,4}(?![0-9A-Za-z])"  # grouped, as printed on cards
    r"|(?<=账号|卡号|账户|帐号|帐户)[：:\s为是]*\d{10,30}(?!\d)"  # after the word
    r"|(?<![0-9A-Za-z.])\d{16,19}(?![0-9A-Za-z.])"  # a bare card number
)
_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"  # mobile
    r"|(?<![0-9A-Za-z])0\d{2,3}[ -－]?\d{7,8}(?!\d)"  # fixed line with its area code
)
_CERTIFICATE = re.compile(
    r"(?:证书号|证书编号|证号|执业证号|许可证号|证件号码|证件号|护照号码|护照号|营业执照号|"
    r"统一社会信用代码|不动产权证|房产证号|驾驶证号|执业证书编号)[码]?[：:\s为是]*"
    r"(?P<num>[（(]?[\u4e00-\u9fa5]?[)）]?[A-Za-z0-9\-第号]{6,32})"
)
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
    r"[A-HJ-NP-Z][·• ]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳](?![A-Za-z0-9])"
)
_ADDRESS = re.compile(
    r"(?P<county>[\u4e00-\u9fa5]{1,12}?(?:区|县|旗|市))"
    r"(?P<below>[^\s区县市旗省，。；、：:,;（）()]{1,12}?"
    r"(?:街道|镇|乡|路|大街|街|巷|胡同|弄|村|社区|小区|大道|园区)"
    r"(?:[\w\-－]{0,8}?(?:号院|号楼|号|栋|幢|单元|室|楼|层|组|弄))*)"
)
_COMPANY = re.compile(
    r"^(?P<region>(?:[\u4e00-\u9fa5]{2,3}(?:省|市|自治区|区|县))*)(?P<brand>.+?)"
    r"(?P<trade>(?:科技|贸易|电子|文化|传媒|网络|信息技术|生物|医药|食品|服饰|服装|实业|机械|"
    r"软件|化工|电器|商贸|影视|教育|咨询|餐饮|建材|家具|汽车|材料|技术|科技发展)?"
    r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|厂|商行|工作室|事务所|研究所|研究院))$"
)
_SECRET_HINTS = re.compile(
    r"配方|配比|工艺参数|工艺流程|技术参数|客户名单|客户名录|客户信息|客户清单|供应商名单|"
    r"源代码|源程序|技术图纸|报价单|成本价|进货价|毛利率|"
    r"\d+(?:\.\d+)?\s*(?:%|％|℃|MPa|mPa|kPa|rpm|nm|μm|mm|mg|ml|mL|克|千克|毫升)|"
    r"\d+\s*[:：]\s*\d+\s*[:：]\s*\d+|[A-Za-z]\w*\s*=\s*[\w(]"
)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def surname_of(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def pseudonyms(names: Iterable[str]) -> dict[str, str]:
    """Each natural person's name → surname + 某 (art. 9); people who share a surname are told
    apart as 张某甲, 张某乙 in the order given."""
    unique = list(dict.fromkeys(n.strip() for n in names if n and len(n.strip()) >= 2))
    by_surname: dict[str, list[str]] = {}
    for name in unique:
        by_surname.setdefault(surname_of(name), []).append(name)
    out = {}
    for surname, group in by_surname.items():
        for i, name in enumerate(group):
            suffix = _SERIAL[i % len(_SERIAL)] if len(group) > 1 else ""
            out[name] = f"{surname}某{suffix}"
    return out


def company_pseudonyms(names: Iterable[str]) -> dict[str, str]:
    """A company's name → its region and trade kept, its distinguishing name as 某
    (深圳市星辰科技有限公司 → 深圳市某科技有限公司); repeats get 甲, 乙."""
    out: dict[str, str] = {}
    used: dict[str, int] = {}
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        m = _COMPANY.match(name)
        base = f"{m['region']}某{m['trade']}" if m else "某单位"
        n = used.get(base, 0)
        used[base] = n + 1
        out[name] = base if n == 0 else base.replace("某", f"某{_SERIAL[n % len(_SERIAL)]}", 1)
    return out


def _found(pattern: re.Pattern, text: str, kind: str, group: str | int = 0) -> list[Proposal]:
    return [
        Proposal(kind, m.start(group), m.end(group), m.group(group), DELETED)
        for m in pattern.finditer(text)
        if m.group(group)
    ]


def _replacing(text: str, table: dict[str, str], kind: str) -> list[Proposal]:
    found = []
    for original in sorted(table, key=len, reverse=True):  # 张三丰 before 张三
        for m in re.finditer(re.escape(original), text):
            found.append(Proposal(kind, m.start(), m.end(), original, table[original]))
    return found


def detected_names(text: str) -> list[str]:
    """Names next to a role word (申请人王小明) that a case's list may lack; each gets its
    pseudonym like the listed ones, wherever it occurs."""
    found = [m["name"] for m in _ROLE_NAME.finditer(text) if "某" not in m["name"]]
    return list(dict.fromkeys(found))


def _secrets(text: str) -> list[Proposal]:
    return [
        Proposal("trade_secret", m.start(), m.end(), m.group(), SECRET)
        for m in _SENTENCE.finditer(text)
        if _SECRET_HINTS.search(m.group())
    ]


def propose(
    text: str,
    *,
    persons: Iterable[str] = (),
    companies: Iterable[str] = (),
    anonymise_companies: bool = True,
) -> list[Proposal]:
    """Every change the pipeline proposes for `text`, in text order.

    persons: the natural persons the case names (parties, agents, witnesses...);
    companies: its organisations, replaced only if `anonymise_companies` (the editor's choice).
    """
    names = pseudonyms([*persons, *detected_names(text)])
    ordered = [
        *_found(_ID, text, "id_number"),
        *_found(_CERTIFICATE, text, "certificate", "num"),
        *_found(_BANK, text, "bank_account"),
        *_found(_PHONE, text, "phone"),
        *_found(_PLATE, text, "plate"),
        *(
            _replacing(text, company_pseudonyms(companies), "company")
            if anonymise_companies
            else []
        ),
        *_replacing(text, names, "name"),
        *_found(_ADDRESS, text, "address", "below"),
    ]
    kept: list[Proposal] = []
    for p in ordered:
        if not any(p.start < k.end and k.start < p.end for k in kept):
            kept.append(p)
    kept.extend(_secrets(text))
    return sorted(kept, key=lambda p: (p.start, p.kind == "trade_secret"))


def apply(text: str, accepted: Iterable[Proposal]) -> str:
    """The public text: `text` with the accepted proposals applied (an accepted trade-secret
    flag replaces its whole sentence, and the changes inside it with it)."""
    accepted = list(accepted)
    secrets = [p for p in accepted if p.kind == "trade_secret"]
    rest = [
        p
        for p in accepted
        if p.kind != "trade_secret" and not any(s.start <= p.start < s.end for s in secrets)
    ]
    out, at = [], 0
    for p in sorted([*secrets, *rest], key=lambda p: p.start):
        if p.start < at:
            continue  # overlaps a change already applied
        out.append(text[at : p.start])
        out.append(p.replacement)
        at = p.end
    out.append(text[at:])
    return "".join(out)
