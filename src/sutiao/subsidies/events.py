"""The names subsidies record (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "subsidies",
    event("subsidy.scheme_created", _("Subsidy scheme created")),
    event("subsidy.scheme_changed", _("Subsidy scheme changed (new version)")),
    event("subsidy.sheet_prepared", _("Subsidy sheet computed"), outbox=True),
    event("subsidy.sheet_reviewed", _("Subsidy sheet reviewed"), outbox=True),
    event("subsidy.sheet_approved", _("Subsidy sheet approved"), outbox=True),
    event("subsidy.sheet_returned", _("Subsidy sheet sent back"), outbox=True),
)
