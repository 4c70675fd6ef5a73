"""Journey: a mediator watches an online course in the browser; the page's player reports
watched time in signed heartbeats until the hours are credited."""

import io
import wave
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sutiao.training.actions import attendance, courses
from sutiao.training.models import Course, Enrolment
from tests import factories as f
from tests.roster import factories as rf

from . import factories as tf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.rule("SIR-7"),
]

SECONDS = 4


def _silence(seconds: int) -> bytes:
    """A real media file the browser plays: WAV, 8 kHz mono, silent."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * 8000 * seconds)
    return out.getvalue()


def test_the_player_reports_watched_time_until_the_hours_are_credited(
    live_server, in_browser, monkeypatch
):
    monkeypatch.setattr(attendance, "BEAT_EVERY", 1)
    staff, office = tf.office_staff()
    course = courses.save_course(
        actor=staff,
        data={
            "title": "在线课程：调解技巧",
            "organiser_kind": Course.Organiser.IP_OFFICE,
            "office": office,
            "mode": Course.Mode.ONLINE,
            "starts_on": tf.dt.date.today(),
            "ends_on": tf.dt.date.today(),
            "hours": Decimal("1.5"),
            "video": SimpleUploadedFile("lesson.wav", _silence(SECONDS)),
            "video_seconds": SECONDS,
        },
    )
    user = f.person()
    m = rf.mediator("在线观看者", id_number=user.id_number)
    m.user = user
    m.save()
    enrolment = courses.enrol(actor=user, course=course)
    base = live_server.url

    def journey(new_page):
        page = new_page(phone=True)
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", f.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/training/enrolments/{enrolment.pk}/")
        page.evaluate(
            "() => { const v = document.getElementById('course-video'); v.muted = true; return v.play(); }"
        )
        try:
            page.wait_for_function(
                f"() => document.getElementById('watched').textContent === '{SECONDS}'",
                timeout=20000,
            )
        except Exception:
            state = page.evaluate(
                "() => { const v = document.getElementById('course-video');"
                " return [v.currentTime, v.ended, v.readyState, v.error && v.error.code,"
                " document.getElementById('watched').textContent]; }"
            )
            raise AssertionError(f"player state {state}, errors {page.errors}") from None
        assert page.errors == []

    in_browser(journey)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    assert enrolment.watched_seconds == SECONDS
    assert enrolment.credited_on is not None and enrolment.hours == Decimal("1.5")
