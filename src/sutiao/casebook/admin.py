"""The casebook in the admin: read only (every change goes through the actions)."""

from django.contrib import admin

from sutiao.core.admin import ReadOnlyAdmin

from .models import Article, Change, TypicalCase


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "ip_kind", "industry", "outcome", "published_at")
    list_filter = ("state", "ip_kind", "industry", "outcome")
    search_fields = ("title", "public_title")


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("typical_case", "field", "kind", "decision", "decided_at")
    list_filter = ("kind", "decision")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "state", "ip_kind", "published_at")
