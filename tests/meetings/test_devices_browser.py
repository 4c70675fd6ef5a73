"""Must-show, in Debian's chromium with fake camera and microphone, on a phone's screen: from
"my sessions" a party opens the device check; the camera's preview plays, the microphone's
level meter moves, the round trip to the platform is measured; then the party joins the room."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from sutiao.meetings.models import Attendance
from tests.delivery.conftest import build_case

from .conftest import check_everyone, schedule, session_cookies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAYING_JS = """() => {
  const v = document.getElementById("preview");
  return v.videoWidth > 0 && v.currentTime > 0.5 && !v.paused;
}"""


def test_the_device_check_previews_the_camera_moves_the_meter_then_joins(
    platform, in_browser, artifacts
):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    (cookie,) = session_cookies([s.applicant_user])
    me = session.participants.get(user=s.applicant_user)

    def journey(new_page):
        page = new_page(phone=True)
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": platform}]
        )
        page.goto(f"{platform}/meetings/")
        page.click(f"#coming li[data-session='{session.pk}'] a.button")
        page.wait_for_url(f"**/meetings/{session.pk}/devices/")
        page.wait_for_function(PLAYING_JS)
        if page.is_visible("#mic-start"):
            page.click("#mic-start")
        levels = []
        for _ in range(30):  # 3 s: the fake microphone beeps
            levels.append(page.eval_on_selector("#level", "m => m.value"))
            time.sleep(0.1)
        page.wait_for_function("() => document.getElementById('rtt').dataset.ms !== ''")
        rtt = int(page.get_attribute("#rtt", "data-ms"))
        camera_ok = page.get_attribute("#camera-status", "data-ok")
        page.screenshot(path=str(artifacts / "meetings-device-check.png"), full_page=True)
        errors = list(page.errors)
        page.click("#join")
        page.wait_for_selector("#room-status[data-connected='1']", state="attached")
        return levels, rtt, camera_ok, errors

    levels, rtt, camera_ok, errors = in_browser(journey)
    assert camera_ok == "1"
    assert max(levels) > 0.01 and len(set(levels)) > 3, levels  # it moves with the sound
    assert 0 <= rtt < 1000
    assert errors == []
    assert Attendance.objects.filter(participant=me, kind="joined").exists()
