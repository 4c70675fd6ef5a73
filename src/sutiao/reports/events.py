"""The names reports record (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "reports",
    event("reports.requested", _("Report requested")),
    event("reports.generated", _("Report generated")),
    event("reports.commentary_written", _("Report commentary written")),
    event("reports.issued", _("Report issued"), outbox=True),
    event("reports.local_filed", _("Experience or problem report filed")),
    event("reports.local_forwarded", _("Experience or problem report forwarded upward")),
)
