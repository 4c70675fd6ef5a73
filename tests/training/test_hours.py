"""Hours against the region's requirement (SIR 7): the batch query, the flag on the roster
pages of IP offices and courts, on the mediator's own page, and the training report."""

import io
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sutiao.institutions.models import Region
from sutiao.training.actions import attendance, courses
from sutiao.training.models import HourRequirement
from sutiao.training.queries import DEFAULT_PER_YEAR, hours_status, requirement_for
from tests import factories as f
from tests.roster import factories as rf

from . import factories as tf

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-7")]


def _credit(staff, office, mediators_hours):
    """One on-site course per mediator, crediting the given hours through a sign-in list."""
    course = tf.course(staff, office, hours="40")
    rows = [(m.name, m.id_number, h) for m, h in mediators_hours]
    attendance.import_sign_in(
        actor=staff, course=course, filename="签到.xlsx", content=tf.sign_in_xlsx(rows)
    )


def test_region_requirement_falls_back_to_ancestor_then_national_then_default():
    assert requirement_for("110108").per_year == DEFAULT_PER_YEAR
    HourRequirement.objects.create(region=None, before_joining=30, per_year=60)
    assert requirement_for("110108").per_year == 60
    HourRequirement.objects.create(
        region=Region.objects.get(code="110000"), before_joining=50, per_year=24
    )
    assert requirement_for("110108").per_year == 24
    assert requirement_for("310101").per_year == 60  # Shanghai: the national row


def test_hours_status_is_one_batch_whatever_the_number_of_mediators():
    staff, office = tf.office_staff()
    mediators = [rf.mediator(f"批量{i}") for i in range(12)]
    _credit(staff, office, [(m, 30) for m in mediators[:6]])
    HourRequirement.objects.create(region=None, before_joining=40, per_year=20)
    with CaptureQueriesContext(connection) as few:
        statuses = hours_status(mediators[:2])
    with CaptureQueriesContext(connection) as many:
        statuses = hours_status(mediators)
    assert len(many.captured_queries) == len(few.captured_queries) <= 2
    assert [statuses[m.pk].below for m in mediators] == [False] * 6 + [True] * 6
    assert statuses[mediators[0].pk].year_hours == Decimal("30")
    assert statuses[mediators[7].pk].missing == Decimal("20")


def test_mediator_with_too_few_hours_is_flagged_on_the_office_roster_page_and_report():
    staff, office = tf.office_staff()
    HourRequirement.objects.create(
        region=Region.objects.get(code="110000"), before_joining=40, per_year=20
    )
    short = rf.mediator("学时不足")
    enough = rf.mediator("学时充足")
    _credit(staff, office, [(short, 8), (enough, 24)])
    client = f.client_for(staff)

    page = client.get("/roster/manage/").content.decode()
    row_short = page.split("学时不足")[1].split("</tr>")[0]
    row_enough = page.split("学时充足")[1].split("</tr>")[0]
    assert 'data-testid="hours-flag"' in row_short and "12.0" in row_short
    assert 'data-testid="hours-flag"' not in row_enough

    report = client.get("/training/report/").content.decode()
    assert report.index("学时不足") < report.index("学时充足")  # the ones short come first
    assert report.split("学时不足")[1].split("</tr>")[0].count('data-testid="hours-flag"') == 1
    assert 'data-testid="hours-flag"' not in report.split("学时充足")[1].split("</tr>")[0]
    only_below = client.get("/training/report/?below=1").content.decode()
    assert "学时不足" in only_below and "学时充足" not in only_below

    answer = client.get("/training/report/?format=xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["学时不足"][2:5] == (8, 20, 12) and rows["学时不足"][7] == "未达标"
    assert rows["学时充足"][7] == "达标"


def test_court_roster_flags_for_its_clerks_only():
    court = f.court("培训法院", region="110108")
    short = rf.mediator("法院名册学时不足")
    rf.admitted(short, court)
    clerk = rf.clerk(court)
    page = f.client_for(clerk).get(f"/roster/courts/{court.pk}/").content.decode()
    assert 'data-testid="hours-flag"' in page.split("法院名册学时不足")[1].split("</tr>")[0]
    report = f.client_for(clerk).get("/training/report/").content.decode()
    assert "法院名册学时不足" in report
    public = f.Client().get(f"/roster/courts/{court.pk}/").content.decode()
    assert "法院名册学时不足" in public and 'data-testid="hours-flag"' not in public


def test_the_mediators_own_page_shows_their_hours_and_flag():
    user = f.person()
    m = rf.mediator("本人", id_number=user.id_number)
    m.user = user
    m.save()
    page = f.client_for(user).get("/roster/me/").content.decode()
    assert 'data-testid="training-hours"' in page and 'data-testid="hours-flag"' in page


def test_the_report_covers_only_the_viewers_area():
    staff, office = tf.office_staff(region="310000")
    rf.mediator("北京的调解员", region="110108")
    rf.mediator("上海的调解员", region="310101")
    page = f.client_for(staff).get("/training/report/").content.decode()
    assert "上海的调解员" in page and "北京的调解员" not in page
    party = f.person()
    assert f.client_for(party).get("/training/report/").status_code == 403


def test_setting_a_requirement_is_audited_and_limited_to_the_offices_region():
    from sutiao.audit.models import AuditEntry
    from sutiao.core.errors import Forbidden

    staff, office = tf.office_staff(region="110000")
    with transaction.atomic():
        courses.set_requirement(
            actor=staff, region=office.region, before_joining=Decimal(32), per_year=Decimal(16)
        )
    assert requirement_for("110101").per_year == 16
    assert AuditEntry.objects.filter(action="training.requirement_set").count() == 1
    with pytest.raises(Forbidden):
        courses.set_requirement(
            actor=staff,
            region=Region.objects.get(code="310000"),
            before_joining=Decimal(1),
            per_year=Decimal(1),
        )
    with pytest.raises(Forbidden):
        courses.set_requirement(
            actor=staff, region=None, before_joining=Decimal(1), per_year=Decimal(1)
        )


def test_the_offices_roster_page_reads_as_many_queries_for_2_and_12_flagged_mediators():
    staff, _office = tf.office_staff()
    client = f.client_for(staff)
    for i in range(2):
        rf.mediator(f"计数{i}")
    client.get("/roster/manage/")
    with CaptureQueriesContext(connection) as few:
        client.get("/roster/manage/")
    for i in range(2, 12):
        rf.mediator(f"计数{i}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/roster/manage/").content.decode()
    assert page.count('data-testid="hours-flag"') == 12
    assert len(many.captured_queries) == len(few.captured_queries)
