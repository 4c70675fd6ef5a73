"""Reads of electronic service: the inbox, a case's services, the paper-service queue, the
addresses in force and their history, a user's preferences, the rows the pages fetch, and
what the case export takes from here."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sutiao.accounts.identity import mask_phone
from sutiao.accounts.models import User
from sutiao.cases.models import Case, Party
from sutiao.cases.timeline import Entry, Viewer, fact, name_of
from sutiao.documents.models import Document

from .models import (
    AddressConfirmation,
    ConsentMethod,
    Delivery,
    DeliveryEvent,
    InboxItem,
    Preference,
    Service,
)
from .policies import is_staff, paper_scope, represents

ATTENTION = [Service.State.NEEDS_PAPER, Service.State.FAILED]


# Recipients, their addresses and preferences ------------------------------------------


def users_of(party: Party) -> list[User]:
    """The accounts that receive what is served on a party: its own and its agent's."""
    found: list[User] = []
    for user in (party.user, party.agent):
        if user is not None and user.is_active and user not in found:
            found.append(user)
    return found


def preference(user: User) -> Preference:
    pref = Preference.objects.filter(user=user).first()
    return pref or Preference(user=user)


def current_addresses(party: Party) -> AddressConfirmation | None:
    """The confirmation in force: the latest one, unless the party gave its consent on the case
    pages afterwards (cases.actions.give_consent), which is then returned unsaved."""
    latest = party.address_confirmations.order_by("-recorded_at", "-id").first()
    if party.consent_at is None or (latest and latest.recorded_at >= party.consent_at):
        return latest
    return AddressConfirmation(
        party=party,
        consents_e_service=party.consents_e_service,
        inbox=True,
        email=party.service_email,
        phone=party.service_phone,
        method=ConsentMethod.EXPRESS,
        confirmed_by_recipient=True,
        recorded_at=party.consent_at,
        note="case page",
    )


def parties_with_addresses(case: Case) -> list[dict[str, Any]]:
    """Every party of a case with the addresses in force (the staff's view of a case)."""
    return [
        {"party": p, "addresses": current_addresses(p)}
        for p in case.parties.select_related("user", "agent")
    ]


# The rows the pages fetch (each page checks the policy) -------------------------------


def inbox_item_rows() -> QuerySet[InboxItem]:
    return InboxItem.objects.select_related("case", "document", "service")


def inbox_item_of_service(user: User, service_id: int) -> InboxItem | None:
    """The user's own inbox item of a service, if the service reached its inbox."""
    return InboxItem.objects.filter(service_id=service_id, user=user).first()


def inbox_delivery(service: Service, user: User) -> Delivery | None:
    return service.deliveries.filter(channel="inbox", user=user).first()


def service_rows() -> QuerySet[Service]:
    return Service.objects.select_related(
        "case", "party", "document", "proof", "addresses", "served_by"
    )


def service_record(service: Service) -> dict[str, list[Any]]:
    """What the page of a service lists: its deliveries, events and paper service."""
    return {
        "deliveries": list(service.deliveries.all()),
        "events": list(service.events.select_related("delivery", "actor")),
        "paper": list(service.paper.select_related("recorded_by")),
    }


def case_rows() -> QuerySet[Case]:
    return Case.objects.select_related("court", "org", "mediator")


def servable_documents(case: Case) -> QuerySet[Document]:
    """The registered documents of a case that may be served (not proofs of service)."""
    if not case.number:
        return Document.objects.none()
    return Document.objects.filter(case_number=case.number).exclude(
        kind=Document.Kind.SERVICE_PROOF
    )


def document_by_code(verify_code: str) -> Document:
    return Document.objects.get(verify_code=verify_code)


def parties_of(case: Case, ids: list[int]) -> list[Party]:
    return list(case.parties.filter(pk__in=ids))


def party_rows() -> QuerySet[Party]:
    return Party.objects.select_related("case")


# Inbox, services, the paper queue ------------------------------------------------------


def unread_count(user_id: int) -> int:
    return InboxItem.objects.filter(user_id=user_id, read_at__isnull=True).count()


def inbox_for(user: User, *, unread_only: bool = False) -> QuerySet[InboxItem]:
    items = InboxItem.objects.filter(user=user).select_related("case", "document", "service")
    return items.filter(read_at__isnull=True) if unread_only else items


def item_json(item: InboxItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "body": item.body,
        "case_number": item.case.number if item.case is not None else "",
        "created_at": timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
        "url": reverse("delivery:item", args=[item.pk]),
        "document_url": reverse("delivery:item_download", args=[item.pk])
        if item.document_id
        else "",
        "read": item.read_at is not None,
    }


def services_for_case(user: User, case: Case) -> QuerySet[Service]:
    """Staff of the case see every service; a party sees those served on it."""
    services = (
        Service.objects.filter(case=case)
        .select_related("party", "document", "proof", "served_by")
        .prefetch_related("deliveries")
    )
    if is_staff(user, case):
        return services
    return services.filter(Q(party__user=user) | Q(party__agent=user))


def paper_queue(user: User) -> QuerySet[Service]:
    """What the clerk (or a direct case's organisation) has to serve on paper: no consent,
    could not serve electronically, or a paper copy asked for and not yet given."""
    scope = paper_scope(user)
    where = Q(case__court_id__in=scope["courts"]) | Q(
        case__court__isnull=True, case__org_id__in=scope["orgs"]
    )
    if apps.is_installed("sutiao.judicial"):  # rulings of a court confirming the agreement
        where |= Q(case__confirmation_applications__court_id__in=scope["courts"])
    wanted = Q(state__in=ATTENTION) | Q(paper_requested_at__isnull=False, paper__isnull=True)
    return (
        Service.objects.filter(where)
        .filter(wanted)
        .select_related("case", "party", "document")
        .distinct()
        .order_by("created_at", "id")
    )


def attention_count(case: Case) -> int:
    return Service.objects.filter(case=case, state__in=ATTENTION).count()


def address_history(party: Party) -> list[AddressConfirmation]:
    return list(party.address_confirmations.select_related("recorded_by"))


def my_parties(user: User) -> QuerySet[Party]:
    return (
        Party.objects.filter(Q(user=user) | Q(agent=user))
        .exclude(case__state="draft")
        .select_related("case")
        .order_by("-case_id")
    )


def service_json(service: Service, *, staff: bool) -> dict[str, Any]:
    deliveries = []
    for d in service.deliveries.all():
        address = mask_phone(d.address) if d.channel == "sms" else d.address
        deliveries.append(
            {
                "id": d.pk,
                "channel": d.channel,
                "purpose": d.purpose,
                "address": address,
                "state": d.state,
                "attempts": d.attempts,
                "message_id": d.message_id,
                "sent_at": d.sent_at,
                "arrived_at": d.arrived_at,
                "opened_at": d.opened_at,
                "last_error": d.last_error if staff else "",
            }
        )
    return {
        "id": service.pk,
        "case": service.case_id,
        "party": {"id": service.party_id, "name": service.party.name},
        "kind": service.kind,
        "title": service.title,
        "document": service.document.verify_code if service.document is not None else None,
        "state": service.state,
        "served_at": service.created_at,
        "effective_at": service.effective_at,
        "effective_channel": service.effective_channel,
        "effective_basis": service.effective_basis,
        "proof": service.proof.verify_code if service.proof is not None else None,
        "deliveries": deliveries,
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "channel": e.delivery.channel if e.delivery is not None else "",
                "delivery": e.delivery_id,
                "detail": e.detail,
            }
            for e in service.events.select_related("delivery")
        ],
    }


def export_parts(case: Case) -> list[tuple[str, bytes]]:
    """For the case export: every proof of service (signed PDF) and the full service record
    as JSON, as (path in the archive, bytes)."""
    parts: list[tuple[str, bytes]] = []
    services = (
        Service.objects.filter(case=case)
        .select_related("party", "document", "proof")
        .prefetch_related("deliveries")
        .order_by("created_at", "id")
    )
    records = []
    for service in services:
        records.append(service_json(service, staff=True))
        proof = service.proof
        if proof is not None:
            with proof.file.open("rb") as fh:
                parts.append((f"service/proof-{service.pk}-{proof.verify_code}.pdf", fh.read()))
    body = json.dumps(records, ensure_ascii=False, indent=1, default=str).encode()
    parts.insert(0, ("service/services.json", body))
    return parts


def export_zip(case: Case) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in export_parts(case):
            archive.writestr(name, data)
    return buffer.getvalue()


def may_see_service(user: User, service: Service) -> bool:
    return represents(user, service.party) or is_staff(user, service.case)


# The case's timeline (cases.timeline) ---------------------------------------------------

# The steps of a service that say what happened to it (not each attempt of each channel).
TIMELINE_KINDS = [
    DeliveryEvent.Kind.SERVED,
    DeliveryEvent.Kind.ARRIVED,
    DeliveryEvent.Kind.OPENED,
    DeliveryEvent.Kind.EFFECTIVE,
    DeliveryEvent.Kind.COULD_NOT_SERVE,
    DeliveryEvent.Kind.NEEDS_PAPER,
    DeliveryEvent.Kind.PAPER_REQUESTED,
    DeliveryEvent.Kind.PAPER_SERVED,
    DeliveryEvent.Kind.PROOF_ISSUED,
]


def timeline_entries(case: Case, viewer: Viewer) -> list[Entry]:
    """Every service of the case and its effect, in one query: the staff see all, a party
    (or its agent) what was served on it."""
    rows = DeliveryEvent.objects.filter(service__case=case, kind__in=TIMELINE_KINDS).select_related(
        "service__party", "actor"
    )
    if not viewer.staff:
        rows = rows.filter(service__party_id__in=list(viewer.party_ids))
    entries = []
    for e in rows.order_by("at", "pk"):
        known = fact("delivery", e.kind)
        if known is None or e.service is None:
            continue
        summary = f"{e.service.title} → {e.service.party.name}"
        entries.append(
            Entry(e.at, known.name, summary, name_of(e.actor), "delivery", e.pk, known.label)
        )
    return entries


SERVED_STAGES = {
    "agreement": (15, gettext_lazy("Agreement served")),
    "ruling": (35, gettext_lazy("Ruling served")),
    "mediation_document": (35, gettext_lazy("Mediation document served")),
}


def stages(case: Case) -> list[tuple[int, Any]]:
    """A document served on every party it was served on: 已送达."""
    found = []
    rows = Service.objects.filter(case=case, kind__in=list(SERVED_STAGES)).values_list(
        "kind", "state"
    )
    by_kind: dict[str, set[str]] = {}
    for kind, state in rows:
        by_kind.setdefault(kind, set()).add(state)
    for kind, states in by_kind.items():
        if states <= {Service.State.EFFECTIVE, Service.State.PAPER_SERVED}:
            found.append(SERVED_STAGES[kind])
    return found
