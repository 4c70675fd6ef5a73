"""Mediation sessions (OMR 16-17, 22; OLR 7): when, who, how each party takes part, the day's
identity checks and the attendance the signalling server records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sutiao.cases.models import Case, Party


class State(models.TextChoices):
    PROPOSED = "proposed", _("Times proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    ENDED = "ended", _("Ended")
    CANCELLED = "cancelled", _("Cancelled")


class Mode(models.TextChoices):
    """OMR 16: how a party takes part."""

    ONLINE = "online", _("Online, together")
    SEPARATE = "separate", _("Online, in separate time slots")
    FACILITY = "facility", _("From a court or organisation facility")
    ON_SITE = "on_site", _("On site")


class MeetingSession(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meeting_sessions")
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PROPOSED
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    reschedule_reason = models.TextField(_("reason for rescheduling"), blank=True)
    # 背对背调解: the mediator talks with this participant alone; the room keeps the sides apart.
    caucus_with = models.ForeignKey(
        "Participant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Recording (with every present participant's consent): since when, None when off.
    recording_since = models.DateTimeField(_("recording since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(end__gt=models.F("start")),
                name="meeting_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProposedTime(models.Model):
    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="times")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    withdrawn = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("proposed session time")
        verbose_name_plural = _("proposed session times")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="proposed_time_ends_after_start"
            )
        ]


class Participant(models.Model):
    class Role(models.TextChoices):
        MEDIATOR = "mediator", _("Mediator")
        PARTY = "party", _("Party")
        JUDGE = "judge", _("Judge")  # invited on the mediator's request (OMR)

    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Accepted")
        ANOTHER = "another", _("Asked for another time")

    session = models.ForeignKey(
        MeetingSession, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    accepted_time = models.ForeignKey(
        ProposedTime, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    recording_consent = models.BooleanField(_("consents to recording"), default=False)

    class Meta:
        verbose_name = _("session participant")
        verbose_name_plural = _("session participants")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_participant_per_user")
        ]

    def __str__(self) -> str:
        return self.party.name if self.party else str(self.user)


class DayCheck(models.Model):
    """OMR 17 / OLR 7: the participant's identity was checked for the session on this day."""

    class Method(models.TextChoices):
        CODE = "code", _("One-time code to the verified phone")
        MEDIATOR = "mediator", _("Confirmed by the mediator against the ID")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="checks")
    day = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("day's identity check")
        verbose_name_plural = _("days' identity checks")
        constraints = [
            models.UniqueConstraint(fields=["participant", "day"], name="one_check_per_day")
        ]


class Attendance(models.Model):
    """Authoritative attendance, written by the signalling server."""

    class Kind(models.TextChoices):
        JOINED = "joined", _("joined")
        RECONNECTED = "reconnected", _("reconnected")
        LEFT = "left", _("left")

    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["at", "id"]


class Recording(models.Model):
    """One recording, from the mediator's start to its stop. Embedded (`mesh`): the mediator's
    page uploads its MediaRecorder chunks in order while it is on (the last one just after the
    stop); they are appended, encrypted, to a spool file on disk and assembled into one case
    document. `janus`: the SFU records each publisher (.mjr files), converted at the stop."""

    class Source(models.TextChoices):
        MESH = "mesh", _("The mediator's browser")
        JANUS = "janus", _("The Janus media server")

    class State(models.TextChoices):
        ON = "on", _("Recording")
        STOPPED = "stopped", _("Stopped")
        ASSEMBLING = "assembling", _("Being assembled")
        STORED = "stored", _("Stored in the case file")
        FAILED = "failed", _("Nothing playable was uploaded")

    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="recordings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=State.choices, default=State.ON)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MESH)
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=40, blank=True)
    chunks = models.PositiveIntegerField(default=0)  # received; the next one's sequence number
    size = models.BigIntegerField(default=0)  # clear bytes received
    spooled = models.BigIntegerField(default=0)  # bytes of the spool file that are committed
    last_chunk_at = models.DateTimeField(null=True, blank=True)
    file = models.ForeignKey(
        "cases.CaseFile", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    # OMR 22: with every party's consent the recording is the session's record in place of the
    # written transcript (replacement.py); set once, when the last consent arrives.
    transcript = models.OneToOneField(
        "cases.Transcript",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recording",
        verbose_name=_("session record"),
    )

    class Meta:
        verbose_name = _("session recording")
        verbose_name_plural = _("session recordings")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(state="on"),
                name="one_running_recording_per_session",
            )
        ]


class ReplacementConsent(models.Model):
    """OMR 22: a party consents that this recording replaces the written transcript of its
    session. Withdrawn (kept, with the time) until the replacement takes effect; then final."""

    recording = models.ForeignKey(
        Recording,
        on_delete=models.CASCADE,
        related_name="replacement_consents",
        verbose_name=_("recording"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="+", verbose_name=_("party")
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )
    at = models.DateTimeField(_("consented at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("consent to the recording as the record")
        verbose_name_plural = _("consents to the recording as the record")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "party"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_replacement_consent",
            )
        ]


class Reminder(models.Model):
    """A reminder sent for a session's start (the day before, 30 minutes before): one row per
    session, kind and start, so each is sent once however often the job runs; a rescheduled
    session has a new start and so new reminders."""

    class Kind(models.TextChoices):
        DAY = "day", _("The day before")
        SOON = "soon", _("30 minutes before")

    session = models.ForeignKey(MeetingSession, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    start = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "start"], name="one_reminder_per_start"
            )
        ]
