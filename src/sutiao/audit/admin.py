from django.contrib import admin

from sutiao.core.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "seq",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
    )
    list_filter = ("action",)
    search_fields = ("action", "object_id", "actor_label", "summary")
