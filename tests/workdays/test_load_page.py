"""The official schedule comes in without typing: an upload with a preview on the admin, and
a warning on the administrators' home page while next year is provisional."""

import json
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sutiao.audit.models import AuditEntry
from sutiao.workdays.models import CalendarYear
from sutiao.workdays.periods import SHANGHAI
from tests import factories
from tests.workdays.test_official_year_recomputes_deadlines import last_day, mediating

pytestmark = pytest.mark.django_db

SCHEDULE = {
    "year": 2027,
    "source": "国办发明电〔2026〕×号",
    "holidays": [
        {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
        {"name": "调休", "from": "2027-01-18"},
    ],
    "workdays": [{"name": "调休上班", "date": "2027-01-17"}],
}


def upload(client, content: bytes, name="2027.json", **extra):
    return client.post(
        "/admin/workdays/calendaryear/load/",
        {"file": SimpleUploadedFile(name, content), "preview": "1", **extra},
    )


def test_upload_previews_the_moves_then_enters_the_year():
    case = mediating(datetime(2026, 12, 19, 10, tzinfo=SHANGHAI))  # provisional end 1/18
    client = factories.client_for(factories.admin())
    page = upload(client, json.dumps(SCHEDULE, ensure_ascii=False).encode())
    html = page.content.decode()
    assert page.status_code == 200
    assert "2027" in html and "2027-01-18" in html and "2027-01-19" in html
    assert not CalendarYear.objects.filter(year=2027).exists()  # a preview changes nothing
    assert last_day(case) == "2027-01-18"

    carried = page.context["schedule_json"]
    done = client.post("/admin/workdays/calendaryear/load/", {"schedule": carried, "enter": "1"})
    assert done.status_code == 302
    assert CalendarYear.objects.get(year=2027).complete
    assert last_day(case) == "2027-01-19"
    entry = AuditEntry.objects.get(action="calendar.year_loaded")
    assert entry.changes["deadlines_recomputed"] == [None, 1]


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"kind,from\nfestival,2027-01-01\n", "2027.csv", "holiday"),
        (b"{not json", "2027.json", "JSON"),
        (b'{"year": 2027, "holidays": [{"from": "2027-02-30"}]}', "2027.json", "2027-02-30"),
        (b"\xff\xfe", "2027.csv", "UTF-8"),
        (b"year,2027", "2027.txt", ".json"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_changes_nothing(content, name, message):
    client = factories.client_for(factories.admin())
    client.cookies["django_language"] = "en"
    page = upload(client, content, name)
    assert page.status_code == 200
    assert message in page.context["error"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_platform_administrators_reach_the_load_page():
    clerk = factories.person("court_clerk", court=factories.court())
    page = factories.client_for(clerk).get("/admin/workdays/calendaryear/load/")
    assert page.status_code in (302, 403)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_home_page_warns_administrators_while_next_year_is_provisional(settings):
    mediating(datetime(2026, 12, 19, 10, tzinfo=SHANGHAI))
    client = factories.client_for(factories.admin())
    html = client.get("/").content.decode()
    # Today is after 1 November of a year whose next year is not entered (2026-12 when this
    # was written), or a year that is not entered itself.
    from django.utils import timezone

    today = timezone.localdate()
    if today.month >= 11 and not CalendarYear.objects.filter(year=today.year + 1).exists():
        assert f'data-year="{today.year + 1}"' in html
    assert 'data-year="2027"' in html  # the case's deadline reads 2027
    assert "尚未录入" in html or "not entered" in html


def test_parties_do_not_see_the_calendar_warning():
    html = factories.client_for(factories.person("party")).get("/").content.decode()
    assert "calendar-warning" not in html
