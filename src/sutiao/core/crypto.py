"""Encryption and keyed hashing of personal identifiers (identity numbers) at rest.

The clear value is never stored: a Fernet ciphertext for when a document needs it whole,
an HMAC for finding duplicates, and a masked form for pages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        settings.FIELD_ENCRYPTION_KEY.encode()
    )


@cache
def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"sutiao.field.encrypt")))


@cache
def _mac_key() -> bytes:
    return _derive(b"sutiao.field.lookup")


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    return hmac.new(_mac_key(), value.upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, *, head: int = 3, tail: int = 4) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]
