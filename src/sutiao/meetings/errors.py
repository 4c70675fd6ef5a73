"""The stable error codes of meetings."""

from sutiao.core.errors import ErrorCode


class MeetingError(ErrorCode):
    INVALID_TRANSITION = (
        "meeting.invalid_transition",
        "The session's lifecycle does not allow this step in its state.",
    )
    NOT_YOUR_STEP = ("meeting.not_your_step", "None of your roles in the session takes this step.")
    BAD_TIMES = (
        "meeting.bad_times",
        "The proposed times are missing, in the past, end before they start, or too many.",
    )
    NO_PARTICIPANT = (
        "meeting.no_participant",
        "No party of the case has consented to online mediation with an account.",
    )
    NOT_A_TIME = ("meeting.not_a_time", "The time answered is not one of the session's times.")
    REASON_MISSING = ("meeting.reason_missing", "Rescheduling needs a reason.")
    NOT_VERIFIED = (
        "meeting.not_verified",
        "The participant's identity has not been verified on the platform (OLR 7).",
    )
    NOT_A_SIDE = ("meeting.not_a_side", "A separate talk is held with a party of the session.")
    PROVIDER_UNAVAILABLE = (
        "meeting.provider_unavailable",
        "The media server (Janus) did not answer or refused the platform's request (503).",
    )
    CAUCUS_NOT_APPLIED = (
        "meeting.caucus_not_applied",
        "The media server could not part or rejoin the sides; the separate talk is as it was (503).",
    )
    RECORDING_NOT_CONSENTED = (
        "meeting.recording_not_consented",
        "Recording starts only while every participant present has consented to it (409).",
    )
    BAD_RECORDING = (
        "meeting.bad_recording",
        "The uploaded recording is not a WebM with a video stream and a duration.",
    )
    RECORDING_STOPPED = (
        "meeting.recording_stopped",
        "The recording has stopped (or was assembled): it takes no more chunks (409).",
    )
    NOT_YOUR_RECORDING = (
        "meeting.not_your_recording",
        "Only the mediator who started a recording uploads its chunks (403).",
    )
    CHUNK_OUT_OF_ORDER = (
        "meeting.chunk_out_of_order",
        "A recording's chunks come in order from 0; `details.expected` is the next one (409).",
    )
    NOT_A_JUDGE = (
        "meeting.not_a_judge",
        "Only a judge of the case's court (an active membership) can be invited (400).",
    )
    ALREADY_PARTICIPANT = (
        "meeting.already_participant",
        "The person invited is a participant of the session already (409).",
    )
    RECORDING_NOT_COMPLETE = (
        "meeting.recording_not_complete",
        "The recording is not assembled into the case file yet (or failed): nobody can consent "
        "that it replaces the written transcript (OMR 22; 409).",
    )
    NOT_A_PARTY = (
        "meeting.not_a_party",
        "Only a party of the case (or its agent) consents that a recording replaces the "
        "written transcript; the mediator cannot consent for a party (403).",
    )
    ALREADY_CONSENTED = (
        "meeting.already_consented",
        "Every party you act for has consented to this recording as the record already; "
        "nothing changed (409).",
    )
    NO_CONSENT = (
        "meeting.no_consent",
        "None of the parties you act for has a standing consent to this recording as the "
        "record: there is nothing to withdraw (409).",
    )
    REPLACEMENT_FINAL = (
        "meeting.replacement_final",
        "The recording stands as the session's record already: consents to it are final (409).",
    )
    SESSION_HAS_RECORD = (
        "meeting.session_has_record",
        "Another recording of this session stands as its record already (409).",
    )
    NOT_SHAREABLE = (
        "meeting.not_shareable",
        "The document shared is not one of the case's files that the sharer may see (404).",
    )
    NOT_VIEWABLE = (
        "meeting.not_viewable",
        "Only a PDF or an image of the case file is shown in the room (422).",
    )
    NOT_VISIBLE_TO_ALL = (
        "meeting.not_visible_to_all",
        "A participant present may not see the document shared; nobody is shown it (403).",
    )
