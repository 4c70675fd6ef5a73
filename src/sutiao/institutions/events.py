"""The audit names of courts, IP offices and organisations (core.events).

`org.reactivated` and `org.suspended` are the roster's (roster.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "institutions",
    event("court.created", _("Court created")),
    event("court.updated", _("Court updated")),
    event("court.settings_updated", _("Court settings updated")),
    event("ip_office.created", _("IP office created")),
    event("ip_office.updated", _("IP office updated")),
    event("org.created", _("Mediation organisation created")),
    event("org.updated", _("Mediation organisation updated")),
    event("org.imported", _("Mediation organisations imported")),
)
