"""Under ASGI a file download goes out a chunk at a time (core.streaming): Django's handler
would otherwise read the whole body into memory before sending a byte."""

from __future__ import annotations

import asyncio
import io
import warnings

from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from sutiao.core.streaming import AsyncFileStreamingMiddleware

SIZE = 3 * FileResponse.block_size + 17


def asgi_request() -> ASGIRequest:
    scope = {"type": "http", "method": "GET", "path": "/f", "query_string": b"", "headers": []}
    return ASGIRequest(scope, io.BytesIO(b""))


def test_a_file_response_under_asgi_is_read_one_block_at_a_time():
    data = bytes(range(256)) * (SIZE // 256) + b"x" * (SIZE % 256)
    source = io.BytesIO(data)
    response = AsyncFileStreamingMiddleware(lambda request: FileResponse(source))(asgi_request())
    assert response.is_async

    async def read():
        got, positions = [], []
        async for part in response:
            got.append(part)
            positions.append(source.tell())
        return b"".join(got), positions

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's "must consume synchronous iterators"
        body, positions = asyncio.run(read())
    assert body == data
    # When the first block went out, only that block had been read from the file.
    assert positions[0] == FileResponse.block_size < SIZE
    assert response["Content-Length"] == str(SIZE)


def test_under_wsgi_and_for_plain_responses_nothing_changes():
    source = io.BytesIO(b"abc")
    wsgi = AsyncFileStreamingMiddleware(lambda request: FileResponse(source))(
        RequestFactory().get("/f")
    )
    assert not wsgi.is_async and b"".join(wsgi) == b"abc"
    plain = AsyncFileStreamingMiddleware(lambda request: HttpResponse(b"ok"))(asgi_request())
    assert plain.content == b"ok"
