"""Journey: a professional applies through an IP office's public call on a phone, the office
accepts them into pre-joining training, records the training from the on-site sign-in list,
and enters them into the roster collection."""

import pytest
from django_otp.oath import totp

from sutiao.accounts.roles import Role
from sutiao.roster.models import Mediator
from sutiao.training.actions import recruitment
from sutiao.training.models import Application, HourRequirement
from tests import factories as f

from . import factories as tf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.rule("SIR-7"),
]


def _log_in(new_page, base: str, user, device=None, *, phone=False):
    page = new_page(phone=phone)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url("**/accounts/second-factor/**")
        page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
        page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_professional_applies_office_accepts_training_recorded_joins_collection(
    live_server, in_browser, tmp_path
):
    base = live_server.url
    office = f.office("北京市知识产权局招募", region="110000")
    staff = f.person(Role.IP_OFFICE_STAFF, ip_office=office)
    device = f.with_totp(staff)
    HourRequirement.objects.create(region=None, before_joining=8, per_year=16)
    course = tf.course(staff, office, hours="8", pre_joining=True, title="入册前培训（线下）")
    call = recruitment.save_call(
        actor=staff,
        office=office,
        title="公开招募知识产权调解员",
        text="",
        course=course,
        is_open=True,
    )
    person = f.person()
    certificate = tmp_path / "专利代理师资格证.pdf"
    certificate.write_bytes(b"%PDF-1.4\n% a scanned certificate\n")
    sign_in = tmp_path / "签到表.xlsx"
    sign_in.write_bytes(tf.sign_in_xlsx([(person.real_name, person.id_number, "")]))

    def journey(new_page):
        # The professional reads the public call and applies from a phone.
        page = _log_in(new_page, base, person, phone=True)
        page.goto(f"{base}/training/calls/{call.pk}/")
        assert "公开招募知识产权调解员" in page.content()
        page.click(f"a[href='/training/calls/{call.pk}/apply/']")
        page.select_option("select[name=region]", "110108")
        page.check("input[name=qualifications][value=patent_attorney]")
        page.check("input[name=ip_kinds][value=patent]")
        page.fill("input[name=technical_fields]", "通信、半导体")
        page.fill("textarea[name=experience]", "十二年专利代理经验")
        page.fill("textarea[name=conflicts]", "曾代理某通信公司")
        page.set_input_files("input[name=files]", str(certificate))
        page.click("main button.primary")
        page.wait_for_url("**/training/applications/*/")
        application = Application.objects.get(applicant=person)
        assert page.locator("[data-testid=state]").inner_text() == application.get_state_display()
        assert page.errors == []

        # The IP office reviews it and accepts into the pre-joining training.
        office_page = _log_in(new_page, base, staff, device)
        office_page.goto(f"{base}/training/applications/")
        office_page.click(f"a[href='/training/applications/{application.pk}/']")
        assert "专利代理师资格证.pdf" in office_page.content()
        office_page.click("button[data-step=accept]")
        office_page.wait_for_url(f"**/training/applications/{application.pk}/")
        assert office_page.locator("[data-testid=hours]").inner_text().startswith("0")

        # The training is recorded from the on-site sign-in list.
        office_page.goto(f"{base}/training/courses/{course.pk}/")
        office_page.click(f"a[href='/training/courses/{course.pk}/sign-in/']")
        office_page.set_input_files("input[name=file]", str(sign_in))
        office_page.click("main button.primary")
        office_page.wait_for_url("**/training/sign-ins/*/")
        assert "1" in office_page.locator("[data-testid=sign-in-summary]").inner_text()

        # With the hours done, the office enters the person into the roster collection.
        office_page.goto(f"{base}/training/applications/{application.pk}/")
        office_page.click("button[data-step=join]")
        office_page.wait_for_url(f"**/training/applications/{application.pk}/")
        office_page.goto(f"{base}/roster/manage/")
        row = office_page.locator(
            "table[data-testid=maintained] tbody tr", has_text=person.real_name
        )
        assert row.count() == 1
        assert office_page.errors == []

    in_browser(journey)
    mediator = Mediator.objects.get(id_number_hash=person.id_number_hash)
    assert mediator.user_id == person.pk
    assert Application.objects.get(applicant=person).state == "joined"
