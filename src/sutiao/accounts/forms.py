from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "The user name or password is wrong. After five failures the "
            "account is locked for 30 minutes from this address."
        ),
        "inactive": _("This account is disabled."),
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    """The current password, then the new one twice; the action checks the rules."""

    current = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters with three of: upper-case letters, lower-case letters, "
            "digits, symbols; not your user name; not one of your last 5 passwords."
        ),
    )
    again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UnlockForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        # The phone is changed with a code sent to the new one (accounts.phone_change).
        fields = ["real_name", "email", "preferred_language"]
        widgets = {
            "preferred_language": forms.Select(
                choices=[("", "—"), ("zh-hans", "简体中文"), ("en", "English")]
            )
        }


class PhoneChangeForm(forms.Form):
    phone = forms.CharField(
        label=_("New mobile phone"),
        max_length=20,
        help_text=_("A code goes to this number; it becomes your phone when you enter the code."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


def _identifier(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    """An 18-character identifier a party gives for one kind of person (the action checks it)."""
    return forms.CharField(label=label, max_length=18, required=False, help_text=help_text)


class RegisterForm(forms.Form):
    """Self-registration of a party; the action validates identifiers."""

    kind = forms.ChoiceField(
        label=_("I am"),
        choices=User.Kind.choices,
        initial=User.Kind.NATURAL,
        widget=forms.RadioSelect,
    )
    real_name = forms.CharField(label=_("Real name or organisation name"), max_length=100)
    id_number = _identifier(
        _("Resident identity number"), _("Natural persons: the 18 characters on the ID card.")
    )
    uscc = _identifier(
        _("Unified social credit code"), _("Legal persons and organisations: 18 characters.")
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    email = forms.EmailField(label=_("E-mail"), required=False)
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class IdentityForm(forms.Form):
    """Real-name verification (OLR 7): a person's name and number, or a company's code with
    its legal representative or a signed authorisation; a code then goes to the phone."""

    real_name = forms.CharField(label=_("Real name or organisation name"), max_length=100)
    id_number = _identifier(
        _("Resident identity number"), _("Natural persons: the 18 characters on the ID card.")
    )
    uscc = _identifier(
        _("Unified social credit code"), _("Legal persons and organisations: 18 characters.")
    )
    representative_name = forms.CharField(
        label=_("Legal representative"), max_length=100, required=False
    )
    representative_id = _identifier(
        _("Legal representative's identity number"),
        _("Or upload an authorisation signed and sealed by the company."),
    )
    authorisation = forms.FileField(label=_("Signed authorisation"), required=False)
    phone = forms.CharField(label=_("Mobile phone for the code"), max_length=20)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        company = ("uscc", "representative_name", "representative_id", "authorisation")
        for name in company if user.kind == User.Kind.NATURAL else ("id_number",):
            del self.fields[name]


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
