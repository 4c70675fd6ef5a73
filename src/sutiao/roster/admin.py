from django.contrib import admin

from sutiao.core.admin_audit import AuditedModelAdmin

from .models import Mediator


@admin.register(Mediator)
class MediatorAdmin(AuditedModelAdmin):
    list_display = ("name", "region", "status", "charges_fees", "id_number_masked")
    list_filter = ("status", "charges_fees")
    search_fields = ("name",)
    readonly_fields = ("id_number_masked",)
    autocomplete_fields = ("region", "user")
    filter_horizontal = ("orgs", "ip_kinds")
