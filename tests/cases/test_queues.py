"""Issue 15 item 3: the clerk's and judge's queues — counts per state, filters, search by
case number or party, sorting, keyset pagination, XLSX export of exactly the rows shown."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sutiao.cases import actions as case_actions
from sutiao.cases import queues
from sutiao.cases.models import Case
from tests import factories
from tests.clock import WORKING_MONDAY

from . import factories as cf

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=False)]


@pytest.fixture
def court_cases(time_machine):
    court = factories.court("北京知识产权法院", code="京73")
    clerk = factories.person("court_clerk", court=court)
    cases = []
    for i in range(3):
        time_machine.move_to(WORKING_MONDAY + dt.timedelta(hours=i))
        cases.append(cf.submitted_case(court, applicant=factories.person("party")))
    Case.objects.filter(pk=cases[2].pk).update(ip_kind_id="patent")
    Case.objects.filter(pk=cases[1].pk).update(title="丙公司诉丁公司专利纠纷")
    cases[1].parties.filter(role="respondent").update(name="丁科技有限公司")
    mediator = cf.rostered_mediator(court, name="王调解")
    case_actions.delegate(actor=clerk, case=cases[0], mediator=mediator)
    return clerk, cases


def _rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)]


def test_counts_per_state_filters_and_search_by_party(court_cases):
    clerk, cases = court_cases
    result = queues.queue(clerk, "clerk", queues.QueueFilter())
    counts = {c["state"]: c["count"] for c in result.counts}
    assert counts == {"submitted": 2, "awaiting_acceptance": 1} and result.total == 3
    only = queues.queue(clerk, "clerk", queues.QueueFilter(state="submitted"))
    assert {c.pk for c in only.items} == {cases[1].pk, cases[2].pk}
    assert [
        c.pk for c in queues.queue(clerk, "clerk", queues.QueueFilter(ip_kind="patent")).items
    ] == [cases[2].pk]
    by_party = queues.queue(clerk, "clerk", queues.QueueFilter(q="丁科技"))
    assert [c.pk for c in by_party.items] == [cases[1].pk]
    number = Case.objects.get(pk=cases[0].pk).number
    assert number
    by_number = queues.queue(clerk, "clerk", queues.QueueFilter(q=number))
    assert [c.pk for c in by_number.items] == [cases[0].pk]
    assert queues.queue(clerk, "clerk", queues.QueueFilter(channel="entrusted")).items == []
    later = queues.QueueFilter(since=(timezone.localdate() + dt.timedelta(days=1)))
    assert queues.queue(clerk, "clerk", later).total == 0


def test_sorting_and_keyset_pages_do_not_repeat_or_skip(court_cases):
    clerk, cases = court_cases
    newest = queues.QueueFilter(sort="-submitted", size=2)
    first = queues.queue(clerk, "clerk", newest)
    assert [c.pk for c in first.items] == [cases[2].pk, cases[1].pk] and first.next_cursor
    newest.cursor = first.next_cursor
    second = queues.queue(clerk, "clerk", newest)
    assert [c.pk for c in second.items] == [cases[0].pk] and second.next_cursor == ""
    oldest = queues.queue(clerk, "clerk", queues.QueueFilter(sort="submitted"))
    assert [c.pk for c in oldest.items] == [c.pk for c in cases]


def test_the_overdue_filter_finds_cases_past_their_deadline(court_cases, time_machine):
    clerk, cases = court_cases
    assert queues.queue(clerk, "clerk", queues.QueueFilter(overdue=True)).items == []
    time_machine.move_to(WORKING_MONDAY + dt.timedelta(days=10))
    overdue = queues.queue(clerk, "clerk", queues.QueueFilter(overdue=True))
    assert {c.pk for c in overdue.items} == {c.pk for c in cases}


def test_the_page_and_its_export_hold_the_same_rows(court_cases):
    clerk, cases = court_cases
    client = factories.client_for(clerk)
    page = client.get("/queues/clerk/", {"state": "submitted", "sort": "-submitted"})
    assert page.status_code == 200
    html = page.content.decode()
    assert _rows(html) == [cases[2].pk, cases[1].pk]
    export = re.search(r'id="queue-export" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    answer = client.get(export)
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "案号"
    parties = [r[2] for r in rows[1:]]
    expected = [
        "、".join(p.name for p in Case.objects.get(pk=c.pk).parties.all()) for c in cases[2:0:-1]
    ]
    assert parties == expected and len(set(parties)) == 2
    assert [r[3] for r in rows[1:]] == ["待指派", "待指派"]  # the state, in Chinese


def test_a_bad_date_is_said_and_changes_nothing_and_strangers_get_404(court_cases):
    clerk, cases = court_cases
    client = factories.client_for(clerk)
    html = client.get("/queues/clerk/", {"since": "2026-13-45"}).content.decode()
    assert "2026-13-45" in html and 'role="alert"' in html
    assert len(_rows(html)) == 3
    party = factories.client_for(factories.person("party"))
    assert party.get("/queues/clerk/").status_code == 404
    assert party.get("/queues/clerk/export.xlsx").status_code == 404
    other = factories.person("court_clerk", court=factories.court("上海知识产权法院", code="沪73"))
    assert _rows(factories.client_for(other).get("/queues/clerk/").content.decode()) == []
