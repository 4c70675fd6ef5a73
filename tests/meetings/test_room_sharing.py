"""Sharing in the room, on the signalling socket: a case document shown to the room (checked
by the server against the case and each receiver's access to the case file, its pages served
through an authenticated URL), the screen announced, both audited, and in a separate talk
kept to the sharer's side."""

from __future__ import annotations

import io

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from sutiao.audit.models import AuditEntry
from sutiao.cases import actions as case_actions
from sutiao.cases.models import Party
from tests import factories
from tests.delivery.conftest import build_case

from .conftest import check_everyone, cookie_for, mediator_of, schedule
from .test_room_socket import socket

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(300, 200), (200, 300), (250, 250)]  # each page its own shape: a turn shows


def pdf(pages=SIZES) -> bytes:
    w = PdfWriter()
    for width, height in pages:
        w.add_blank_page(width, height)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def add_pdf(case, actor, name="证据目录.pdf", pages=SIZES):
    upload = SimpleUploadedFile(name, pdf(pages), content_type="application/pdf")
    return case_actions.add_file(actor=actor, case=case, upload=upload)


@pytest.fixture
def room(media):
    s = build_case()
    session = schedule(s)
    check_everyone(session, s)
    return s, session


async def drain(*socks):
    for ws in socks:
        while await ws.receive_nothing(timeout=0.3) is False:
            await ws.receive_json_from()


async def enter(session_id, cookies):
    socks = []
    for cookie in cookies:
        ws = socket(session_id, cookie)
        assert (await ws.connect())[0]
        socks.append(ws)
    await drain(*socks)
    return socks


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_mediator_shows_a_case_document_and_the_others_follow_the_page(room):
    s, session = room
    f = add_pdf(s.case, mediator_of(s))
    cookies = [cookie_for(u) for u in (mediator_of(s), s.applicant_user, s.respondent_user)]

    async def run():
        med, a, b = await enter(session.pk, cookies)
        await med.send_json_to({"type": "share", "kind": "document", "file": f.pk})
        got = [await ws.receive_json_from() for ws in (med, a, b)]
        await med.send_json_to({"type": "page", "page": 2})
        turned = [await ws.receive_json_from() for ws in (a, b)]
        await a.send_json_to({"type": "page", "page": 3})  # not the sharer: nothing
        assert await b.receive_nothing(timeout=0.5)
        await med.send_json_to({"type": "page", "page": 9})  # no such page: nothing
        assert await b.receive_nothing(timeout=0.5)
        await med.send_json_to({"type": "share", "kind": "document", "file": None})
        stopped = await b.receive_json_from()
        for ws in (med, a, b):
            await ws.disconnect()
        return got, turned, stopped

    got, turned, stopped = async_to_sync(run)()
    for msg in got:
        assert (msg["type"], msg["kind"], msg["file"], msg["pages"], msg["page"]) == (
            "share",
            "document",
            f.pk,
            3,
            1,
        )
        assert msg["url"] == f"/meetings/case/{s.case.pk}/files/{f.pk}/"
    assert [m["page"] for m in turned] == [2, 2]
    assert (stopped["kind"], stopped["stopped"]) == ("none", "document")
    # Each receiver fetches the page it is shown, as itself: PDF page 2 rendered (200×300 pt).
    client = factories.client_for(s.respondent_user)
    one = client.get(got[2]["url"], {"page": 1})
    two = client.get(got[2]["url"], {"page": 2})
    assert one.status_code == two.status_code == 200 and two["Content-Type"] == "image/png"
    (w1, h1), (w2, h2) = png_size(one.content), png_size(two.content)
    assert w1 > h1 and w2 < h2  # landscape first page, portrait second
    assert client.get(got[2]["url"], {"page": 4}).status_code == 404
    assert two["Cache-Control"] == "private, no-store"
    entries = AuditEntry.objects.filter(action="meetings.document_shared")
    assert entries.count() == 1 and entries.get().changes["file"] == f.pk


def test_a_document_of_another_case_is_refused_and_nobody_is_shown_it(room):
    from sutiao.institutions.models import Court

    s, session = room
    Court.objects.filter(pk=s.case.court_id).update(name="上海知识产权法院")  # names are unique
    other = build_case()
    foreign = add_pdf(other.case, mediator_of(other), name="他案证据.pdf")
    cookies = [cookie_for(u) for u in (mediator_of(s), s.applicant_user)]

    async def run():
        med, a = await enter(session.pk, cookies)
        await med.send_json_to({"type": "share", "kind": "document", "file": foreign.pk})
        refused = await med.receive_json_from()
        quiet = await a.receive_nothing(timeout=0.5)
        for ws in (med, a):
            await ws.disconnect()
        return refused, quiet

    refused, quiet = async_to_sync(run)()
    assert (refused["type"], refused["code"]) == ("error", "meeting.not_shareable")
    assert quiet
    # Its pages are not served to this room's people either, by either case's path.
    client = factories.client_for(s.applicant_user)
    assert client.get(f"/meetings/case/{other.case.pk}/files/{foreign.pk}/").status_code == 404
    assert client.get(f"/meetings/case/{s.case.pk}/files/{foreign.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action="meetings.document_shared").exists()


def test_a_document_a_receiver_may_not_see_is_refused(room):
    """The respondent is no longer a party's user (its party changed hands): still in the
    room, it may not see the case file, so the document is shown to nobody."""
    s, session = room
    f = add_pdf(s.case, mediator_of(s))
    cookies = [cookie_for(u) for u in (mediator_of(s), s.applicant_user, s.respondent_user)]
    stranger = factories.person("party")

    async def run():
        med, a, b = await enter(session.pk, cookies)
        await med.send_json_to({"type": "share", "kind": "document", "file": f.pk})
        for ws in (med, a, b):
            await ws.receive_json_from()
        await _hand_over(s.respondent.pk, stranger)
        await med.send_json_to({"type": "page", "page": 2})  # shown before: b sees no more
        assert (await a.receive_json_from())["page"] == 2
        assert (await med.receive_json_from())["page"] == 2  # its own page, echoed
        b_quiet = await b.receive_nothing(timeout=0.5)
        await med.send_json_to({"type": "share", "kind": "document", "file": f.pk})
        refused = await med.receive_json_from()
        a_quiet = await a.receive_nothing(timeout=0.5)
        for ws in (med, a, b):
            await ws.disconnect()
        return refused, a_quiet, b_quiet

    refused, a_quiet, b_quiet = async_to_sync(run)()
    assert (refused["code"], a_quiet, b_quiet) == ("meeting.not_visible_to_all", True, True)
    assert str(session.participants.get(user=s.respondent_user)) in refused["message"]
    url = f"/meetings/case/{s.case.pk}/files/{f.pk}/"
    assert factories.client_for(s.respondent_user).get(url).status_code == 404
    assert AuditEntry.objects.filter(action="meetings.document_shared").count() == 1


async def _hand_over(party_id: int, user) -> None:
    from channels.db import database_sync_to_async

    await database_sync_to_async(Party.objects.filter(pk=party_id).update)(user=user)


def test_in_a_caucus_a_share_reaches_only_the_sharers_side(room):
    s, session = room
    f = add_pdf(s.case, mediator_of(s))
    applicant = session.participants.get(user=s.applicant_user).pk
    cookies = [cookie_for(u) for u in (mediator_of(s), s.applicant_user, s.respondent_user)]

    async def run():
        med, a, b = await enter(session.pk, cookies)
        await med.send_json_to({"type": "caucus", "with": applicant})
        for ws in (med, a, b):
            assert (await ws.receive_json_from())["type"] == "caucus"
        await med.send_json_to({"type": "share", "kind": "document", "file": f.pk})
        inside = [(await ws.receive_json_from())["kind"] for ws in (med, a)]
        await a.send_json_to({"type": "share", "kind": "screen", "on": True})
        screen = [(await ws.receive_json_from())["kind"] for ws in (med, a)]
        b_quiet = await b.receive_nothing(timeout=0.5)
        await b.send_json_to({"type": "share", "kind": "screen", "on": True})  # the other side
        own = (await b.receive_json_from())["kind"]
        med_quiet = await med.receive_nothing(timeout=0.5)
        for ws in (med, a, b):
            await ws.disconnect()
        return inside, screen, b_quiet, own, med_quiet

    inside, screen, b_quiet, own, med_quiet = async_to_sync(run)()
    assert inside == ["document", "document"] and screen == ["screen", "screen"]
    assert b_quiet and med_quiet and own == "screen"


def test_a_screen_share_is_announced_audited_once_and_its_end_told(room):
    s, session = room
    cookies = [cookie_for(u) for u in (mediator_of(s), s.applicant_user)]
    me = session.participants.get(user=s.applicant_user)

    async def run():
        med, a = await enter(session.pk, cookies)
        await a.send_json_to({"type": "share", "kind": "screen", "on": True})
        started = await med.receive_json_from()
        await a.send_json_to({"type": "share", "kind": "screen", "on": True})  # again
        again = await med.receive_json_from()
        await a.send_json_to({"type": "share", "kind": "screen", "on": False})
        ended = await med.receive_json_from()
        for ws in (med, a):
            await ws.disconnect()
        return started, again, ended

    started, again, ended = async_to_sync(run)()
    assert (started["kind"], started["from"], started["sharer"]) == ("screen", me.pk, str(me))
    assert again["kind"] == "screen"
    assert (ended["kind"], ended["stopped"], ended["from"]) == ("none", "screen", me.pk)
    entries = AuditEntry.objects.filter(action="meetings.screen_shared")
    assert entries.count() == 1 and entries.get().actor_id == s.applicant_user.pk
