"""Training builders: courses, sign-in lists as real XLSX files, applicants."""

from __future__ import annotations

import datetime as dt  # noqa: F401  (tests use tf.dt)
import io
from decimal import Decimal

from openpyxl import Workbook

from sutiao.accounts.roles import Role
from sutiao.training.actions import courses
from sutiao.training.models import Course
from tests import factories as f


def office_staff(region: str = "110000", **kw):
    office = f.office(region=region, **kw)
    return f.person(Role.IP_OFFICE_STAFF, ip_office=office), office


def course(
    staff,
    office,
    *,
    mode: str = Course.Mode.ON_SITE,
    hours: str = "16",
    pre_joining: bool = False,
    video_seconds: int | None = None,
    on: dt.date | None = None,
    title: str = "专利侵权纠纷调解实务",
) -> Course:
    on = on or dt.date.today()
    return courses.save_course(
        actor=staff,
        data={
            "title": title,
            "topic": "专利",
            "organiser_kind": Course.Organiser.IP_OFFICE,
            "office": office,
            "mode": mode,
            "starts_on": on,
            "ends_on": on,
            "hours": Decimal(hours),
            "pre_joining": pre_joining,
            "video_seconds": video_seconds
            if video_seconds is not None
            else (600 if mode == "online" else 0),
        },
    )


def sign_in_xlsx(rows: list[tuple], header=("姓名", "身份证号", "学时")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
