"""Training certificates: a PDF rendered and signed through documents/, registered so that
its code verifies on /documents/verify/. A court organiser's certificate bears the court's
seal; an IP office's, the signature of the staff member who issues it (an office holds no
seal on the platform)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sutiao.accounts.models import User
from sutiao.audit.log import record
from sutiao.core.errors import Conflict
from sutiao.core.policy import require

from ..errors import TrainingError
from ..models import Enrolment


@transaction.atomic
def issue_certificate(*, actor: User, enrolment: Enrolment) -> Enrolment:
    from sutiao.documents import actions as documents
    from sutiao.documents import signing
    from sutiao.documents.models import Document
    from sutiao.documents.render import render_pdf

    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course__court", "course__office", "mediator", "application")
        .get(pk=enrolment.pk)
    )
    course = enrolment.course
    require(actor, "manage", course)
    if enrolment.credited_on is None:
        raise Conflict(_("No hours have been credited yet."), code=TrainingError.NOT_CREDITED)
    if enrolment.certificate_id:
        return enrolment
    holder = course.court or actor
    code = documents.new_verify_code()
    pdf = render_pdf(
        "training/certificate.html",
        {
            "title": "培训证书",
            "case_number": "",
            "name": enrolment.person_name,
            "course": course,
            "hours": enrolment.hours,
            "credited_on": enrolment.credited_on,
            "organiser": course.organiser_name,
            "date": timezone.localdate(),
        },
        verify_code=code,
    )
    signed = signing.sign_pdf(
        pdf,
        signer_cert=documents.signer_certificate_for(holder, actor=actor),
        actor=actor,
        field_name="seal",
        stamp_text_lines=[course.organiser_name, "培训证书"],
        reason="调解员培训证书",
        location=course.organiser_name,
    )
    enrolment.certificate = documents.register_document(
        kind=Document.Kind.OTHER,
        title=f"培训证书（{enrolment.person_name} · {course.title}）"[:200],
        case_number="",
        pdf_bytes=signed,
        verify_code=code,
        actor=actor,
    )
    enrolment.save(update_fields=["certificate"])
    record(actor, "training.certificate_issued", enrolment, summary=code)
    return enrolment
