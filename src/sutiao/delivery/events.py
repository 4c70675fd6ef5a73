"""The names of electronic service (core.events).

The timeline kinds are `DeliveryEvent.Kind`, whose labels they carry; a kind that is also
audited shares its fact with the audit action `delivery.<kind>`. The kinds only written on
the timeline are registered as `delivery.<kind>` with `audit=False`."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

from .models import DeliveryEvent

Kind = DeliveryEvent.Kind

_AUDITED = {
    Kind.SERVED: {"outbox": True},
    Kind.ARRIVED: {},
    Kind.OPENED: {},
    Kind.ACTED: {},
    Kind.EFFECTIVE: {"outbox": True},
    Kind.COULD_NOT_SERVE: {},
    Kind.PAPER_REQUESTED: {},
    Kind.PAPER_SERVED: {},
    Kind.PROOF_ISSUED: {},
}

register(
    "delivery",
    *(
        event(
            f"delivery.{kind.value}",
            kind.label,
            audit=kind in _AUDITED,
            outbox=_AUDITED.get(kind, {}).get("outbox", False),
            timeline=kind.value,
        )
        for kind in Kind
    ),
    event("delivery.acknowledged", _("Receipt acknowledged")),
    event("delivery.sent_again", _("Sent again")),
    event("delivery.notified", _("Notice of service sent")),
    event("delivery.preferences", _("Service preferences changed")),
    event("delivery.addresses_confirmed", _("Service addresses confirmed")),
    event("delivery.proof_due", _("Proof of service due"), audit=False, outbox=True),
)
