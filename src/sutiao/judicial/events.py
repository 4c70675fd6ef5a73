"""The names of judicial confirmation and mediation documents (core.events).

Each step of an application is one fact: timeline kind `<name>`, audit action and outbox
topic `judicial.<name>`, registered from the lifecycle table."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

from . import lifecycle

register(
    "judicial",
    *(
        event(f"judicial.{name}", t.label, outbox=True, timeline=name)
        for name, t in lifecycle.TRANSITIONS.items()
    ),
    event("judicial.started", _("Judicial confirmation applied for"), timeline="started"),
    event(
        "judicial.deadline_recomputed",
        _("Deadline recomputed with the holiday schedule"),
        timeline="deadline_recomputed",
    ),
    event("judicial.mediation_document_issued", _("Mediation document issued"), outbox=True),
    event("judicial.mediation_document_received", _("Mediation document received")),
    event(
        "judicial.mediation_document_effective", _("Mediation document took effect"), outbox=True
    ),
    event("judicial.mediation_document_withdrawn", _("Mediation document withdrawn"), outbox=True),
)
