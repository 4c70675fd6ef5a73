"""The authenticator app of a person who needs a second factor, with its secret encrypted.

django-otp's own `otp_totp.TOTPDevice` keeps the TOTP secret as plain hex: anyone with a
database dump could compute every staff member's codes. This device is the same TOTP device
(RFC 6238; its methods are django-otp's, borrowed, so verification, throttling and drift are
theirs) whose `key` is an envelope ciphertext (core.crypto), like phone numbers. django-otp
finds it as it finds any `Device` subclass of an installed app; migration 0005 moved the
devices stored before into it and emptied django-otp's table."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp import models as otp_totp

from sutiao.core.fields import EncryptedCharField


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    # django-otp's fields as they are, with names and help from our catalog (theirs are
    # English only): the admin shows these.
    user: models.ForeignKey[Any, Any] = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        verbose_name=_("user"),
        help_text=_("The person whose authenticator app this is."),
    )
    name: models.CharField[str, str] = models.CharField(
        _("name"), max_length=64, help_text=_("The name of the app, as its holder gave it.")
    )
    confirmed: models.BooleanField[bool, bool] = models.BooleanField(
        _("confirmed"), default=True, help_text=_("Its holder entered a first code from it.")
    )
    created_at: models.DateTimeField[Any, Any] = models.DateTimeField(
        _("enrolled at"), null=True, blank=True, auto_now_add=True
    )
    last_used_at: models.DateTimeField[Any, Any] = models.DateTimeField(
        _("last used at"), null=True, blank=True
    )
    key = EncryptedCharField(
        max_length=80, validators=[otp_totp.key_validator], default=otp_totp.default_key
    )
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=30)
    t0: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        default=1
    )
    drift: models.SmallIntegerField[int, int] = models.SmallIntegerField(default=0)
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    # django-otp's TOTP logic as it is: only the storage of the key differs.
    bin_key = otp_totp.TOTPDevice.bin_key
    config_url = otp_totp.TOTPDevice.config_url
    verify_token = otp_totp.TOTPDevice.verify_token
    get_throttle_factor = otp_totp.TOTPDevice.get_throttle_factor
    _read_str_from_settings = otp_totp.TOTPDevice._read_str_from_settings
