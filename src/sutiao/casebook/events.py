"""The names of the casebook (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "casebook",
    event("casebook.drafted", _("Typical case drafted")),
    event("casebook.edited", _("Typical case draft edited")),
    event("casebook.submitted", _("Typical case sent for review")),
    event("casebook.change_decided", _("Proposed anonymisation change reviewed")),
    event("casebook.returned", _("Typical case returned to the editor")),
    event("casebook.approved", _("Typical case approved")),
    event("casebook.published", _("Typical case published"), outbox=True),
    event("casebook.withdrawn", _("Typical case withdrawn from the library"), outbox=True),
    event("casebook.article_saved", _("Legal-education article saved")),
    event("casebook.article_published", _("Legal-education article published")),
    event("casebook.article_withdrawn", _("Legal-education article withdrawn")),
)
