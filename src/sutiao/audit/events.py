"""The audit names of security events: log-ins and reads of personal data (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "audit",
    event("security.login", _("Logged in")),
    event("security.login_failed", _("Log-in failed")),
    event("security.logout", _("Logged out")),
    event("security.personal_data_read", _("Personal data shown unmasked")),
    event("security.keys_rotated", _("Master key rotated")),
)
