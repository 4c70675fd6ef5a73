"""A period reaching into a year whose official schedule is not entered computes with the
statutory holidays of the law and says so; once an administrator loads the year, it rules."""

from datetime import date, datetime

import pytest
from django.db import transaction
from django.utils import translation

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.workdays import schedule
from sutiao.workdays.actions import load_year
from sutiao.workdays.errors import CalendarIncomplete
from sutiao.workdays.models import CalendarDay, CalendarYear
from sutiao.workdays.periods import (
    SHANGHAI,
    add_calendar_days,
    add_working_days,
    deadline,
    provisional_years,
)
from tests import factories

from .conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db

SOURCE = "国办发明电〔2026〕×号 (test)"


@pytest.mark.rule("Measures-2")
def test_a_period_into_2027_uses_the_law_s_holidays_and_says_so():
    # 2027-01-01 (Friday) is New Year's Day by the law, then the weekend: Monday 4 January.
    assert add_calendar_days(date(2026, 12, 2), 30) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)  # 12/31, then 1/4
    assert provisional_years(date(2026, 12, 2), date(2027, 1, 4)) == [2027]
    assert provisional_years(date(2026, 12, 1), date(2026, 12, 31)) == []
    end = deadline(datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI), "mediation_delegated")
    assert end.astimezone(SHANGHAI).date() == date(2027, 1, 19)


def test_only_a_year_beyond_the_rule_s_range_refuses():
    with pytest.raises(CalendarIncomplete) as exc:
        add_calendar_days(date(2099, 12, 20), 30)
    error = exc.value
    assert isinstance(error, Conflict) and error.status == 409
    assert error.code == "calendar.year_missing"
    assert error.details == {"year": 2100}
    with translation.override("en"):
        assert str(error.message) == (
            "The holiday schedule for 2100 has not been entered yet; an administrator must "
            "add it before this period can be computed."
        )


def test_a_year_entered_but_not_marked_complete_still_follows_the_provisional_rule():
    load_year(factories.admin(), 2027, SCHEDULE_2027, source=SOURCE, complete=False)
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 11)  # no make-up Saturday
    assert provisional_years(date(2027, 1, 8), date(2027, 1, 11)) == [2027]


def test_after_an_administrator_loads_2027_the_official_schedule_rules():
    admin = factories.admin()
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 11)

    year = load_year(admin, 2027, SCHEDULE_2027, source=SOURCE, note="hypothetical")

    assert year.complete
    assert add_calendar_days(date(2026, 12, 2), 30) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    # The make-up Saturday counts.
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 9)
    assert provisional_years(date(2026, 12, 2), date(2027, 1, 4)) == []

    entry = AuditEntry.objects.get(action="calendar.year_loaded")
    assert entry.actor_id == admin.pk and entry.object_id == str(year.pk)
    assert entry.changes["holidays"][1] == ["2027-01-01 元旦", "2027-01-02 元旦", "2027-01-03 元旦"]
    assert entry.changes["workdays"][1] == ["2027-01-09 元旦调休上班"]


def test_loading_a_year_again_replaces_its_days_and_is_audited():
    admin = factories.admin()
    load_year(admin, 2027, SCHEDULE_2027, source=SOURCE)
    load_year(admin, 2027, SCHEDULE_2027[:1], source=SOURCE)
    assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        date(2027, 1, 1)
    ]
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # 1/2–3 a plain weekend
    assert AuditEntry.objects.filter(action="calendar.year_loaded").count() == 2


def test_only_a_platform_administrator_loads_a_year():
    clerk = factories.person("court_clerk", court=factories.court())
    with pytest.raises(Forbidden):
        load_year(clerk, 2027, SCHEDULE_2027, source=SOURCE)
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    "days",
    [
        [(date(2027, 1, 1), "holiday", "元旦"), (date(2027, 1, 6), "workday", "x")],  # Wednesday
        [(date(2027, 1, 1), "holiday", "元旦"), (date(2028, 1, 1), "holiday", "元旦")],
        [(date(2027, 1, 1), "holiday", "元旦"), (date(2027, 1, 1), "holiday", "元旦")],
        [(date(2027, 1, 1), "festival", "元旦")],
        [("2027-13-01", "holiday", "")],
        [(date(2027, 1, 9), "workday", "调休")],  # complete, but no holiday at all
    ],
)
def test_a_wrong_schedule_is_refused_whole(days):
    with pytest.raises(Invalid) as exc:
        load_year(factories.admin(), 2027, days, source=SOURCE)
    assert exc.value.details["fields"]["days"]
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year__gte=2027).exists()


def test_days_may_come_as_mappings_with_iso_dates():
    load_year(
        factories.admin(),
        2027,
        [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}],
        source=SOURCE,
    )
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "元旦"


def test_a_load_that_rolls_back_leaves_no_trace_in_the_cached_calendar():
    schedule.current()  # a snapshot without 2027 is cached
    with pytest.raises(RuntimeError), transaction.atomic():
        load_year(factories.admin(), 2027, SCHEDULE_2027, source=SOURCE)
        assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 9)
        raise RuntimeError("something after it failed")
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 11)
