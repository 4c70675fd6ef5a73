"""The JSON shapes of the cases API (api.py): applications, cases as a caller sees them, and
the bodies of the lifecycle steps."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from sutiao.core.api import MaskedPerson


class PartyIn(Schema):
    name: str
    kind: str = "natural"
    id_number: str = ""
    uscc: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class ApplicationIn(Schema):
    title: str
    court_id: int | None = None
    org_id: int | None = None
    ip_kind: str = ""
    right_number: str = ""
    claims: str = ""
    amount_fen: int | None = None
    description: str = ""
    applicant: PartyIn
    respondents: list[PartyIn]
    as_agent: bool = False


class PartyOut(MaskedPerson):
    id: int
    role: str
    kind: str
    name: str
    id_number: str
    phone: str
    consents_online: bool
    consents_e_service: bool
    consented: bool

    @staticmethod
    def resolve_consented(obj) -> bool:
        return obj.has_consented


class CountdownOut(Schema):
    label: str
    deadline: datetime
    days: int
    working_days: int | None
    overdue: bool
    provisional: bool = Field(
        description="The deadline was computed with the statutory holidays of a year whose "
        "official schedule is not entered yet; it is recomputed (never earlier) once it is."
    )
    provisional_year: int | None
    provisional_note: str


class CaseOut(Schema):
    id: int
    number: str
    title: str
    channel: str
    procedure: str
    state: str
    court_id: int | None
    org_id: int | None
    mediator_id: int | None
    filed_case_id: int | None
    ip_kind: str | None
    claims: str
    amount_fen: int | None
    deadline_at: datetime | None
    deadline_provisional_year: int | None
    clock: str
    end_reason: int | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_ip_kind(obj) -> str | None:
        return obj.ip_kind_id


class CaseDetailOut(CaseOut):
    countdown: CountdownOut | None
    your_roles: list[str]
    available_steps: list[str]


class CasePageOut(Schema):
    items: list[CaseOut]
    next_cursor: int | None


class ReasonIn(Schema):
    reason: str = ""


class RouteIn(Schema):
    org_id: int | None = None
    mediator_id: int | None = None


class MediatorIn(Schema):
    mediator_id: int


class ExtendIn(Schema):
    consenting_parties: list[int]
    days: int = 30


class EndIn(Schema):
    reason: int
    course: str
    reasons: str
    cost_conduct: str = ""
    notes_for_court: str = ""


class CourtIn(Schema):
    court_id: int
