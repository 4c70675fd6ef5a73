"""The monthly roll-up (MonthlyFigure, MonthlyCloseDays) that makes a national or provincial
page over whole months independent of the number of cases: it equals independent SQL
counts, follows the outbox like the daily rows, is checked by the nightly rebuild, and the
national page reads it alone (no daily row, no case)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sutiao.evaluation import queries, summary
from sutiao.evaluation.models import MonthlyFigure
from sutiao.evaluation.scopes import Scope
from sutiao.institutions.models import IPOffice
from tests import clock, factories
from tests.evaluation.sql_counts import Counter

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)]
START, END = dt.date(2025, 11, 1), dt.date(2026, 9, 30)


@pytest.fixture(scope="module", autouse=True)
def _data(generated):
    generated(200, seed=11, provinces=2, cities=2, orgs=2, mediators=2)


def _province() -> str:
    office = IPOffice.objects.filter(level=IPOffice.Level.PROVINCIAL).order_by("region_id")[0]
    return office.region_id[:2] + "0000"


def test_whole_months_are_read_from_the_roll_up_and_equal_sql_counts():
    from django.db.models import Count

    from sutiao.cases.models import Case

    busiest = Case.objects.exclude(court=None).values("court_id").annotate(n=Count("id"))
    court = busiest.order_by("-n")[0]["court_id"]
    for level, key in (("nation", ""), ("province", _province()), ("court", str(court))):
        scope = Scope(level, key)
        assert queries.whole_months(scope, START, END)
        got = queries.figures(scope, START, END).as_dict()
        want = Counter(level, key, START, END).expected()
        assert {k: got[k] for k in want} == want, level


def test_a_period_to_today_is_whole_months_and_a_mediator_never_is():
    today = dt.date(2026, 10, 12)
    assert queries.whole_months(Scope("nation"), dt.date(2025, 11, 1), today)
    assert not queries.whole_months(Scope("nation"), dt.date(2025, 11, 2), today)
    assert not queries.whole_months(Scope("nation"), START, dt.date(2026, 9, 29))
    assert not queries.whole_months(Scope("mediator", "1"), START, END)
    assert not queries.whole_months(Scope("court", "1"), START, END, by="mediator_id")


def test_the_roll_up_has_no_row_per_case_and_the_nightly_check_covers_it():
    assert summary.rebuild(check=True) == []
    MonthlyFigure.objects.filter(pk=MonthlyFigure.objects.order_by("pk")[0].pk).update(received=999)
    found = summary.rebuild(check=True)
    assert len(found) == 1 and "999" in found[0]
    summary.rebuild()
    assert summary.rebuild(check=True) == []
    assert set(MonthlyFigure.objects.values_list("mediator_id", flat=True)) == {0}


def test_the_national_page_reads_neither_cases_nor_daily_rows():
    national = IPOffice.objects.get(level=IPOffice.Level.NATIONAL)
    client = factories.client_for(factories.person("national_supervisor", ip_office=national))
    with CaptureQueriesContext(connection) as seen:
        response = client.get("/figures/nation/all/")
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in seen.captured_queries)
    assert "evaluation_monthlyfigure" in sql
    assert "evaluation_dailyfigure" not in sql and "cases_case" not in sql
