"""Must show (issue 18): on a generated data set of 50,000 cases over two years in several
provinces, every figure of the national, a provincial, a court and a mediator page equals
an independent SQL count over the raw tables (sql_counts.py), success rate and median days
included."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import Count

from sutiao.accounts.roles import Role
from sutiao.cases.models import Case
from sutiao.institutions.models import IPOffice
from tests import clock, factories

from .sql_counts import Counter

CASES = 50_000
START, END = dt.date(2025, 10, 1), dt.date(2026, 9, 30)  # the last four quarters
ROW = re.compile(r'<tr data-figure="(\w+)"><td>[^<]*</td><td class="num" data-value="([^"]*)">')

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(clock.WORKING_MONDAY, tick=True)]


@pytest.fixture(scope="module", autouse=True)
def _data(generated):
    generated(CASES, seed=18, provinces=4)


def _page(level: str, key: str) -> dict[str, float | None]:
    national = IPOffice.objects.get(level=IPOffice.Level.NATIONAL)
    user = factories.person(Role.NATIONAL_SUPERVISOR, ip_office=national)
    answer = factories.client_for(user).get(
        f"/figures/{level}/{key}/", {"start": START, "end": END}
    )
    assert answer.status_code == 200
    shown = {k: (float(v) if v else None) for k, v in ROW.findall(answer.content.decode())}
    assert len(shown) == 23, shown
    return shown


def _most(field: str) -> str:
    rows = Case.objects.exclude(**{field: None}).values(field).annotate(n=Count("id"))
    row = rows.order_by("-n").first()
    return str(row[field])


def _compare(level: str, key: str) -> None:
    expected = Counter(level, key, START, END).expected()
    expected["assigned_3wd_rate"] = round(expected["assigned_3wd"] / expected["received"], 4)
    expected["accepted_3wd_rate"] = round(expected["accepted_3wd"] / expected["received"], 4)
    shown = _page(level, key)
    assert expected["received"] > 0 and expected["settled"] > 0
    assert {k: shown[k] for k in expected} == {k: float(v) for k, v in expected.items()}


def test_the_data_set_is_large_spread_and_two_years_long():
    assert Case.objects.count() == CASES
    provinces = {c[:2] for c in Case.objects.values_list("court__region_id", flat=True) if c}
    assert len(provinces) == 4
    first = Case.objects.order_by("submitted_at").first().submitted_at
    assert clock.WORKING_MONDAY - first > dt.timedelta(days=700)


def test_national_page_equals_sql():
    _compare("nation", "all")


def test_provincial_page_equals_sql():
    region = Case.objects.exclude(court=None).values_list("court__region_id", flat=True)[0]
    _compare("province", region[:2] + "0000")


def test_court_page_equals_sql():
    _compare("court", _most("court_id"))


def test_mediator_page_equals_sql():
    _compare("mediator", _most("mediator_id"))
