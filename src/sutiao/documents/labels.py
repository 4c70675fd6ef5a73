"""Words for verdicts, shared by the page and the API."""

from django.utils.translation import gettext_lazy as _

STATUS = {
    "valid": _(
        "Valid: signed, unaltered since signing, and every signer's certificate is trusted."
    ),
    "untrusted": _(
        "Unaltered since signing, but a signer's certificate is not from a trusted authority."
    ),
    "altered": _(
        "Altered: the document changed after it was signed, or a signature does not verify."
    ),
    "unsigned": _("This PDF has no electronic signature."),
    "unreadable": _("This file cannot be read as a PDF."),
}

PROBLEM = {
    "not_pdf": _("The file is not a PDF."),
    "unreadable": _("The PDF is damaged and cannot be read."),
    "no_signatures": _("There is no signature in the document."),
    "changed_after_last_signature": _(
        "Content was added after the last signature (an unsigned update)."
    ),
    "signature_broken": _("A signature does not match the signed content."),
    "disallowed_changes": _("Changes were made after a signature that signing does not allow."),
    "stored_file_changed": _("The stored file is not the one the platform registered."),
    "digest_mismatch": _("The signed content was changed (digest mismatch)."),
    "bad_signature": _("The signature value does not verify."),
    "untrusted_certificate": _("The certificate is not from a trusted authority."),
    "certificate_revoked": _("The certificate was revoked."),
    "cannot_validate": _("The signature cannot be checked."),
    "no_certificate": _("The signature carries no certificate."),
    "contents_changed": _("The bytes around the signature value were changed."),
    "embedded_certificate_broken": _("A certificate embedded in the signature does not verify."),
    "timestamp_broken": _("A timestamp in the document does not verify."),
}

COVERAGE = {
    "entire_file": _("the whole file"),
    "entire_revision": _("the document as it was then"),
    "partial": _("part of the file only"),
}

MODIFICATION = {
    "none": _("none"),
    "lta_updates": _("validation data only"),
    "form_filling": _("further signatures or form filling"),
    "annotations": _("annotations added"),
    "other": _("content changed"),
}

HOLDER = {
    "person": _("personal signature"),
    "org_seal": _("organisation seal"),
    "court_seal": _("court seal"),
    "": _("other certificate"),
}
