"""A webhook delivery's table (core.lifecycle): pending until the partner's endpoint answers
2xx (delivered); a 410, 3 days of failures or a disabled endpoint end it (failed)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.lifecycle import Machine, register, table, transition

from .models import WebhookDelivery

S = WebhookDelivery.State
SYSTEM = {"system"}

TRANSITIONS = table(
    transition("deliver", _("Delivered"), {S.PENDING}, S.DELIVERED, SYSTEM),
    transition("retry", _("Attempt failed, will retry"), {S.PENDING}, S.PENDING, SYSTEM),
    transition("fail", _("Failed"), {S.PENDING}, S.FAILED, SYSTEM),
)

DELIVERY = register(
    "docking.WebhookDelivery",
    Machine(
        "webhook_delivery",
        TRANSITIONS.values(),
        invalid=_("“%(action)s” is not possible while the delivery is “%(state)s”."),
    ),
)
