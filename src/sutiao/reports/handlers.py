"""Serving an issued report: after `reports.issued` commits, the delivery worker tells each
member of the scope's joint meeting (inbox, and e-mail as they prefer) with a link to the
report. The notice is not tied to a case, so it is delivery's plain `notice` message, not a
row of web.notices' case table (which names reports.issued as handled here)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sutiao.core.links import site_link

from .models import Report


def serve_issued(payload: dict[str, Any]) -> None:

    from sutiao.delivery import messages
    from sutiao.delivery.actions.outgoing import notify_user

    from . import policies, render

    report = Report.objects.filter(pk=int(payload.get("report") or 0)).first()
    if report is None or report.state != Report.State.ISSUED:
        return
    url = site_link("reports:detail", report.pk)
    title = render.title_of(report)
    zh = {"title": f"已印发：{title}", "text": f"{title}已印发，请查阅：{url}"}
    en = {"title": f"Issued: {title}", "text": f"The report {title} has been issued: {url}"}
    now = timezone.now()
    for user in policies.report_members(report).exclude(pk=payload.get("actor") or 0).distinct():
        context = en if messages.language_of(user) == "en" else zh
        notify_user(user, "notice", now=now, context=context)


def register() -> None:
    from sutiao.delivery.engine import HANDLERS

    HANDLERS.setdefault("reports.issued", serve_issued)
