"""Demo training: a pre-joining course and a public call of the Beijing office, and an on-site
course whose sign-in list credits half of the Beijing mediators (the others show as short)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from openpyxl import Workbook

from sutiao.accounts.models import User
from sutiao.institutions.models import IPOffice
from sutiao.roster.models import Mediator
from sutiao.training.actions import attendance, courses, recruitment
from sutiao.training.models import Call, Course

if TYPE_CHECKING:
    from .data import Loaded

OFFICE = "北京市知识产权局"


def _course(staff: User, office: IPOffice, title: str, pre_joining: bool) -> Course:
    day = timezone.localdate() - timedelta(days=7)
    return courses.save_course(
        actor=staff,
        data={
            "title": title,
            "topic": "专利侵权纠纷调解",
            "organiser_kind": Course.Organiser.IP_OFFICE,
            "office": office,
            "mode": Course.Mode.ON_SITE,
            "starts_on": day,
            "ends_on": day + timedelta(days=1),
            "hours": Decimal("16"),
            "pre_joining": pre_joining,
            "place": "北京市海淀区",
        },
    )


def _sign_in(staff: User, course: Course) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号"])
    for m in Mediator.objects.filter(region__code__startswith="11").order_by("pk")[::2]:
        sheet.append([m.name, m.id_number])
    out = io.BytesIO()
    book.save(out)
    attendance.import_sign_in(
        actor=staff, course=course, filename="签到表.xlsx", content=out.getvalue()
    )


def _make(staff: User, office: IPOffice) -> None:
    if Call.objects.filter(office=office).exists():
        return
    # The region's own hours (SIR 7: configurable): 40 before joining, 16 a year.
    courses.set_requirement(
        actor=staff, region=office.region, before_joining=Decimal("40"), per_year=Decimal("16")
    )
    pre = _course(staff, office, "特邀调解员入册前培训", True)
    recruitment.save_call(
        actor=staff,
        office=office,
        title="北京市知识产权纠纷调解员公开招募",
        text="欢迎专利代理师、律师、工程技术人员、退休法官报名。",
        course=pre,
        is_open=True,
    )
    _sign_in(staff, _course(staff, office, "知识产权纠纷调解实务（年度培训）", False))


def load(loaded: Loaded) -> None:
    staff = User.objects.filter(username="ipoffice").first()
    office = IPOffice.objects.filter(name=OFFICE).first()
    if staff is None or office is None:
        loaded.problems.append("未能创建 / could not make training: no Beijing IP office log-in")
        return
    loaded.step("training", _make, staff, office)
