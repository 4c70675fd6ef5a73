"""Entering a year's official schedule computes again every stored deadline that read the
provisional rule for it: a later end replaces the shown one, an earlier end never does, each
change is on the timeline and audited, and the parties are told (RULES §3; CPL 85)."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions
from sutiao.cases.models import Case, CaseEvent
from sutiao.core.models import OutboxEvent
from sutiao.delivery import engine
from sutiao.delivery.models import Service
from sutiao.workdays.actions import load_year, preview_year
from sutiao.workdays.periods import SHANGHAI, local_date
from tests import factories
from tests.cases import factories as cf

pytestmark = pytest.mark.django_db

# A made-up official 2027 (the real one is not published): Saturday 2 and Sunday 17 January
# worked, Monday 18 January off.
OFFICIAL_2027 = [
    ("2027-01-01", "holiday", "元旦"),
    ("2027-01-02", "workday", "元旦调休上班"),
    ("2027-01-17", "workday", "调休上班"),
    ("2027-01-18", "holiday", "调休"),
]


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=SHANGHAI)


def mediating(accepted):
    court = factories.court(code="京73")
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    case = actions.delegate(
        actor=clerk, case=cf.submitted_case(court), mediator=mediator, at=accepted
    )
    return actions.accept(actor=mediator.user, case=case, at=accepted)


def awaiting_acceptance(delegated):
    court = factories.court(code="京73")
    mediator = cf.rostered_mediator(court)
    clerk = factories.person("court_clerk", court=court)
    return actions.delegate(
        actor=clerk, case=cf.submitted_case(court), mediator=mediator, at=delegated
    )


def last_day(case):
    case.refresh_from_db()
    return local_date(case.deadline_at).isoformat()


@pytest.fixture
def cases():
    earlier = mediating(at(2026, 12, 18))  # 30 days → Sunday 1/17 → Monday 1/18
    later = mediating(at(2026, 12, 19))  # 30 days → Monday 1/18
    # 3 working days from Thursday 12/31: 1/1 holiday, 1/2–3 weekend → 1/4, 1/5, 1/6.
    working = awaiting_acceptance(at(2026, 12, 31))
    return earlier, later, working


def test_deadlines_into_an_unpublished_year_are_stored_as_provisional(cases):
    earlier, later, working = cases
    assert [last_day(c) for c in cases] == ["2027-01-18", "2027-01-18", "2027-01-06"]
    assert {c.deadline_provisional_year for c in cases} == {2027}
    assert working.clock == "accept_assignment"


def test_loading_the_official_year_recomputes_never_earlier_audited_and_notified(cases):
    earlier, later, working = cases
    admin = factories.admin()

    year = load_year(admin, 2027, OFFICIAL_2027, source="国办发明电〔2026〕×号 (test)")

    # The make-up Sunday would end the first period a day earlier: the shown day stays.
    assert last_day(earlier) == "2027-01-18"
    # Monday 18th is a day off now: the second period runs to Tuesday.
    assert last_day(later) == "2027-01-19"
    # The make-up Saturday counts as a working day: 1/2, 1/4, 1/5 would do; 1/6 stays.
    assert last_day(working) == "2027-01-06"
    assert all(Case.objects.get(pk=c.pk).deadline_provisional_year is None for c in cases)
    assert len(year.moves) == 3

    kept = CaseEvent.objects.get(case=earlier, kind="deadline_recomputed")
    assert "2027-01-17" in kept.summary and "2027-01-18" in kept.summary
    assert kept.data == {
        "deadline": {"before": "2027-01-18", "computed": "2027-01-17", "after": "2027-01-18"}
    }
    moved = AuditEntry.objects.get(action="case.deadline_recomputed", object_id=str(later.pk))
    assert moved.actor_id == admin.pk
    assert moved.changes["deadline"] == ["2027-01-18", "2027-01-19"]
    assert AuditEntry.objects.filter(action="case.deadline_recomputed").count() == 3

    # Only the deadline that moved is served as a notice, on every party of that case.
    events = OutboxEvent.objects.filter(topic="deadline.moved")
    assert [e.payload["case"] for e in events] == [later.pk]
    engine.process_outbox()
    served = Service.objects.filter(topic="deadline.moved")
    assert {s.case_id for s in served} == {later.pk}
    assert served.count() == later.parties.count()


def test_a_mediation_past_a_provisional_end_waits_for_the_official_year(cases, settings):
    earlier, later, working = cases
    after_both = at(2027, 1, 21)
    assert actions.expire_overdue(now=after_both) == []
    assert Case.objects.get(pk=earlier.pk).state == "mediating"
    load_year(factories.admin(), 2027, OFFICIAL_2027, source="test")
    assert sorted(actions.expire_overdue(now=after_both)) == sorted([earlier.pk, later.pk])


def test_a_provisional_end_nobody_made_official_ends_the_mediation_after_the_grace(cases, settings):
    earlier, later, working = cases
    settings.PROVISIONAL_EXPIRY_GRACE_DAYS = 10
    assert actions.expire_overdue(now=at(2027, 1, 28)) == []  # 1/18 + 10 days, not yet past
    assert sorted(actions.expire_overdue(now=at(2027, 1, 29))) == sorted([earlier.pk, later.pk])


def test_the_preview_shows_what_would_move_and_changes_nothing(cases):
    earlier, later, working = cases
    moves = {m.obj.pk: m for m in preview_year(factories.admin(), 2027, OFFICIAL_2027)}
    assert moves[later.pk].moved and moves[earlier.pk].kept_later
    assert last_day(later) == "2027-01-18"
    assert not AuditEntry.objects.filter(action="case.deadline_recomputed").exists()


def test_the_command_loads_a_schedule_file_and_lists_the_moves(cases, tmp_path):
    earlier, later, working = cases
    path = tmp_path / "2027.csv"
    path.write_text(
        "kind,from,to,name\n"
        "holiday,2027-01-01,,元旦\n"
        "workday,2027-01-17,,调休上班\n"
        "holiday,2027-01-18,,调休\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("workdays", "load", str(path), "--dry-run", stdout=out)
    assert "2027: would enter 2 days off, 1 make-up working days" in out.getvalue()
    assert "2027-01-18 → 2027-01-19" in out.getvalue()
    assert last_day(later) == "2027-01-18"
    out = StringIO()
    call_command("workdays", "load", str(path), "--source", "国办发明电〔2026〕×号", stdout=out)
    assert "2027: entered" in out.getvalue() and last_day(later) == "2027-01-19"
    entry = AuditEntry.objects.get(action="calendar.year_loaded")
    assert entry.actor_id is None and entry.actor_label == "operator"


def test_the_case_page_and_the_api_say_the_deadline_is_provisional(cases):
    earlier, later, working = cases
    user = earlier.mediator.user
    client = factories.client_for(user)
    html = client.get(f"/cases/{earlier.pk}/").content.decode()
    assert 'data-provisional-year="2027"' in html
    assert "按法定节假日暂计，待国务院公布 2027 年安排后确定" in html
    body = client.get(f"/api/v1/cases/{earlier.pk}").json()
    assert body["deadline_provisional_year"] == 2027
    assert body["countdown"]["provisional"] is True
    assert body["countdown"]["provisional_year"] == 2027
    load_year(factories.admin(), 2027, OFFICIAL_2027, source="test")
    html = client.get(f"/cases/{earlier.pk}/").content.decode()
    assert "data-provisional-year" not in html
    assert client.get(f"/api/v1/cases/{earlier.pk}").json()["countdown"]["provisional"] is False


def test_a_notice_that_prints_a_provisional_deadline_says_so(cases):
    earlier, later, working = cases
    engine.process_outbox()  # the acceptance notices (case.accepted) print the period's end
    accepted = Service.objects.filter(case=earlier, topic="case.accepted")
    assert accepted.exists()
    for service in accepted:
        assert "2027-01-18（按法定节假日暂计，待国务院公布 2027 年安排后确定。）" in service.body
