"""The stable error codes of subsidies."""

from sutiao.core.errors import ErrorCode


class SubsidyError(ErrorCode):
    INVALID_TRANSITION = (
        "sheet.invalid_transition",
        "The subsidy sheet's lifecycle does not allow this step in its state.",
    )
    NOT_YOUR_STEP = (
        "sheet.not_your_step",
        "The scheme does not name this person to review or approve the sheet.",
    )
    OWN_SHEET = (
        "subsidy.own_sheet",
        "The person who prepared (or reviewed) a sheet may not also review or approve it.",
    )
    BAD_AMOUNT = ("subsidy.bad_amount", "An amount or cap is negative or not a number.")
    BAD_PERIOD = (
        "subsidy.bad_period",
        "The period ends before it starts, or lies outside the scheme's period.",
    )
    OVERLAP = (
        "subsidy.overlap",
        "The period overlaps another scheme of the same office or court, or another sheet.",
    )
    UNKNOWN_IP_KIND = ("subsidy.unknown_ip_kind", "An amount names an IP kind that does not exist.")
    NO_DECIDERS = (
        "subsidy.no_deciders",
        "A scheme names at least one reviewer and one approver from its own staff.",
    )
    REASON_MISSING = ("subsidy.reason_missing", "Sending a sheet back needs a reason.")
    NOT_APPROVED = ("subsidy.not_approved", "Only an approved sheet is exported.")
