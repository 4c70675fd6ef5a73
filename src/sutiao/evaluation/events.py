"""The names evaluation records (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "evaluation",
    event("scoring.scheme_created", _("Scoring scheme created")),
    event("scoring.version_saved", _("Scoring scheme version saved (draft)")),
    event("scoring.version_published", _("Scoring scheme version published")),
    event("survey.sent", _("Satisfaction survey sent to the parties")),
    event("survey.answered", _("Satisfaction survey answered")),
    event("complaint.filed", _("Complaint about a mediator filed")),
    event("complaint.uphold", _("Complaint upheld")),
    event("complaint.dismiss", _("Complaint dismissed")),
    event("performance.note_recorded", _("Commendation or warning recorded")),
)
