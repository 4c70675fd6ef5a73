"""Identity verification (实名认证, OLR 7): the interface to a verification service, and the
working local backend the embedded platform uses.

A backend answers one question: do these particulars belong together? For a natural person,
the real name and the resident identity number; for a company (or other organisation), the
unified social credit code and its name, with the legal representative's name and identity
number, or a signed authorisation (授权委托书) of the person acting for it. The platform then
sends a one-time code to the phone given (its SMS gateway, delivery's local backend by
default): the code proves the person holds that phone. Only both together set
`User.identity_verified_at` (accounts.actions.start_verification / confirm_verification).

The backend is chosen by `settings.IDENTITY_VERIFIER` (SUTIAO_IDENTITY_VERIFIER):
- "local" (the default): checks what can be checked without a register — the GB 11643 check
  digit and region of the identity number, the GB 32100 check character of the credit code,
  a name that is given. It cannot know whether the number is that person's: production sets
  an external service.
- a dotted path to a class with the `IdentityVerifier` methods: the slot for an external
  service (the public-security citizen identity service, a licensed real-name provider, the
  market-regulation register for credit codes). docs/identity.md says what it receives and
  returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sutiao.institutions.validators import validate_uscc

from .identity import validate_resident_id


@dataclass(frozen=True)
class Verdict:
    """A backend's answer: `confirmed`, or not with the reason shown to the person."""

    confirmed: bool
    reason: str = ""
    backend: str = ""


class IdentityVerifier(Protocol):
    name: str

    def check_person(self, *, real_name: str, id_number: str) -> Verdict: ...

    def check_company(
        self,
        *,
        name: str,
        uscc: str,
        representative_name: str,
        representative_id: str,
        has_authorisation: bool,
    ) -> Verdict: ...


class LocalVerifier:
    """The embedded backend: the checks that need no register (see the module's docstring)."""

    name = "local"

    def check_person(self, *, real_name: str, id_number: str) -> Verdict:
        if not real_name.strip():
            return Verdict(False, _("Enter the real name."), self.name)
        try:
            validate_resident_id(id_number)
        except ValidationError as exc:
            return Verdict(False, str(exc.messages[0]), self.name)
        return Verdict(True, backend=self.name)

    def check_company(
        self,
        *,
        name: str,
        uscc: str,
        representative_name: str,
        representative_id: str,
        has_authorisation: bool,
    ) -> Verdict:
        if not name.strip():
            return Verdict(False, _("Enter the name of the company."), self.name)
        try:
            validate_uscc(uscc)
        except ValidationError as exc:
            return Verdict(False, str(exc.messages[0]), self.name)
        if has_authorisation:
            return Verdict(True, backend=self.name)
        if not representative_name.strip():
            return Verdict(
                False,
                _(
                    "Give the legal representative's name and identity number, or upload a "
                    "signed authorisation."
                ),
                self.name,
            )
        return self.check_person(real_name=representative_name, id_number=representative_id)


def verifier() -> IdentityVerifier:
    """The configured backend (settings.IDENTITY_VERIFIER)."""
    name = getattr(settings, "IDENTITY_VERIFIER", "local") or "local"
    if name == "local":
        return LocalVerifier()
    backend: IdentityVerifier = import_string(name)()
    return backend


class CodeSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def code_sender() -> CodeSender:
    """Where the one-time code goes: settings.IDENTITY_CODE_SENDER, a class with
    `send(phone, text)`; by default the platform's SMS gateway (delivery's backend)."""
    sender: CodeSender = import_string(settings.IDENTITY_CODE_SENDER)()
    return sender
