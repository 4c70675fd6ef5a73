"""The names of electronic service (core.events).

The timeline kinds are `DeliveryEvent.Kind`, whose labels they carry; a kind that is also
audited shares its fact with the audit action `delivery.<kind>`. The kinds only written on
the timeline are registered as `delivery.<kind>` with `audit=False`.

`STEPS` names the fact each lifecycle step (delivery/lifecycle.py) writes: the names stay the
ones the timeline and the audit log have always had (a step is not a new fact)."""

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
    event("delivery.invitation_sent", _("Invitation to a party sent")),
    event("delivery.agent_invitation_sent", _("Invitation to an agent sent")),
    event("delivery.preferences", _("Service preferences changed")),
    event("delivery.addresses_confirmed", _("Service addresses confirmed")),
    event("delivery.proof_due", _("Proof of service due"), audit=False, outbox=True),
    event("deadline.due", _("Deadline in 1 working day"), audit=False, outbox=True),
)

# (machine prefix, transition) -> the registered name of the fact it writes.
STEPS: dict[tuple[str, str], str] = {
    ("service", "need_paper"): "delivery.needs_paper",
    ("service", "take_effect"): "delivery.effective",
    ("service", "could_not_serve"): "delivery.could_not_serve",
    ("service", "serve_on_paper"): "delivery.paper_served",
    ("service", "record_paper_copy"): "delivery.paper_served",
    ("service", "send_again"): "delivery.sent_again",
    ("service", "issue_proof"): "delivery.proof_issued",
    ("delivery", "claim"): "delivery.sending",
    ("delivery", "record_sent"): "delivery.sent",
    ("delivery", "arrive"): "delivery.arrived",
    ("delivery", "retry"): "delivery.retry",
    ("delivery", "fail"): "delivery.failed",
    ("delivery", "send_again"): "delivery.queued",
}
