"""The names of meetings (core.events)."""

from django.utils.translation import gettext_lazy as _

from sutiao.core.events import event, register

register(
    "meetings",
    event("meetings.proposed", _("Session times proposed")),
    event("meetings.answered", _("Answer to the proposed times")),
    event("meetings.scheduled", _("Session scheduled")),
    event("meetings.rescheduled", _("Session rescheduled")),
    event("meetings.mode_set", _("Way of taking part recorded")),
    event("meetings.judge_invited", _("Judge invited to the session")),
    event("meetings.identity_checked", _("Identity checked for the session")),
    event("meetings.joined", _("Joined the session")),
    event("meetings.reconnected", _("Reconnected to the session")),
    event("meetings.left", _("Left the session")),
    event("meetings.caucus_started", _("Separate talk with one side started")),
    event("meetings.caucus_ended", _("Separate talk ended")),
    event("meetings.ended", _("Session ended")),
    event("meetings.screen_shared", _("Screen shared in the session")),
    event("meetings.document_shared", _("Case document shown in the session")),
    event("meetings.recording_consented", _("Consented to recording")),
    event("meetings.recording_consent_withdrawn", _("Withdrew consent to recording")),
    event("meetings.recording_started", _("Recording started")),
    event("meetings.recording_stopped", _("Recording stopped")),
    event("meetings.recording_stored", _("Recording stored in the case file")),
    event("meetings.media_webhook_ignored", _("A media server's notice ignored")),
    event("meetings.recording_failed", _("Nothing playable of the recording was uploaded")),
    event(
        "meetings.replacement_consented",
        _("Consented that the recording replaces the written transcript"),
    ),
    event(
        "meetings.replacement_withdrawn",
        _("Withdrew consent that the recording replaces the written transcript"),
    ),
    event(
        "meetings.recording_replaces_transcript",
        _("The recording stands as the session record"),
    ),
)
