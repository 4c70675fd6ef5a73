"""Paper service (RULES §9): a copy on request, the clerk's record of how a document went on
paper, and sending again electronically after "could not serve"."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Invalid
from sutiao.core.lifecycle import Transition
from sutiao.core.policy import require

from ..lifecycle import DELIVERY, SERVICE, check, take
from ..models import Channel, Delivery, PaperRoute, PaperService, Service
from ..policies import service_roles
from ..queries import current_addresses
from .common import Ev, event, kick, locked_service


@transaction.atomic
def request_paper_copy(*, actor: User, service: Service) -> Service:
    """A paper copy is given on request (RULES §9): the clerk's queue shows it."""
    service = locked_service(service.pk)
    require(actor, "request_paper", service)
    if service.paper_requested_at is None:
        service.paper_requested_at = timezone.now()
        service.save(update_fields=["paper_requested_at"])
        event(Ev.PAPER_REQUESTED, service=service, actor=actor)
        record(actor, "delivery.paper_requested", service, summary=service.title)
    return service


def _check_paper(service: Service, route: str, served_on: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if route not in PaperRoute.values:
        errors["route"] = [_("Choose how it was served.")]
    if not isinstance(served_on, dt.date):
        errors["served_on"] = [_("Give the date it was served.")]
    elif served_on > timezone.localdate():
        errors["served_on"] = [_("The date cannot be in the future.")]
    elif served_on < timezone.localtime(service.created_at).date():
        errors["served_on"] = [_("The date cannot be before the service was ordered.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], fields=errors)


def _served_on_paper(
    service: Service, served_on: dt.date, step: Transition, now: dt.datetime
) -> None:
    SERVICE.move(service, step, at=now)
    service.effective_at = timezone.make_aware(dt.datetime.combine(served_on, dt.time()))
    service.effective_channel = "paper"
    service.effective_basis = Service.Basis.PAPER
    service.save(update_fields=["state", "effective_at", "effective_channel", "effective_basis"])


@transaction.atomic
def record_paper_service(
    *,
    actor: User,
    service: Service,
    route: str,
    served_on: dt.date,
    receipt_number: str = "",
    note: str = "",
) -> PaperService:
    """The clerk records how the document went on paper. For a recipient not served
    electronically it is the service (effective on the day served); for one who asked for a
    copy, the copy."""
    service = locked_service(service.pk)
    require(actor, "record_paper", service)
    _check_paper(service, route, served_on)
    copy = service.state in SERVICE["record_paper_copy"].source
    step = check(
        SERVICE,
        service,
        "record_paper_copy" if copy else "serve_on_paper",
        service_roles(actor, service),
    )
    now = timezone.now()
    paper = PaperService.objects.create(
        service=service,
        route=route,
        served_on=served_on,
        receipt_number=receipt_number.strip()[:60],
        on_request=copy,
        note=note.strip()[:200],
        recorded_by=actor,
        recorded_at=now,
    )
    event(
        Ev.PAPER_SERVED,
        service=service,
        at=now,
        actor=actor,
        route=route,
        served_on=served_on,
        receipt=paper.receipt_number,
        copy=copy,
    )
    if not copy:
        _served_on_paper(service, served_on, step, now)
    record(
        actor,
        "delivery.paper_served",
        service,
        summary=f"{service.title} → {service.party.name}",
        changes={"route": route, "served_on": served_on, "copy": copy},
    )
    return paper


@transaction.atomic
def send_again(*, actor: User, service: Service) -> Service:
    """After "could not serve": the failed channels are queued again (an address may have
    been corrected meanwhile: they go to the current one)."""
    service = locked_service(service.pk)
    require(actor, "manage", service)
    roles = service_roles(actor, service)
    step = check(SERVICE, service, "send_again", roles)  # could not serve; still consents
    addresses = current_addresses(service.party)
    assert addresses is not None  # the precondition `consents` holds
    if addresses.pk is None:
        addresses.save()
    now = timezone.now()
    for d in service.deliveries.filter(
        state=Delivery.State.FAILED, purpose=Delivery.Purpose.SERVICE
    ):
        if d.channel == Channel.EMAIL and addresses.email:
            d.address = addresses.email
        elif d.channel == Channel.SMS and addresses.phone:
            d.address = addresses.phone
        take(DELIVERY, d, "send_again", roles, at=now)
        d.attempts = 0
        d.available_at = now
        d.last_error = ""
        d.save()
        event(Ev.QUEUED, delivery=d, at=now, actor=actor, again=True)
    SERVICE.move(service, step, at=now)
    service.addresses = addresses
    service.save(update_fields=["state", "addresses"])
    record(actor, "delivery.sent_again", service, summary=service.title)
    kick()
    return service
