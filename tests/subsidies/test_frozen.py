"""An approved sheet is frozen: a later change of the scheme (a new version) or of a
mediator's name alters neither its lines nor its XLSX, byte for byte and cell for cell;
the old version stays readable, and the next sheet is computed with the new one."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from sutiao.audit.models import AuditEntry
from sutiao.cases.choices import State
from sutiao.core.models import OutboxEvent
from sutiao.subsidies import actions, sheets
from sutiao.subsidies.models import SheetState
from tests import factories as f

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-29")]
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def _cells(data: bytes) -> dict[str, list[list]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _approved(w: b.World):
    for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 9)):
        b.case(w.m1, w.org, state=State.SETTLED, day=day, kind="patent")
    b.case(
        w.m2,
        w.org,
        state=State.FAILED,
        day=dt.date(2026, 3, 5),
        documented=True,
        recorder=w.m1_user,
    )
    scheme = actions.create_scheme(
        actor=w.preparer, name="补贴方案", owner=w.office, terms=b.terms(w, cap_mediator_fen=80_000)
    )
    sheet = sheets.prepare_sheet(actor=w.preparer, scheme=scheme, start=MARCH[0], end=MARCH[1])
    sheets.review_sheet(actor=w.reviewer, sheet=sheet)
    return scheme, sheets.approve_sheet(actor=w.approver, sheet=sheet)


def test_a_scheme_changed_after_approval_leaves_the_sheet_and_its_xlsx_unchanged():
    w = b.world()
    scheme, sheet = _approved(w)
    assert sheet.state == SheetState.APPROVED
    client = f.client_for(w.approver)
    before = client.get(f"/subsidies/sheets/{sheet.pk}/sheet.xlsx").content
    cells = _cells(before)
    assert cells["汇总"][4][0] in {"张调解", "李调解"}
    assert ["合计", None, None, None, 1100.0, None, 900.0] in cells["汇总"]
    lines = list(sheet.lines.values())

    actions.change_scheme(
        actor=w.preparer,
        scheme=scheme,
        terms=b.terms(w, settled_fen=99_900, failed_fen=55_500, rates={}, note="提高标准"),
    )
    w.m1.name = "张改名"
    w.m1.save()

    after = client.get(f"/subsidies/sheets/{sheet.pk}/sheet.xlsx").content
    assert after == before
    assert _cells(after) == cells
    sheet.refresh_from_db()
    assert list(sheet.lines.values()) == lines
    assert (sheet.total_fen, sheet.version.number) == (90_000, 1)
    v1, v2 = scheme.versions.order_by("number")
    assert (v1.settled_fen, v1.rates, v2.settled_fen, v2.note) == (
        30_000,
        {"patent": [50_000, 20_000]},
        99_900,
        "提高标准",
    )
    page = client.get(f"/subsidies/schemes/{scheme.pk}/").content.decode()
    assert "999.00" in page and "300.00" in page  # both versions shown
    b.case(w.m1, w.org, state=State.SETTLED, day=dt.date(2026, 4, 2))
    april = sheets.prepare_sheet(
        actor=w.preparer, scheme=scheme, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)
    )
    assert (april.version.number, april.uncapped_fen) == (2, 99_900)


def test_every_step_is_audited_and_told_to_the_next_person():
    w = b.world()
    _, sheet = _approved(w)
    actions_done = set(
        AuditEntry.objects.filter(
            object_id=str(sheet.pk), action__startswith="subsidy.sheet"
        ).values_list("action", flat=True)
    )
    assert actions_done == {
        "subsidy.sheet_prepared",
        "subsidy.sheet_reviewed",
        "subsidy.sheet_approved",
    }
    topics = list(
        OutboxEvent.objects.filter(topic__startswith="subsidy.").values_list("topic", flat=True)
    )
    assert topics == ["subsidy.sheet_prepared", "subsidy.sheet_reviewed", "subsidy.sheet_approved"]
    assert AuditEntry.objects.filter(action="subsidy.scheme_created").count() == 1
