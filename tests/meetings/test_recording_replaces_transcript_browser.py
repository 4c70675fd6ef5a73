"""OMR 22 in Debian's chromium, on phone-sized pages: each party consents on the case page
that the session's recording replaces the written transcript; after the second consent the
case page shows the recording as the session's record with its SHA-256, incomplete until the
undisputed facts are confirmed, and each party confirms them with the existing button."""

from __future__ import annotations

import pytest
from django.conf import settings

from sutiao.cases import actions as case_actions
from sutiao.cases.models import Transcript
from sutiao.meetings import chunks, recording
from sutiao.meetings.models import Recording
from tests.delivery.conftest import build_case

from .conftest import check_everyone, mediator_of, schedule, session_cookies
from .test_recording import streamed_webm
from .test_recording_chunks import post_chunk, started

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.rule("OMR-22"),
]


def test_both_parties_consent_on_their_phones_and_the_recording_is_the_record(
    platform, in_browser, artifacts
):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    mediator = mediator_of(s)
    rec = started(s, session)
    assert post_chunk(mediator, session, rec, 0, streamed_webm(2)).status_code == 201
    recording.stop(actor=mediator, session=session)
    rec = chunks.finish(actor=mediator, session=session, recording_id=rec.pk)
    assert rec.state == Recording.State.STORED
    sha = rec.file.sha256
    cookies = session_cookies([s.applicant_user, s.respondent_user])
    case_url = f"{platform}/cases/{s.case.pk}/"

    def open_case(new_page, cookie):
        page = new_page(phone=True)
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": platform}]
        )
        page.goto(case_url)
        return page

    def consenting(new_page):
        pages = [open_case(new_page, c) for c in cookies]
        for page in pages:
            pending = f"#recording-{rec.pk}"
            page.wait_for_selector(pending)
            with page.expect_navigation():
                page.click(f"{pending} form[action$='/replacement/consent/'] button")
            assert page.is_visible(".msg, .alert"), page.content()[:500]
        page = pages[-1]
        record = page.wait_for_selector("#transcripts .kind-recording")
        text = record.inner_text()
        assert sha in text
        assert page.query_selector(f"#recording-{rec.pk}") is None  # no longer awaiting
        assert page.is_visible("#transcripts .kind-recording .tag.incomplete")
        page.screenshot(path=str(artifacts / "meetings-recording-record-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, width  # readable on a phone: no sideways scrolling
        for p in pages:
            assert p.errors == []

    in_browser(consenting)
    t = Transcript.objects.get(case=s.case, kind=Transcript.Kind.RECORDING)
    case_actions.record_undisputed_facts(
        actor=mediator, transcript=t, text="被申请人销售了涉案商品"
    )

    def confirming(new_page):
        pages = [open_case(new_page, c) for c in cookies]
        for page in pages:
            with page.expect_navigation():
                page.click(f"#record-{t.pk} form[action$='/confirm/'] button")
        pages[-1].goto(case_url)
        assert not pages[-1].is_visible(f"#record-{t.pk} .tag.incomplete")

    in_browser(confirming)
    assert t.confirmations.count() == 2
