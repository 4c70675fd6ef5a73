"""Password rules of GB/T 22239-2019 (8.1.4.1 a): at least 8 characters (settings ask 10),
three of the four character classes, not the user name, not one of the last five passwords.
Every path that sets a password (registration, the password page, the admin) passes them;
`password_changed` keeps the history."""

from __future__ import annotations

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HISTORY = 5  # a new password may not be any of the last five


def character_classes(password: str) -> int:
    """How many of upper-case letters, lower-case letters, digits and symbols it has (a CJK
    character or another letter without case counts as a symbol)."""
    classes = [
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c in string.digits for c in password),
        any(not (c.isupper() or c.islower() or c in string.digits) for c in password),
    ]
    return sum(classes)


class CharacterClassesValidator:
    """Three of the four classes: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least three of: upper-case letters, lower-case "
                    "letters, digits and symbols."
                ),
                code="password_classes",
            )

    def get_help_text(self):
        return _(
            "Use at least three of: upper-case letters, lower-case letters, digits and symbols."
        )


class NotUsernameValidator:
    """The user name, forwards or backwards, is not part of the password."""

    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").strip().lower()
        if len(name) < 3:
            return
        lowered = password.lower()
        if name in lowered or name[::-1] in lowered:
            raise ValidationError(
                _("The password must not contain the user name."), code="password_username"
            )

    def get_help_text(self):
        return _("Your password must not contain your user name.")


class HistoryValidator:
    """Not the current password nor one of the `HISTORY` before it."""

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory, User

        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        earlier = PasswordHistory.objects.filter(user_id=user.pk).values_list(
            "password", flat=True
        )[:HISTORY]
        for encoded in [current, *earlier]:
            if encoded and check_password(password, encoded):
                raise ValidationError(
                    _("The password must differ from your last %(n)d passwords.") % {"n": HISTORY},
                    code="password_reused",
                )

    def password_changed(self, password, user=None):
        if user is None or not getattr(user, "pk", None) or not user.password:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        stale = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[
            HISTORY:
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return _("Your password must differ from your last %(n)d passwords.") % {"n": HISTORY}
