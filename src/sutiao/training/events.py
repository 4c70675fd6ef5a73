"""The names training records (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "training",
    event("training.course_saved", _("Training course saved")),
    event("training.material_added", _("Course material added")),
    event("training.enrolled", _("Enrolled in a training course")),
    event("training.hours_credited", _("Training hours credited"), outbox=True),
    event("training.sign_in_imported", _("On-site sign-in list imported")),
    event("training.certificate_issued", _("Training certificate issued")),
    event("training.requirement_set", _("Training hour requirement set")),
    event("training.call_saved", _("Call for mediators saved")),
    event("training.applied", _("Applied to become a mediator"), outbox=True),
    event("training.more_requested", _("More information asked of the applicant")),
    event("training.answered", _("Applicant answered")),
    event("training.accepted", _("Accepted into pre-joining training"), outbox=True),
    event("training.rejected", _("Application not accepted"), outbox=True),
    event("training.withdrawn", _("Application withdrawn")),
    event("training.joined", _("Entered into the roster collection"), outbox=True),
)
