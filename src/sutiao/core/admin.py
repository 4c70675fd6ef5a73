"""Admin pages that only read: what changes goes through the actions (pages and API).

Mix in what an admin page must not do — `class DocumentAdmin(NoAdd, NoChange,
admin.ModelAdmin)` — or take `ReadOnlyAdmin` for a record nobody edits here. This module
registers no model."""

from django.contrib import admin


class NoAdd:
    def has_add_permission(self, request):
        return False


class NoChange:
    def has_change_permission(self, request, obj=None):
        return False


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoAdd, NoChange, NoDelete, admin.ModelAdmin):
    """Changes go through the actions (pages and API); the admin only reads."""
