"""Agreement templates are data: a new wording is a new version row (published), added here
without a release; agreements keep the version they were drafted with."""

from django.contrib import admin

from sutiao.core.admin import NoAdd, NoDelete

from .models import Agreement, AgreementTemplate, AgreementTemplateVersion


class VersionInline(admin.StackedInline):
    model = AgreementTemplateVersion
    extra = 0
    fields = ["number", "title", "wording", "published"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    inlines = [VersionInline]


@admin.register(Agreement)
class AgreementAdmin(NoAdd, NoDelete, admin.ModelAdmin):
    list_display = ["id", "case", "state", "offline", "effective_at", "verify_code"]
    list_filter = ["state", "offline"]
    readonly_fields = [f.name for f in Agreement._meta.fields]
