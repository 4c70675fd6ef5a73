"""Certificates: a PDF rendered and signed through documents/, verifiable as any document."""

import pytest

from sutiao.core.errors import Conflict, Forbidden
from sutiao.documents import verify
from sutiao.training.actions import attendance, certificates
from sutiao.training.models import Enrolment
from tests import factories as f
from tests.roster import factories as rf

from . import factories as tf

pytestmark = [pytest.mark.django_db, pytest.mark.rule("SIR-7")]


def test_certificate_is_a_signed_pdf_for_credited_hours_only():
    staff, office = tf.office_staff()
    course = tf.course(staff, office, hours="8", title="商标纠纷调解")
    m = rf.mediator("证书学员")
    attendance.import_sign_in(
        actor=staff,
        course=course,
        filename="a.xlsx",
        content=tf.sign_in_xlsx([("证书学员", m.id_number, "")]),
    )
    enrolment = Enrolment.objects.get(course=course, mediator=m)
    with pytest.raises(Forbidden):
        certificates.issue_certificate(
            actor=tf.office_staff(region="310000")[0], enrolment=enrolment
        )
    enrolment = certificates.issue_certificate(actor=staff, enrolment=enrolment)
    document = enrolment.certificate
    with document.file.open("rb") as fh:
        pdf = fh.read()
    verdict = verify.verify_pdf(pdf)
    assert verdict.status == "valid" and document.signature_count == 1
    assert (
        certificates.issue_certificate(actor=staff, enrolment=enrolment).certificate_id
        == document.pk
    )

    # The office sees it; so would the mediator's account; a stranger gets 404.
    answer = f.client_for(staff).get(f"/training/enrolments/{enrolment.pk}/certificate.pdf")
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF")
    assert (
        f.client_for(f.person())
        .get(f"/training/enrolments/{enrolment.pk}/certificate.pdf")
        .status_code
        == 404
    )

    online = tf.course(staff, office, mode="online", video_seconds=60)
    pending = Enrolment.objects.create(course=online, mediator=m)
    with pytest.raises(Conflict):
        certificates.issue_certificate(actor=staff, enrolment=pending)
