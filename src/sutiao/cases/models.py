"""A case under mediation, its parties, files and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.accounts.identity import IdentityNumberMixin, mask_phone
from sutiao.core.fields import EncryptedCharField, by_user, optional_fk
from sutiao.institutions.models import Court, IPKind, MediationOrg
from sutiao.roster.models import Mediator

from . import load
from .choices import Channel, EndReason, PartyRole, Procedure, ShamOutcome, State


class Case(load.LoadTracking):
    _roles_cache: tuple[int, set[str]]  # policies.case_roles: (user id, roles), not a column
    number = models.CharField(_("case number"), max_length=60, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True
    )
    court = optional_fk(Court, "cases", _("court"))
    org = optional_fk(MediationOrg, "cases", _("mediation organisation"))
    mediator = optional_fk(Mediator, "cases", _("mediator"))
    filed_case = optional_fk("FiledCase", "mediations", _("filed case"))

    title = models.CharField(_("title"), max_length=200)
    ip_kind = optional_fk(IPKind, verbose_name=_("IP kind"))
    right_number = models.CharField(
        _("registration number of the right"), max_length=60, blank=True
    )
    claims = models.TextField(_("claims"), blank=True)
    amount_fen = models.BigIntegerField(_("amount claimed (fen)"), null=True, blank=True)
    description = models.TextField(_("summary of the dispute"), blank=True)

    created_by = by_user()
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    # The running clock: which rule (workdays.periods.RULES) and when it ends.
    clock = models.CharField(max_length=40, blank=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    # How the deadline was computed (workdays.clocks), so that it can be computed again once
    # the official schedule of a provisional year is entered.
    clock_basis = models.JSONField(default=dict, blank=True)
    deadline_provisional_year = models.PositiveSmallIntegerField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    # OMR 10: no mediator assigned within 3 working days; told to the head of filing.
    escalated_at = models.DateTimeField(_("escalated to the head of filing"), null=True, blank=True)

    end_reason = models.PositiveSmallIntegerField(
        _("reason mediation ended"), choices=EndReason.choices, null=True, blank=True
    )
    failure_course = models.TextField(_("course of mediation"), blank=True)
    failure_reasons = models.TextField(_("reasons it failed"), blank=True)
    cost_conduct = models.TextField(
        _("conduct that increased another party's litigation costs"), blank=True
    )
    notes_for_court = models.TextField(_("what the court should know"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["court", "state", "id"]),
            models.Index(fields=["org", "state", "id"]),
            models.Index(fields=["mediator", "state", "id"]),
        ]

    def __str__(self) -> str:
        return self.number or self.title


class Party(IdentityNumberMixin, models.Model):
    class Kind(models.TextChoices):
        # CPL 51: who may be a party.
        NATURAL = "natural", _("Natural person")
        LEGAL = "legal", _("Legal person")
        OTHER_ORG = "other_org", _("Other organisation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("role"), max_length=12, choices=PartyRole.choices)
    kind = models.CharField(
        _("kind of person"), max_length=10, choices=Kind.choices, default=Kind.NATURAL
    )
    name = models.CharField(_("name"), max_length=100)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)  # core.crypto
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # CPL 51: a legal person acts through its legal representative, another organisation
    # through its principal; who acts for it otherwise is an agent (an authorised employee).
    representative = models.CharField(
        _("legal representative or principal"), max_length=100, blank=True
    )
    user = optional_fk(settings.AUTH_USER_MODEL, "case_parties", on_delete=models.SET_NULL)
    # The agent acting now (the open `Agent` row of this party names them, with the scope).
    agent = optional_fk(
        settings.AUTH_USER_MODEL, "represented_parties", _("agent"), on_delete=models.SET_NULL
    )
    # OMR 4, 8; CPL 90: consent and the service address confirmation (送达地址确认书).
    consents_online = models.BooleanField(_("consents to online mediation"), default=False)
    consents_e_service = models.BooleanField(_("consents to electronic service"), default=False)
    service_email = models.EmailField(_("e-mail for service"), blank=True)
    service_phone = EncryptedCharField(_("mobile phone for service"), max_length=20, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    # SIR 14: the rights-and-duties notice was shown and acknowledged at consent.
    notice_acknowledged_at = models.DateTimeField(
        _("rights and duties notice acknowledged"), null=True, blank=True
    )

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def is_organisation(self) -> bool:
        return self.kind != self.Kind.NATURAL

    @property
    def has_consented(self) -> bool:
        """OMR 4, 8; SIR 14: consented to online mediation, with the service address given or
        refused, and the notice of rights and duties acknowledged."""
        return bool(self.consent_at and self.consents_online and self.notice_acknowledged_at)


class PartyInvitation(models.Model):
    """An invitation to a party that has no account on the case (OMR 15; Seed §3): a link
    with a one-time token (kept as a hash, and encrypted for the messages that carry it) that
    expires. Whoever opens it, logs in and has a verified identity (OLR 7) joins the party.

    For a pre-filing or direct case it also carries the OMR 15 clock: from the mediator's
    acceptance, 3 working days for the other side to answer (consent or refuse); the
    scheduled job ends the case when nobody answered (cases.actions.invitations)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    token_cipher = models.TextField()
    invited_by = by_user(optional=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(_("link valid until"))
    sent_at = models.DateTimeField(null=True, blank=True)
    channels = models.JSONField(default=list, blank=True)  # "sms", "email"
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = optional_fk(
        settings.AUTH_USER_MODEL, "accepted_invitations", on_delete=models.SET_NULL
    )
    # OMR 15: the time the other side has to answer (workdays.clocks fields).
    clock = models.CharField(max_length=40, blank=True)
    deadline_at = models.DateTimeField(_("answer due by"), null=True, blank=True, db_index=True)
    clock_basis = models.JSONField(default=dict, blank=True)
    deadline_provisional_year = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation to a party")
        verbose_name_plural = _("invitations to parties")

    def __str__(self) -> str:
        return f"{self.case_id} {self.party_id}"


def case_file_path(instance: CaseFile, filename: str) -> str:
    # Never the uploaded name on disk: a stable, unguessable path per case.
    return f"cases/{instance.case_id}/{instance.sha256[:2]}/{instance.sha256}"


class CaseFile(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney")
        DOCUMENT = "document", _("Case document")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    party = optional_fk(Party, "files", on_delete=models.SET_NULL)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=case_file_path, max_length=200)
    uploaded_by = by_user()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """The case timeline: every transition and every recorded step, in order."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = by_user(optional=True)
    kind = models.CharField(max_length=40)
    state_before = models.CharField(max_length=24, blank=True)
    state_after = models.CharField(max_length=24, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case timeline entry")
        verbose_name_plural = _("case timeline entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Message(models.Model):
    """A message in the case: to everyone, or in a private caucus with one party."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    caucus_party = optional_fk(
        Party, "caucus_messages", _("private caucus with"), on_delete=models.CASCADE
    )
    author = by_user()
    body = models.TextField(_("message"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case message")
        verbose_name_plural = _("case messages")
        ordering = ["at", "id"]


class Transcript(models.Model):
    """The record of a session: the electronic transcript (电子笔录), or, with every party's
    consent, the session's recording in its place (OMR 22, kind `recording`, made by
    meetings/replacement.py); either way with the undisputed facts, confirmed in writing."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("Written transcript")
        RECORDING = "recording", _("Recording in place of the transcript")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transcripts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WRITTEN)
    session_date = models.DateField(_("session date"))
    text = models.TextField(_("record of the session"), blank=True)
    undisputed_facts = models.TextField(_("undisputed facts"), blank=True)
    recording_file = models.ForeignKey(
        "CaseFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recording"),
    )
    recording_duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session transcript")
        verbose_name_plural = _("session transcripts")
        ordering = ["session_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="written", recording_file__isnull=True)
                | models.Q(kind="recording", recording_file__isnull=False),
                name="transcript_recording_has_file",
            )
        ]

    @property
    def is_recording(self) -> bool:
        return self.kind == self.Kind.RECORDING


class TranscriptConfirmation(models.Model):
    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="confirmations"
    )
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    confirmed_by = by_user()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transcript confirmation")
        verbose_name_plural = _("transcript confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "party"], name="transcript_confirmed_once"
            )
        ]


class IdentityCheck(models.Model):
    """OMR 17, OLR 7: the mediator verified a participant's identity for a session."""

    class Method(models.TextChoices):
        ID_DOCUMENT = "id_document", _("Identity document shown on video")
        PLATFORM_VERIFIED = "platform_verified", _("Verified account on the platform")
        IN_PERSON = "in_person", _("In person")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identity_checks")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="identity_checks")
    session_date = models.DateField(_("session date"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    verified_by = by_user()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant identity check")
        verbose_name_plural = _("participant identity checks")


class Disclosure(models.Model):
    """OMR 13: what the mediator disclosed; mediation goes on only if every party agrees."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disclosures")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("what the mediator discloses"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediator's disclosure")
        verbose_name_plural = _("mediators' disclosures")


class ShamReport(models.Model):
    """SIR 18; OMR 23: the mediator (or the court) suspects the parties collude to harm a
    third party's rights (虚假调解): mediation is suspended and the court decides. Only the
    mediation side and the court read the report; the parties see that mediation is
    suspended."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sham_reports")
    reason = models.TextField(_("why a sham mediation is suspected"))
    reported_by = by_user()
    reported_at = models.DateTimeField()
    state_before = models.CharField(max_length=24)  # where mediation goes on if cleared
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ShamOutcome.choices, default=ShamOutcome.OPEN
    )
    decided_by = optional_fk(settings.AUTH_USER_MODEL, "+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("the court's reasons"), blank=True)

    class Meta:
        verbose_name = _("report of sham mediation")
        verbose_name_plural = _("reports of sham mediation")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(outcome="open"), name="one_open_sham_report"
            )
        ]


class DisclosureAnswer(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="answers")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    consents = models.BooleanField(_("agrees that the mediator continues"))
    answered_by = by_user()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer to a disclosure")
        verbose_name_plural = _("answers to disclosures")
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "party"], name="disclosure_answered_once")
        ]


class MediatorChangeRequest(models.Model):
    """OMR 14: a party asks, with a reason, for another mediator; the organisation (or, for a
    mediator the court assigned, the court) grants or refuses it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="change_requests")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(Mediator, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_by = by_user()
    at = models.DateTimeField()
    decided_by = by_user(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request for another mediator")
        verbose_name_plural = _("requests for another mediator")


class FiledCase(models.Model):
    """A lawsuit on the court's docket (立案): filed after a failed pre-filing mediation, or
    already filed when a judge entrusts it to mediation."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="filed_cases")
    number = models.CharField(_("case number"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    procedure = models.CharField(
        _("procedure"), max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    ip_kind = optional_fk(IPKind, verbose_name=_("IP kind"))
    judge = optional_fk(settings.AUTH_USER_MODEL, "filed_cases_judged")
    origin = models.OneToOneField(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_as",
        verbose_name=_("mediation it came from"),
    )
    # For a case filed elsewhere (the court's own docket): the parties as the docket has them.
    parties_snapshot = models.JSONField(default=list, blank=True)
    filed_by = by_user()
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("filed case")
        verbose_name_plural = _("filed cases")

    def __str__(self) -> str:
        return self.number


class CaseNumberSequence(models.Model):
    """The last number given per scope ("court:7", "org:3"), year and kind; locked while
    a number is taken, so numbers never repeat or skip under concurrent requests."""

    scope = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")
        verbose_name_plural = _("case number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "year", "kind"], name="case_number_sequence_unique"
            )
        ]


class MediatorChoice(models.Model):
    """OMR 10: the parties may choose a mediator jointly within 2 working days; each party's
    choice is one row, and the court follows them when they all name the same mediator."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediator_choices")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(
        Mediator, on_delete=models.PROTECT, related_name="+", verbose_name=_("mediator")
    )
    chosen_by = by_user()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("party's choice of mediator")
        verbose_name_plural = _("parties' choices of mediator")
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="one_mediator_choice_per_party")
        ]


# Agents and their invitations live in a module of their own (this one stays short).
from .agent_models import Agent as Agent  # noqa: E402
from .agent_models import AgentInvitation as AgentInvitation  # noqa: E402
from .load import MediatorLoad as MediatorLoad  # noqa: E402
