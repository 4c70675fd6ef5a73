from __future__ import annotations

from datetime import datetime

from ninja import Schema


class SignatureOut(Schema):
    field_name: str
    signer_name: str
    signer_organisation: str
    holder_kind: str
    certificate_serial: str
    issuer: str
    signing_time: datetime | None
    reason: str
    location: str
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    coverage: str
    modification_level: str
    docmdp_ok: bool
    ok: bool
    problems: list[str]


class DocumentOut(Schema):
    verify_code: str
    kind: str
    kind_label: str
    title: str
    case_number: str
    version: int
    signature_count: int
    sha256: str
    created_at: datetime
    updated_at: datetime
    pdf_url: str


class VerdictOut(Schema):
    status: str
    status_label: str
    unaltered: bool
    all_trusted: bool
    sha256: str
    size: int
    revisions: int
    problems: list[str]
    signatures: list[SignatureOut]
    # PAdES B-LTA: the document timestamps after the last signature (the last covers the file).
    document_timestamps: list[datetime] = []
    document: DocumentOut | None = None
    document_version: int | None = None
    is_current_version: bool | None = None
