"""A stand-in for a LiveKit server's RoomService (no LiveKit server is in Debian, and none
could be built here): a small HTTP server on 127.0.0.1 that speaks LiveKit's Twirp protocol
as livekit-api's client sends it (protobuf bodies at /twirp/livekit.RoomService/<Method>),
refuses any call whose Authorization JWT does not verify with livekit-api's TokenVerifier
against the API key and secret, or whose grants do not allow it, and records every call.

Its rooms are what the test says are connected (`rooms[name] = [identity, ...]`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from livekit import api

PREFIX = "/twirp/livekit.RoomService/"
REQUESTS = {
    "ListParticipants": api.ListParticipantsRequest,
    "RemoveParticipant": api.RoomParticipantIdentity,
    "DeleteRoom": api.DeleteRoomRequest,
}


@dataclass
class FakeLiveKit:
    url: str
    key: str
    secret: str
    rooms: dict[str, list[str]] = field(default_factory=dict)
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # method, room, identity
    refused: list[str] = field(default_factory=list)
    gets: list[str] = field(default_factory=list)  # a browser's signalling WebSocket requests


def _allowed(method: str, grants, room: str) -> bool:
    if grants is None:
        return False
    if method == "DeleteRoom":
        return bool(grants.room_create)
    return bool(grants.room_admin) and grants.room == room  # one room's admin only


def _handler(lk: FakeLiveKit):
    verifier = api.TokenVerifier(lk.key, lk.secret)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            return

        def _answer(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, code: str, msg: str) -> None:
            self._answer(
                status, json.dumps({"code": code, "msg": msg}).encode(), "application/json"
            )

        def do_GET(self):  # noqa: N802 (http.server's name)
            lk.gets.append(self.path)  # the signalling of a real server is not stood in for
            return self._error(404, "not_found", "no signalling here")

        def do_POST(self):  # noqa: N802 (http.server's name)
            method = self.path.removeprefix(PREFIX)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if not self.path.startswith(PREFIX) or method not in REQUESTS:
                return self._error(404, "bad_route", self.path)
            request = REQUESTS[method].FromString(body)
            try:
                claims = verifier.verify(self.headers.get("Authorization", "")[len("Bearer ") :])
            except Exception as exc:
                lk.refused.append(f"{method}: {exc}")
                return self._error(401, "unauthenticated", str(exc))
            if not _allowed(method, claims.video, request.room):
                lk.refused.append(f"{method}: grants")
                return self._error(403, "permission_denied", "grants")
            identity = getattr(request, "identity", "")
            lk.calls.append((method, request.room, identity))
            if request.room not in lk.rooms:
                return self._error(404, "not_found", "requested room does not exist")
            out: api.ListParticipantsResponse | api.RemoveParticipantResponse
            if method == "ListParticipants":
                out = api.ListParticipantsResponse(
                    participants=[api.ParticipantInfo(identity=i) for i in lk.rooms[request.room]]
                )
            elif method == "RemoveParticipant":
                lk.rooms[request.room].remove(identity)
                out = api.RemoveParticipantResponse()
            else:
                del lk.rooms[request.room]
                out = api.DeleteRoomResponse()
            return self._answer(200, out.SerializeToString(), "application/protobuf")

    return Handler


@contextmanager
def fake_livekit(key: str, secret: str) -> Iterator[FakeLiveKit]:
    lk = FakeLiveKit(url="", key=key, secret=secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(lk))
    lk.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield lk
    finally:
        server.shutdown()
        server.server_close()
