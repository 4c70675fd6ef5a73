"""The kinds of term an agreement is made of, their structured fields, how a term reads (from
the template version's wording, which is data), and the checks run while drafting:

- a term that would confirm the ownership or validity of an IP right (CPL-I 355(5)), or
  concerns a personal-status relation (355(3)), cannot be judicially confirmed: flagged
  while drafting (`findings.review`, clause by clause) and shown to the court, which decides
  whether to accept (blocking: a ground not to accept);
- a vague term (a payment without an amount or a date, an act without a date) is a ground to
  dismiss the application (CPL-I 358(5)): flagged as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import findings

# Every kind uses a subset of the same fields, so one form row serves all kinds. Every kind
# keeps `details` (the form offers it on every row): a pattern without `{details}` gets them
# appended to its sentence (render_term), so nothing the mediator wrote is dropped.
FIELDS = ("obligor", "beneficiary", "subject", "amount_fen", "due_date", "details")


@dataclass(frozen=True)
class Kind:
    code: str
    label: object
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()
    dated: bool = False  # without a date the term is vague


KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind(
            "pay",
            _("Pay an amount by a date"),
            ("obligor", "beneficiary", "subject", "amount_fen", "due_date", "details"),
            ("obligor", "beneficiary"),
            dated=True,
        ),
        Kind(
            "stop_use",
            _("Stop using a mark, work or technology"),
            ("obligor", "subject", "due_date", "details"),
            ("obligor", "subject"),
        ),
        Kind(
            "licence",
            _("Licence"),
            ("obligor", "beneficiary", "subject", "amount_fen", "due_date", "details"),
            ("obligor", "beneficiary", "subject"),
            dated=True,
        ),
        Kind(
            "withdraw_suits",
            _("Withdraw suits or complaints"),
            ("obligor", "subject", "due_date", "details"),
            ("obligor", "subject"),
            dated=True,
        ),
        Kind(
            "act",
            _("Do an act (remove listings, destroy goods, publish a statement…)"),
            ("obligor", "subject", "due_date", "details"),
            ("obligor", "subject"),
            dated=True,
        ),
        Kind("waive", _("Waive other claims"), ("obligor", "subject", "details"), ("obligor",)),
        Kind(
            "confirm_right",
            _("Confirm who owns an IP right, or that it is valid"),
            ("subject", "details"),
            ("subject",),
        ),
        Kind("other", _("Other term"), ("details",), ("details",)),
    ]
}

KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]

# The wording every template version must give (checked by the data migration's test).
REQUIRED_WORDING = ("title", "headings", "terms", "closing", "unstated", "effective_date")

MONEY_WORDS = re.compile(r"(支付|赔偿|给付|补偿|付款|pay)", re.I)
HAS_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟]")


@dataclass(frozen=True)
class Warning:
    code: str  # confirms_ip_right / vague_amount / vague_date / missing
    blocking: bool  # blocks judicial confirmation
    term: int | None  # 1-based term number
    message: str


def yuan(fen: int | None) -> str:
    return "" if fen is None else f"{Decimal(fen) / 100:,.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿", "万亿")


def _four(n: int) -> str:
    """0 < n < 10000 in capital numerals, with the zeros a cheque writes."""
    out, zero = "", False
    for i in range(3, -1, -1):
        digit = n // 10**i % 10
        if digit:
            if zero and out:
                out += "零"
            out += _DIGITS[digit] + _UNITS[i]
            zero = False
        else:
            zero = True
    return out


def amount_in_words(fen: int) -> str:
    """人民币大写: 3000000 fen → 叁万元整; 10050 → 壹佰元零伍角."""
    whole, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    words, section, pending_zero = "", 0, False
    while whole:
        chunk = whole % 10000
        whole //= 10000
        if chunk:
            part = _four(chunk) + _SECTIONS[section]
            if pending_zero and words:
                part += "零"
            words = part + words
            pending_zero = chunk < 1000
        else:
            pending_zero = pending_zero or bool(words)
        section += 1
    if words:
        words += "元"
    if not jiao and not cents:
        return (words or "零元") + "整"
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif words:
        words += "零"
    if cents:
        words += _DIGITS[cents] + "分"
    return words


def _date(value) -> date | None:
    if isinstance(value, date):
        return value
    if value:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            return None
    return None


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# The acts a stop-using term may name; a subject that names none (only the mark, work or
# technology: "“青山”注册商标") is the thing whose use stops, and reads "停止使用…".
_NAMES_AN_ACT = re.compile(
    r"^(?:在[^，,。]{0,20}?[中上内])?"
    r"(?:使用|销售|许诺销售|生产|制造|进口|出口|复制|发行|出租|展览|展示|表演|放映|广播|"
    r"传播|实施|利用|经营|提供|宣传|推广|上架|许可|注册|运营|侵害|侵犯|仿冒|模仿|抄袭|"
    r"链接|转载|改编|翻译|汇编|摄制|生产经营)"
)
USE_VERB = "使用"


def _stopped(subject: str) -> str:
    """What a stop-using term stops: the act named, or the use of the thing named."""
    return subject if _NAMES_AN_ACT.match(subject) else USE_VERB + subject


def render_term(kind: str, data: dict, *, wording: dict, names: dict[int, str]) -> str:
    """The sentence of one term, in the wording of the template version."""
    unstated = wording.get("unstated", "（未载明）")
    amount = data.get("amount_fen")
    due = _date(data.get("due_date"))
    values = {
        "obligor": names.get(_int(data.get("obligor")), unstated),
        "beneficiary": names.get(_int(data.get("beneficiary")), unstated),
        "subject": (_stopped(data["subject"]) if kind == "stop_use" else data["subject"])
        if data.get("subject")
        else unstated,
        "details": data.get("details") or "",
        "amount": yuan(amount) if amount is not None else unstated,
        "amount_words": amount_in_words(amount) if amount is not None else unstated,
        "due_date": chinese_date(due)
        if due
        else (wording.get("effective_date", unstated) if kind == "stop_use" else unstated),
    }
    pattern = wording["terms"].get(kind) or "{details}"
    text = pattern.format(**values)
    if values["details"] and "{details}" not in pattern:
        text = text.rstrip("。") + "，" + values["details"].rstrip("。") + "。"
    return text


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _vagueness(n: int, kind: str, data: dict, spec: Kind, text: str) -> list[Warning]:
    """Term `n`'s warnings of a right confirmed, or an amount or a date left vague."""
    found: list[Warning] = []
    codes = {f.code for f in findings.review(text)}
    if kind == "confirm_right" or findings.IP_RIGHT in codes:
        message = _(
            "Term %(n)s confirms the ownership or validity of an IP right: a court "
            "cannot confirm it (CPL-I 355(5)). Settle the dispute without it, or ask "
            "the IP office or a court in a separate procedure."
        )
        found.append(Warning(findings.IP_RIGHT, True, n, str(message % {"n": n})))
    if findings.PERSONAL_STATUS in codes:
        message = _(
            "Term %(n)s concerns a marriage, parentage, adoption or other personal-status "
            "relation: a court does not accept it for confirmation (CPL-I 355(3))."
        )
        found.append(Warning(findings.PERSONAL_STATUS, True, n, str(message % {"n": n})))
    if kind in ("pay",) and data.get("amount_fen") in (None, ""):
        message = _(
            "Term %(n)s pays no stated amount: a vague term is a ground to dismiss "
            "confirmation (CPL-I 358)."
        )
        found.append(Warning("vague_amount", False, n, str(message % {"n": n})))
    if spec.dated and not data.get("due_date"):
        message = _(
            "Term %(n)s has no date by which it is performed: a vague term is a ground "
            "to dismiss confirmation (CPL-I 358)."
        )
        found.append(Warning("vague_date", False, n, str(message % {"n": n})))
    if kind == "other" and MONEY_WORDS.search(text) and not HAS_NUMBER.search(text):
        message = _("Term %(n)s speaks of money without an amount (CPL-I 358).")
        found.append(Warning("vague_amount", False, n, str(message % {"n": n})))
    return found


def check_terms(
    terms: list[tuple[str, dict]], *, texts: list[str] | None = None, first: int = 1
) -> list[Warning]:
    """Warnings for the terms (kind, data) of an agreement; `texts` their rendered sentences;
    `first` the number of the first (the form's preview checks one term, numbered as its row).
    Only terms decide rights: facts may well say who holds the right in dispute."""
    found: list[Warning] = []
    if not terms:
        found.append(Warning("missing", False, None, str(_("The agreement has no terms yet."))))
    for i, (kind, data) in enumerate(terms):
        n = first + i
        spec = KINDS.get(kind)
        if spec is None:
            found.append(Warning("missing", False, n, str(_("Unknown kind of term."))))
            continue
        text = " ".join(str(data.get(f) or "") for f in ("subject", "details"))
        if texts:
            text += " " + texts[i]
        found.extend(_vagueness(n, kind, data, spec, text))
        if any(data.get(f) in (None, "") for f in spec.required):
            message = _("Term %(n)s lacks a required field.")
            found.append(Warning("missing", False, n, str(message % {"n": n})))
    return found
