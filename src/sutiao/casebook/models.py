"""Typical cases, the changes anonymisation proposes for them, legal-education articles, and
the segmented text the library searches."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sutiao.cases.choices import Channel
from sutiao.core.fields import by_user, optional_fk
from sutiao.institutions.models import Court, IPKind, IPOffice

# The text fields of a typical case, in reading order: each has a public twin (public_<name>).
TEXT_FIELDS = ("title", "facts", "dispute", "mediation", "result", "commentary")


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("typical case", "Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn from the library")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    ELECTRONICS = "electronics", _("Electronics and communications")
    SOFTWARE = "software", _("Software and internet")
    MEDIA = "media", _("Culture, media and entertainment")
    RETAIL = "retail", _("Retail and e-commerce")
    FOOD = "food", _("Food and drink")
    PHARMA = "pharma", _("Medicine and health")
    AGRICULTURE = "agriculture", _("Agriculture")
    CHEMICALS = "chemicals", _("Chemicals and materials")
    OTHER = "other", _("Other industry")


class Outcome(models.TextChoices):
    SETTLED = "settled", _("Settled by mediation")
    PARTLY = "partly", _("Partly settled")
    FAILED = "failed", _("Not settled")


class Basis(models.TextChoices):
    """Why a typical case may be published (法释〔2016〕19号 art. 4)."""

    CONSENT = "consent", _("The parties consented")
    PUBLIC_INTEREST = "public_interest", _("Public interest")


class TypicalCase(models.Model):
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    source_case = optional_fk("cases.Case", "+", _("closed case it is drawn from"))
    court = optional_fk(Court, "+", _("court"))
    ip_office = optional_fk(IPOffice, "+", _("IP office"))
    editor = by_user(_("editor"))
    reviewer = by_user(_("reviewer"), optional=True)

    title = models.CharField(_("title"), max_length=200)
    facts = models.TextField(_("facts"))
    dispute = models.TextField(_("points in dispute"))
    mediation = models.TextField(_("how it was mediated"))
    result = models.TextField(_("result"))
    commentary = models.TextField(_("commentary"), blank=True)
    public_title = models.CharField(max_length=200, blank=True)
    public_facts = models.TextField(blank=True)
    public_dispute = models.TextField(blank=True)
    public_mediation = models.TextField(blank=True)
    public_result = models.TextField(blank=True)
    public_commentary = models.TextField(blank=True)

    ip_kind = models.ForeignKey(
        IPKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("IP kind")
    )
    industry = models.CharField(_("industry"), max_length=16, choices=Industry.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    days_to_settle = models.PositiveIntegerField(_("days from acceptance to the end"), null=True)
    amount_fen = models.BigIntegerField(_("amount agreed (fen)"), null=True, blank=True)

    # Names the pipeline replaces: the case's people and organisations, and any the editor adds.
    persons = models.JSONField(default=list, blank=True)
    companies = models.JSONField(default=list, blank=True)
    anonymise_companies = models.BooleanField(_("anonymise company names"), default=True)
    basis = models.CharField(_("ground for publication"), max_length=16, choices=Basis.choices)
    basis_note = models.TextField(_("how consent was given, or the public interest"))

    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")
        indexes = [models.Index(fields=["state", "ip_kind", "industry"])]

    def __str__(self) -> str:
        return self.public_title or self.title

    def public(self, name: str) -> str:
        return getattr(self, f"public_{name}")


class Change(models.Model):
    """One change the pipeline proposes to one field; a reviewer accepts or rejects it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("To review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected: kept as written")

    class Kind(models.TextChoices):  # anonymise.KINDS
        ID_NUMBER = "id_number", _("Identity number")
        CERTIFICATE = "certificate", _("Certificate number")
        BANK_ACCOUNT = "bank_account", _("Bank account")
        PHONE = "phone", _("Phone number")
        PLATE = "plate", _("Licence plate")
        COMPANY = "company", _("Company name")
        NAME = "name", _("Name of a person")
        ADDRESS = "address", _("Address below county level")
        TRADE_SECRET = "trade_secret", _("May hold a trade secret")

    typical_case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=16)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    original = models.TextField()
    replacement = models.TextField()
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = by_user(optional=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["id"]


class Article(models.Model):
    """A legal-education (普法) page, written by the same editors."""

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("article", "Draft")
        PUBLISHED = "published", pgettext_lazy("article", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("article", "Withdrawn")

    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    ip_kind = optional_fk(IPKind, "+", _("IP kind"))
    editor = by_user(_("editor"))
    court = optional_fk(Court, "+", _("court"))
    ip_office = optional_fk(IPOffice, "+", _("IP office"))
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("legal-education article")
        verbose_name_plural = _("legal-education articles")
        ordering = ["-published_at", "-id"]


class SearchDocument(models.Model):
    """A published typical case's words, segmented (segment.index_text). SQLite searches it
    through the FTS5 table casebook_fts kept by triggers; PostgreSQL through its generated
    tsvector column with a GIN index (both made in migration 0002)."""

    typical_case = models.OneToOneField(
        TypicalCase, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    body = models.TextField()

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")


class Term(models.Model):
    """How many indexed cases hold a word (kept by search.index / unindex): a query's
    common words rank the cases but do not choose them (search.postgres)."""

    word = models.CharField(max_length=100, primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("indexed word")
        verbose_name_plural = _("indexed words")
