"""The audit names of accounts (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "accounts",
    event("account.created", _("Account created")),
    event("account.profile_updated", _("Profile updated")),
    event("account.membership_added", _("Membership added")),
    event("account.second_factor_enrolled", _("Second factor enrolled")),
    event("account.api_token_issued", _("API token issued")),
    event("account.api_token_revoked", _("API token revoked")),
    event("account.verification_started", _("Identity verification started")),
    event("account.identity_verified", _("Identity verified")),
)
