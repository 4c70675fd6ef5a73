"""The stable error codes of cases: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class CaseError(ErrorCode):
    """The stable error codes cases raises (docs/api.md's table is generated from them)."""

    INVALID_TRANSITION = (
        "case.invalid_transition",
        "The lifecycle table does not allow this step in the case's state, or one of its "
        "preconditions fails (`details.precondition`).",
    )
    NOT_YOUR_STEP = (
        "case.not_your_step",
        "None of your roles in the case may take this lifecycle step.",
    )
    AGENT_NOT_YOURS = (
        "case.agent_not_yours",
        "Only the party itself names or revokes its agent (CPL 61–62), while the case is open.",
    )
    AGENT_REVOKED = "case.agent_revoked", "The agent's power of attorney was revoked already."
    NO_UNDISPUTED_FACTS = (
        "case.no_undisputed_facts",
        "A recording that stands as a session's record has no written undisputed facts yet: "
        "there is nothing to confirm (OMR 22; 409).",
    )
    FACTS_CONFIRMED = (
        "case.facts_confirmed",
        "A party has confirmed the undisputed facts already: they are not rewritten (409).",
    )
    ALREADY_ANSWERED = (
        "case.already_answered",
        "This party has answered the mediator's disclosure already.",
    )
    NO_MEDIATOR = (
        "case.no_mediator",
        "No mediator is on the case now: there is nobody to ask another mediator instead of "
        "(OMR 14).",
    )
    CHANGE_PENDING = (
        "case.change_pending",
        "The party's request for another mediator is still waiting for a decision (OMR 14).",
    )
    CHANGE_DECIDED = (
        "case.change_decided",
        "The request for another mediator was granted or refused already.",
    )
    REPORT_WRITTEN = (
        "case.report_written",
        "The failure report (OMR 21) of this case was written already, or the case did not fail.",
    )
    EXTENSION_TOO_LONG = (
        "case.extension_too_long",
        "The extension the parties agreed is longer than allowed (entrusted cases: 30 days, "
        "2024-12-27 opinion).",
    )
    MEDIATION_UNDER_WAY = (
        "case.mediation_under_way",
        "A mediation of this filed case is under way or settled already: it cannot be "
        "entrusted again (`details.cases` names them).",
    )
    CHOICE_TOO_LATE = (
        "case.choice_too_late",
        "The 2 working days for the parties to choose a mediator jointly have passed (OMR 10).",
    )
    CONSENT_MISSING = (
        "case.consent_missing",
        "Every party must consent to extending the mediation period.",
    )
    INCOMPLETE = (
        "case.incomplete",
        "The application lacks something it needs (e.g. an agent's power of attorney).",
    )
    JOINT_CHOICE = (
        "case.joint_choice",
        "The parties chose a mediator jointly; the court follows their choice (OMR 10).",
    )
    INVITATION_NOT_NEEDED = (
        "case.invitation_not_needed",
        "The party is on the case already, or the case no longer waits for it (OMR 15).",
    )
    INVITATION_OTHER_PERSON = (
        "case.invitation_other_person",
        "The verified identity of the account is not the one the case gives for the party.",
    )
    NOTICE_NOT_ACKNOWLEDGED = (
        "case.notice_not_acknowledged",
        "Consent needs the acknowledgement of the notice of rights and duties (SIR 14).",
    )
    NOT_CONSENTED = (
        "case.not_consented",
        "Every party must consent to online mediation first (OMR 4, 8; SIR 11).",
    )
    NOT_ON_ROSTER = (
        "case.not_on_roster",
        "The organisation or mediator is not on the roster of a court with jurisdiction.",
    )
    OFFLINE_ORG_DID_NOT_MEDIATE = (
        "case.offline_org_did_not_mediate",
        "A party recorded an agreement reached offline naming an organisation that never "
        "mediated a case of theirs; the organisation records it, or names its own.",
    )
    OFFLINE_NOT_THE_OTHER_PARTY = (
        "case.offline_not_the_other_party",
        "Only the other party of an agreement reached offline, with their own account on the "
        "case, confirms what a party recorded.",
    )
    OFFLINE_NOT_PENDING = (
        "case.offline_not_pending",
        "The case is not an agreement reached offline waiting for the other party's confirmation.",
    )
    FILE_TOO_LARGE = "file.too_large", "The uploaded file is over the size limit (413)."
    FILE_TYPE_REFUSED = (
        "file.type_refused",
        "The file is not an accepted PDF, image or office document.",
    )
    FILE_PDF_ACTIVE_CONTENT = (
        "file.pdf_active_content",
        "The PDF carries JavaScript, a launch or other action that runs on its own, or embedded "
        "files; print it to a plain PDF and upload that.",
    )
    FILE_POLYGLOT = (
        "file.polyglot",
        "The file hides web-page, script or program code (HTML, `<script`, `<?php`, `<svg` …) "
        "inside a PDF or an image.",
    )
    FILE_ARCHIVE_BOMB = (
        "file.archive_bomb",
        "The office document (a zip) expands too much: over the compression ratio or the total "
        "uncompressed size allowed.",
    )
    FILE_NESTED_ARCHIVE = (
        "file.nested_archive",
        "The office document holds another archive inside it (other than one embedded office "
        "document).",
    )
