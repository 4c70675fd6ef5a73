"""Must-show, in Debian's chromium with fake devices (two fake cameras, and the fake screen
that chromium's fake-device flag gives getDisplayMedia, 1280×720):
- the mediator shares the screen and the party's page receives it in place of the camera
  (the remote video turns from the camera's 4:3 to the screen's 16:9), then back on stop;
- the mediator shows a PDF of the case file and the party's page shows it, following the
  sharer's page turn (each page of its own shape, rendered by the server for that party);
- the camera and microphone chosen on the device check page are the ones the room opens
  (track.getSettings().deviceId), a camera changed in the room is the one sent to the peer
  (replaceTrack), and a choice whose device is gone falls back to the default."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser_support import BrowserThread
from tests.delivery.conftest import build_case

from .conftest import FAKE_MEDIA, check_everyone, enter_room, mediator_of, schedule, session_cookies
from .test_room_sharing import add_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chromium():
    """Two fake cameras (device-count=2), so that a choice is a choice."""
    flags = tuple(f for f in FAKE_MEDIA if f != "--use-fake-device-for-media-stream")
    browser = BrowserThread((*flags, "--use-fake-device-for-media-stream=device-count=2"))
    browser.start()
    yield browser
    browser.stop()


def ratio_js(peer: int) -> str:
    """The remote video's width / height once it plays frames (0 before)."""
    return f"""() => {{
      const v = document.getElementById("remote-{peer}");
      return v && v.videoHeight ? v.videoWidth / v.videoHeight : 0;
    }}"""


VIEWER_JS = """() => {
  const viewer = document.getElementById("viewer");
  const img = document.getElementById("viewer-image");
  return viewer.hidden ? null : {
    file: Number(viewer.dataset.file), page: Number(viewer.dataset.page),
    loaded: img.complete && img.naturalWidth > 0,
    landscape: img.naturalWidth > img.naturalHeight,
  };
}"""


def test_the_screen_and_a_case_document_are_shared_with_the_other_page(
    platform, in_browser, artifacts
):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    f = add_pdf(s.case, mediator_of(s))
    users = [mediator_of(s), s.applicant_user]
    med_id = session.participants.get(user=users[0]).pk
    cookies = session_cookies(users)

    def journey(new_page):
        med, party = enter_room(new_page, platform, session, cookies)
        ratio = ratio_js(med_id)
        party.wait_for_function(f"() => ({ratio})() > 1.2 && ({ratio})() < 1.5", timeout=60_000)
        camera = party.evaluate(ratio)

        med.click("#share-screen")  # a click: getDisplayMedia wants the user's gesture
        party.wait_for_function(f"() => ({ratio})() > 1.7", timeout=60_000)
        screen = party.evaluate(ratio)
        notice = party.get_attribute("#share-notice", "data-screen")
        party.screenshot(path=str(artifacts / "meetings-screen-share.png"), full_page=True)
        med.click("#share-screen")  # stop: the camera again
        party.wait_for_function(f"() => ({ratio})() > 1.2 && ({ratio})() < 1.5", timeout=60_000)
        party.wait_for_function("() => document.getElementById('share-notice').hidden")

        med.select_option("#share-document", str(f.pk))
        med.click("#share-show")
        party.wait_for_function(f"() => ({VIEWER_JS})()?.loaded")
        first = party.evaluate(VIEWER_JS)
        med.click("#viewer-next")
        party.wait_for_function(f"() => ({VIEWER_JS})()?.page === 2 && ({VIEWER_JS})().loaded")
        second = party.evaluate(VIEWER_JS)
        party.screenshot(path=str(artifacts / "meetings-document-share.png"), full_page=True)
        controls = party.is_visible("#viewer-next")
        med.click("#viewer-stop")
        party.wait_for_function(f"() => ({VIEWER_JS})() === null")
        return camera, screen, notice, first, second, controls, med.errors + party.errors

    camera, screen, notice, first, second, controls, errors = in_browser(journey)
    assert 1.2 < camera < 1.5 and screen > 1.7, (camera, screen)  # 4:3, then 16:9
    assert notice == str(med_id)
    assert first == {"file": f.pk, "page": 1, "loaded": True, "landscape": True}
    assert second == {"file": f.pk, "page": 2, "loaded": True, "landscape": False}
    assert not controls  # only the sharer turns the pages
    assert errors == []


DEVICE_JS = """() => {
  const local = window.__meeting && window.__meeting.local;
  if (!local) return null;
  const id = (kind) => local.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId;
  return { video: id("video"), audio: id("audio") };
}"""


def test_the_devices_chosen_on_the_check_page_are_the_ones_the_room_opens(platform, in_browser):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    users = [s.applicant_user, mediator_of(s)]
    me = session.participants.get(user=users[0]).pk
    med_id = session.participants.get(user=users[1]).pk
    cookie, med_cookie = session_cookies(users)

    def journey(new_page):
        page = new_page()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": platform}]
        )
        page.goto(f"{platform}/meetings/{session.pk}/devices/")
        page.wait_for_function(
            "() => document.querySelectorAll('#camera-choice option').length === 2"
        )
        cams = page.eval_on_selector_all("#camera-choice option", "os => os.map((o) => o.value)")
        mics = page.eval_on_selector_all("#mic-choice option", "os => os.map((o) => o.value)")
        first_cam = page.evaluate(
            "() => document.getElementById('preview').srcObject.getVideoTracks()[0]"
            ".getSettings().deviceId"
        )
        chosen = {"video": cams[1], "audio": mics[-1]}
        page.select_option("#camera-choice", chosen["video"])
        page.select_option("#mic-choice", chosen["audio"])
        page.wait_for_function(
            "(id) => document.getElementById('preview').srcObject?.getVideoTracks()[0]"
            "?.getSettings().deviceId === id",
            arg=chosen["video"],
        )
        page.click("#join")
        page.wait_for_selector("#room-status[data-connected='1']", state="attached")
        in_room = page.evaluate(DEVICE_JS)

        # In the room, the other camera: the mediator's peer connection is sent it.
        (med,) = enter_room(new_page, platform, session, [med_cookie])
        page.wait_for_function(f"() => window.__meeting.peers.get({med_id})")
        page.click("#room-devices summary")
        page.select_option("#room-camera", first_cam)
        sent = page.wait_for_function(
            f"""(id) => {{
              const p = window.__meeting.peers.get({med_id});
              const s = p.pc.getSenders().find((x) => x.track && x.track.kind === "video");
              return s && s.track.getSettings().deviceId === id ? s.track.getSettings().deviceId : null;
            }}""",
            arg=first_cam,
        ).json_value()
        med.wait_for_function(f"() => ({ratio_js(me)})() > 0", timeout=60_000)

        # A choice whose camera is gone (another browser's id): the default opens instead.
        page.evaluate(
            "() => localStorage.setItem('sutiao.meetings.devices', "
            "JSON.stringify({video: 'gone-camera', audio: 'gone-mic'}))"
        )
        page.reload()
        page.wait_for_selector("#room-status[data-connected='1']", state="attached")
        fallback = page.evaluate(DEVICE_JS)
        return cams, first_cam, chosen, in_room, sent, fallback, page.errors + med.errors

    cams, first_cam, chosen, in_room, sent, fallback, errors = in_browser(journey)
    assert len(set(cams)) == 2 and chosen["video"] != first_cam
    assert in_room == chosen  # the room opened exactly the devices chosen
    assert sent == first_cam  # changed in the room, sent to the peer
    assert fallback is not None and fallback["video"] in cams and fallback["audio"]
    assert errors == []
