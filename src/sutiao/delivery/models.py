"""Electronic service (电子送达): addresses and consent, each service of a document on a party,
its deliveries through every consented channel with their events, the platform inbox, paper
service, preferences and message templates.

A `Service` is one document (or formal notice) served on one party. It fans out into one
`Delivery` per channel (platform inbox per account, e-mail, SMS); a delivery is also the queue
row the worker claims. Every step is a `DeliveryEvent`, never updated or deleted: the proof of
service lists them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sutiao.cases.models import Case, Party
from sutiao.core.fields import EncryptedCharField, by_user, optional_fk
from sutiao.documents.models import Document


class ConsentMethod(models.TextChoices):
    """OLR 29: how the recipient came to accept electronic service."""

    EXPRESS = "express", _("Express consent")
    PRIOR_AGREEMENT = "prior_agreement", _("Agreed or undertaken before the dispute")
    ADDRESS_IN_FILINGS = "address_in_filings", _("Address given in its own filings")
    CONDUCT = "conduct", _("Accepted an earlier electronic service by its conduct")


class AddressConfirmation(models.Model):
    """A service-address confirmation (送达地址确认书): the addresses a party accepts service
    at, and how consent was given. Never edited: a change is a new row, so the history stays."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="address_confirmations")
    consents_e_service = models.BooleanField(_("consents to electronic service"))
    inbox = models.BooleanField(_("platform inbox"), default=True)
    email = models.EmailField(_("e-mail for service"), blank=True)
    phone = EncryptedCharField(_("mobile phone for service"), max_length=20, blank=True)
    method = models.CharField(
        _("how consent was given"),
        max_length=24,
        choices=ConsentMethod.choices,
        default=ConsentMethod.EXPRESS,
    )
    # OLR 31: at an address the recipient confirmed, service takes effect on arrival; at one
    # it did not, only when it replies or acts (or a read receipt shows it read).
    confirmed_by_recipient = models.BooleanField(_("confirmed by the recipient"), default=True)
    recorded_by = by_user(optional=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["party", "-recorded_at", "-id"]
        verbose_name = _("service-address confirmation")
        verbose_name_plural = _("service-address confirmations")

    def __str__(self) -> str:
        return f"{self.party} @ {self.recorded_at:%Y-%m-%d}"


class ServiceKind(models.TextChoices):
    AGREEMENT = "agreement", _("Mediation agreement")
    RULING = "ruling", _("Ruling")
    MEDIATION_DOCUMENT = "mediation_document", _("Mediation document")
    DELEGATION_NOTICE = "delegation_notice", _("Notice of delegation")
    ACCEPTANCE_NOTICE = "acceptance_notice", _("Notice of acceptance")
    TIME_LIMIT_NOTICE = "time_limit_notice", _("Notice of a time limit")
    MEETING_INVITATION = "meeting_invitation", _("Invitation to a mediation session")
    NOTICE = "notice", _("Notice")
    OTHER = "other", _("Other document")


class Service(models.Model):
    """One document (or formal notice) served on one party."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being served")
        EFFECTIVE = "effective", pgettext_lazy("service state", "Served")
        NEEDS_PAPER = "needs_paper", _("Needs paper service")
        FAILED = "failed", _("Could not serve")
        PAPER_SERVED = "paper_served", _("Served on paper")

    class Basis(models.TextChoices):
        ARRIVAL = "arrival", _("arrived in the recipient's system")
        OPENED = "opened", _("opened by the recipient")
        ACTED = "acted", _("the recipient replied or acted on it")
        PAPER = "paper", _("served on paper")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="services")
    document = optional_fk(Document, "services")
    kind = models.CharField(_("kind"), max_length=24, choices=ServiceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(max_length=60, blank=True)  # the notice's template, for notify()
    body = models.TextField(_("text"), blank=True)  # a notice's own text (no document)
    context = models.JSONField(default=dict, blank=True)
    served_by = by_user(optional=True)
    created_at = models.DateTimeField(_("served at"), db_index=True)
    addresses = optional_fk(AddressConfirmation, "+")
    state = models.CharField(
        _("state"), max_length=14, choices=State.choices, default=State.PENDING, db_index=True
    )
    effective_at = models.DateTimeField(_("effective at"), null=True, blank=True)
    effective_channel = models.CharField(max_length=10, blank=True)
    effective_basis = models.CharField(max_length=10, choices=Basis.choices, blank=True)
    proof = optional_fk(Document, "+")
    proof_due = models.BooleanField(default=False)  # asked of the worker, not yet issued
    paper_requested_at = models.DateTimeField(_("paper copy requested"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["case", "state"])]

    def __str__(self) -> str:
        return f"{self.title} → {self.party.name}"

    @property
    def needs_attention(self) -> bool:
        return self.state in {self.State.NEEDS_PAPER, self.State.FAILED}

    @property
    def effective_channel_label(self) -> str:
        if self.effective_channel in Channel.values:
            return str(Channel(self.effective_channel).label)
        return ""


class Channel(models.TextChoices):
    INBOX = "inbox", _("Platform inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Delivery(models.Model):
    """One message through one channel; also the worker's queue row (claimed with a lease).

    `message_id` is fixed when the row is created: every attempt sends the same Message-ID
    (SMTP) or idempotency key (SMS gateway), so a retry after a crash is recognisable."""

    class Purpose(models.TextChoices):
        SERVICE = "service", _("Service")
        PROMPT = "prompt", _("Prompt to read")
        NOTIFICATION = "notification", _("Notification")
        DIGEST = "digest", _("Daily digest")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        ARRIVED = "arrived", _("Arrived")
        FAILED = "failed", _("Failed")

    service = optional_fk(Service, "deliveries", on_delete=models.CASCADE)
    user = optional_fk(settings.AUTH_USER_MODEL, "deliveries", on_delete=models.CASCADE)
    case = optional_fk(Case, "+", on_delete=models.CASCADE)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    purpose = models.CharField(max_length=14, choices=Purpose.choices, default=Purpose.SERVICE)
    address = models.CharField(_("address"), max_length=254, blank=True)
    token = models.CharField(max_length=32, unique=True)
    message_id = models.CharField(max_length=200, unique=True)
    language = models.CharField(max_length=10, default="zh-hans")
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    ics = models.TextField(blank=True)  # an iCalendar invitation attached to the e-mail
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    provider_ref = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["state", "available_at"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.message_id}"

    @property
    def settled(self) -> bool:
        return self.state in {self.State.ARRIVED, self.State.FAILED, self.State.SENT}


class DeliveryEvent(models.Model):
    """One step of a service, append-only: what the proof of service lists."""

    class Kind(models.TextChoices):
        SERVED = "served", _("Service ordered")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        IN_DOUBT = "in_doubt", _("Interrupted attempt, sent again")
        SENT = "sent", _("Sent")
        ARRIVED = "arrived", _("Arrived in the recipient's system")
        OPENED = "opened", _("Opened")
        ACTED = "acted", _("Replied or acted on")
        RETRY = "retry", _("Attempt failed, will retry")
        FAILED = "failed", _("Failed")
        EFFECTIVE = "effective", _("Service took effect")
        COULD_NOT_SERVE = "could_not_serve", _("Could not serve electronically")
        NEEDS_PAPER = "needs_paper", _("No consent to electronic service: paper service needed")
        PAPER_REQUESTED = "paper_requested", _("Paper copy requested")
        PAPER_SERVED = "paper_served", _("Served on paper")
        PROOF_ISSUED = "proof_issued", _("Proof of service issued")

    service = optional_fk(Service, "events", on_delete=models.CASCADE)
    delivery = optional_fk(Delivery, "events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    actor = by_user(optional=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at}"


class InboxItem(models.Model):
    """What the platform inbox of one user holds: a served document or a notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    delivery = models.OneToOneField(
        Delivery, null=True, blank=True, on_delete=models.CASCADE, related_name="inbox_item"
    )
    service = optional_fk(Service, "inbox_items", on_delete=models.CASCADE)
    case = optional_fk(Case, "+", on_delete=models.CASCADE)
    document = optional_fk(Document, "+")
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("received"), db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class PaperRoute(models.TextChoices):
    POST = "post", _("Postal service (EMS judicial mail)")
    MESSENGER = "messenger", _("Court messenger")
    IN_PERSON = "in_person", _("Handed over in person")
    LEFT_AT_ADDRESS = "left_at_address", _("Left at the address (留置送达)")
    OTHER = "other", _("Other")


class PaperService(models.Model):
    """Service on paper: for a recipient without consent to electronic service, after
    electronic service failed, or a paper copy the recipient asked for (RULES §9)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="paper")
    route = models.CharField(_("route"), max_length=16, choices=PaperRoute.choices)
    served_on = models.DateField(_("date served"))
    receipt_number = models.CharField(_("receipt or tracking number"), max_length=60, blank=True)
    on_request = models.BooleanField(_("a copy the recipient asked for"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = by_user()
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("paper service")
        verbose_name_plural = _("paper services")
        ordering = ["recorded_at", "id"]


class Preference(models.Model):
    """How a user wants notifications (not service: service goes to every consented channel)."""

    class Notices(models.TextChoices):
        IMMEDIATE = "immediate", _("E-mail each notification")
        DIGEST = "digest", _("One e-mail a day with what is new")
        OFF = "off", _("Platform inbox only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_preference"
    )
    notices = models.CharField(
        _("notifications by e-mail"),
        max_length=10,
        choices=Notices.choices,
        default=Notices.IMMEDIATE,
    )
    sms_prompts = models.BooleanField(_("SMS prompts to read served documents"), default=True)
    digest_hour = models.PositiveSmallIntegerField(_("hour of the daily digest"), default=8)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class MessageTemplate(models.Model):
    """A message text kept as data, editable in the admin; where no row exists the packaged
    default (delivery/data/templates.json) is used."""

    key = models.CharField(_("message key"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    email_subject = models.CharField(_("e-mail subject"), max_length=300, blank=True)
    email_body = models.TextField(_("e-mail text"), blank=True)
    sms = models.TextField(_("SMS text"), blank=True)
    inbox_title = models.CharField(_("inbox title"), max_length=300, blank=True)
    inbox_body = models.TextField(_("inbox text"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="message_template_unique")
        ]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"


class SmsRecord(models.Model):
    """What the local SMS backend "sent": one row per idempotency key (a second submission
    with the same key is the same message, as a real gateway's client reference)."""

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=20)
    text = models.TextField()
    submissions = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("SMS record")
        verbose_name_plural = _("SMS records")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(to=""), name="sms_record_has_to")]
