"""The stable error codes of judicial: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class JudicialError(ErrorCode):
    """The stable error codes judicial raises (docs/api.md's table is generated from them)."""

    INVALID_TRANSITION = (
        "judicial.invalid_transition",
        "The lifecycle table does not allow this step in the application's state, or one "
        "of its preconditions fails.",
    )
    NOT_YOUR_STEP = (
        "judicial.not_your_step",
        "None of your roles in the application may take this step.",
    )
    DOCUMENT_INVALID_TRANSITION = (
        "mediation_document.invalid_transition",
        "The lifecycle table does not allow this step in the mediation document's state.",
    )
    DOCUMENT_NOT_YOUR_STEP = (
        "mediation_document.not_your_step",
        "None of your roles in the mediation document may take this step.",
    )
    AGENT_WITHOUT_SPECIAL_AUTHORITY = (
        "judicial.agent_without_special_authority",
        "An agent with a general authorisation cannot apply for judicial confirmation or join "
        "the application for its party (CPL 62).",
    )
    AGREEMENT_NOT_SIGNED = (
        "judicial.agreement_not_signed",
        "Only an agreement signed by everyone can be confirmed.",
    )
    APPLICATION_EXISTS = (
        "judicial.application_exists",
        "An application for judicial confirmation of this agreement is under way already.",
    )
    DOCUMENT_EFFECTIVE = (
        "judicial.document_effective",
        "The mediation document is in effect and can no longer be refused.",
    )
    DOCUMENT_EXISTS = "judicial.document_exists", "This case has a mediation document already."
    ENTRUSTED_CASE = (
        "judicial.entrusted_case",
        "An entrusted case gets a mediation document, not judicial confirmation.",
    )
    NOT_CONFIRMABLE = (
        "judicial.not_confirmable",
        "This agreement cannot be put to judicial confirmation.",
    )
    NOT_SETTLED_ENTRUSTED = (
        "judicial.not_settled_entrusted",
        "A mediation document is issued only for a settled entrusted case.",
    )
    NOTHING_TO_SIGN = (
        "judicial.nothing_to_sign",
        "There is no signature of yours due on this document now.",
    )
    OBJECTION_LATE = (
        "judicial.objection_late",
        "The 15 days to object, from the party's receipt of the ruling, have ended.",
    )
    OBJECTION_NOT_SERVED = (
        "judicial.objection_not_served",
        "The ruling has not been served on the party yet: its 15 days have not started.",
    )
    OBJECTION_FILED = (
        "judicial.objection_filed",
        "The party's objection to the ruling is in already.",
    )
    OBJECTION_INVALID_TRANSITION = (
        "objection.invalid_transition",
        "The lifecycle table does not allow this step in the objection's state.",
    )
    OBJECTION_NOT_YOUR_STEP = (
        "objection.not_your_step",
        "None of your roles in the objection may take this step.",
    )
    DISMISSED_UNCHANGED = (
        "judicial.dismissed_unchanged",
        "A court dismissed or refused an application for this very content: change the "
        "agreement before applying again.",
    )
    SHAM_SUSPECTED = (
        "judicial.sham_suspected",
        "The case is suspended on a suspicion of sham mediation: it cannot be confirmed "
        "while the suspicion stands.",
    )
    PART_GIVEN = "judicial.part_given", "Your part of the joint application is in already."
    SUPPLEMENT_LATE = (
        "judicial.supplement_late",
        "The deadline to supplement the materials has passed.",
    )
    SUPPLEMENT_RUNNING = (
        "judicial.supplement_running",
        "The parties still have time to supplement the materials.",
    )
    TOO_LATE = "judicial.too_late", "The 30 days to apply for judicial confirmation have passed."
