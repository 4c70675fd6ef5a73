"""Roster builders: mediators, recommendations, admissions, and generated import files."""

from __future__ import annotations

import io
import itertools
from datetime import date

from openpyxl import Workbook

from sutiao.accounts.roles import Role
from sutiao.demo.data import make_id_number
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.roster import actions
from sutiao.roster.models import Mediator, Recommendation, RosterEntry
from sutiao.roster.spreadsheets import MEDIATOR_COLUMNS, ORG_COLUMNS
from tests import factories as f

_seq = itertools.count(1)


def mediator_id_number(i: int) -> str:
    """Unique for i < 1,200,000: birth 1988–1997, day 19–28 (the shared factory uses 10–18)."""
    seq = i % 1000
    rest = i // 1000
    day = 19 + rest % 10
    month = 1 + (rest // 10) % 12
    year = 1988 + (rest // 120) % 10
    return make_id_number("110108", f"{year}{month:02d}{day:02d}", seq)


def mediator(
    name: str | None = None,
    *,
    region: str = "110108",
    kinds=("patent", "trademark"),
    orgs=(),
    id_number: str | None = None,
    phone: str = "13912345678",
    charges_fees: bool = False,
    status: str = Mediator.Status.ACTIVE,
) -> Mediator:
    n = next(_seq)
    m = Mediator(
        name=name or f"调解员{n}",
        region_id=region,
        phone=phone,
        charges_fees=charges_fees,
        technical_fields="通信",
        languages="中文、英语",
        qualifications=["lawyer"],
        status=status,
    )
    m.set_id_number(id_number or mediator_id_number(900_000 + n))
    m.save()
    m.ip_kinds.set(IPKind.objects.filter(code__in=kinds))
    if orgs:
        m.orgs.set(orgs)
    return m


def office_staff(**kw):
    office = f.office(**kw)
    return f.person(Role.IP_OFFICE_STAFF, ip_office=office), office


def clerk(court: Court):
    return f.person(Role.COURT_CLERK, court=court)


def admitted(
    subject: Mediator | MediationOrg, court: Court, *, staff=None, clerk_user=None, **kw
) -> RosterEntry:
    """Recommend through a Beijing office and admit through the court's clerk."""
    if staff is None:
        staff, _ = office_staff(region="110000")
    key = "mediator" if isinstance(subject, Mediator) else "org"
    rec = actions.recommend(actor=staff, court=court, **{key: subject})
    return actions.admit(
        actor=clerk_user or clerk(court),
        recommendation=rec,
        certificate_number=kw.pop("certificate_number", f"京73特邀{next(_seq)}"),
        term_start=kw.pop("term_start", date(2026, 1, 1)),
        term_end=kw.pop("term_end", None),
        **kw,
    )


def pending_recommendation(subject, court: Court, staff=None) -> Recommendation:
    if staff is None:
        staff, _ = office_staff(region="110000")
    key = "mediator" if isinstance(subject, Mediator) else "org"
    return actions.recommend(actor=staff, court=court, **{key: subject})


# Import files ------------------------------------------------------------------------


def mediator_row(i: int, org_name: str = "") -> list[str]:
    return [
        f"批量调解员{i}",
        mediator_id_number(i),
        f"139{i:08d}",
        "110108",
        org_name,
        "专利、商标",
        "通信",
        "中文",
        "律师",
        "否",
        "",
        "",
    ]


BAD_KINDS = [
    ("id_checksum", 5),
    ("phone", 4),
    ("region", 4),
    ("expertise", 4),
    ("duplicate", 4),
    ("name", 2),
    ("org", 2),
]


def mediator_sheet(n: int, *, org_name: str = "", bad: bool = True) -> tuple[bytes, dict[int, str]]:
    """An XLSX of n mediator rows; with bad=True, 25 of them spread through the file are invalid.

    Returns the file and {line: kind of fault} of the bad rows (line 1 is the header).
    """
    faults = [k for k, count in BAD_KINDS for _ in range(count)] if bad else []
    step = max(n // (len(faults) + 1), 1)
    bad_at = {step * (j + 1): kind for j, kind in enumerate(faults)}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("调解员")
    ws.append([c.header + ("*" if c.required else "") for c in MEDIATOR_COLUMNS])
    bad_lines: dict[int, str] = {}
    for i in range(n):
        row = mediator_row(i, org_name)
        kind = bad_at.get(i)
        if kind == "id_checksum":
            last = row[1][-1]
            row[1] = row[1][:-1] + ("0" if last != "0" else "1")
        elif kind == "phone":
            row[2] = "12345"
        elif kind == "region":
            row[3] = "999999"
        elif kind == "expertise":
            row[5] = "专利、太空法"
        elif kind == "duplicate":
            row[1] = mediator_id_number(0)
            row[2] = "13800000000"
        elif kind == "name":
            row[0] = ""
        elif kind == "org":
            row[4] = "不存在的调解组织"
        if kind:
            bad_lines[i + 2] = kind
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), bad_lines


def org_sheet(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in ORG_COLUMNS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
