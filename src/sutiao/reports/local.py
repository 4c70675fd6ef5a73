"""Experience and problem reports (经验做法、困难问题) go up level by level (层报): a court or
a municipal or provincial IP office files one for its province; the provincial IP office
forwards what the nation should hear. The province's bulletin lists what was filed in its
period, the national bulletin what was forwarded."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.accounts.roles import Role
from sutiao.audit.log import record
from sutiao.core.errors import Conflict, Forbidden, Invalid
from sutiao.core.policy import require
from sutiao.evaluation import policies as figures
from sutiao.evaluation.scopes import Scope
from sutiao.institutions.models import Court, IPOffice

from .errors import ReportsError
from .models import LocalReport


def _filer(actor: User) -> tuple[Court | None, IPOffice | None, str]:
    """The court or IP office the person files for, and its province's code."""
    for m in actor.active_memberships:
        office, court = m.ip_office, m.court
        if office is not None and m.role == Role.IP_OFFICE_STAFF and office.region_id:
            return None, office, office.region_id[:2] + "0000"
        if court is not None and m.role in (Role.COURT_CLERK, Role.JUDGE) and court.region_id:
            return court, None, court.region_id[:2] + "0000"
    raise Forbidden(
        _("Experience and problem reports are filed by court or local IP office staff."),
        code=ReportsError.BAD_LOCAL_REPORT,
    )


@transaction.atomic
def file_local_report(*, actor: User, kind: str, title: str, text: str) -> LocalReport:
    court, office, province = _filer(actor)
    title, text = title.strip(), text.strip()
    missing = {
        name: [_("This field is required.")]
        for name, value in (("title", title), ("text", text))
        if not value
    }
    if kind not in LocalReport.Kind.values:
        missing["kind"] = [_("Choose experience or problem.")]
    if missing or len(title) > 200:
        raise Invalid(
            _("Give the kind, a title (at most 200 characters) and the text."),
            code=ReportsError.BAD_LOCAL_REPORT,
            fields=missing or {"title": [str(len(title))]},
        )
    local = LocalReport.objects.create(
        kind=kind,
        title=title,
        text=text,
        court=court,
        office=office,
        province=province,
        filed_by=actor,
    )
    record(actor, "reports.local_filed", local, summary=title[:100])
    return local


@transaction.atomic
def forward_local_report(*, actor: User, local: LocalReport) -> LocalReport:
    """The provincial level sends it up to the nation's joint meeting (once)."""
    require(actor, "view", local)
    local = LocalReport.objects.select_for_update().get(pk=local.pk)
    province = Scope("province", local.province)
    own = figures.own_scopes(actor)
    if not any(
        s.region_level in {"province", "nation"} and figures.contains(s, province) for s in own
    ):
        raise Forbidden(_("Only the provincial level forwards a report to the nation."))
    if local.forwarded:
        raise Conflict(
            _("This report has been forwarded already."), code=ReportsError.BAD_LOCAL_REPORT
        )
    local.forwarded = True
    local.save(update_fields=["forwarded"])
    record(actor, "reports.local_forwarded", local, summary=local.title[:100])
    return local
