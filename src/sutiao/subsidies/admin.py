from django.contrib import admin

from .models import Scheme, Sheet


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    """Read-only: schemes change through their pages (each change a new version, audited)."""

    list_display = ("name", "office", "court", "region", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Sheet)
class SheetAdmin(SchemeAdmin):
    list_display = ("scheme", "period_start", "period_end", "state", "total_fen")
