"""The names of documents, signatures and certificates (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "documents",
    event("documents.certificate_issued", _("Signing certificate issued")),
    event("documents.certificate_revoked", _("Signing certificate revoked")),
    event("documents.registered", _("Document registered"), outbox=True),
    event("documents.signed", _("Document signed")),
)
