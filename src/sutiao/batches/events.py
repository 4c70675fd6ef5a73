"""The names of batches (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "batches",
    event("batch.uploaded", _("Batch of applications uploaded"), outbox=True),
    event("batch.delegated", _("Batch delegated"), outbox=True),
    event("batch.entrusted", _("Filed cases of the batch entrusted"), outbox=True),
    event("batch.assigned", _("Batch assigned to mediators"), outbox=True),
    event("batch.contacted", _("Respondents of the batch contacted")),
    event("batch.agreements_sent", _("Agreements of the batch sent for signing")),
    event("batch.conflict_declared", _("Conflict of interest declared by a mediator")),
    event("batch.conflict_withdrawn", _("Declared conflict of interest withdrawn")),
)
