"""On-site attendance: the organiser's sign-in list (XLSX). Good rows are credited, bad rows
come back with their line and reasons and change nothing; an unreadable file changes nothing."""

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Forbidden, Invalid
from sutiao.training.actions import attendance
from sutiao.training.models import Enrolment, SignInImport
from tests import factories as f
from tests.roster import factories as rf

from . import factories as tf

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-7")]


def test_sign_in_list_with_bad_rows_is_imported_with_row_errors():
    staff, office = tf.office_staff()
    course = tf.course(staff, office, hours="8")
    a, b, c = rf.mediator("签到甲"), rf.mediator("签到乙"), rf.mediator("签到丙")
    d, e, g = rf.mediator("签到丁"), rf.mediator("签到戊"), rf.mediator("签到己")
    content = tf.sign_in_xlsx(
        [
            ("签到甲", a.id_number, ""),  # whole course
            ("签到乙", b.id_number, 4),  # half
            ("", d.id_number, ""),  # line 4: no name
            ("签到丙", "110101199001011234", ""),  # line 5: checksum wrong
            ("陌生人", f.id_number(7777), ""),  # line 6: nobody on the platform
            ("签到乙", b.id_number, ""),  # line 7: twice
            ("别名", c.id_number, 2),  # line 8: name does not match
            ("签到戊", e.id_number, 12),  # line 9: more than the course
            ("签到己", g.id_number, "两小时"),  # line 10: not a number
            (None, None, None),  # an empty row is skipped
        ]
    )
    result = attendance.import_sign_in(
        actor=staff, course=course, filename="签到表.xlsx", content=content
    )

    assert result.credited_count == 2
    by_line = {e["line"]: (e["name"], e["reasons"]) for e in result.errors}
    assert by_line == {
        4: ("", ["no_name"]),
        5: ("签到丙", ["bad_id_number"]),
        6: ("陌生人", ["unknown"]),
        7: ("签到乙", ["twice"]),
        8: ("别名", ["name_differs"]),
        9: ("签到戊", ["hours_out_of_range"]),
        10: ("签到己", ["hours_not_a_number"]),
    }
    assert c.id_number not in str(result.errors)  # never an identity number in the report
    hours = {e.mediator.name: e.hours for e in Enrolment.objects.filter(course=course)}
    assert hours == {"签到甲": 8, "签到乙": 4}  # nobody of a bad row is enrolled or credited
    entry = AuditEntry.objects.filter(action="training.sign_in_imported").get()
    assert entry.changes == {"credited": 2, "rows_with_errors": 7}

    page = f.client_for(staff).get(f"/training/sign-ins/{result.pk}/").content.decode()
    assert 'data-testid="sign-in-errors"' in page and "陌生人" in page


def test_row_errors_are_shown_in_the_readers_language():
    staff, office = tf.office_staff()
    course = tf.course(staff, office)
    result = attendance.import_sign_in(
        actor=staff,
        course=course,
        filename="x.xlsx",
        content=tf.sign_in_xlsx([("某人", "123", "")]),
    )
    assert result.errors == [{"line": 2, "name": "某人", "reasons": ["bad_id_number"]}]
    client = f.client_for(staff)
    client.cookies["django_language"] = "en"
    page = client.get(
        f"/training/sign-ins/{result.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The identity number is missing or not valid." in page


def test_the_same_list_twice_credits_nothing_new():
    staff, office = tf.office_staff()
    course = tf.course(staff, office, hours="8")
    m = rf.mediator("重复导入")
    content = tf.sign_in_xlsx([("重复导入", m.id_number, "")])
    attendance.import_sign_in(actor=staff, course=course, filename="a.xlsx", content=content)
    again = attendance.import_sign_in(
        actor=staff, course=course, filename="a.xlsx", content=content
    )
    assert again.credited_count == 0
    assert AuditEntry.objects.filter(action="training.hours_credited").count() == 1


@pytest.mark.parametrize(
    "content",
    [b"not a workbook", tf.sign_in_xlsx([("甲", "x")], header=("名字", "号码"))],
    ids=["not-xlsx", "no-header"],
)
def test_an_unreadable_list_changes_nothing(content):
    staff, office = tf.office_staff()
    course = tf.course(staff, office)
    with pytest.raises(Invalid) as caught:
        attendance.import_sign_in(actor=staff, course=course, filename="bad.xlsx", content=content)
    assert caught.value.code == "training.bad_sign_in"
    assert not SignInImport.objects.exists() and not Enrolment.objects.exists()


def test_only_the_organiser_imports_and_a_stranger_sees_nothing():
    staff, office = tf.office_staff()
    course = tf.course(staff, office)
    other, _ = tf.office_staff(region="310000")
    with pytest.raises(Forbidden):
        attendance.import_sign_in(
            actor=other, course=course, filename="a.xlsx", content=tf.sign_in_xlsx([])
        )
    result = attendance.import_sign_in(
        actor=staff, course=course, filename="a.xlsx", content=tf.sign_in_xlsx([])
    )
    assert f.client_for(other).get(f"/training/sign-ins/{result.pk}/").status_code == 404
    with pytest.raises(Forbidden):  # courses are listed to everyone signed in; managed by few
        attendance.import_sign_in(actor=f.person(), course=course, filename="a", content=b"")
