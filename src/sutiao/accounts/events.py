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
    event("account.password_changed", _("Password changed")),
    event("account.sessions_ended", _("All sessions and API tokens ended")),
    event("account.disabled", _("Account disabled")),
    event("account.locked", _("Log-ins locked after repeated failures")),
    event("account.unlocked", _("Log-ins unlocked with a one-time code")),
    event("account.verification_started", _("Identity verification started")),
    event("account.identity_verified", _("Identity verified")),
    event("account.phone_change_started", _("Code sent to a new phone")),
    event("account.phone_changed", _("Phone changed, confirmed by the code sent to it")),
    event("account.registration_notice", _("Registration with the account's particulars refused")),
)
