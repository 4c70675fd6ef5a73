"""The names docking records (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "docking",
    event("docking.partner_registered", _("Docking partner registered")),
    event("docking.webhook_added", _("Webhook endpoint added")),
    event("docking.webhook_disabled", _("Webhook endpoint disabled")),
    event("docking.call", _("Call from a docking partner")),
    event("docking.application_received", _("Application received from a partner")),
    event("docking.event", _("Event for docking partners"), audit=False, outbox=True),
    event("docking.peer_added", _("Docking peer added")),
    event("docking.application_sent", _("Application sent to a docking peer")),
    event("docking.event_received", _("Event received from a docking peer")),
)
