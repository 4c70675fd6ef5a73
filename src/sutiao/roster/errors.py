"""The stable error codes of roster: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class RosterError(ErrorCode):
    """The stable error codes roster raises (docs/api.md's table is generated from them)."""

    MEDIATOR_SAME_STATUS = "mediator.same_status", "The mediator already has this status."
    ORG_SAME_STATUS = "org.same_status", "The organisation already has this status."
    ALREADY_ADMITTED = "roster.already_admitted", "Already on this court's roster."
    DECIDED = "roster.decided", "This recommendation was decided already."
    RECOMMENDATION_PENDING = (
        "roster.recommendation_pending",
        "A recommendation to this court is already waiting.",
    )
    REMOVED = "roster.removed", "This entry was removed from the roster."
