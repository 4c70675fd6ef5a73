"""The embedded channel layer: Channels' in-memory layer, safe to send to from another thread.

Channels' InMemoryChannelLayer keeps an asyncio queue per channel and wakes a waiting consumer
from whichever event loop sends. A push from the server's own request threads reaches the
server loop (asgiref hands it over), but a push from the embedded worker's thread runs in a
loop of its own: the waiting consumer would only notice at the server loop's next wake-up,
seconds later. Here every channel remembers the loop that receives from it, and a send from any
other loop is handed to that loop with `run_coroutine_threadsafe`.
"""

from __future__ import annotations

import asyncio

from channels.layers import InMemoryChannelLayer as _InMemoryChannelLayer


class InMemoryChannelLayer(_InMemoryChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._receiving_loops: dict[str, asyncio.AbstractEventLoop] = {}

    async def receive(self, channel):
        self._receiving_loops[channel] = asyncio.get_running_loop()
        if len(self._receiving_loops) > 2 * len(self.channels) + 64:  # forget closed channels
            self._receiving_loops = {
                name: loop
                for name, loop in self._receiving_loops.items()
                if name in self.channels and not loop.is_closed()
            }
        return await super().receive(channel)

    async def send(self, channel, message):
        loop = self._receiving_loops.get(channel)
        here = asyncio.get_running_loop()
        if loop is None or loop is here or loop.is_closed() or not loop.is_running():
            return await super().send(channel, message)
        sent = asyncio.run_coroutine_threadsafe(super().send(channel, message), loop)
        return await asyncio.wrap_future(sent)

    async def flush(self):
        self._receiving_loops = {}
        return await super().flush()
