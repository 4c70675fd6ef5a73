"""The stable error codes of training and recruitment."""

from sutiao.core.errors import ErrorCode


class TrainingError(ErrorCode):
    INVALID_TRANSITION = (
        "application.invalid_transition",
        "The application's lifecycle does not allow this step in its state.",
    )
    NOT_YOUR_STEP = (
        "application.not_your_step",
        "Neither the applicant nor the call's IP office takes this step.",
    )
    BAD_COURSE = (
        "training.bad_course",
        "The course's organiser, dates, hours or way of teaching are not valid.",
    )
    NOT_ONLINE = ("training.not_online", "Watched time is reported only for a course video.")
    BAD_HEARTBEAT = (
        "training.bad_heartbeat",
        "The player's report is not signed for this enrolment, or expired.",
    )
    BAD_SIGN_IN = (
        "training.bad_sign_in",
        "The sign-in list cannot be read: not an XLSX file, or its header row is missing.",
    )
    NOT_CREDITED = (
        "training.not_credited",
        "A certificate is issued only for hours credited.",
    )
    NO_SEAL = (
        "training.no_seal",
        "Nobody at hand may sign the certificate for the course's organiser.",
    )
    CALL_CLOSED = ("training.call_closed", "The call for mediators is closed.")
    ALREADY_APPLIED = (
        "training.already_applied",
        "You have an open application to this call, or are a mediator already.",
    )
    REASON_MISSING = (
        "training.reason_missing",
        "This step needs a text: a request, an answer or a reason.",
    )
