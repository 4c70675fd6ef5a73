"""Rule citations as a reader reads them: "OMR 24; SIR 27" (the register's abbreviations,
docs/development.md) becomes 《人民法院在线调解规则》第二十四条；《最高人民法院关于人民法院特邀
调解的规定》第二十七条 in Chinese, and the rules' names with "art." in English."""

from __future__ import annotations

import re

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

NAMES = {
    "OMR": _("Online Mediation Rules of the People's Courts"),
    "SIR": _("Provisions on Specially Invited Mediation by the People's Courts"),
    "OLR": _("Online Litigation Rules of the People's Courts"),
    "CPL-I": _("Interpretation of the Civil Procedure Law"),
    "CPL": _("Civil Procedure Law"),
}
DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–999 as Chinese article numbers write them (十五, 二十四, 一百零二)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (DIGITS[ones] if ones else "")


def _one(part: str) -> str:
    found = re.fullmatch(r"(CPL-I|CPL|OMR|SIR|OLR) (\d+)", part.strip())
    if not found:
        return part.strip()
    name, article = str(NAMES[found.group(1)]), int(found.group(2))
    if (get_language() or "").startswith("zh"):
        return f"《{name}》第{chinese_number(article)}条"
    return f"{name}, art. {article}"


def cite(source: str) -> str:
    """A citation in the active language; a part it does not know stays as it was."""
    zh = (get_language() or "").startswith("zh")
    return ("；" if zh else "; ").join(_one(p) for p in source.split(";"))
