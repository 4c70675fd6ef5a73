"""The roster an IP office maintains, as a workbook."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.institutions.models import MediationOrg

from .. import queries, spreadsheets
from ..models import Mediator, RosterEntry
from ._common import office_only, xlsx

MEDIATOR_COLUMNS = [
    "姓名",
    "身份证号码（已遮蔽）",
    "手机号码（已遮蔽）",
    "行政区划代码",
    "地区",
    "所属调解组织",
    "擅长领域",
    "技术领域",
    "工作语言",
    "资质",
    "是否收费",
    "状态",
    "特邀法院",
]
ORG_COLUMNS = [
    "名称",
    "类型",
    "行政区划代码",
    "地区",
    "统一社会信用代码",
    "受理纠纷类型",
    "是否收费",
    "状态",
]


def _kinds(subject: Mediator | MediationOrg) -> str:
    return "、".join(spreadsheets.IP_KIND_TITLES.get(k.pk, k.pk) for k in subject.ip_kinds.all())


def _mediator_row(m: Mediator) -> list[Any]:
    return [
        m.name,
        m.id_number_masked,
        m.phone_masked,
        m.region_id,
        m.region.full_name,
        "、".join(o.name for o in m.orgs.all()),
        _kinds(m),
        m.technical_fields,
        m.languages,
        "、".join(spreadsheets.QUALIFICATION_TITLES.get(q, q) for q in m.qualifications),
        "是" if m.charges_fees else "否",
        m.get_status_display(),
        "、".join(
            e.court.name for e in m.roster_entries.all() if e.status == RosterEntry.Status.ADMITTED
        ),
    ]


def _org_row(o: MediationOrg) -> list[Any]:
    return [
        o.name,
        o.get_kind_display(),
        o.region_id,
        o.region.full_name,
        o.uscc,
        _kinds(o),
        "是" if o.charges_fees else "否",
        _("Active") if o.active else _("Suspended"),
    ]


@login_required
def export(request):
    office_only(request)
    mediators = queries.mediators_maintained_by(request.user).prefetch_related(
        "roster_entries__court"
    )
    orgs = queries.orgs_maintained_by(request.user)
    mediator_rows = map(_mediator_row, mediators.iterator(chunk_size=1000))
    org_rows = map(_org_row, orgs.iterator(chunk_size=1000))
    data = spreadsheets.table(
        [("调解员", MEDIATOR_COLUMNS, mediator_rows), ("调解组织", ORG_COLUMNS, org_rows)]
    )
    return xlsx(data, f"roster-{timezone.localdate():%Y%m%d}.xlsx")
