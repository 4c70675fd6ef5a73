"""OMR 22: with the consent of every party, a session's recording replaces its written
transcript (电子笔录). Each party of the case (itself or its agent) consents, on the platform,
per recording, once the recording is complete (assembled into the case file); a consent can
be withdrawn until the replacement takes effect. When the last party consents, the recording
becomes the session's record: a `cases.Transcript` of kind `recording` (linked from the
`Recording`), shown among the case's session records with its hash, duration and consents.
The undisputed facts are still written by the mediator and confirmed by each party in
writing (cases.actions.record_undisputed_facts / confirm_transcript).

Consenting twice is refused (409 `meeting.already_consented`) and changes nothing: a consent
is a declaration with its own time in the audit trail, not a setting to repeat."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Case, Party, Transcript
from sutiao.cases.policies import parties_of
from sutiao.core.errors import Conflict, Forbidden, NotFound
from sutiao.core.policy import require

from .errors import MeetingError
from .models import MeetingSession, Recording, ReplacementConsent


def _recording(actor: User, recording_id: int, *, lock: bool = False) -> Recording:
    """The recording, if `actor` may see its case: a stranger's and a missing id alike 404."""
    rows = Recording.objects.select_related("session__case", "file", "transcript")
    if lock:
        rows = rows.select_for_update(of=("self",))
    rec = rows.filter(pk=recording_id).first()
    if rec is None:
        raise NotFound()
    require(actor, "view", rec.session.case)
    return rec


def _mine(actor: User, case: Case) -> list[Party]:
    mine = parties_of(actor, case)
    if not mine:
        raise Forbidden(
            _("Only a party of the case, or its agent, consents to this."),
            code=MeetingError.NOT_A_PARTY,
        )
    return mine


def _standing(rec: Recording) -> dict[int, ReplacementConsent]:
    standing = rec.replacement_consents.filter(withdrawn_at__isnull=True).select_related("party")
    return {c.party_id: c for c in standing}


@transaction.atomic
def consent(*, actor: User, recording_id: int) -> Recording:
    """The parties `actor` acts for consent that this recording replaces the written transcript
    of its session; the last consent makes it the session's record."""
    rec = _recording(actor, recording_id, lock=True)
    case = rec.session.case
    mine = _mine(actor, case)
    if rec.transcript_id is not None:
        raise Conflict(
            _("The recording is the session's record already."),
            code=MeetingError.REPLACEMENT_FINAL,
        )
    if rec.state != Recording.State.STORED or rec.file_id is None:
        raise Conflict(
            _("The recording is not complete yet: consent once it is in the case file."),
            code=MeetingError.RECORDING_NOT_COMPLETE,
        )
    if Recording.objects.filter(session_id=rec.session_id, transcript__isnull=False).exists():
        raise Conflict(
            _("Another recording of this session is its record already."),
            code=MeetingError.SESSION_HAS_RECORD,
        )
    standing = _standing(rec)
    new = [p for p in mine if p.pk not in standing]
    if not new:
        raise Conflict(
            _("You have consented to this recording as the record already."),
            code=MeetingError.ALREADY_CONSENTED,
        )
    require_verified(actor)  # OLR 7: a declaration in the case needs a verified identity
    now = timezone.now()
    for party in new:
        c = ReplacementConsent.objects.create(recording=rec, party=party, given_by=actor, at=now)
        record(
            actor,
            "meetings.replacement_consented",
            rec.session,
            summary=party.name,
            changes={"recording": rec.pk, "party": party.pk, "consent": c.pk},
        )
    _take_effect_if_all(actor, rec)
    return rec


def _take_effect_if_all(actor: User, rec: Recording) -> None:
    """Every party of the case consents: the recording is the session's record."""
    parties = set(rec.session.case.parties.values_list("pk", flat=True))
    if not parties or not parties <= set(_standing(rec)):
        return
    assert rec.file is not None  # stored (checked by the caller)
    start = rec.session.start or rec.started_at
    t = case_actions.record_recording_as_transcript(
        actor=actor,
        case=rec.session.case,
        session_date=timezone.localdate(start),
        file=rec.file,
        duration=rec.duration,
    )
    rec.transcript = t
    rec.save(update_fields=["transcript"])
    record(
        actor,
        "meetings.recording_replaces_transcript",
        rec.session,
        summary=rec.file.name,
        changes={"recording": rec.pk, "transcript": t.pk, "sha256": rec.file.sha256},
    )


@transaction.atomic
def withdraw(*, actor: User, recording_id: int) -> Recording:
    """The parties `actor` acts for withdraw their consent, while it has not taken effect."""
    rec = _recording(actor, recording_id, lock=True)
    mine = _mine(actor, rec.session.case)
    if rec.transcript_id is not None:
        raise Conflict(
            _("The recording is the session's record already: the consents are final."),
            code=MeetingError.REPLACEMENT_FINAL,
        )
    standing = _standing(rec)
    mine_standing = [standing[p.pk] for p in mine if p.pk in standing]
    if not mine_standing:
        raise Conflict(
            _("You have not consented to this recording as the record."),
            code=MeetingError.NO_CONSENT,
        )
    now = timezone.now()
    for c in mine_standing:
        c.withdrawn_at, c.withdrawn_by = now, actor
        c.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor,
            "meetings.replacement_withdrawn",
            rec.session,
            summary=c.party.name,
            changes={"recording": rec.pk, "party": c.party_id, "consent": c.pk},
        )
    return rec


# Reads ---------------------------------------------------------------------------------------


@dataclass
class RecordingRow:
    """One complete recording of a session, with who consented that it replaces the
    transcript, who has not, and what the user may do."""

    recording: Recording
    consents: list[ReplacementConsent]
    missing: list[Party]
    may_consent: bool = False
    may_withdraw: bool = False

    @property
    def is_record(self) -> bool:
        return self.recording.transcript_id is not None


@dataclass
class SessionRecord:
    """What a session produced as its record: a recording in place of the transcript (when
    every party consented), or still a written transcript to be made."""

    session: MeetingSession
    recordings: list[RecordingRow] = field(default_factory=list)

    @property
    def record(self) -> Transcript | None:
        return next((r.recording.transcript for r in self.recordings if r.is_record), None)

    @property
    def written_transcript_required(self) -> bool:
        return self.record is None


def rows_for(user: User, recordings: list[Recording], parties: list[Party]) -> list[RecordingRow]:
    """The rows of complete recordings (`recordings` prefetched with their consents)."""
    mine = {p.pk for p in parties if user.pk in (p.user_id, p.agent_id)}
    rows = []
    for rec in recordings:
        consents = [c for c in rec.replacement_consents.all() if c.withdrawn_at is None]
        given = {c.party_id for c in consents}
        final = rec.transcript_id is not None
        rows.append(
            RecordingRow(
                recording=rec,
                consents=consents,
                missing=[p for p in parties if p.pk not in given],
                may_consent=not final and bool(mine - given),
                may_withdraw=not final and bool(mine & given),
            )
        )
    return rows


def _shown(rows: QuerySet[Recording]) -> QuerySet[Recording]:
    return rows.select_related("session__case", "file", "transcript").prefetch_related(
        Prefetch(
            "replacement_consents", ReplacementConsent.objects.select_related("party", "given_by")
        )
    )


def complete_recordings(case: Case, session: MeetingSession | None = None) -> list[Recording]:
    """The case's (or the session's) recordings in the case file, with their consents."""
    rows = Recording.objects.filter(session__case=case, state=Recording.State.STORED)
    if session is not None:
        rows = rows.filter(session=session)
    return list(_shown(rows))


def complete_recordings_by_id(recording_id: int) -> Recording:
    """One recording as `complete_recordings` gives them (after an action on it)."""
    return _shown(Recording.objects.filter(pk=recording_id)).get()


def session_record(user: User, session: MeetingSession) -> SessionRecord:
    """A session's record as `user` (who may see the session) sees it."""
    parties = list(session.case.parties.all())
    return SessionRecord(
        session=session,
        recordings=rows_for(user, complete_recordings(session.case, session), parties),
    )


def recording_of(transcript: Transcript) -> Recording | None:
    return _shown(Recording.objects.filter(transcript=transcript)).first()


def standing_consents(rec: Recording | None) -> list[ReplacementConsent]:
    if rec is None:
        return []
    return [c for c in rec.replacement_consents.all() if c.withdrawn_at is None]
