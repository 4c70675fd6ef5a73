"""Admin pages write through here so that an edit in the admin is audited like any other."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from sutiao.audit.log import diff, record
from sutiao.core.events import register_admin

PRIVATE = {"phone", "contact_phone", "password", "id_number_cipher", "id_number_hash"}


def _plain(obj) -> dict:
    data = model_to_dict(obj)
    return {k: ("***" if k in PRIVATE else str(v)) for k, v in data.items()}


class AuditedModelAdmin(admin.ModelAdmin):
    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        register_admin(model)  # the admin.<model>.created/updated/deleted names it writes

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = _plain(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
            super().save_model(request, obj, form, change)
            action = f"{obj._meta.model_name}.{'updated' if change else 'created'}"
            record(
                request.user,
                f"admin.{action}",
                obj,
                summary=str(obj),
                changes=diff(before, _plain(obj)),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, f"admin.{obj._meta.model_name}.deleted", obj, summary=str(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record(request.user, f"admin.{obj._meta.model_name}.deleted", obj, summary=str(obj))
            super().delete_queryset(request, queryset)
