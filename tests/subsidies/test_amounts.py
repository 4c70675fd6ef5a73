"""The sheet's amounts equal a calculation written out here, case by case: amounts by IP
kind, the partial amount for documented failures only, the cap per mediator and the cap
per period (every line cut in the same proportion, rounded down to the fen)."""

import datetime as dt

import pytest

from sutiao.cases.choices import State
from sutiao.subsidies import actions, sheets
from tests import factories as f

from . import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-29")]
DAY = dt.date(2026, 3, 10)


def _cases(w: b.World) -> None:
    rec = w.m1_user
    for _ in range(3):
        b.case(w.m1, w.org, state=State.SETTLED, day=DAY)  # 300 each
    b.case(w.m1, w.org, state=State.SETTLED, day=DAY, kind="patent")  # 500
    b.case(w.m1, w.org, state=State.FILED, day=DAY, kind="patent", documented=True, recorder=rec)
    b.case(w.m1, w.org, state=State.FAILED, day=DAY)  # no record of mediation: nothing
    b.case(w.m1, w.org, state=State.SETTLED, day=dt.date(2026, 4, 1))  # after the period
    b.case(w.m1, w.org, state=State.MEDIATING, day=DAY)  # not ended
    b.case(w.m2, w.org, state=State.SETTLED, day=DAY)
    b.case(w.m2, w.org, state=State.SETTLED, day=dt.date(2026, 3, 31))  # last day, local time
    c = b.case(w.m2, w.org, state=State.FAILED, day=DAY)
    c.failure_course = "组织双方三次调解，差距过大。"  # documented by the course of mediation
    c.save()
    b.case(None, w.org, state=State.SETTLED, day=DAY, kind="copyright")  # org line: 300
    elsewhere = f.org(region="120101")  # another province: not this office's scheme
    b.case(b.rf.mediator(orgs=[elsewhere]), elsewhere, state=State.SETTLED, day=DAY)


def _expected(cap_mediator: int | None, cap_period: int | None) -> dict[str, int]:
    raw = {
        "张调解": 3 * 30_000 + 50_000 + 20_000,
        "李调解": 2 * 30_000 + 10_000,
        "org": 30_000,
    }
    paid = {k: min(v, cap_mediator) if cap_mediator else v for k, v in raw.items()}
    total = sum(paid.values())
    if cap_period and total > cap_period:
        paid = {k: v * cap_period // total for k, v in paid.items()}
    return paid


@pytest.mark.parametrize(
    "cap_mediator,cap_period", [(None, None), (150_000, None), (150_000, 200_000), (None, 90_000)]
)
def test_amounts_equal_a_calculation_by_hand(cap_mediator, cap_period):
    w = b.world()
    _cases(w)
    t = b.terms(w, cap_mediator_fen=cap_mediator, cap_period_fen=cap_period)
    scheme = actions.create_scheme(actor=w.preparer, name="北京专项补贴", owner=w.office, terms=t)
    sheet = sheets.prepare_sheet(
        actor=w.preparer, scheme=scheme, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    lines = {ln.name if ln.mediator_id else "org": ln for ln in sheet.lines.all()}
    expected = _expected(cap_mediator, cap_period)
    assert {k: ln.paid_fen for k, ln in lines.items()} == expected
    assert sheet.total_fen == sum(expected.values())
    assert sheet.uncapped_fen == 160_000 + 70_000 + 30_000
    m1 = lines["张调解"]
    assert (m1.settled, m1.failed, len(m1.cases)) == (4, 1, 5)
    assert sorted(c["fen"] for c in m1.cases) == [20_000, 30_000, 30_000, 30_000, 50_000]
    assert (lines["李调解"].settled, lines["李调解"].failed) == (2, 1)
    assert lines["org"].org_id == w.org.pk and lines["org"].mediator_id is None
    if cap_mediator:
        assert m1.cap in {"mediator", "both"} and lines["李调解"].cap in {"", "period"}
