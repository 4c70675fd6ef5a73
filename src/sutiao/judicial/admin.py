from django.contrib import admin

from sutiao.core.admin import ReadOnlyAdmin

from .models import ConfirmationApplication, MediationDocument


@admin.register(ConfirmationApplication)
class ConfirmationApplicationAdmin(ReadOnlyAdmin):
    list_display = ["id", "number", "court", "state", "deadline_at"]
    list_filter = ["state", "court"]


@admin.register(MediationDocument)
class MediationDocumentAdmin(ReadOnlyAdmin):
    list_display = ["id", "filed_case", "state", "issued_at", "effective_at"]
    list_filter = ["state"]
