"""Small AES-256-GCM and HKDF helpers over `cryptography`."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from memory.errors import CorruptFile

NONCE_BYTES = 12
KEY_BYTES = 32


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def subkey(key: bytes, purpose: str) -> bytes:
    """A key for one purpose derived from the data key, so no key serves two uses."""
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=None,
                info=f"famulus/{purpose}".encode()).derive(key)


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """nonce || ciphertext+tag."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes = b"", what: str = "data") -> bytes:
    """Decrypt what `seal` wrote; a wrong key or any changed byte raises CorruptFile."""
    if len(blob) < NONCE_BYTES + 16:
        raise CorruptFile(f"the {what} is truncated")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise CorruptFile(f"the {what} fails its integrity check (tampered with, "
                          "truncated, or sealed with another key)") from exc


def try_open(key: bytes, blob: bytes, aad: bytes = b"") -> bytes | None:
    """Like open_sealed, but None for a wrong key (used to test passphrases)."""
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except (InvalidTag, ValueError):
        return None
