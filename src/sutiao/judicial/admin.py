from django.contrib import admin

from .models import ConfirmationApplication, MediationDocument


class ReadOnly(admin.ModelAdmin):
    """Changes go through the actions (pages and API); the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConfirmationApplication)
class ConfirmationApplicationAdmin(ReadOnly):
    list_display = ["id", "number", "court", "state", "deadline_at"]
    list_filter = ["state", "court"]


@admin.register(MediationDocument)
class MediationDocumentAdmin(ReadOnly):
    list_display = ["id", "filed_case", "state", "issued_at", "effective_at"]
    list_filter = ["state"]
