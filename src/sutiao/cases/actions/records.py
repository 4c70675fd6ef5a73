"""The records of mediation: messages, session records (笔录), identity checks, disclosures."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from sutiao.accounts.actions import require_verified
from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core import outbox
from sutiao.core.errors import Conflict, Forbidden, Invalid, NotFound
from sutiao.core.policy import require

from .. import lifecycle
from ..errors import CaseError
from ..models import (
    Case,
    CaseFile,
    Disclosure,
    DisclosureAnswer,
    IdentityCheck,
    Message,
    Party,
    Transcript,
    TranscriptConfirmation,
)
from ..policies import case_roles, parties_of
from ._steps import _event, _locked


@transaction.atomic
def post_message(
    *, actor: User, case: Case, body: str, caucus_party: Party | None = None
) -> Message:
    case = _locked(case.pk)
    require(actor, "post_message", case)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Write a message."), fields={"body": [_("Write a message.")]})
    roles = case_roles(actor, case)
    if caucus_party is not None:
        if caucus_party.case_id != case.pk:
            raise NotFound()
        if "mediator" not in roles and caucus_party not in parties_of(actor, case):
            raise Forbidden()
    message = Message.objects.create(case=case, caucus_party=caucus_party, author=actor, body=body)
    outbox.emit("case.message", {"case": case.pk, "message": message.pk})
    return message


@transaction.atomic
def record_transcript(
    *, actor: User, case: Case, session_date: date, text: str, undisputed_facts: str = ""
) -> Transcript:
    case = _locked(case.pk)
    require(actor, "mediate", case)
    lifecycle.check(case, "hold_session", case_roles(actor, case))  # OMR 4, 8: consent first
    if not (text or "").strip():
        raise Invalid(
            _("Write the record of the session."),
            fields={"text": [_("Write the record of the session.")]},
        )
    t = Transcript.objects.create(
        case=case,
        session_date=session_date,
        text=text,
        undisputed_facts=undisputed_facts,
        recorded_by=actor,
    )
    _event(case, actor, "transcript", at=t.recorded_at, summary=str(session_date), transcript=t.pk)
    record(actor, "case.transcript_recorded", case, changes={"transcript": t.pk})
    return t


@transaction.atomic
def record_recording_as_transcript(
    *, actor: User, case: Case, session_date: date, file: CaseFile, duration: float | None
) -> Transcript:
    """OMR 22: every party consented that the session's recording replaces its written
    transcript (meetings/replacement.py checked the consents and calls this in its own
    transaction): the record of kind `recording`; the undisputed facts follow in writing."""
    case = _locked(case.pk)
    require(actor, "view", case)
    if file.case_id != case.pk:
        raise NotFound()
    t = Transcript.objects.create(
        case=case,
        kind=Transcript.Kind.RECORDING,
        session_date=session_date,
        recording_file=file,
        recording_duration=duration,
        recorded_by=actor,
    )
    _event(case, actor, "recording_record", at=t.recorded_at, summary=file.name, transcript=t.pk)
    record(
        actor,
        "case.recording_recorded",
        case,
        summary=file.name,
        changes={"transcript": t.pk, "file": file.pk, "sha256": file.sha256},
    )
    return t


@transaction.atomic
def record_undisputed_facts(*, actor: User, transcript: Transcript, text: str) -> Transcript:
    """The mediator writes the undisputed facts of a session's record (OMR 22: in writing even
    where the recording is the record), until a party has confirmed them."""
    case = _locked(transcript.case_id)
    require(actor, "mediate", case)
    transcript = Transcript.objects.select_for_update().get(pk=transcript.pk, case=case)
    text = (text or "").strip()
    if not text:
        message = _("Write the undisputed facts.")
        raise Invalid(message, fields={"undisputed_facts": [message]})
    if transcript.confirmations.exists():
        raise Conflict(
            _("A party has confirmed these undisputed facts already; they stay as confirmed."),
            code=CaseError.FACTS_CONFIRMED,
        )
    before = transcript.undisputed_facts
    transcript.undisputed_facts = text
    transcript.save(update_fields=["undisputed_facts"])
    record(
        actor,
        "case.undisputed_facts_recorded",
        case,
        changes={"transcript": transcript.pk, "before": before, "after": text},
    )
    return transcript


@transaction.atomic
def confirm_transcript(*, actor: User, transcript: Transcript) -> list[TranscriptConfirmation]:
    """A party confirms the undisputed facts of a session's record (OMR 22)."""
    case = _locked(transcript.case_id)
    require(actor, "view", case)
    mine = parties_of(actor, case)
    if not mine:
        raise Forbidden()
    transcript.refresh_from_db(fields=["undisputed_facts"])
    if transcript.is_recording and not transcript.undisputed_facts.strip():
        raise Conflict(
            _("The mediator has not written the undisputed facts of this session yet."),
            code=CaseError.NO_UNDISPUTED_FACTS,
        )
    require_verified(actor)  # OLR 7: who takes part in a session is verified
    done = []
    for party in mine:
        c, created = TranscriptConfirmation.objects.get_or_create(
            transcript=transcript, party=party, defaults={"confirmed_by": actor}
        )
        if created:
            done.append(c)
            _event(
                case,
                actor,
                "transcript_confirmed",
                at=c.at,
                summary=party.name,
                transcript=transcript.pk,
                party=party.pk,
            )
            record(
                actor,
                "case.transcript_confirmed",
                case,
                changes={"transcript": transcript.pk, "party": party.pk},
            )
    return done


@transaction.atomic
def record_identity_check(
    *, actor: User, case: Case, party: Party, session_date: date, method: str
) -> IdentityCheck:
    case = _locked(case.pk)
    require(actor, "mediate", case)
    if party.case_id != case.pk:
        raise NotFound()
    if method not in IdentityCheck.Method.values:
        raise Invalid(_("Choose how the identity was verified."))
    check = IdentityCheck.objects.create(
        case=case, party=party, session_date=session_date, method=method, verified_by=actor
    )
    _event(
        case,
        actor,
        "identity_checked",
        at=check.at,
        summary=party.name,
        party=party.pk,
        method=method,
    )
    record(actor, "case.identity_checked", case, changes={"party": party.pk, "method": method})
    return check


@transaction.atomic
def disclose(*, actor: User, case: Case, statement: str) -> Disclosure:
    case = _locked(case.pk)
    require(actor, "mediate", case)
    if not (statement or "").strip():
        raise Invalid(
            _("Describe what you disclose."),
            fields={"statement": [_("Describe what you disclose.")]},
        )
    assert case.mediator is not None  # "mediate" is the case's mediator's
    d = Disclosure.objects.create(case=case, mediator=case.mediator, statement=statement)
    _event(case, actor, "disclosure", at=d.at, summary=statement[:100], disclosure=d.pk)
    record(actor, "case.disclosure", case, changes={"disclosure": d.pk})
    outbox.emit("case.disclosure", {"case": case.pk, "disclosure": d.pk, "actor": actor.pk})
    return d


@transaction.atomic
def answer_disclosure(
    *, actor: User, disclosure: Disclosure, consents: bool
) -> list[DisclosureAnswer]:
    """Each party agrees that the mediator continues, or asks for another one (OMR 13–14)."""
    case = _locked(disclosure.case_id)
    mine = parties_of(actor, case)
    if not mine:
        raise NotFound()
    answers = []
    for party in mine:
        a, created = DisclosureAnswer.objects.get_or_create(
            disclosure=disclosure,
            party=party,
            defaults={"consents": consents, "answered_by": actor},
        )
        if not created:
            raise Conflict(_("This party has answered already."), code=CaseError.ALREADY_ANSWERED)
        answers.append(a)
        _event(
            case,
            actor,
            "disclosure_answered",
            at=a.at,
            summary=party.name,
            disclosure=disclosure.pk,
            party=party.pk,
            consents=consents,
        )
        record(
            actor,
            "case.disclosure_answered",
            case,
            changes={"party": party.pk, "consents": consents},
        )
    if not consents:
        outbox.emit("case.mediator_challenged", {"case": case.pk})
        # OMR 13: the mediator goes on only if every party agrees; one refusal is enough.
        if disclosure.mediator_id == case.mediator_id:
            from .recusal import mediator_rejected

            mediator_rejected(actor=actor, case=case)
    return answers
