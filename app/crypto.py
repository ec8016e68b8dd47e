"""Secrets the service must read back (webhook signing secrets), encrypted at rest.

API keys are hashed; a signing secret cannot be, since every delivery is signed with it.
Fernet (AES-128-CBC + HMAC-SHA256) under SUPPORTDESK_SECRET_KEYS: the first key encrypts,
every listed key decrypts, so operators rotate by prepending a new key.
"""

import base64
import hashlib
import hmac
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.config import get_settings

log = logging.getLogger("supportdesk.crypto")
DEVELOPMENT_KEY = "supportdesk-development-key-not-for-production"


def _fernet(passphrase: str) -> Fernet:
    """Any passphrase becomes a Fernet key by SHA-256."""
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(passphrase.encode()).digest()))


@lru_cache
def _keyring() -> MultiFernet:
    keys = [key.get_secret_value() for key in get_settings().secret_keys]
    if not keys:
        log.warning("SUPPORTDESK_SECRET_KEYS is not set; using the development key")
        keys = [DEVELOPMENT_KEY]
    return MultiFernet([_fernet(key) for key in keys])


def seal_bytes(plaintext: bytes) -> bytes:
    return _keyring().encrypt(plaintext)


def unseal_bytes(token: bytes | None) -> bytes:
    """The plaintext; a value stored before sealing began is returned as it is."""
    if not token:
        return b""
    try:
        return _keyring().decrypt(token)
    except InvalidToken:
        return token


def seal(plaintext: str) -> str:
    return _keyring().encrypt(plaintext.encode()).decode()


def unseal(token: str) -> str:
    return _keyring().decrypt(token.encode()).decode()


def _signing_keys() -> list[bytes]:
    keys = [key.get_secret_value() for key in get_settings().secret_keys] or [DEVELOPMENT_KEY]
    return [hashlib.sha256(f"signing:{key}".encode()).digest() for key in keys]


def _signature(key: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def sign(purpose: str, value: str) -> str:
    """A token that proves this service issued `value` for `purpose` (e.g. a link in a mail)."""
    return _signature(_signing_keys()[0], purpose, value)


def verify(purpose: str, value: str, token: str) -> bool:
    """Whether `token` is sign(purpose, value) under any of the keys (rotation keeps links)."""
    return any(
        hmac.compare_digest(_signature(key, purpose, value).encode(), token.encode())
        for key in _signing_keys()
    )
