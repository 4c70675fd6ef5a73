"""The names of mediation agreements and one-time codes (core.events).

`documents.service_failed` is emitted here (agreements.serving) though it carries the
documents prefix: the stored topic is kept."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "agreements",
    event("agreement.drafted", _("Agreement drafted")),
    event("agreement.updated", _("Agreement terms updated")),
    event("agreement.opened", _("Agreement opened for signing"), outbox=True),
    event("agreement.reopened", _("Agreement reopened for changes")),
    event("agreement.signed", _("Agreement signed"), outbox=True),
    # One signature added (the parties still to sign and the mediator are told).
    event("agreement.signature_added", _("Signature added"), audit=False, outbox=True),
    event("agreement.refused", _("Signing the agreement refused"), outbox=True),
    event("agreement.offline_recorded", _("Agreement signed offline recorded")),
    event("agreement.offline_proposed", _("Agreement signed offline recorded by a party")),
    event(
        "agreement.offline_confirmed", _("Agreement signed offline confirmed by the other party")
    ),
    event("agreement.effective", _("Agreement took effect"), audit=False, outbox=True),
    event("otp.sent", _("One-time code sent")),
    event("otp.used", _("One-time code used")),
    event(
        "documents.service_failed",
        _("Serving a document failed"),
        audit=False,
        outbox=True,
    ),
)
