"""Identity numbers and phone numbers: validation, and storage that never keeps them in clear."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import ric

from sutiao.core import crypto
from sutiao.core.fields import cipher_text
from sutiao.core.validators import check_with_stdnum


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_resident_id(value: str) -> str:
    """A mainland resident identity number (18 characters, GB 11643 check digit)."""
    value = normalise_id_number(value)
    check_with_stdnum(
        ric,
        value,
        _("This is not a valid resident identity number: check the 18 characters."),
        code="invalid_id_number",
    )
    from sutiao.institutions.models import Region

    # The first two digits name a province; an unknown one means a mistyped number.
    if not Region.objects.filter(code=value[:2] + "0000").exists():
        raise ValidationError(
            _("This is not a valid resident identity number: unknown region."),
            code="invalid_id_number",
        )
    return value


_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    return value[3:] if value.startswith("+86") else value


def validate_phone(value: str) -> str:
    value = normalise_phone(value)
    if not _PHONE_RE.match(value):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, starting with 1."),
            code="invalid_phone",
        )
    return value


def mask_phone(value: str) -> str:
    return crypto.mask(value, head=3, tail=4) if value else ""


def unique_id_number(name: str) -> models.UniqueConstraint:
    """For the Meta of an IdentityNumberMixin model whose numbers are unique: one row per
    identity number, among the rows that have one."""
    return models.UniqueConstraint(
        fields=["id_number_hash"], condition=~models.Q(id_number_hash=""), name=name
    )


class IdentityNumberMixin(models.Model):
    """An identity number kept as ciphertext, lookup hash and masked form, never in clear."""

    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_cipher = cipher_text(blank=True, editable=False)
    id_number_masked = models.CharField(
        gettext_lazy("identity number"), max_length=18, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def set_id_number(self, value: str) -> None:
        value = validate_resident_id(value)
        self.id_number_hash = crypto.lookup_hash(value)
        self.id_number_cipher = crypto.encrypt(value)
        self.id_number_masked = crypto.mask(value, head=6, tail=4)

    @property
    def id_number(self) -> str:
        """The whole number, for documents that must carry it; never for logs or lists."""
        return crypto.decrypt(self.id_number_cipher) if self.id_number_cipher else ""
