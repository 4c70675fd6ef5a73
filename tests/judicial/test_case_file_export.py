"""`sutiao documents export CASE_NUMBER DIR`: every document of the case as PDF, with a
manifest whose SHA-256 hashes match the files and the registered versions."""

from __future__ import annotations

import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command

from sutiao.judicial import actions
from tests.agreements import factories as af
from tests.clock import WORKING_MONDAY

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


@pytest.mark.rule("SIR-26")
def test_export_writes_every_document_with_a_manifest_of_hashes(world, tmp_path):
    agreement = af.signed_agreement(world)
    app = actions.apply(actor=world.applicant, agreement=agreement, court_id=world.court.pk)
    app = actions.submit_part(actor=world.respondent, application=app)
    app = actions.accept(actor=world.judge, application=app)
    actions.rule(actor=world.judge, application=app, outcome="valid")
    out = StringIO()
    call_command("documents", "export", world.case.number, str(tmp_path / "file"), stdout=out)
    manifest = json.loads((tmp_path / "file" / "manifest.json").read_text())
    assert manifest["case_number"] == world.case.number
    kinds = [e["kind"] for e in manifest["files"]]
    assert "agreement" in kinds and "confirmation" in kinds
    for entry in manifest["files"]:
        data = (tmp_path / "file" / entry["file"]).read_bytes()
        assert data.startswith(b"%PDF-")
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] == entry["registered_sha256"]
    assert "manifest" in out.getvalue()


def test_an_unknown_case_number_is_an_error(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("documents", "export", "（2026）无此案1号", str(tmp_path))
