"""Registered documents: the code finds the stored final PDF; later versions may only add to
what was signed."""

from __future__ import annotations

import hashlib

import pytest

from sutiao.audit.models import AuditEntry
from sutiao.core.errors import Conflict, Invalid
from sutiao.core.models import OutboxEvent
from sutiao.documents import actions, queries
from sutiao.documents.models import Document

from .conftest import CASE_NUMBER

pytestmark = pytest.mark.django_db


def _register(agreement, pdf):
    return actions.register_document(
        kind=Document.Kind.AGREEMENT,
        title="人民调解协议书",
        case_number=CASE_NUMBER,
        pdf_bytes=pdf,
        verify_code=agreement.code,
    )


def test_the_code_finds_the_stored_document(media, agreement):
    document = _register(agreement, agreement.signed)
    assert document.sha256 == hashlib.sha256(agreement.signed).hexdigest()
    assert document.signature_count == 3 and document.size == len(agreement.signed)
    found = queries.document_by_code(agreement.code.lower())
    assert found == document
    with found.file.open("rb") as fh:
        assert fh.read() == agreement.signed
    checked = queries.check_registered(found)
    assert checked.verdict.status == "valid" and checked.is_current
    assert AuditEntry.objects.filter(action="documents.registered").count() == 1
    assert OutboxEvent.objects.filter(topic="documents.registered").count() == 1


def test_each_signature_adds_a_version_that_extends_the_last(media, agreement):
    _register(agreement, agreement.draft)
    document = _register(agreement, agreement.signed)
    assert document.version == 2
    assert list(document.versions.values_list("number", "signature_count")) == [(1, 0), (2, 3)]
    # Registering the same bytes again changes nothing.
    assert _register(agreement, agreement.signed).version == 2
    # An uploaded copy of the draft is recognised as an earlier version.
    earlier = queries.check_upload(agreement.draft)
    assert earlier.document == document and earlier.version.number == 1
    assert earlier.is_current is False


def test_a_version_that_replaces_instead_of_extending_is_refused(media, agreement):
    _register(agreement, agreement.signed)
    forged = agreement.signed.replace(b"WeasyPrint", b"WeasyPrinT", 1)
    with pytest.raises(Conflict):
        _register(agreement, forged)
    assert Document.objects.get().version == 1


def test_a_changed_file_in_storage_is_reported(media, agreement):
    document = _register(agreement, agreement.signed)
    path = document.file.path
    with open(path, "r+b") as fh:
        fh.seek(0, 2)
        fh.write(b"\n%extra\n")
    checked = queries.check_registered(document)
    assert checked.verdict.status == "altered"
    assert "stored_file_changed" in checked.verdict.problems


def test_registration_checks_its_input(media, agreement):
    with pytest.raises(Invalid):
        actions.register_document(
            kind="poem", title="x", case_number="", pdf_bytes=b"%PDF-", verify_code=agreement.code
        )
    with pytest.raises(Invalid):
        actions.register_document(
            kind="agreement", title="x", case_number="", pdf_bytes=b"%PDF-", verify_code="abc"
        )
    with pytest.raises(Invalid):
        actions.register_document(
            kind="agreement",
            title="x",
            case_number="",
            pdf_bytes=b"<html>",
            verify_code=agreement.code,
        )
