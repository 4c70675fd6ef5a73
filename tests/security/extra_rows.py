"""Rows of kinds the demo does not make (a transcript, a disclosure, a request for another
mediator, an inbox item, a meeting, an import), written straight to the tables on the demo's
mediating case: the matrix only needs each to exist and belong to demo people."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from sutiao.accounts.models import User
from sutiao.cases.models import Case, Disclosure, MediatorChangeRequest, Transcript
from sutiao.delivery.models import InboxItem
from sutiao.institutions.models import Court
from sutiao.meetings.models import MeetingSession, Participant, Recording
from sutiao.roster.models import ImportJob
from sutiao.training.models import Application, Call, Course, Material, SignInImport, SupportingFile


def _evaluation_rows(case: Case, party: Any, mediator_user: User, now: Any) -> None:
    from sutiao.evaluation.models import Complaint, ScoringScheme, ScoringVersion

    Complaint.objects.create(
        case=case,
        party=party,
        mediator=case.mediator,
        reason="投诉",
        filed_by=party.user,
        filed_at=now,
    )
    clerk = User.objects.get(username="clerk")
    court = case.court or Court.objects.order_by("pk").first()
    scheme = ScoringScheme.objects.create(name="考评", court=court, created_by=clerk)
    ScoringVersion.objects.create(
        scheme=scheme,
        number=1,
        period="quarter",
        indicators=[{"code": "success_rate", "weight": 1, "threshold": 80}],
        created_by=clerk,
    )


def add_rows_the_demo_lacks() -> None:
    case = Case.objects.filter(state="mediating", mediator__isnull=False).first()
    assert case is not None and case.mediator is not None, "the demo has a case under mediation"
    party = case.parties.exclude(user=None).first()
    assert party is not None and party.user is not None
    mediator = case.mediator
    mediator_user = mediator.user or User.objects.get(username="mediator")
    now = timezone.now()
    Transcript.objects.create(
        case=case, session_date=now.date(), text="笔录", recorded_by=mediator_user
    )
    Disclosure.objects.create(case=case, mediator=mediator, statement="无利害关系")
    MediatorChangeRequest.objects.create(
        case=case, party=party, mediator=mediator, reason="理由", requested_by=party.user, at=now
    )
    InboxItem.objects.create(user=party.user, case=case, title="通知", created_at=now)
    session = MeetingSession.objects.create(
        case=case,
        title="调解会议",
        start=now + datetime.timedelta(days=2),
        end=now + datetime.timedelta(days=2, hours=1),
    )
    Participant.objects.create(session=session, user=party.user, party=party, role="party")
    # A stopped recording of it (the chunk and finish endpoints ask for one).
    Recording.objects.create(
        session=session, by=mediator_user, state="stopped", started_at=now, stopped_at=now
    )
    _evaluation_rows(case, party, mediator_user, now)
    ImportJob.objects.create(
        kind="mediators", filename="名册.xlsx", created_by=User.objects.get(username="ipoffice")
    )
    # Training rows the demo's training does not make: a material, a sign-in list, a file.
    course = Course.objects.order_by("pk").first()
    assert course is not None, "the demo has a course"
    pdf = ContentFile(b"%PDF-1.4\n%%EOF\n")
    material = default_storage.save("training/materials/demo.pdf", pdf)
    Material.objects.create(course=course, title="讲义", file=material)
    SignInImport.objects.create(course=course, filename="签到表.xlsx")
    application = Application.objects.order_by("pk").first()
    call = Call.objects.order_by("pk").first()
    assert call is not None, "the demo has a call for mediators"
    if application is None:
        application = Application(
            call=call,
            applicant=party.user,
            name="申请人",
            region_id="110108",
            technical_fields="专利",
            experience="十年",
        )
        application.set_id_number("110101199003078515")
        application.save()
    SupportingFile.objects.create(
        application=application,
        file=default_storage.save("training/applications/demo.pdf", pdf),
        name="资格证书.pdf",
    )
    _add_a_subsidy_sheet(now)


def _add_a_subsidy_sheet(now: datetime.datetime) -> None:
    """A scheme of the demo's IP office and a sheet computed from it (subsidies)."""
    from sutiao.subsidies.models import Scheme, SchemeVersion, Sheet

    staff = User.objects.get(username="ipoffice")
    office_id = min(staff.ip_office_ids())
    scheme = Scheme.objects.create(name="补贴方案", office_id=office_id, created_by=staff)
    version = SchemeVersion.objects.create(
        scheme=scheme,
        number=1,
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2026, 12, 31),
        settled_fen=30_000,
        failed_fen=10_000,
        created_by=staff,
    )
    Sheet.objects.create(
        scheme=scheme,
        version=version,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        prepared_by=staff,
        prepared_at=now,
    )
