"""Absolute links to the site, as messages, documents and certificates give them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def site_url(path: str = "") -> str:
    """`path` (from the site's root) on the site's own address (core.site: SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def site_link(name: str, *args: Any) -> str:
    """The absolute address of the URL named `name` with `args`."""
    return site_url(reverse(name, args=args or None))
