"""Our names for the third-party apps that the admin shows (issue 15, item 7): the packages
ship English only and their files are not ours to edit, so each class here takes the place of
the package's AppConfig in INSTALLED_APPS, with the same name and label (models, tables and
migrations stay the package's) and names from our catalog.

A model's names are set on its `_meta` once the models are loaded, and not in
`_meta.original_attrs`, which is what makemigrations reads: the package's models look
unchanged to it, so no migration is ever wanted inside site-packages."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from oauth2_provider.apps import DOTConfig


def _name_models(config: AppConfig, names: dict[str, tuple[object, object]]) -> None:
    for model_name, (singular, plural) in names.items():
        meta = config.get_model(model_name)._meta
        meta.verbose_name = singular  # type: ignore[assignment]
        meta.verbose_name_plural = plural  # type: ignore[assignment]


class OAuth2ProviderConfig(DOTConfig):
    """django-oauth-toolkit: the client credentials of docking partners and their tokens."""

    verbose_name = _("OAuth 2.0 clients and tokens")

    def ready(self) -> None:
        super().ready()
        _name_models(
            self,
            {
                "Application": (_("OAuth client"), _("OAuth clients")),
                "Grant": (_("authorisation code"), _("authorisation codes")),
                "AccessToken": (_("access token"), _("access tokens")),
                "RefreshToken": (_("refresh token"), _("refresh tokens")),
                "IDToken": (_("ID token"), _("ID tokens")),
                "DeviceGrant": (_("device authorisation"), _("device authorisations")),
            },
        )


class OTPConfig(AppConfig):
    """django-otp's core (no AppConfig of its own)."""

    name = "django_otp"
    label = "django_otp"
    verbose_name = _("Second factor")


class TOTPConfig(AppConfig):
    """django-otp's TOTP devices: the authenticator apps of staff."""

    name = "django_otp.plugins.otp_totp"
    label = "otp_totp"
    verbose_name = _("Authenticator apps (TOTP)")
    default_auto_field = "django.db.models.AutoField"  # the package's own, as its migrations

    def ready(self) -> None:
        _name_models(self, {"TOTPDevice": (_("TOTP device"), _("TOTP devices"))})
