from django.contrib import admin

from sutiao.audit.admin_audit import AuditedModelAdmin
from sutiao.core.admin import NoAdd

from .models import ImportJob, Mediator, Recommendation, RosterEntry, RosterMeasure


@admin.register(Mediator)
class MediatorAdmin(AuditedModelAdmin):
    list_display = ("name", "region", "status", "charges_fees", "id_number_masked")
    list_filter = ("status", "charges_fees")
    search_fields = ("name",)
    readonly_fields = ("id_number_masked",)
    exclude = ("phone",)
    autocomplete_fields = ("region", "user")
    filter_horizontal = ("orgs", "ip_kinds")


@admin.register(Recommendation)
class RecommendationAdmin(AuditedModelAdmin):
    list_display = ("__str__", "office", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("office", "court", "org", "mediator", "created_by", "decided_by")


class MeasureInline(admin.TabularInline):
    model = RosterMeasure
    extra = 0
    readonly_fields = ("kind", "reason", "by", "at")


@admin.register(RosterEntry)
class RosterEntryAdmin(AuditedModelAdmin):
    list_display = (
        "__str__",
        "certificate_number",
        "status",
        "term_start",
        "term_end",
        "ip_specialty",
    )
    list_filter = ("status", "ip_specialty")
    raw_id_fields = ("court", "org", "mediator", "recommendation", "admitted_by")
    inlines = [MeasureInline]


@admin.register(ImportJob)
class ImportJobAdmin(NoAdd, admin.ModelAdmin):
    list_display = ("filename", "kind", "status", "created_count", "existing_count", "error_count")
    readonly_fields = [f.name for f in ImportJob._meta.fields]
