"""OMR 22: with the consent of every party a session's recording replaces its written
transcript, while the undisputed facts are still confirmed in writing. Each party (or its
agent) consents per recording, only once it is complete, and may withdraw until the last
consent makes the recording the session's record; the record is shown among the case's
session records with its hash, duration and consents, incomplete until every party has
confirmed the undisputed facts the mediator wrote. Every refusal has its code and changes
nothing; another case's party gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions as case_actions
from sutiao.cases.errors import CaseError
from sutiao.cases.models import Agent, Transcript
from sutiao.core.errors import Conflict, Forbidden, NotFound
from sutiao.meetings import chunks, recording, replacement
from sutiao.meetings.errors import MeetingError
from sutiao.meetings.models import Recording, ReplacementConsent
from tests import factories
from tests.cases import factories as cf

from .conftest import check_everyone, mediator_of, schedule
from .test_recording import streamed_webm
from .test_recording_chunks import post_chunk, started

pytestmark = pytest.mark.rule("OMR-22")


@pytest.fixture
def stored(served):
    """A session of the case, recorded with consent and assembled into the case file."""
    session = schedule(served)
    check_everyone(session, served)
    mediator = mediator_of(served)
    rec = started(served, session)
    assert post_chunk(mediator, session, rec, 0, streamed_webm(2)).status_code == 201
    recording.stop(actor=mediator, session=session)
    rec = chunks.finish(actor=mediator, session=session, recording_id=rec.pk)
    assert rec.state == Recording.State.STORED and rec.duration and rec.duration > 1
    return served, session, rec


def consent(user, rec):
    return replacement.consent(actor=user, recording_id=rec.pk)


def page(user, case):
    with translation.override("en"):
        r = factories.client_for(user).get(
            reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert r.status_code == 200
    return r.content.decode()


def api_record(user, session):
    return factories.client_for(user).get(f"/api/v1/meetings/{session.pk}/record")


def changed_nothing(before: tuple) -> None:
    assert snapshot() == before


def snapshot() -> tuple:
    return (
        list(ReplacementConsent.objects.values_list("pk", "withdrawn_at")),
        Transcript.objects.count(),
        # what the domains wrote (a log-in of the test's client is audited too)
        AuditEntry.objects.filter(action__regex=r"^(meetings|case)\.").count(),
        list(Recording.objects.values_list("pk", "transcript_id")),
    )


def test_omr_22_every_party_consenting_makes_the_recording_the_session_record(stored):
    s, session, rec = stored
    consent(s.applicant_user, rec)
    rec.refresh_from_db()
    assert rec.transcript_id is None  # one party is not both
    consent(s.respondent_user, rec)
    rec.refresh_from_db()
    t = rec.transcript
    assert t.kind == Transcript.Kind.RECORDING and t.case_id == s.case.pk
    assert t.recording_file_id == rec.file_id and t.recording_duration == rec.duration
    assert t.text == ""  # the recording is the record
    audit = AuditEntry.objects.get(action="meetings.recording_replaces_transcript")
    assert audit.changes["sha256"] == rec.file.sha256
    assert AuditEntry.objects.filter(action="meetings.replacement_consented").count() == 2
    assert AuditEntry.objects.filter(action="case.recording_recorded").count() == 1

    html = page(s.applicant_user, s.case)
    section = html[html.index('id="transcripts"') :]
    assert f'id="record-{t.pk}"' in section
    assert rec.file.sha256 in section
    assert replacement_duration(rec.duration) in section
    assert s.applicant.name in section and s.respondent.name in section  # the consents
    assert "Incomplete" in section  # no undisputed facts yet
    assert f"recording-{rec.pk}" not in section  # no longer a recording awaiting consent

    body = api_record(s.respondent_user, session).json()
    assert body["written_transcript_required"] is False
    assert body["record"]["id"] == t.pk and body["record"]["kind"] == "recording"
    assert body["record"]["complete"] is False
    [row] = body["recordings"]
    assert row["is_record"] and row["sha256"] == rec.file.sha256 and row["missing"] == []
    assert {c["party"] for c in row["consents"]} == {s.applicant.pk, s.respondent.pk}


def replacement_duration(seconds: float) -> str:
    from sutiao.meetings.templatetags.meetings import duration_text

    return duration_text(seconds)


def test_with_one_party_missing_a_written_transcript_is_still_required(stored):
    s, session, rec = stored
    consent(s.applicant_user, rec)
    assert not Transcript.objects.filter(kind=Transcript.Kind.RECORDING).exists()
    body = api_record(mediator_of(s), session)
    assert body.status_code == 200
    body = body.json()
    assert body["written_transcript_required"] is True and body["record"] is None
    assert body["recordings"][0]["missing"] == [s.respondent.pk]
    html = page(s.respondent_user, s.case)
    pending = html[html.index(f'id="recording-{rec.pk}"') :]
    assert reverse("meetings:replacement_consent", args=[rec.pk]) in pending
    assert "a written transcript of this session is still required" in pending
    # the one who consented sees the withdrawal, not the consent again
    mine = page(s.applicant_user, s.case)
    assert reverse("meetings:replacement_withdraw", args=[rec.pk]) in mine
    assert reverse("meetings:replacement_consent", args=[rec.pk]) not in mine


def test_a_consent_withdrawn_before_the_last_one_does_not_count(stored):
    s, session, rec = stored
    consent(s.applicant_user, rec)
    replacement.withdraw(actor=s.applicant_user, recording_id=rec.pk)
    assert AuditEntry.objects.filter(action="meetings.replacement_withdrawn").count() == 1
    consent(s.respondent_user, rec)
    rec.refresh_from_db()
    assert rec.transcript_id is None  # the applicant's consent was withdrawn
    assert api_record(s.applicant_user, session).json()["written_transcript_required"]
    consent(s.applicant_user, rec)  # given again: now it takes effect
    rec.refresh_from_db()
    assert rec.transcript_id is not None
    # kept: the withdrawn consent with its time, and the standing ones
    assert ReplacementConsent.objects.filter(withdrawn_at__isnull=False).count() == 1
    before = snapshot()
    with pytest.raises(Conflict) as final:
        replacement.withdraw(actor=s.respondent_user, recording_id=rec.pk)
    assert final.value.code == MeetingError.REPLACEMENT_FINAL
    changed_nothing(before)


def test_the_undisputed_facts_are_written_and_confirmed_by_each_party(stored):
    s, session, rec = stored
    consent(s.applicant_user, rec)
    consent(s.respondent_user, rec)
    rec.refresh_from_db()
    t = rec.transcript
    mediator = mediator_of(s)
    before = snapshot()
    with pytest.raises(Conflict) as nothing:
        case_actions.confirm_transcript(actor=s.applicant_user, transcript=t)
    assert nothing.value.code == CaseError.NO_UNDISPUTED_FACTS
    changed_nothing(before)
    with pytest.raises(Forbidden):  # "mediate" is the mediator's
        case_actions.record_undisputed_facts(actor=s.applicant_user, transcript=t, text="x")

    # the mediator writes them on the case page, through the form
    client = factories.client_for(mediator)
    url = reverse("cases:undisputed_facts", args=[s.case.pk, t.pk])
    r = client.post(url, {f"facts-{t.pk}-undisputed_facts": "双方确认：被申请人销售了涉案商品。"})
    assert r.status_code == 302, r.content
    t.refresh_from_db()
    assert t.undisputed_facts == "双方确认：被申请人销售了涉案商品。"
    assert AuditEntry.objects.filter(action="case.undisputed_facts_recorded").exists()

    # each party confirms, with the existing confirmation (its button on the case page)
    confirm = reverse("cases:confirm_transcript", args=[s.case.pk, t.pk])
    assert confirm in page(s.applicant_user, s.case)
    assert factories.client_for(s.applicant_user).post(confirm).status_code == 302
    html = page(s.respondent_user, s.case)
    assert "Incomplete" in html[html.index(f'id="record-{t.pk}"') :].split("</div>")[0]
    assert not api_record(s.applicant_user, session).json()["record"]["complete"]
    with pytest.raises(Conflict) as kept:
        case_actions.record_undisputed_facts(actor=mediator, transcript=t, text="改写")
    assert kept.value.code == CaseError.FACTS_CONFIRMED
    case_actions.confirm_transcript(actor=s.respondent_user, transcript=t)
    assert {c.party_id for c in t.confirmations.all()} == {s.applicant.pk, s.respondent.pk}
    html = page(s.respondent_user, s.case)
    assert "Incomplete" not in html[html.index(f'id="record-{t.pk}"') :].split("</div>")[0]
    assert api_record(s.applicant_user, session).json()["record"]["complete"] is True


def test_refusals_have_stable_codes_in_the_users_language_and_change_nothing(stored):
    s, session, rec = stored
    mediator = mediator_of(s)
    # not complete: a recording that is still running
    running = started(s, session)
    before = snapshot()
    with translation.override("en"), pytest.raises(Conflict) as early:
        consent(s.applicant_user, running)
    assert early.value.code == MeetingError.RECORDING_NOT_COMPLETE
    assert "not complete" in str(early.value.message), early.value.message
    changed_nothing(before)
    r = factories.client_for(s.applicant_user).post(
        f"/api/v1/meetings/recordings/{running.pk}/replacement-consent",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "meeting.recording_not_complete"
    changed_nothing(before)

    # the mediator cannot consent for a party
    with pytest.raises(Forbidden) as not_party:
        consent(mediator, rec)
    assert not_party.value.code == MeetingError.NOT_A_PARTY
    r = factories.client_for(mediator).post(
        f"/api/v1/meetings/recordings/{rec.pk}/replacement-consent"
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "meeting.not_a_party"
    changed_nothing(before)

    # a stranger: as if there were no such recording
    stranger = factories.person("party")
    with pytest.raises(NotFound):
        consent(stranger, rec)
    changed_nothing(before)

    # consenting twice: 409, nothing new
    consent(s.applicant_user, rec)
    before = snapshot()
    with translation.override("en"), pytest.raises(Conflict) as twice:
        consent(s.applicant_user, rec)
    assert twice.value.code == MeetingError.ALREADY_CONSENTED
    assert "already" in str(twice.value.message)
    r = factories.client_for(s.applicant_user).post(
        f"/api/v1/meetings/recordings/{rec.pk}/replacement-consent"
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "meeting.already_consented"
    # withdrawing what one has not given
    with pytest.raises(Conflict) as none:
        replacement.withdraw(actor=s.respondent_user, recording_id=rec.pk)
    assert none.value.code == MeetingError.NO_CONSENT
    changed_nothing(before)

    # the page's button: the refusal's message, and nothing changed
    r = factories.client_for(s.applicant_user).post(
        reverse("meetings:replacement_consent", args=[rec.pk]), follow=True
    )
    assert r.status_code == 200
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    changed_nothing(before)


def test_another_cases_party_gets_404_everywhere(stored):
    s, session, rec = stored
    intruder = factories.person("party")
    other = cf.submitted_case(factories.court("上海知识产权法院", code="沪73"), applicant=intruder)
    assert cf and other.parties.filter(user=intruder).exists()  # a party, of another case
    before = snapshot()
    with pytest.raises(NotFound):
        consent(intruder, rec)
    client = factories.client_for(intruder)
    for method, url in [
        ("get", f"/api/v1/meetings/{session.pk}/record"),
        ("post", f"/api/v1/meetings/recordings/{rec.pk}/replacement-consent"),
        ("delete", f"/api/v1/meetings/recordings/{rec.pk}/replacement-consent"),
        ("post", reverse("meetings:replacement_consent", args=[rec.pk])),
        ("post", reverse("meetings:replacement_withdraw", args=[rec.pk])),
    ]:
        r = getattr(client, method)(url)
        assert r.status_code == 404, (url, r.status_code)
        missing = getattr(client, method)(url.replace(str(rec.pk), "2000000000", 1))
        assert missing.status_code == 404
    changed_nothing(before)


def test_consenting_on_the_page_and_the_api_the_last_consent_makes_the_record(stored):
    s, session, rec = stored
    r = factories.client_for(s.applicant_user).post(
        reverse("meetings:replacement_consent", args=[rec.pk]), follow=True
    )
    assert r.status_code == 200
    assert [m.level_tag for m in r.context["messages"]] == ["success"]
    api = factories.client_for(s.respondent_user)
    r = api.post(f"/api/v1/meetings/recordings/{rec.pk}/replacement-consent")
    assert r.status_code == 200, r.content
    assert r.json()["is_record"] is True and r.json()["missing"] == []
    assert Transcript.objects.filter(kind=Transcript.Kind.RECORDING, case=s.case).count() == 1


def test_an_agent_consents_for_its_party(stored):
    s, session, rec = stored
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sutiao.cases.actions import AgentIn
    from tests.cases.conftest import small_pdf

    lawyer = factories.person("party")
    case_actions.name_agent(
        actor=s.respondent_user,
        case=s.case,
        party=s.respondent,
        data=AgentIn(
            name=lawyer.real_name,
            phone=lawyer.phone,
            kind=Agent.Kind.LAWYER,
            scope="general",
            licence_number="11101201810123456",
            firm="北京某某律师事务所",
        ),
        power_of_attorney=SimpleUploadedFile(
            "授权委托书.pdf", small_pdf("授权委托书"), content_type="application/pdf"
        ),
    )
    consent(s.applicant_user, rec)
    consent(lawyer, rec)
    c = ReplacementConsent.objects.get(party=s.respondent)
    assert c.given_by == lawyer
    rec.refresh_from_db()
    assert rec.transcript_id is not None


def test_the_filed_case_carries_the_recording_record_like_a_transcript(stored):
    """What a session produced goes back to the court with the failed case (OMR 21)."""
    s, session, rec = stored
    consent(s.applicant_user, rec)
    consent(s.respondent_user, rec)
    rec.refresh_from_db()
    case = case_actions.accept(actor=mediator_of(s), case=s.case)
    case = case_actions.end(
        actor=mediator_of(s),
        case=case,
        reason=5,
        course="一次视频调解，录像代替笔录",
        reasons="赔偿数额分歧过大",
    )
    assert case.state == "failed"
    filed = case_actions.file_case(actor=s.clerk, case=case)
    with translation.override("en"):
        r = factories.client_for(s.clerk).get(
            reverse("cases:filed", args=[filed.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert r.status_code == 200
    html = r.content.decode()
    section = html[html.index('id="transcripts"') : html.index('id="failure-report"')]
    assert rec.file.sha256 in section and "Incomplete" in section  # facts not confirmed
    assert s.applicant.name in section and s.respondent.name in section  # the consents
