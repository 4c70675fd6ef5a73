from django.contrib import admin

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.core.admin import NoAdd, NoDelete, ReadOnlyAdmin

from .models import Court, IPKind, IPOffice, MediationOrg, Region


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """Shipped data, updated by migrations."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(IPKind)
class IPKindAdmin(NoAdd, NoDelete, admin.ModelAdmin):
    list_display = ("code", "__str__", "order")


@admin.register(Court)
class CourtAdmin(AuditedModelAdmin):
    list_display = ("name", "level", "region", "is_ip_court", "has_ip_tribunal", "active")
    list_filter = ("level", "is_ip_court", "has_ip_tribunal", "active")
    search_fields = ("name", "region__name")
    autocomplete_fields = ("region", "parent")
    raw_id_fields = ("filing_head",)  # OMR 10: told when no mediator is assigned in time
    filter_horizontal = ("ip_kinds",)


@admin.register(IPOffice)
class IPOfficeAdmin(AuditedModelAdmin):
    list_display = ("name", "level", "region", "parent")
    list_filter = ("level",)
    search_fields = ("name",)
    autocomplete_fields = ("region", "parent")


@admin.register(MediationOrg)
class MediationOrgAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "charges_fees", "active")
    list_filter = ("kind", "charges_fees", "active")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("region",)
    filter_horizontal = ("ip_kinds",)
