"""Validators for institution identifiers; messages in the user's language."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from sutiao.core.validators import check_with_stdnum


def validate_uscc(value: str) -> None:
    """Unified social credit code (统一社会信用代码), 18 characters with a check character."""
    check_with_stdnum(
        stdnum_uscc,
        value,
        _("“%(value)s” is not a valid unified social credit code."),
        code="invalid_uscc",
        params={"value": value},
    )


_REGION_RE = re.compile(r"^\d{6}$")


def validate_region_code(value: str) -> None:
    from .models import Region

    if not _REGION_RE.match(value or "") or not Region.objects.filter(code=value).exists():
        raise ValidationError(
            _("“%(value)s” is not a known administrative division code (six digits, GB/T 2260)."),
            code="invalid_region",
            params={"value": value},
        )


def validate_number_pattern(value: str) -> None:
    """A case-number pattern uses {year}, {code} and {seq} (required), nothing else."""
    import string

    try:
        names = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
    except ValueError:
        names = {"?"}
    if "seq" not in names or not names <= {"year", "code", "seq"}:
        raise ValidationError(
            _("A case-number pattern may use {year}, {code} and must use {seq}."),
            code="invalid_pattern",
        )
