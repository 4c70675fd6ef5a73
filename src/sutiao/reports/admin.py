"""Admin pages: the joint meetings (members, schedule) are kept here, audited; reports and
local reports are for reading, since they change only through the actions."""

from django.contrib import admin

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.core.admin import ReadOnlyAdmin

from .models import JointMeeting, LocalReport, Report


@admin.register(JointMeeting)
class JointMeetingAdmin(AuditedModelAdmin):
    list_display = ("name", "scope_level", "scope_key", "schedule")
    filter_horizontal = ("members",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "state", "issued_at")
    list_filter = ("kind", "state", "period")


@admin.register(LocalReport)
class LocalReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "province", "forwarded", "filed_at")
