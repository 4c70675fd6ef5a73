"""The site's own address, as links in messages and documents give it.

`SUTIAO_SITE_URL` when it is set (production: the public https name); otherwise the address
`sutiao serve` listens on (`SUTIAO_HOST`, `SUTIAO_PORT`, or its --host and --port). Imports
nothing of Django, so settings.py can use it too.
"""

from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Listening on every interface names no address a reader can open: link to this machine.
_EVERY_INTERFACE = {"", "0.0.0.0", "::"}  # noqa: S104 (names them; binds nothing)  # nosec B104 (docs/security-findings.md)


def served_url(host: str, port: int | str) -> str:
    """http://host:port for a server listening on (host, port), the port left out when 80."""
    name = "localhost" if host in _EVERY_INTERFACE else host
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"  # an IPv6 address
    return f"http://{name}" if int(port) == 80 else f"http://{name}:{int(port)}"
