"""Counting requests per key in Django's cache: log-in failures per account and address,
verifications per address. Nothing is written to the database, so a stranger who tries a
million names fills no table: each counter expires with its window."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind `SUTIAO_PROXY_COUNT` reverse proxies, the
    address the outermost of them saw (X-Forwarded-For counted from the right)."""
    hops = getattr(settings, "PROXY_COUNT", 0)
    if hops:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"sutiao:{scope}:{digest}"


@dataclass(frozen=True)
class Throttle:
    """At most `limit` hits per key within `seconds` (a fixed window from the first hit)."""

    scope: str
    limit: int
    seconds: int

    def key(self, *parts: str) -> str:
        return _key(self.scope, *parts)

    def count(self, *parts: str) -> int:
        return int(cache.get(self.key(*parts), 0))

    def exceeded(self, *parts: str) -> bool:
        return self.count(*parts) >= self.limit

    def hit(self, *parts: str) -> int:
        key = self.key(*parts)
        if cache.add(key, 1, self.seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.seconds)
            return 1

    def clear(self, *parts: str) -> None:
        cache.delete(self.key(*parts))
