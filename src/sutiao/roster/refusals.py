"""OMR 29: refusals of assignments, counted on the roster entry the case was sent under."""

from __future__ import annotations

from django.db.models import F

from sutiao.audit.log import record
from sutiao.institutions.models import Court, MediationOrg

from . import queries
from .models import Mediator, RosterEntry


def count_refusal(
    *,
    court: Court,
    mediator: Mediator | None,
    org: MediationOrg | None,
    unanswered: bool,
    case_ref: str = "",
) -> RosterEntry | None:
    """OMR 29: a declined (or, OMR 12, unanswered) assignment of `court`'s case counts on
    the roster entry it was sent under: the mediator's own entry where they have one, else
    their organisation's; the court's own entry first, else a higher court's it used.
    Called in the case action's transaction."""
    sharing = queries.courts_sharing_roster(court)
    entry = None
    for subject in ({"mediator": mediator}, {"org": org}):
        if entry is None and next(iter(subject.values())) is not None:
            entries = queries.entries_in_force().filter(**subject)
            entry = entries.filter(court=court).first() or entries.filter(court__in=sharing).first()
    if entry is None:
        return None
    field = "unanswered_count" if unanswered else "declined_count"
    RosterEntry.objects.filter(pk=entry.pk).update(**{field: F(field) + 1})
    entry.refresh_from_db()
    record(
        "system",
        "roster.refusal_counted",
        entry,
        summary=case_ref,
        changes={field: getattr(entry, field)},
    )
    return entry
