"""The audit names of mediators and the court rosters (core.events).

Measures (`roster.<kind>`) are registered from `RosterMeasure.Kind`, status changes
(`mediator.<verb>`) from `STATUS_VERBS`, so a new measure or status cannot go unregistered."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

from .models import RosterMeasure

# A mediator's new status -> the verb of its audit name.
STATUS_VERBS = {"active": "reactivated", "suspended": "suspended", "removed": "removed"}
_STATUS_LABELS = {
    "reactivated": _("Mediator reactivated"),
    "suspended": _("Mediator suspended"),
    "removed": _("Mediator removed from the platform"),
}

register(
    "roster",
    event("mediator.created", _("Mediator created")),
    event("mediator.updated", _("Mediator updated")),
    event("mediator.account_linked", _("Mediator linked to an account")),
    event("mediator.imported", _("Mediators imported")),
    *(event(f"mediator.{verb}", _STATUS_LABELS[verb]) for verb in STATUS_VERBS.values()),
    event("org.reactivated", _("Mediation organisation reactivated")),
    event("org.suspended", _("Mediation organisation suspended")),
    event("roster.recommended", _("Recommended to a court")),
    event("roster.admitted", _("Admitted to the court roster")),
    event("roster.refusal_counted", _("Refusal of an assignment counted (OMR 29)")),
    event("roster.declined", _("Recommendation declined")),
    event("roster.import_started", _("Roster import started")),
    *(event(f"roster.{kind.value}", kind.label) for kind in RosterMeasure.Kind),
)
