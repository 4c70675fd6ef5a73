"""The stable error codes of evaluation (scoring schemes, surveys, complaints, notes)."""

from sutiao.core.errors import ErrorCode


class EvaluationError(ErrorCode):
    INVALID_TRANSITION = (
        "complaint.invalid_transition",
        "The complaint's lifecycle does not allow this step in its state.",
    )
    NOT_YOUR_STEP = (
        "complaint.not_your_step",
        "Only the court or IP office staff concerned with the case decide a complaint.",
    )
    BAD_TERMS = (
        "scoring.bad_terms",
        "A scoring version names an unknown indicator, twice the same one, a weight that is "
        "not a positive whole number or a threshold that is not a number.",
    )
    PUBLISHED = ("scoring.published", "A published scoring version is never changed.")
    CASE_NOT_ENDED = ("survey.case_not_ended", "The survey is answered only after the case ended.")
    ANSWERED = ("survey.answered", "Each party answers the survey of a case once.")
    BAD_ANSWER = ("survey.bad_answer", "Each answer is a whole number from 1 to 5.")
    NO_MEDIATOR = ("complaint.no_mediator", "The case has no mediator to complain about.")
    REASON_MISSING = ("evaluation.reason_missing", "A reason is required.")
