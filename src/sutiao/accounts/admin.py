from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sutiao.audit.admin_audit import AuditedModelAdmin

from . import actions
from .devices import AuthenticatorDevice
from .models import APIToken, Membership, User


class MembershipInline(admin.StackedInline):  # stacked: every field keeps its label (axe)
    model = Membership
    extra = 0
    autocomplete_fields = ("court", "ip_office", "org")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "real_name", "kind", "id_number_masked", "is_active")
    search_fields = ("username", "real_name", "email")
    readonly_fields = ("id_number_masked", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {
                "fields": (
                    "kind",
                    "real_name",
                    "id_number_masked",
                    "uscc",
                    "phone",
                    "email",
                    "preferred_language",
                )
            },
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Disabled here too: every session and API token ends at once.
            actions.disable_account(actor=request.user, user=obj)


@admin.register(APIToken)
class APITokenAdmin(AuditedModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")


# django-otp's own TOTP device keeps its secret in clear: devices are AuthenticatorDevice
# (accounts.devices), whose secret the admin never shows.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(AuditedModelAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = ("user", "created_at", "last_used_at")
    search_fields = ("user__username", "user__real_name")

    def has_add_permission(self, request):
        return False  # a person enrols their own app on the second-factor page
