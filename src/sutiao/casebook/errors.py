"""The stable error codes of the casebook."""

from sutiao.core.errors import ErrorCode


class CasebookError(ErrorCode):
    INVALID_TRANSITION = (
        "casebook.invalid_transition",
        "The typical case's lifecycle does not allow this step in its state.",
    )
    NOT_YOUR_STEP = (
        "casebook.not_your_step",
        "None of your roles takes this step (a reviewer is an editor who did not write it).",
    )
    ARTICLE_INVALID_TRANSITION = (
        "casebook_article.invalid_transition",
        "The article's lifecycle does not allow this step in its state.",
    )
    ARTICLE_NOT_YOUR_STEP = (
        "casebook_article.not_your_step",
        "Only a casebook editor of the article's court or IP office takes this step.",
    )
    NOT_AN_EDITOR = (
        "casebook.not_an_editor",
        "Typical cases are written by casebook editors of a court or an IP office.",
    )
    CASE_NOT_CLOSED = (
        "casebook.case_not_closed",
        "A typical case is drawn from a closed case (settled, failed, filed or withdrawn).",
    )
    BAD_DRAFT = ("casebook.bad_draft", "A field of the typical case is missing or invalid.")
    BAD_DECISION = ("casebook.bad_decision", "A change is accepted or rejected, nothing else.")
    BAD_QUERY = ("casebook.bad_query", "The search words or filters are not valid.")
