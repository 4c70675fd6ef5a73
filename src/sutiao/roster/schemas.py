"""API shapes. The public ones carry no identity number and no phone number, by construction."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema

from sutiao.institutions.schemas import InRegionWithKinds

from .queries import PublicFilter


class InvitingCourtOut(Schema):
    court_id: int
    court: str
    certificate_number: str
    term_start: date
    term_end: date | None
    ip_specialty: bool


def _courts(obj) -> list[dict]:
    return [
        {
            "court_id": e.court_id,
            "court": e.court.name,
            "certificate_number": e.certificate_number,
            "term_start": e.term_start,
            "term_end": e.term_end,
            "ip_specialty": e.ip_specialty,
        }
        for e in getattr(obj, "public_entries", [])
    ]


class PublicRosterFilter(Schema):
    """The filters of the public roster, the same for mediators and organisations."""

    region: str = ""
    court: int | None = None
    expertise: str = ""
    fee: str = ""
    q: str = ""
    ip_only: bool = False

    def arguments(self) -> PublicFilter:
        """The filter of queries.public_mediators and queries.public_orgs."""
        return PublicFilter(
            region=self.region,
            court=self.court or "",
            ip_kind=self.expertise,
            fee=self.fee,
            q=self.q,
            ip_only=self.ip_only,
        )


class _OnTheRoster(Schema):
    """What the public shapes of a mediator and an organisation resolve alike: the region and
    the courts that invite them (their fields are declared in each shape, in its order)."""

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_inviting_courts(obj) -> list[dict]:
        return _courts(obj)


class PublicMediatorOut(_OnTheRoster):
    id: int
    name: str
    region: str
    region_name: str
    organisations: list[str]
    expertise: list[str]
    technical_fields: str
    languages: str
    qualifications: list[str]
    charges_fees: bool
    fee_note: str
    inviting_courts: list[InvitingCourtOut]

    @staticmethod
    def resolve_organisations(obj) -> list[str]:
        return [o.name for o in obj.orgs.all()]

    @staticmethod
    def resolve_expertise(obj) -> list[str]:
        return [k.code for k in obj.ip_kinds.all()]


class PublicOrgOut(_OnTheRoster):
    id: int
    name: str
    kind: str
    region: str
    region_name: str
    dispute_kinds: list[str]
    charges_fees: bool
    fee_note: str
    address: str
    description: str
    inviting_courts: list[InvitingCourtOut]

    @staticmethod
    def resolve_dispute_kinds(obj) -> list[str]:
        return [k.code for k in obj.ip_kinds.all()]


class _AboutOneSubject(Schema):
    """What an entry and a recommendation resolve alike: which kind of subject, and its name."""

    @staticmethod
    def resolve_subject(obj) -> str:
        return obj.subject_kind

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.subject)


class EntryOut(_AboutOneSubject):
    id: int
    court_id: int
    subject: str  # "org" or "mediator"
    org_id: int | None
    mediator_id: int | None
    name: str
    status: str
    certificate_number: str
    term_start: date
    term_end: date | None
    ip_specialty: bool


class MediatorOut(InRegionWithKinds):
    """For those who maintain the record: the identity number and phone come masked."""

    id: int
    name: str
    id_number_masked: str
    phone_masked: str
    region: str
    orgs: list[int]
    ip_kinds: list[str]
    technical_fields: str
    languages: str
    qualifications: list[str]
    charges_fees: bool
    fee_note: str
    status: str
    status_reason: str
    bio: str

    @staticmethod
    def resolve_orgs(obj) -> list[int]:
        return [o.pk for o in obj.orgs.all()]


class MediatorIn(Schema):
    name: str
    id_number: str
    phone: str
    region: str
    orgs: list[int] = []
    ip_kinds: list[str] = []
    technical_fields: str = ""
    languages: str = ""
    qualifications: list[str] = []
    charges_fees: bool = False
    fee_note: str = ""
    bio: str = ""


class MediatorPatch(Schema):
    name: str | None = None
    phone: str | None = None
    region: str | None = None
    orgs: list[int] | None = None
    ip_kinds: list[str] | None = None
    technical_fields: str | None = None
    languages: str | None = None
    qualifications: list[str] | None = None
    charges_fees: bool | None = None
    fee_note: str | None = None
    bio: str | None = None


class ReasonIn(Schema):
    reason: str


class StatusIn(Schema):
    status: str
    reason: str


class RecommendationIn(Schema):
    court_id: int
    mediator_id: int | None = None
    org_id: int | None = None
    note: str = ""


class RecommendationOut(_AboutOneSubject):
    id: int
    court_id: int
    office_id: int
    subject: str
    org_id: int | None
    mediator_id: int | None
    name: str
    status: str
    note: str
    decline_reason: str
    created_at: datetime


class AdmitIn(Schema):
    certificate_number: str
    term_start: date | None = None
    term_end: date | None = None
    ip_specialty: bool = True


class MeasureIn(Schema):
    kind: str  # warning, notice, removal
    reason: str


class MeasureOut(Schema):
    id: int
    entry_id: int
    kind: str
    reason: str
    at: datetime


class ImportJobOut(Schema):
    id: int
    kind: str
    filename: str
    status: str
    total: int
    processed: int
    percent: int
    created_count: int
    existing_count: int
    error_count: int
    failure: str
    errors: list[dict]
