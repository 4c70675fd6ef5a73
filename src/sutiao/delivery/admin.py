"""Admin: message templates are edited here; services and deliveries are read-only records."""

from django.contrib import admin

from sutiao.core.admin import ReadOnlyAdmin

from .models import Delivery, DeliveryEvent, MessageTemplate, Service, SmsRecord


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "email_subject"]
    list_filter = ["language"]
    search_fields = ["key", "email_subject"]


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "party", "kind", "state", "created_at", "effective_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "case__number"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "channel", "purpose", "state", "attempts", "available_at", "message_id"]
    list_filter = ["state", "channel", "purpose"]
    search_fields = ["message_id"]
    exclude = ["address"]  # personal data: see it on the service page, masked


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "at", "service", "delivery"]
    list_filter = ["kind"]


@admin.register(SmsRecord)
class SmsRecordAdmin(ReadOnlyAdmin):
    """What the local SMS backend "sent" (the embedded default has no gateway): where a demo
    user reads a signing code sent by SMS. Empty once SUTIAO_SMS_BACKEND names a gateway."""

    list_display = ["created_at", "to", "text"]
    search_fields = ["to"]
