"""People, their memberships in institutions, and API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from sutiao.core.fields import EncryptedCharField, optional_fk
from sutiao.institutions.models import Court, IPOffice, MediationOrg
from sutiao.institutions.validators import validate_uscc

from .devices import AuthenticatorDevice as AuthenticatorDevice  # the TOTP device, encrypted
from .identity import IdentityNumberMixin, mask_phone, unique_id_number
from .roles import SECOND_FACTOR_ROLES, Role


# django-otp's Device (the user of an AuthenticatorDevice) has no type stubs.
class User(IdentityNumberMixin, AbstractUser):  # type: ignore[django-manager-missing]
    class Kind(models.TextChoices):
        NATURAL = "natural", _("Natural person")
        LEGAL = "legal", _("Legal person or organisation")

    kind = models.CharField(
        _("kind of person"), max_length=10, choices=Kind.choices, default=Kind.NATURAL
    )
    real_name = models.CharField(_("real name"), max_length=100, blank=True)
    # Envelope-encrypted at rest (core.crypto); found through its look-up hash.
    phone = EncryptedCharField(
        _("mobile phone"), max_length=20, blank=True, hash_field="phone_hash"
    )
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    identity_verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)
    # Raised to end every session of the account at once (log out everywhere, disabling):
    # it is part of the session hash Django checks on every request (and on /ws/live/).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            unique_id_number("user_unique_id_number"),
            # One account per phone number (issue 13), among the accounts that have one.
            models.UniqueConstraint(
                fields=["phone_hash"], condition=~Q(phone_hash=""), name="user_unique_phone"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def _get_session_auth_hash(self, secret=None):
        key_salt = "sutiao.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def display_name(self) -> str:
        return self.real_name or self.username

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(
            self.memberships.filter(active=True).select_related("court", "ip_office", "org")
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def court_ids(self, *roles: str) -> set[int]:
        roles = roles or (Role.COURT_CLERK, Role.JUDGE, Role.NATIONAL_SUPERVISOR)
        return {m.court_id for m in self.active_memberships if m.role in roles and m.court_id}

    def ip_office_ids(self) -> set[int]:
        return {m.ip_office_id for m in self.active_memberships if m.ip_office_id}

    def org_ids(self, *roles: str) -> set[int]:
        roles = roles or (Role.ORG_ADMIN, Role.MEDIATOR)
        return {m.org_id for m in self.active_memberships if m.role in roles and m.org_id}

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.roles & SECOND_FACTOR_ROLES) or self.is_superuser


class Membership(models.Model):
    """A person holds a role in an institution (a clerk of one court, staff of one office...)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    court = optional_fk(Court, "memberships", _("court"))
    ip_office = optional_fk(IPOffice, "memberships", _("IP office"))
    org = optional_fk(MediationOrg, "memberships", _("mediation organisation"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One membership per person, role and institution (NULLs spelled out for SQLite).
            models.UniqueConstraint(
                fields=["user", "role", "court"],
                condition=Q(court__isnull=False),
                name="membership_unique_court",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "ip_office"],
                condition=Q(ip_office__isnull=False),
                name="membership_unique_ip_office",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org"],
                condition=Q(org__isnull=False),
                name="membership_unique_org",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(court__isnull=True, ip_office__isnull=True, org__isnull=True),
                name="membership_unique_self",
            ),
            # At most one institution per membership.
            models.CheckConstraint(
                condition=(
                    Q(court__isnull=True, ip_office__isnull=True)
                    | Q(court__isnull=True, org__isnull=True)
                    | Q(ip_office__isnull=True, org__isnull=True)
                ),
                name="membership_one_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.institution or '—'}"

    @property
    def institution(self):
        return self.court or self.ip_office or self.org


class PasswordHistory(models.Model):
    """The hashes of a person's earlier passwords: a new one may not be one of the last five
    (GB/T 22239-2019 8.1.4.1; `passwords.HistoryValidator`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class APIToken(models.Model):
    """A bearer token for another platform or a script; only its hash is kept.

    Every token expires, at most `MAX_DAYS` days after it was issued: a row without
    `expires_at` or with a later one (issued before the limit) ends `MAX_DAYS` after
    `created_at` (`ends_at`), so old rows need no data migration."""

    MAX_DAYS = 90

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def ends_at(self) -> datetime:
        latest = self.created_at + timedelta(days=self.MAX_DAYS)
        return min(self.expires_at, latest) if self.expires_at else latest


def verification_file_path(instance: IdentityVerification, filename: str) -> str:
    # Never the uploaded name on disk: one unguessable path per attempt.
    return f"identity/{instance.user_id}/{instance.token}"


class IdentityVerification(models.Model):
    """One attempt at real-name verification (实名认证, OLR 7): what was checked, by which
    backend (accounts.verification), and the one-time code sent to the phone, kept as a hash."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verifications")
    kind = models.CharField(_("kind of person"), max_length=10, choices=User.Kind.choices)
    real_name = models.CharField(_("real name"), max_length=100)
    id_number_masked = models.CharField(_("identity number"), max_length=18, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    representative_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    authorisation = models.FileField(
        _("signed authorisation"), upload_to=verification_file_path, blank=True, max_length=200
    )
    phone = EncryptedCharField(_("mobile phone"), max_length=20)  # core.crypto
    backend = models.CharField(max_length=60)
    token = models.CharField(max_length=32, unique=True)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("identity verification")
        verbose_name_plural = _("identity verifications")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class Registration(IdentityNumberMixin, models.Model):
    """A self-registration waiting for the one-time code sent to its phone: the account opens
    only with the code (accounts.registration), and the row is deleted then. When the identity
    number or phone already has an account, no code is sent (`code_hash` empty) and the
    account's owner gets a notice; the person registering sees the same page either way."""

    token = models.CharField(max_length=32, unique=True)
    username = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=User.Kind.choices)
    real_name = models.CharField(max_length=100)
    uscc = models.CharField(max_length=18, blank=True)
    email = models.EmailField(blank=True)
    phone = EncryptedCharField(max_length=20, hash_field="phone_hash")  # core.crypto
    phone_hash = models.CharField(max_length=64, editable=False)
    password = models.CharField(max_length=128)  # the hash, as User.password
    code_hash = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("registration waiting for its code")
        verbose_name_plural = _("registrations waiting for their code")

    def __str__(self) -> str:
        return f"{self.username} · {self.created_at:%Y-%m-%d %H:%M}"


class PhoneChange(models.Model):
    """A new phone number waiting for the code sent to it (accounts.phone_change): the
    account takes the number only with the code, so nobody can claim a phone they do not
    hold. The code is kept as a hash; the row is kept (confirmed or not) as the trace."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_changes")
    phone = EncryptedCharField(_("mobile phone"), max_length=20)  # core.crypto
    token = models.CharField(max_length=32, unique=True)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("phone change waiting for its code")
        verbose_name_plural = _("phone changes waiting for their code")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
