"""Short verification codes printed on every document: 10 characters from an alphabet without
0/O, 1/I/L, so that they can be read off paper and typed (31^10 ≈ 8·10^14 codes)."""

from __future__ import annotations

import secrets

from sutiao.core.links import site_link

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str | None:
    """The code as stored, from what a person typed ("abcde-fghjk", spaces...), or None."""
    code = "".join(ch for ch in (raw or "").upper() if not ch.isspace() and ch not in "-_")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def verify_url(code: str) -> str:
    return site_link("documents:verify_code", code)


def verify_page_url() -> str:
    return site_link("documents:verify")
