"""Every change of electronic service: one function per use case, one transaction, audited.

The public entry points other domains call (stable signatures):

    serve_document(*, actor, case, document, recipients=None, title, kind) -> list[Service]
    notify(*, case, topic, recipients=None, context=None, actor=None) -> list[Service]
    record_acted(*, actor, case, document) -> list[Service]

They write the services, their deliveries (the worker's queue) and events in the caller's
transaction: if the caller's change rolls back, nothing is served; once it commits, nothing is
lost (the worker sends what is queued, whenever it runs). The worker's own steps (claim, sent,
failed, inbox stored, proof issued) are here too, each in its own transaction.

One module per use case:

    serve        serving a registered document on the parties
    notices      notices and notifications
    addresses    service addresses and consent (OLR 29)
    recipient    opened, acknowledged, acted: when the recipient's side makes service effective
    effect       when service takes effect (OLR 31), recomputed from a service's events
    paper        paper service, a copy on request, sending again
    proofs       the proof of service (电子送达凭证)
    work         the worker's steps: claim, sent, failed, inbox stored, SMS receipts
    preferences  notification preferences and the daily digest
    outgoing     the deliveries queued per channel (shared by the above)
    common       the event log, the service lock, the worker's kick (shared)

This package exports only what other domains and delivery's own views, API, engine, tasks
and commands call; reads (current addresses, preferences, ...) are in `delivery.queries`.
"""

from .addresses import confirm_addresses
from .notices import notify, send_agent_invitation, send_invitation
from .paper import record_paper_service, request_paper_copy, send_again
from .preferences import enqueue_digests, set_preferences
from .proofs import issue_proof, prepare_proof
from .recipient import acknowledge, open_item, open_link, record_acted
from .serve import serve_document
from .work import (
    Claim,
    backoff,
    claim_next,
    deliver_to_inbox,
    record_failure,
    record_sent,
    record_sms_receipt,
)

__all__ = [
    "Claim",
    "acknowledge",
    "backoff",
    "claim_next",
    "confirm_addresses",
    "deliver_to_inbox",
    "enqueue_digests",
    "issue_proof",
    "prepare_proof",
    "notify",
    "open_item",
    "open_link",
    "record_acted",
    "record_failure",
    "record_paper_service",
    "record_sent",
    "record_sms_receipt",
    "request_paper_copy",
    "send_again",
    "send_agent_invitation",
    "send_invitation",
    "serve_document",
    "set_preferences",
]
