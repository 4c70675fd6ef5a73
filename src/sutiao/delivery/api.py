"""Electronic service over JSON: the inbox, a case's services and their record, serving a
registered document, paper service, service addresses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Router, Schema, Status

from sutiao.accounts.identity import mask_phone
from sutiao.cases.models import Case, Party
from sutiao.core.errors import NotFound
from sutiao.core.lookup import visible
from sutiao.core.policy import require
from sutiao.documents.models import Document

from . import actions, queries
from .models import InboxItem, Service
from .policies import is_staff, represents

router = Router(tags=["delivery"])


class InboxItemOut(Schema):
    id: int
    title: str
    body: str
    case_number: str
    created_at: str
    url: str
    document_url: str
    read: bool


class InboxOut(Schema):
    unread: int
    items: list[InboxItemOut]


@router.get("/delivery/inbox", response=InboxOut)
def inbox(request, unread: bool = False, size: int = 50):
    items = queries.inbox_for(request.auth, unread_only=unread)[: max(1, min(size, 200))]
    return {
        "unread": queries.unread_count(request.auth.pk),
        "items": [queries.item_json(i) for i in items],
    }


def _item(request, item_id: int) -> InboxItem:
    return visible(request.auth, InboxItem.objects.select_related("case", "document"), pk=item_id)


@router.post("/delivery/inbox/{item_id}/read", response=InboxItemOut)
def read(request, item_id: int):
    return queries.item_json(actions.open_item(actor=request.auth, item=_item(request, item_id)))


@router.post("/delivery/inbox/{item_id}/acknowledge", response=InboxItemOut)
def acknowledge(request, item_id: int):
    return queries.item_json(actions.acknowledge(actor=request.auth, item=_item(request, item_id)))


class ServiceOut(Schema):
    id: int
    case: int
    party: dict[str, Any]
    kind: str
    title: str
    document: str | None
    state: str
    served_at: datetime
    effective_at: datetime | None
    effective_channel: str
    effective_basis: str
    proof: str | None
    deliveries: list[dict[str, Any]]
    events: list[dict[str, Any]]


def _case(request, case_id: int) -> Case:
    return visible(
        request.auth, Case.objects.select_related("court", "org", "mediator"), pk=case_id
    )


@router.get("/cases/{case_id}/services", response=list[ServiceOut])
def case_services(request, case_id: int):
    """Documents served in this case: staff see all; a party sees those served on it."""
    case = _case(request, case_id)
    staff = is_staff(request.auth, case)
    return [
        queries.service_json(s, staff=staff) for s in queries.services_for_case(request.auth, case)
    ]


class ServeIn(Schema):
    document: str  # its verification code
    kind: str
    title: str = ""
    recipients: list[int] | None = None  # party ids; default every party


@router.post("/cases/{case_id}/services", response={201: list[ServiceOut]})
def serve(request, case_id: int, payload: ServeIn):
    case = _case(request, case_id)
    document = Document.objects.filter(verify_code=payload.document).first()
    if document is None:
        raise NotFound()
    recipients = None
    if payload.recipients is not None:
        recipients = list(Party.objects.filter(case=case, pk__in=payload.recipients))
        if len(recipients) != len(set(payload.recipients)):
            raise NotFound()
    services = actions.serve_document(
        actor=request.auth,
        case=case,
        document=document,
        recipients=recipients,
        title=payload.title,
        kind=payload.kind,
    )
    return Status(201, [queries.service_json(s, staff=True) for s in services])


def _service(request, service_id: int) -> Service:
    return visible(request.auth, Service.objects.select_related("case", "party"), pk=service_id)


@router.get("/services/{service_id}", response=ServiceOut)
def service(request, service_id: int):
    s = _service(request, service_id)
    return queries.service_json(s, staff=is_staff(request.auth, s.case))


class PaperIn(Schema):
    route: str
    served_on: date
    receipt_number: str = ""
    note: str = ""


@router.post("/services/{service_id}/paper", response=ServiceOut)
def paper(request, service_id: int, payload: PaperIn):
    s = _service(request, service_id)
    actions.record_paper_service(actor=request.auth, service=s, **payload.dict())
    return queries.service_json(Service.objects.get(pk=s.pk), staff=True)


class AddressesIn(Schema):
    e_service: bool
    email: str = ""
    phone: str = ""
    inbox: bool = True
    method: str = "express"
    confirmed_by_recipient: bool | None = None
    note: str = ""


class AddressesOut(Schema):
    e_service: bool
    inbox: bool
    email: str
    phone: str
    method: str
    confirmed_by_recipient: bool
    recorded_at: datetime


def _addresses_out(a) -> dict[str, Any]:
    return {
        "e_service": a.consents_e_service,
        "inbox": a.inbox,
        "email": a.email,
        "phone": mask_phone(a.phone),
        "method": a.method,
        "confirmed_by_recipient": a.confirmed_by_recipient,
        "recorded_at": a.recorded_at,
    }


class AddressHistoryOut(Schema):
    current: AddressesOut | None
    history: list[AddressesOut]


def _party(request, party_id: int) -> Party:
    party = Party.objects.filter(pk=party_id).select_related("case").first()
    if party is None:
        raise NotFound()
    require(request.auth, "view", party.case)
    return party


@router.get("/parties/{party_id}/service-addresses", response=AddressHistoryOut)
def addresses(request, party_id: int):
    party = _party(request, party_id)
    if not (represents(request.auth, party) or is_staff(request.auth, party.case)):
        raise NotFound()
    current = queries.current_addresses(party)
    return {
        "current": _addresses_out(current) if current else None,
        "history": [_addresses_out(a) for a in queries.address_history(party)],
    }


@router.put("/parties/{party_id}/service-addresses", response=AddressesOut)
def confirm(request, party_id: int, payload: AddressesIn):
    """The party confirms its addresses; a court clerk records ones the party gave otherwise."""
    party = _party(request, party_id)
    row = actions.confirm_addresses(
        actor=request.auth,
        party=party,
        e_service=payload.e_service,
        email=payload.email,
        phone=payload.phone,
        inbox=payload.inbox,
        method=payload.method,
        confirmed_by_recipient=payload.confirmed_by_recipient,
        note=payload.note,
    )
    return _addresses_out(row)
