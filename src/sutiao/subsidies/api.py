"""Subsidies over JSON: schemes and sheets (the owner's staff), and a mediator's own lines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Router, Schema

from sutiao.core.lookup import visible

from . import queries
from .models import Scheme, SchemeVersion, Sheet, SheetLine

router = Router(tags=["subsidies"])


class VersionOut(Schema):
    number: int
    valid_from: date
    valid_to: date
    settled_fen: int
    failed_fen: int
    rates: dict[str, list[int]]
    cap_mediator_fen: int | None
    cap_period_fen: int | None
    note: str
    created_at: datetime


class SchemeOut(Schema):
    id: int
    name: str
    office: int | None
    court: int | None
    region: str | None
    current: VersionOut


class SchemeDetailOut(SchemeOut):
    versions: list[VersionOut]


class LineOut(Schema):
    mediator: int | None
    org: int | None
    name: str
    org_name: str
    settled: int
    failed: int
    amount_fen: int
    paid_fen: int
    cap: str
    cases: list[dict[str, Any]]


class SheetOut(Schema):
    id: int
    scheme: int
    version: int
    period_start: date
    period_end: date
    state: str
    uncapped_fen: int
    total_fen: int
    return_reason: str
    xlsx_sha256: str


class SheetDetailOut(SheetOut):
    lines: list[LineOut]


class MyLineOut(LineOut):
    sheet: int
    scheme_name: str
    period_start: date
    period_end: date


def _version(v: SchemeVersion) -> VersionOut:
    return VersionOut.model_validate(v, from_attributes=True)


def _scheme(s: Scheme) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "office": s.office_id,
        "court": s.court_id,
        "region": s.region_id,
        "current": _version(s.current),
    }


def _sheet(s: Sheet) -> dict[str, Any]:
    fields = ("period_start", "period_end", "state", "uncapped_fen", "total_fen")
    data = {k: getattr(s, k) for k in fields}
    extra = {"return_reason": s.return_reason, "xlsx_sha256": s.xlsx_sha256}
    return {"id": s.pk, "scheme": s.scheme_id, "version": s.version.number, **data, **extra}


def _line(ln: SheetLine) -> dict[str, Any]:
    keys = ("name", "org_name", "settled", "failed", "amount_fen", "paid_fen", "cap", "cases")
    return {"mediator": ln.mediator_id, "org": ln.org_id, **{k: getattr(ln, k) for k in keys}}


@router.get("/subsidies/schemes", response=list[SchemeOut])
def schemes(request):
    return [_scheme(s) for s in queries.schemes_for(request.auth).prefetch_related("versions")]


@router.get("/subsidies/schemes/{scheme_id}", response=SchemeDetailOut)
def scheme(request, scheme_id: int):
    s = visible(request.auth, Scheme, pk=scheme_id)
    return {**_scheme(s), "versions": [_version(v) for v in s.versions.all()]}


@router.get("/subsidies/sheets", response=list[SheetOut])
def sheet_list(request):
    return [_sheet(s) for s in queries.sheets_for(request.auth)[:200]]


@router.get("/subsidies/sheets/{sheet_id}", response=SheetDetailOut)
def sheet(request, sheet_id: int):
    s = visible(request.auth, Sheet.objects.select_related("scheme", "version"), pk=sheet_id)
    return {**_sheet(s), "lines": [_line(ln) for ln in s.lines.all()]}


@router.get("/subsidies/mine", response=list[MyLineOut])
def mine(request):
    """The caller's own subsidy lines, on approved sheets."""
    return [
        {
            **_line(ln),
            "sheet": ln.sheet_id,
            "scheme_name": ln.sheet.scheme.name,
            "period_start": ln.sheet.period_start,
            "period_end": ln.sheet.period_end,
        }
        for ln in queries.my_lines(request.auth)[:200]
    ]
