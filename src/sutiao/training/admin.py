"""Admin pages: the hour requirements are set here (audited); the rest is for reading, since
every other change goes through the actions."""

from django.contrib import admin

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.core.admin import ReadOnlyAdmin

from .models import Application, Call, Course, Enrolment, HourRequirement, SignInImport


@admin.register(HourRequirement)
class HourRequirementAdmin(AuditedModelAdmin):
    list_display = ("__str__", "before_joining", "per_year")
    autocomplete_fields = ("region",)


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("title", "organiser_kind", "mode", "starts_on", "hours", "pre_joining")
    list_filter = ("mode", "organiser_kind", "pre_joining")
    search_fields = ("title",)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "watched_seconds", "hours", "credited_on")


@admin.register(SignInImport)
class SignInImportAdmin(ReadOnlyAdmin):
    list_display = ("filename", "course", "credited_count", "imported_at")


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("title", "office", "is_open", "created_at")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("name", "call", "state", "submitted_at")
    list_filter = ("state",)
    exclude = ("id_number_cipher", "id_number_hash")
