"""The stable error codes of reports."""

from sutiao.core.errors import ErrorCode


class ReportsError(ErrorCode):
    INVALID_TRANSITION = (
        "report.invalid_transition",
        "The report's lifecycle does not allow this step in its state.",
    )
    NOT_YOUR_STEP = ("report.not_your_step", "Only staff of the report's scope take this step.")
    BAD_SCOPE = (
        "report.bad_scope",
        "A report is written for the nation, a province, a court or an IP office.",
    )
    BAD_PERIOD = (
        "report.bad_period",
        "The period is a whole month or quarter that has begun; the kind is analysis or bulletin.",
    )
    EXISTS = ("report.exists", "This scope and period has its report already.")
    ISSUED = ("report.issued", "An issued report is final: it cannot be changed or issued again.")
    NOT_READY = (
        "report.not_ready",
        "The report is still being generated, or its generation failed.",
    )
    NO_COMMENTARY = ("report.no_commentary", "A report is issued only with a commentary.")
    BAD_LOCAL_REPORT = (
        "report.bad_local_report",
        "An experience or problem report needs a kind, a title and a text, and is filed by "
        "court or IP office staff.",
    )
