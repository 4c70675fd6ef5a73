from django.contrib import admin

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.core.admin import ReadOnlyAdmin

from .models import Batch, DeclaredConflict


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(AuditedModelAdmin):
    """Conflicts a mediator declared (OMR 13): matching never offers them for such a case."""

    list_display = ("mediator", "kind", "name", "uscc", "declared_at")
    list_filter = ("kind",)
    search_fields = ("name", "uscc", "mediator__name")
    raw_id_fields = ("mediator", "declared_by")


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ("title", "court", "total", "created_count", "error_count", "created_at")
    search_fields = ("title", "applicant_name")
