"""Encryption and keyed hashing of personal data at rest (identity numbers, phone numbers).

Envelope encryption: every value gets a data key of its own (random, 32 bytes) that encrypts
it; the data key is stored wrapped (encrypted) by the master key (`SUTIAO_MASTER_KEY`, from
the environment, never in the database). A stored value reads

    env1.<cipher>.<master key id>.<wrapped data key>.<ciphertext>     (base64url parts)

so a raw dump of the database shows neither the value nor a key, and rotating the master key
re-wraps the data keys without touching the ciphertexts (`sutiao keys rotate`). The cipher is
pluggable (`SUTIAO_CIPHER`): `aes` (AES-256-GCM, the default) or `sm4` (SM4-CBC with
HMAC-SM3, encrypt-then-MAC, from the gmssl package, for commercial-cryptography review:
docs/security.md). Values written before envelope encryption (Fernet tokens under
SUTIAO_FIELD_KEY) are still read, and `keys rotate` converts them.

The index key (`SUTIAO_FIELD_KEY`) keys the lookup HMACs that find a value without
decrypting it (duplicate identity numbers, phone numbers) and stays when the master key
rotates; a masked form is kept for pages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "env1"


class DecryptionError(ValueError):
    """A stored value that no configured master key opens, or that was altered."""


def _hkdf(secret: bytes, purpose: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(secret)


def _derive(purpose: bytes) -> bytes:
    """A key derived from the index key (SUTIAO_FIELD_KEY) for `purpose`."""
    return _hkdf(settings.FIELD_ENCRYPTION_KEY.encode(), purpose)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- ciphers ----------------------------------------------------------------------------------


class Cipher(Protocol):
    name: str

    def seal(self, key: bytes, plaintext: bytes, aad: bytes) -> bytes: ...

    def open(self, key: bytes, data: bytes, aad: bytes) -> bytes: ...


class AESGCMCipher:
    """AES-256-GCM: a 12-byte random nonce, then the ciphertext and its tag."""

    name = "aes"

    def seal(self, key: bytes, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)

    def open(self, key: bytes, data: bytes, aad: bytes) -> bytes:
        try:
            return AESGCM(key).decrypt(data[:12], data[12:], aad)
        except InvalidTag:
            raise DecryptionError("the value was altered or the key is wrong") from None


class SM4Cipher:
    """SM4-CBC (GB/T 32907) with a random IV and PKCS#7 padding, then HMAC-SM3 (GB/T 32905)
    over aad, IV and ciphertext; the 32-byte key splits into the SM4 key and the MAC key."""

    name = "sm4"

    @staticmethod
    def _parts(key: bytes) -> tuple[bytes, bytes]:
        return _hkdf(key, b"sutiao.sm4.enc", 16), _hkdf(key, b"sutiao.sm4.mac", 32)

    @staticmethod
    def _mac(key: bytes, data: bytes) -> bytes:
        return hmac.new(key, data, lambda: hashlib.new("sm3")).digest()

    def seal(self, key: bytes, plaintext: bytes, aad: bytes) -> bytes:
        from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

        enc, mac = self._parts(key)
        iv = os.urandom(16)
        sm4 = CryptSM4()
        sm4.set_key(enc, SM4_ENCRYPT)
        body = iv + bytes(sm4.crypt_cbc(iv, plaintext))
        return body + self._mac(mac, aad + body)

    def open(self, key: bytes, data: bytes, aad: bytes) -> bytes:
        from gmssl.sm4 import SM4_DECRYPT, CryptSM4

        enc, mac = self._parts(key)
        body, tag = data[:-32], data[-32:]
        if len(body) < 32 or not hmac.compare_digest(tag, self._mac(mac, aad + body)):
            raise DecryptionError("the value was altered or the key is wrong")
        sm4 = CryptSM4()
        sm4.set_key(enc, SM4_DECRYPT)
        return bytes(sm4.crypt_cbc(body[:16], body[16:]))


CIPHERS: dict[str, Cipher] = {c.name: c for c in (AESGCMCipher(), SM4Cipher())}


def cipher(name: str | None = None) -> Cipher:
    name = name or settings.CIPHER
    try:
        return CIPHERS[name]
    except KeyError:
        raise DecryptionError(f"unknown cipher {name!r} (SUTIAO_CIPHER: aes or sm4)") from None


# --- master keys ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MasterKey:
    id: str
    kek: bytes


def _master(secret: str) -> MasterKey:
    raw = secret.encode()
    return MasterKey(
        hashlib.sha256(b"sutiao.master-key-id" + raw).hexdigest()[:12], _hkdf(raw, b"sutiao.kek")
    )


def current_master() -> MasterKey:
    return _master(settings.MASTER_KEY)


def _masters() -> dict[str, MasterKey]:
    keys = [settings.MASTER_KEY, *getattr(settings, "MASTER_KEYS_OLD", [])]
    return {m.id: m for m in map(_master, keys)}


# --- values -----------------------------------------------------------------------------------


def _wrapped_head(c: Cipher, data_key: bytes) -> str:
    """`env1.<cipher>.<master key id>.<data key wrapped by the current master key>`."""
    master = current_master()
    head = f"{PREFIX}.{c.name}.{master.id}"
    return f"{head}.{_b64(c.seal(master.kek, data_key, head.encode()))}"


def _rewrapped_head(c: Cipher, key_id: str, wrapped: bytes) -> str | None:
    """The head of a value or file under the current master key; None when it already is."""
    if key_id == current_master().id:
        return None
    return _wrapped_head(c, _unwrap(c, key_id, wrapped, f"{PREFIX}.{c.name}.{key_id}"))


def encrypt(value: str) -> str:
    """An envelope ciphertext of `value` with a fresh data key under the current master key."""
    c = cipher()
    data_key = os.urandom(32)
    # The body is bound to its cipher, not to the master key: re-wrapping leaves it as it is.
    body = c.seal(data_key, value.encode(), f"{PREFIX}.{c.name}".encode())
    return f"{_wrapped_head(c, data_key)}.{_b64(body)}"


def is_envelope(token: str) -> bool:
    return token.startswith(PREFIX + ".")


def _parse(token: str) -> tuple[Cipher, str, bytes, bytes]:
    try:
        _prefix, name, key_id, wrapped, body = token.split(".")
        return cipher(name), key_id, _unb64(wrapped), _unb64(body)
    except (ValueError, TypeError):
        raise DecryptionError("not an envelope ciphertext") from None


def _unwrap(c: Cipher, key_id: str, wrapped: bytes, head: str) -> bytes:
    master = _masters().get(key_id)
    if master is None:
        raise DecryptionError(
            f"master key {key_id} is not configured (SUTIAO_MASTER_KEY, SUTIAO_MASTER_KEYS_OLD)"
        )
    return c.open(master.kek, wrapped, head.encode())


def decrypt(token: str) -> str:
    if not is_envelope(token):
        return _legacy_fernet().decrypt(token.encode()).decode()
    c, key_id, wrapped, body = _parse(token)
    data_key = _unwrap(c, key_id, wrapped, f"{PREFIX}.{c.name}.{key_id}")
    return c.open(data_key, body, f"{PREFIX}.{c.name}".encode()).decode()


def rewrap(token: str) -> str:
    """The same value under the current master key: the data key re-wrapped (the ciphertext
    kept) or, for a value from before envelope encryption, encrypted afresh. A value already
    under the current master key comes back unchanged, so rotating twice changes nothing."""
    if not token:
        return token
    if not is_envelope(token):
        return encrypt(decrypt(token))
    c, key_id, wrapped, body = _parse(token)
    head = _rewrapped_head(c, key_id, wrapped)
    return token if head is None else f"{head}.{_b64(body)}"


def needs_rewrap(token: str) -> bool:
    return bool(token) and (not is_envelope(token) or _parse(token)[1] != current_master().id)


@cache
def _legacy_fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"sutiao.field.encrypt")))


@cache
def _mac_key() -> bytes:
    return _derive(b"sutiao.field.lookup")


def lookup_hash(value: str) -> str:
    return hmac.new(_mac_key(), value.upper().encode(), hashlib.sha256).hexdigest()


def mask(value: str, *, head: int = 3, tail: int = 4) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


# --- files ------------------------------------------------------------------------------------

FILE_MAGIC = b"SUTIAO-ENC1\n"


def encrypt_bytes(data: bytes) -> bytes:
    """A stored file: the magic line, the wrapped data key (an envelope header line), then the
    file encrypted with that data key."""
    c = cipher()
    data_key = os.urandom(32)
    line = f"{_wrapped_head(c, data_key)}\n".encode()
    return FILE_MAGIC + line + c.seal(data_key, data, f"{PREFIX}.{c.name}.file".encode())


def is_encrypted_file(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def _file_parts(data: bytes) -> tuple[Cipher, str, bytes, bytes]:
    line, _, body = data[len(FILE_MAGIC) :].partition(b"\n")
    try:
        _prefix, name, key_id, wrapped = line.decode().split(".")
        return cipher(name), key_id, _unb64(wrapped), body
    except (ValueError, UnicodeDecodeError):
        raise DecryptionError("not an encrypted file") from None


def decrypt_bytes(data: bytes) -> bytes:
    """The file's content; a file stored before encryption comes back as it is."""
    if not is_encrypted_file(data):
        return data
    c, key_id, wrapped, body = _file_parts(data)
    data_key = _unwrap(c, key_id, wrapped, f"{PREFIX}.{c.name}.{key_id}")
    return c.open(data_key, body, f"{PREFIX}.{c.name}.file".encode())


def rewrap_bytes(data: bytes) -> bytes | None:
    """The stored file under the current master key, or None when it already is."""
    if not is_encrypted_file(data):
        return encrypt_bytes(data)
    c, key_id, wrapped, body = _file_parts(data)
    head = _rewrapped_head(c, key_id, wrapped)
    return None if head is None else FILE_MAGIC + f"{head}\n".encode() + body
