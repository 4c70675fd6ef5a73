"""The live WebSocket: a logged-in page joins its user's group; anonymous sockets are refused."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from sutiao.asgi import application
from sutiao.delivery.live import push_to_user
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def communicator(cookie: str = "") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/live/", headers=headers)


def test_logged_in_user_receives_hello_and_pushed_events():
    party = factories.person("party")
    client = Client()
    client.force_login(party)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def run():
        ws = communicator(cookie)
        connected, _ = await ws.connect()
        assert connected
        assert (await ws.receive_json_from())["type"] == "hello"
        await ws.send_json_to({"type": "ping"})
        assert (await ws.receive_json_from())["type"] == "pong"
        from asgiref.sync import sync_to_async

        await sync_to_async(push_to_user)(party.pk, {"type": "inbox", "unread": 3})
        assert await ws.receive_json_from() == {"type": "inbox", "unread": 3}
        await ws.disconnect()

    async_to_sync(run)()


def test_anonymous_socket_is_closed():
    async def run():
        ws = communicator()
        connected, code = await ws.connect()
        if connected:  # accepted then closed by the consumer
            message = await ws.receive_output()
            assert message["type"] == "websocket.close"
        else:
            assert code == 4401

    async_to_sync(run)()


def _cookie(client: Client) -> str:
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _refused(cookie: str) -> None:
    async def run():
        ws = communicator(cookie)
        connected, code = await ws.connect()
        if connected:
            message = await ws.receive_output()
            assert message["type"] == "websocket.close", message
        else:
            assert code == 4401

    async_to_sync(run)()


def test_a_password_only_staff_session_is_refused():
    """Issue 13, fix 2: the socket asks for the second factor, as every page does."""
    clerk = factories.person("court_clerk", court=factories.court())
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": clerk.username, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    _refused(_cookie(client))


def test_a_staff_session_past_its_second_factor_is_accepted_until_it_logs_out_everywhere():
    from asgiref.sync import sync_to_async

    from sutiao.accounts import actions

    mediator = factories.person("mediator", org=factories.org())
    client = factories.client_for(mediator)

    async def run():
        ws = communicator(_cookie(client))
        connected, _ = await ws.connect()
        assert connected
        assert (await ws.receive_json_from())["type"] == "hello"
        await sync_to_async(actions.end_all_sessions)(actor=mediator, user=mediator)
        message = await ws.receive_output(timeout=2)
        assert message["type"] == "websocket.close"

    async_to_sync(run)()
    _refused(_cookie(client))


def test_an_idle_staff_session_is_refused():
    from datetime import timedelta

    import time_machine

    from tests.clock import WORKING_MONDAY

    judge = factories.person("judge", court=factories.court())
    with time_machine.travel(WORKING_MONDAY, tick=True) as clock:
        client = factories.client_for(judge)
        clock.shift(timedelta(minutes=31))
        _refused(_cookie(client))
