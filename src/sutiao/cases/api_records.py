"""/api/v1 of the records of mediation: messages (to everyone or in a caucus) and session
transcripts. Mounted beside cases.api's router; the case look-up is that module's."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from . import actions, queries
from .api import _case, _locked_case
from .models import Party

router = Router(tags=["cases"])


class MessageIn(Schema):
    body: str
    caucus_party_id: int | None = None


class MessageOut(Schema):
    id: int
    body: str
    at: datetime
    author: str
    caucus_party_id: int | None

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.display_name


@router.get("/cases/{case_id}/messages", response=list[MessageOut])
def list_messages(request, case_id: int):
    return queries.messages_for(request.auth, _case(request, case_id))


@router.post("/cases/{case_id}/messages", response={201: MessageOut})
def post_message(request, case_id: int, payload: MessageIn):
    case = _case(request, case_id)
    party = (
        get_object_or_404(Party, pk=payload.caucus_party_id, case=case)
        if payload.caucus_party_id
        else None
    )
    return Status(
        201,
        actions.post_message(actor=request.auth, case=case, body=payload.body, caucus_party=party),
    )


class TranscriptIn(Schema):
    session_date: date
    text: str
    undisputed_facts: str = ""


class TranscriptOut(Schema):
    id: int
    session_date: date
    text: str
    undisputed_facts: str


@router.post("/cases/{case_id}/transcripts", response={201: TranscriptOut})
def record_transcript(request, case_id: int, payload: TranscriptIn):
    with transaction.atomic():  # one locked look-up (with the parties the step checks)
        case = _locked_case(request, case_id, parties=True)
        with actions.holding(case):
            made = actions.record_transcript(actor=request.auth, case=case, **payload.dict())
    return Status(201, made)
