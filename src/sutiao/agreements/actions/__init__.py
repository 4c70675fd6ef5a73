"""Every change to an agreement: drafting, opening it for signing, each signature (after a
one-time code), the organisation's seal, a party's refusal, and agreements reached offline.

Each signature locks the agreement row, signs the latest registered version of its PDF with
the signer's own key (documents.pki / signing), and registers the result as the next version
under the same verification code: a version always extends the one before it. The agreement
takes effect when the last party signs; when the mediator has signed too (and the
organisation's seal is on it where an organisation presided) the case is settled.
A party that refuses to sign ends the mediation (OMR 25 reason 7).

State changes go through the table in agreements/lifecycle.py. One module per use case:
`drafting` (draft, update, preview), `signing` (open, reopen, codes, signatures, refusal),
`offline` (agreements reached on paper); this package exports what other code calls.
"""

from __future__ import annotations

from ..queries import (
    DEFAULT_TEMPLATE,
    Slot,
    current_version,
    document_context,
    due_for,
    field_for,
    person,
    purpose,
    signatories,
    signed_fields,
    warnings,
)
from .drafting import DOCUMENT_TEMPLATE, DraftIn, TermIn, draft, preview_pdf, update_draft
from .offline import confirm_offline, record_offline
from .signing import open_for_signing, refuse, reopen, request_code, sign, sign_verified

__all__ = [
    "DEFAULT_TEMPLATE",
    "DOCUMENT_TEMPLATE",
    "DraftIn",
    "Slot",
    "TermIn",
    "current_version",
    "document_context",
    "draft",
    "due_for",
    "field_for",
    "open_for_signing",
    "person",
    "preview_pdf",
    "purpose",
    "confirm_offline",
    "record_offline",
    "refuse",
    "reopen",
    "request_code",
    "sign",
    "sign_verified",
    "signatories",
    "signed_fields",
    "update_draft",
    "warnings",
]
