"""The stable error codes of documents: what a client may rely on across releases."""

from sutiao.core.errors import ErrorCode


class DocumentsError(ErrorCode):
    """The stable error codes documents raises (docs/api.md's table is generated from them)."""

    CERT_EXPIRED = "documents.cert_expired", "The signing certificate is not valid now."
    CERT_REVOKED = "documents.cert_revoked", "The signing certificate is revoked."
    CERTIFY_LATE = "documents.certify_late", "Only the first signature can certify a document."
    FIELD_SIGNED = "documents.field_signed", "This signature field is signed already."
    NO_FIELD = "documents.no_field", "The document has no signature field of this name."
    NO_REAL_NAME = "documents.no_real_name", "A signer needs a real name."
    NOT_AN_EXTENSION = (
        "documents.not_an_extension",
        "A new version must extend the registered document, not replace it.",
    )
    NOT_PDF = "documents.not_pdf", "The file is not a PDF."
    RATE_LIMITED = (
        "documents.rate_limited",
        "Too many verifications from one address (`SUTIAO_VERIFY_PER_MINUTE`, 429).",
    )
    REVOKED = "documents.revoked", "This certificate is revoked already."
    TOO_LARGE = "documents.too_large", "The file to verify is over `SUTIAO_VERIFY_MAX_MB` (413)."
