"""Recruitment: apply through an IP office's public call, the office asks for more, accepts
into pre-joining training, and on completion of the hours enters the person into the roster
collection through roster.actions (SIR 7: trained before joining)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.roster.models import Mediator
from sutiao.training.actions import attendance, recruitment
from sutiao.training.models import ApplicationState as S
from sutiao.training.models import Enrolment, HourRequirement
from tests import factories as f

from . import factories as tf

pytestmark = [pytest.mark.django_db]


def _call(staff, office, hours="8"):
    course = tf.course(staff, office, hours=hours, pre_joining=True, title="入册前培训")
    return recruitment.save_call(
        actor=staff,
        office=office,
        title="招募知识产权调解员",
        text="欢迎专利代理师",
        course=course,
        is_open=True,
    )


def _data(**kw):
    return {
        "region": "110108",
        "qualifications": ["patent_attorney"],
        "ip_kinds": ["patent"],
        "technical_fields": "通信、半导体",
        "experience": "十年专利代理经验",
        "conflicts": "曾代理甲公司",
        "files": [SimpleUploadedFile("资格证.pdf", b"%PDF-1.4 test")],
        **kw,
    }


@pytest.mark.rule("SIR-7")
def test_apply_ask_more_accept_train_and_join_the_roster_collection():
    staff, office = tf.office_staff()
    HourRequirement.objects.create(region=None, before_joining=8, per_year=16)
    call = _call(staff, office)
    person = f.person()
    a = recruitment.apply(actor=person, call=call, data=_data())
    assert (
        a.state == S.SUBMITTED
        and a.files.count() == 1
        and a.id_number_hash == person.id_number_hash
    )

    recruitment.ask_more(actor=staff, application=a, request="请补充执业证书")
    with pytest.raises(Forbidden):  # the office does not answer for the applicant
        recruitment.answer(actor=staff, application=a, answer="x")
    recruitment.answer(
        actor=person,
        application=a,
        answer="已上传",
        files=[SimpleUploadedFile("执业证.pdf", b"%PDF")],
    )
    a = recruitment.accept(actor=staff, application=a)
    assert a.state == S.TRAINING
    enrolment = Enrolment.objects.get(application=a)

    with pytest.raises(Conflict) as caught:  # the hours before joining are not done
        recruitment.join(actor=staff, application=a)
    assert caught.value.details["precondition"] == "hours_done"
    assert not Mediator.objects.filter(id_number_hash=person.id_number_hash).exists()

    sheet = tf.sign_in_xlsx([(person.real_name, person.id_number, "")])
    attendance.import_sign_in(
        actor=staff, course=enrolment.course, filename="签到.xlsx", content=sheet
    )
    a = recruitment.join(actor=staff, application=a)
    mediator = a.mediator
    assert a.state == S.JOINED and mediator.status == Mediator.Status.ACTIVE
    assert mediator.user_id == person.pk and mediator.qualifications == ["patent_attorney"]
    assert list(mediator.ip_kinds.values_list("code", flat=True)) == ["patent"]
    assert Enrolment.objects.get(pk=enrolment.pk).mediator_id == mediator.pk
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "training.applied",
        "training.accepted",
        "training.joined",
        "mediator.created",
    } <= actions
    # The office now maintains them in its collection, with their pre-joining hours.
    page = f.client_for(staff).get("/roster/manage/").content.decode()
    assert person.real_name in page


def test_bad_applications_change_nothing_and_say_why():
    staff, office = tf.office_staff()
    call = _call(staff, office)
    person = f.person()
    with pytest.raises(Invalid) as caught:
        recruitment.apply(
            actor=person,
            call=call,
            data=_data(region="310101", qualifications=[], technical_fields=" ", experience=""),
        )
    assert set(caught.value.details["fields"]) == {
        "region",
        "qualifications",
        "technical_fields",
        "experience",
    }
    assert not call.applications.exists()
    recruitment.apply(actor=person, call=call, data=_data())
    with pytest.raises(Conflict):
        recruitment.apply(actor=person, call=call, data=_data())
    call.is_open = False
    call.save()
    with pytest.raises((Conflict, NotFound)):
        recruitment.apply(actor=f.person(), call=call, data=_data())


def test_strangers_do_not_see_an_application_and_other_offices_do_not_decide():
    staff, office = tf.office_staff()
    call = _call(staff, office)
    person = f.person()
    a = recruitment.apply(actor=person, call=call, data=_data())
    other, _ = tf.office_staff(region="310000")
    with pytest.raises(NotFound):
        recruitment.accept(actor=other, application=a)
    assert f.client_for(other).get(f"/training/applications/{a.pk}/").status_code == 404
    assert f.client_for(person).get(f"/training/applications/{a.pk}/").status_code == 200
    with pytest.raises(Forbidden):
        recruitment.accept(actor=person, application=a)
    with pytest.raises(Invalid):
        recruitment.reject(actor=staff, application=a, reason="  ")
    a = recruitment.reject(actor=staff, application=a, reason="资质不符")
    with pytest.raises(Conflict) as caught:
        recruitment.accept(actor=staff, application=a)
    assert caught.value.code == "application.invalid_transition"


def test_the_public_call_page_is_open_to_visitors():
    staff, office = tf.office_staff()
    call = _call(staff, office)
    page = f.Client().get(f"/training/calls/{call.pk}/")
    assert page.status_code == 200 and "招募知识产权调解员" in page.content.decode()
    call.is_open = False
    call.save()
    assert f.Client().get(f"/training/calls/{call.pk}/").status_code == 404
