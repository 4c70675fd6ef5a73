"""Administrators extend the calendar in the Django admin; every edit is audited."""

from datetime import date

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.workdays.models import CalendarDay, CalendarYear
from sutiao.workdays.periods import add_calendar_days, add_working_days
from tests import factories

pytestmark = pytest.mark.django_db


def test_admin_lists_years_and_days():
    client = factories.client_for(factories.admin())
    page = client.get("/admin/workdays/calendaryear/")
    assert page.status_code == 200 and "2026" in page.content.decode()
    page = client.get("/admin/workdays/calendarday/?date__year=2026")
    assert page.status_code == 200 and "2026" in page.content.decode()


def test_adding_2027_by_hand_in_the_admin_is_audited_and_then_used():
    client = factories.client_for(factories.admin())
    for day, name in [("2027-01-01", "元旦"), ("2027-01-02", "元旦"), ("2027-01-03", "元旦")]:
        response = client.post(
            "/admin/workdays/calendarday/add/", {"date": day, "kind": "holiday", "name": name}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    # Days entered, the year not yet marked complete: still the provisional rule, which has
    # no make-up working day on Saturday 9 January.
    client.post(
        "/admin/workdays/calendarday/add/",
        {"date": "2027-01-09", "kind": "workday", "name": "元旦调休上班"},
    )
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 11)
    response = client.post(
        "/admin/workdays/calendaryear/add/",
        {"year": "2027", "complete": "on", "source": "国办发明电〔2026〕×号", "note": ""},
    )
    assert response.status_code == 302
    assert add_calendar_days(date(2026, 12, 2), 30) == date(2027, 1, 4)
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 9)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("admin.calendarday.created") == 4
    assert "admin.calendaryear.created" in actions


def test_admin_refuses_a_make_up_working_day_on_a_weekday():
    client = factories.client_for(factories.admin())
    response = client.post(
        "/admin/workdays/calendarday/add/", {"date": "2027-01-06", "kind": "workday", "name": "x"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not CalendarDay.objects.filter(date=date(2027, 1, 6)).exists()


def test_reload_from_package_action_reloads_a_covered_year_and_warns_for_others():
    CalendarYear.objects.create(year=2027, complete=False)
    CalendarDay.objects.filter(date=date(2026, 10, 10)).delete()
    client = factories.client_for(factories.admin())
    ids = list(CalendarYear.objects.filter(year__in=[2026, 2027]).values_list("pk", flat=True))
    response = client.post(
        "/admin/workdays/calendaryear/",
        {"action": "reload_from_package", "_selected_action": ids},
        follow=True,
    )
    assert response.status_code == 200
    assert CalendarDay.objects.filter(date=date(2026, 10, 10), kind="workday").exists()
    assert not CalendarYear.objects.get(year=2027).complete
    assert AuditEntry.objects.filter(action="calendar.year_loaded").count() == 1
