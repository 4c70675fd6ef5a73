"""The lives of a service and of a delivery, as data (like cases/lifecycle.py).

Roles are relative to one service (policies.service_roles): "recipient" (the party served or
its agent), "court_staff" (a judge or clerk of a court with business in the case), "mediator"
and "org_admin" (of the case), and "system": the worker, and every step the rules of service
decide rather than a person (OLR 31: when service takes effect, that it could not be made,
that it needs paper), whoever's action led to it. A delivery's steps are the worker's, except
queueing it again after "could not serve", which staff take with the service's roles.

Actions take steps only through `check` then `move` (the table's refusals carry the stable
codes delivery had before the table: `delivery.not_failed`, `.no_consent`, `.not_effective`);
where a worker's step is only taken when it can be (a late outcome, a receipt for a message
already settled), it asks `allows` first, as before, without raising.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from sutiao.core.errors import Conflict
from sutiao.core.lifecycle import Machine, Precondition, Transition, register, table
from sutiao.core.lifecycle import transition as _t

from .errors import DeliveryError
from .models import Delivery, Service

__all__ = [
    "DELIVERY",
    "SERVICE",
    "SYSTEM",
    "allows",
    "check",
    "take",
]

S = Service.State
D = Delivery.State

SYSTEM = frozenset({"system"})
STAFF = frozenset({"court_staff", "mediator", "org_admin"})


def _consents(service: Service) -> bool:
    from .queries import current_addresses

    addresses = current_addresses(service.party)
    return addresses is not None and addresses.consents_e_service


CONSENTS = Precondition(
    "consents",
    _consents,
    _("The recipient no longer consents to electronic service."),
)

SERVICE_TRANSITIONS = table(
    _t(
        "need_paper",
        _("Needs paper service"),
        {S.PENDING},
        S.NEEDS_PAPER,
        SYSTEM,
    ),
    # Also from "effective": an earlier event dates it earlier (the earliest channel).
    _t(
        "take_effect",
        _("Service took effect"),
        {S.PENDING, S.NEEDS_PAPER, S.FAILED, S.EFFECTIVE},
        S.EFFECTIVE,
        SYSTEM,
    ),
    _t(
        "could_not_serve",
        _("Could not serve electronically"),
        {S.PENDING},
        S.FAILED,
        SYSTEM,
    ),
    _t(
        "serve_on_paper",
        _("Record paper service"),
        {S.PENDING, S.NEEDS_PAPER, S.FAILED},
        S.PAPER_SERVED,
        STAFF,
    ),
    # A paper copy the recipient asked for (the same form): the service already made stands.
    _t(
        "record_paper_copy",
        _("Record paper service"),
        {S.EFFECTIVE, S.PAPER_SERVED},
        None,
        STAFF,
    ),
    _t(
        "send_again",
        _("Send again"),
        {S.FAILED},
        S.PENDING,
        STAFF,
        requires=[CONSENTS],
    ),
    _t(
        "issue_proof",
        _("Issue the proof of service"),
        {S.EFFECTIVE},
        None,
        STAFF | SYSTEM,
    ),
)

DELIVERY_TRANSITIONS = table(
    # From "sending": its lease ran out while a worker sent it (in doubt): sent again.
    _t("claim", _("Sending"), {D.QUEUED, D.SENDING}, D.SENDING, SYSTEM),
    _t("record_sent", _("Sent"), {D.SENDING}, D.SENT, SYSTEM),
    _t("arrive", _("Arrived"), {D.SENDING, D.SENT}, D.ARRIVED, SYSTEM),
    _t("retry", _("Attempt failed, will retry"), {D.SENDING}, D.QUEUED, SYSTEM),
    _t("fail", _("Failed"), {D.SENDING, D.SENT}, D.FAILED, SYSTEM),
    _t("send_again", _("Send again"), {D.FAILED}, D.QUEUED, STAFF),
)

SERVICE = register(
    "delivery.Service",
    Machine(
        "service",
        SERVICE_TRANSITIONS.values(),
        invalid=_("“%(action)s” is not possible while the service is “%(state)s”."),
    ),
)
DELIVERY = register(
    "delivery.Delivery",
    Machine(
        "delivery",
        DELIVERY_TRANSITIONS.values(),
        invalid=_("“%(action)s” is not possible while the delivery is “%(state)s”."),
    ),
)

# Refusals that had a stable code of their own before the table, kept for clients:
# (machine prefix, transition, failing precondition or None for the state) -> (message, code).
_KEPT: dict[tuple[str, str, str | None], tuple[Any, DeliveryError]] = {
    ("service", "send_again", None): (
        _("Only a service that could not be made is sent again."),
        DeliveryError.NOT_FAILED,
    ),
    ("service", "send_again", "consents"): (CONSENTS.reason, DeliveryError.NO_CONSENT),
    ("service", "issue_proof", None): (
        _("The proof is issued once service has taken effect."),
        DeliveryError.NOT_EFFECTIVE,
    ),
}


def check(machine: Machine, obj: Model, name: str, roles: set[str] | frozenset[str]) -> Transition:
    """`machine.check`, with the refusals delivery had codes for answered as before."""
    try:
        return machine.check(obj, name, set(roles))
    except Conflict as refused:
        kept = _KEPT.get((machine.prefix, name, refused.details.get("precondition")))
        if kept is None:
            raise
        message, code = kept
        raise Conflict(message, code=code, **refused.details) from None


def take(
    machine: Machine,
    obj: Model,
    name: str,
    roles: set[str] | frozenset[str],
    *,
    at: dt.datetime,
) -> str:
    """Check and move in one: the state `obj` left (the caller saves, audits, records)."""
    return machine.move(obj, check(machine, obj, name, roles), at=at)


def allows(machine: Machine, obj: Model, name: str) -> bool:
    """Whether the table lets `name` be taken now (state and preconditions, any role)."""
    t = machine[name]
    return machine.state_of(obj) in t.source and t.failing(obj) is None
