"""File downloads under ASGI read in chunks, off the event loop.

Django's ASGI handler cannot iterate a synchronous response body (a FileResponse, WhiteNoise's
static files) asynchronously, so it reads the whole body into memory first and then sends it:
a 500 MB recording would sit in the server's memory per download. This middleware, outermost,
turns such a body into an asynchronous iterator that reads one chunk at a time in a worker
thread. Under WSGI nothing changes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import cast

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest

_END = object()


def _next(it: Iterator[bytes]) -> object:
    return next(it, _END)


async def chunks(body: Iterator[bytes]) -> AsyncIterator[bytes]:
    it = iter(body)
    step = sync_to_async(_next, thread_sensitive=False)
    while (part := await step(it)) is not _END:
        yield cast(bytes, part)


class AsyncFileStreamingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(request, ASGIRequest)
            and getattr(response, "streaming", False)
            and not response.is_async
        ):
            response.streaming_content = chunks(response.streaming_content)
        return response
