"""The stable error codes of batches."""

from sutiao.core.errors import ErrorCode


class BatchError(ErrorCode):
    BAD_SPREADSHEET = (
        "batch.bad_spreadsheet",
        "The spreadsheet cannot be read, lacks a required column, has no row or too many.",
    )
    NO_CASES = ("batch.no_cases", "No case of the batch (or of the selection) can take this step.")
    CONFLICTED = (
        "batch.conflicted",
        "Every mediator chosen declared a conflict with a party of one of the cases.",
    )
    NO_MEDIATOR = ("batch.no_mediator", "Choose one organisation or at least one mediator.")
    NOT_ENTRUSTABLE = (
        "batch.not_entrustable",
        "A selected case is not one of the batch's filed cases with no mediation under way "
        "(`details.cases` names them): nothing was entrusted.",
    )
