"""Must-show 1: a judge serves a ruling on two parties through a real SMTP server on 127.0.0.1.
Each recipient's mailbox holds exactly one message (with the ruling attached), the service is
effective, and the signed proof of service lists the arrival time and verifies."""

from __future__ import annotations

import io
import re
import zipfile

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from sutiao.delivery import actions, engine, queries
from sutiao.delivery.models import Delivery, Service
from sutiao.documents import queries as document_queries
from tests import factories

from .conftest import APPLICANT_MAIL, RESPONDENT_MAIL

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text of a PDF without white space (table cells wrap their lines)."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d%H:%M:%S")


@pytest.mark.rule("CPL-90b")
def test_a_ruling_served_on_two_parties_reaches_each_mailbox_once_and_takes_effect(
    served_case, smtp
):
    s = served_case
    services = actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title=s.ruling.title, kind="ruling"
    )
    assert [sv.party for sv in services] == [s.applicant, s.respondent]
    assert all(sv.state == Service.State.PENDING for sv in services)

    stats = engine.run_once()
    assert stats["failed"] == 0

    # Exactly one message in each mailbox, with the ruling attached, sent exactly once.
    for address in (APPLICANT_MAIL, RESPONDENT_MAIL):
        box = smtp.mail.mailboxes[address]
        assert len(box) == 1, box
        assert len(smtp.mail.sent_to(address)) == 1
        (message,) = box.values()
        attachments = list(message.iter_attachments())
        assert [a.get_content_type() for a in attachments] == ["application/pdf"]
        assert attachments[0].get_content() == s.ruling.file.open("rb").read()
        assert s.case.number in message["Subject"]
    assert len(smtp.mail.transmissions) == 2

    for service in Service.objects.filter(pk__in=[sv.pk for sv in services]):
        email = service.deliveries.get(channel="email")
        assert email.state == Delivery.State.ARRIVED and email.attempts == 1
        assert email.message_id in smtp.mail.mailboxes[email.address]
        assert email.message_id.startswith(f"<delivery-{email.pk}-")
        # Effective on the earliest arrival (the platform inbox came first, in the same pass).
        assert service.state == Service.State.EFFECTIVE
        arrivals = service.deliveries.filter(purpose="service").values_list("arrived_at", flat=True)
        assert service.effective_at == min(arrivals)
        assert service.effective_basis == Service.Basis.ARRIVAL

        # The signed proof of service: the court's seal, every arrival with its time.
        proof = service.proof
        assert proof is not None and proof.kind == "service_proof"
        assert proof.signature_count == 1
        checked = document_queries.check_registered(proof)
        assert checked.verdict.status == "valid", checked.verdict
        assert checked.verdict.signatures[0].signer_name == "北京知识产权法院"
        text = pdf_text(proof.file.open("rb").read())
        assert "电子送达凭证" in text
        assert service.party.name in text
        assert local(email.arrived_at) in text
        assert "已到达受送达人特定系统" in text
        assert email.message_id in text
        assert local(service.effective_at) in text

    # The proof verifies on the public page by its code.
    proof = services[0].__class__.objects.get(pk=services[0].pk).proof
    page = Client().get(f"/documents/verify/{proof.verify_code}/")
    assert page.status_code == 200


@pytest.mark.rule("CPL-90c")
def test_the_case_page_and_the_export_show_the_served_ruling_and_its_proof(served_case, smtp):
    s = served_case
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    service = Service.objects.get(party=s.respondent)

    judge = factories.client_for(s.judge)
    html = judge.get(f"/cases/{s.case.pk}/").content.decode()
    assert "民事裁定书" in html and service.proof.verify_code in html

    # The recipient sees its own service and proof; the other party does not see it.
    mine = factories.client_for(s.respondent_user)
    assert mine.get(f"/delivery/services/{service.pk}/").status_code == 200
    proof = mine.get(f"/delivery/services/{service.pk}/proof/")
    assert proof.status_code == 200 and b"".join(proof.streaming_content).startswith(b"%PDF")
    other = factories.client_for(s.applicant_user)
    assert other.get(f"/delivery/services/{service.pk}/").status_code == 404
    assert other.get(f"/delivery/services/{service.pk}/proof/").status_code == 404

    # The export: both proofs and the record.
    archive = zipfile.ZipFile(
        io.BytesIO(judge.get(f"/delivery/cases/{s.case.pk}/export.zip").content)
    )
    names = archive.namelist()
    assert names[0] == "service/services.json"
    assert len([n for n in names if n.endswith(".pdf")]) == 2
    assert len(queries.export_parts(s.case)) == 3
    assert mine.get(f"/delivery/cases/{s.case.pk}/export.zip").status_code == 404
