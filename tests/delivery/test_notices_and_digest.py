"""Notices: the lifecycle's steps become notices served on the parties (through the outbox);
meeting invitations carry an iCalendar file; message texts are data (Chinese and English,
overridable in the admin); notifications follow each user's preference, with a daily digest."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest
from django.utils import timezone

from sutiao.cases import actions as case_actions
from sutiao.core.models import OutboxEvent
from sutiao.delivery import actions, engine, messages
from sutiao.delivery.models import Delivery, InboxItem, MessageTemplate, Preference, Service
from tests import factories
from tests.clock import WORKING_MONDAY

from .conftest import APPLICANT_MAIL, RESPONDENT_MAIL, build_case

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(WORKING_MONDAY, tick=True)]


def test_delegation_and_acceptance_are_served_as_notices_through_the_outbox(media, smtp):
    s = build_case(notices=True)  # the delegation's event is still in the outbox
    assert OutboxEvent.objects.filter(topic="case.delegate", delivered_at__isnull=True).exists()
    engine.run_once()
    notices = Service.objects.filter(kind="delegation_notice")
    assert {n.party for n in notices} == {s.applicant, s.respondent}
    assert all(n.state == Service.State.EFFECTIVE and n.served_by == s.clerk for n in notices)
    assert all(n.proof is not None for n in notices)  # sealed by the court, as the clerk's act
    assert not OutboxEvent.objects.filter(topic="case.delegate", delivered_at__isnull=True)
    subjects = [str(m["Subject"]) for m in smtp.mail.mailboxes[APPLICANT_MAIL].values()]
    assert subjects == [f"【委派调解通知】{s.case.number}"]

    case_actions.accept(actor=s.case.mediator.user, case=s.case)
    engine.run_once()
    accepted = Service.objects.filter(kind="acceptance_notice")
    assert accepted.count() == 2
    s.case.refresh_from_db()
    deadline = timezone.localtime(s.case.deadline_at).strftime("%Y-%m-%d")
    assert all(deadline in n.body for n in accepted)
    engine.run_once()  # nothing twice
    assert Service.objects.filter(kind="acceptance_notice").count() == 2


def test_a_meeting_invitation_carries_an_icalendar_file(served_case, smtp):
    s = served_case
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    actions.notify(
        case=s.case,
        topic="meeting.invitation",
        actor=s.case.mediator.user,
        context={
            "session": {
                "start": start,
                "end": start + dt.timedelta(hours=1),
                "title": "第一次调解会议",
                "url": "https://sutiao.example/meet/1",
            }
        },
    )
    engine.run_once()
    message = next(iter(smtp.mail.mailboxes[RESPONDENT_MAIL].values()))
    (ics,) = [a for a in message.iter_attachments() if a.get_content_type() == "text/calendar"]
    text = ics.get_content()
    assert "BEGIN:VEVENT" in text and "SUMMARY:第一次调解会议" in text
    assert f"DTSTART:{start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" in text
    assert "URL:https://sutiao.example/meet/1" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    local = timezone.localtime(start).strftime("%Y-%m-%d %H:%M")
    assert local in message.get_body(("plain",)).get_content()
    service = Service.objects.get(party=s.respondent, kind="meeting_invitation")
    assert service.state == Service.State.EFFECTIVE


def test_texts_are_data_in_both_languages_and_the_admin_overrides_them(served_case, smtp):
    s = served_case
    s.respondent_user.preferred_language = "en"
    s.respondent_user.save(update_fields=["preferred_language"])
    MessageTemplate.objects.create(
        key="service.document", language="zh-hans", email_subject="【送达】{{ title }}"
    )
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    (zh,) = smtp.mail.mailboxes[APPLICANT_MAIL].values()
    (en,) = smtp.mail.mailboxes[RESPONDENT_MAIL].values()
    assert str(zh["Subject"]) == "【送达】民事裁定书"
    assert str(en["Subject"]).startswith("[Electronic service] 民事裁定书")
    assert "Ruling" in en.get_body(("plain",)).get_content()
    for key in messages.packaged():
        for language in messages.LANGUAGES:
            assert messages.packaged()[key][language]["inbox_title"] or key in {
                "digest",
                "service.prompt",
            }


# The digest is the day after the notice (10:00), at the user's hour: a pinned clock, so the
# notice is always inside the digest's day whatever the hour the suite runs at.
@pytest.mark.time_machine(WORKING_MONDAY, tick=True)
def test_notifications_follow_preferences_and_the_digest_comes_once_a_day(
    served_case, smtp, time_machine
):
    s = served_case
    mediator = s.case.mediator.user
    mediator.email = "mediator@org.example"
    mediator.save(update_fields=["email"])
    actions.set_preferences(actor=mediator, notices="digest", sms_prompts=True, digest_hour=8)
    s.clerk.email = "clerk@court.example"
    s.clerk.save(update_fields=["email"])

    actions.notify(
        case=s.case,
        topic="notice",
        recipients=[mediator, s.clerk],
        context={"title": "当事人上传了新证据", "text": "请查看。"},
    )
    engine.run_once()
    assert len(smtp.mail.mailboxes["clerk@court.example"]) == 1  # immediate (the default)
    assert "mediator@org.example" not in smtp.mail.mailboxes  # digest: not now
    assert InboxItem.objects.filter(user=mediator).count() == 1
    assert not Service.objects.filter(topic="notice").exists()  # a notification, not service

    day = (timezone.localtime() + dt.timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    assert actions.enqueue_digests(now=day) == 0  # before the hour
    at_nine = day.replace(hour=9)
    assert actions.enqueue_digests(now=at_nine) == 1
    assert actions.enqueue_digests(now=at_nine + dt.timedelta(hours=1)) == 0  # once a day
    time_machine.move_to(at_nine + dt.timedelta(minutes=1))  # the digest is due: sent
    engine.run_once()
    (digest,) = smtp.mail.mailboxes["mediator@org.example"].values()
    assert "当事人上传了新证据" in digest.get_body(("plain",)).get_content()
    assert Preference.objects.get(user=mediator).last_digest_at == at_nine
    # The page.
    page = factories.client_for(mediator)
    assert (
        page.post("/delivery/preferences/", {"notices": "off", "digest_hour": "8"}).status_code
        == 302
    )
    assert Preference.objects.get(user=mediator).notices == "off"


def test_the_embedded_default_keeps_mail_in_files_and_never_calls_it_arrived(served_case, settings):
    s = served_case
    settings.DELIVERY_EMAIL_BACKEND = "file"
    actions.serve_document(
        actor=s.judge, case=s.case, document=s.ruling, title="民事裁定书", kind="ruling"
    )
    engine.run_once()
    for d in Delivery.objects.filter(channel="email"):
        assert d.state == Delivery.State.SENT and d.arrived_at is None
        raw = (settings.DATA_DIR / "mail" / f"{d.token}.eml").read_bytes()
        assert email.message_from_bytes(raw, policy=policy.default)["Message-ID"] == d.message_id
    # The platform inbox still serves them.
    assert Service.objects.filter(state="effective", effective_channel="inbox").count() == 2
