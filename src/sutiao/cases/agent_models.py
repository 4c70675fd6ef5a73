"""Agents (CPL 61–62) and the invitation of an agent who has no account yet (models of
`cases`, re-exported by `cases.models`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.identity import mask_phone
from sutiao.core.fields import EncryptedCharField, by_user, optional_fk


class Agent(models.Model):
    """CPL 61–62: a person a party entrusts to act for it in this one case, with a power of
    attorney and its scope. Special authorisation (CPL 62; CPL-I 89) is needed to admit,
    waive or change claims, settle, counterclaim or appeal: here, to sign an agreement.
    `user` is empty while the agent named has not yet joined through its invitation."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("Lawyer")
        LEGAL_WORKER = "legal_worker", _("Basic-level legal service worker")
        RELATIVE = "relative", _("Close relative of the party")
        EMPLOYEE = "employee", _("Employee of the party")
        RECOMMENDED = "recommended", _("Citizen recommended by a community, unit or organisation")

    class Scope(models.TextChoices):
        GENERAL = "general", _("General authorisation")
        SPECIAL = "special", _("Special authorisation")

    party = models.ForeignKey("cases.Party", on_delete=models.CASCADE, related_name="agents")
    user = optional_fk(settings.AUTH_USER_MODEL, "agencies")
    kind = models.CharField(_("kind of agent"), max_length=16, choices=Kind.choices)
    scope = models.CharField(_("scope of authority"), max_length=10, choices=Scope.choices)
    licence_number = models.CharField(_("practising licence number"), max_length=40, blank=True)
    firm = models.CharField(_("law firm or legal service office"), max_length=120, blank=True)
    relationship = models.CharField(
        _("relationship to the party, or who recommends the agent"), max_length=120, blank=True
    )
    power_of_attorney = models.ForeignKey(
        "cases.CaseFile",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("power of attorney"),
    )
    named_by = by_user()
    named_at = models.DateTimeField()
    revoked_by = by_user(optional=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["named_at", "id"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            models.UniqueConstraint(
                fields=["party"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_acting_agent_per_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} · {self.display_name}"

    @property
    def special(self) -> bool:
        return self.scope == self.Scope.SPECIAL

    @property
    def joined(self) -> bool:
        return self.user_id is not None

    @property
    def display_name(self) -> str:
        """The agent's account name, or the name the party gave while the agent is invited."""
        if self.user is not None:
            return str(self.user.display_name)
        try:
            return self.invitation.name
        except AgentInvitation.DoesNotExist:
            return ""


class AgentInvitation(models.Model):
    """The link that lets an agent without an account join (CPL 61): the party gave the
    agent's real name and mobile phone; the token (kept as a hash, and encrypted for the
    messages) goes by SMS (and e-mail where given) and expires. Whoever opens it, logs in with
    a verified identity of that real name, becomes the agent; a phone number alone never
    does."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="invitation")
    name = models.CharField(_("agent's real name"), max_length=100)
    phone = EncryptedCharField(_("mobile phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_cipher = models.TextField()
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("link valid until"))
    channels = models.JSONField(default=list, blank=True)  # "sms", "email"
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to an agent")
        verbose_name_plural = _("invitations to agents")

    def __str__(self) -> str:
        return f"{self.agent_id} {self.name}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
