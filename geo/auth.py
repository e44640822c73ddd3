"""Editor accounts: salted scrypt password hashes (``hashlib``, Python's standard library).

No extra dependency: ``hashlib.scrypt`` is a memory-hard key-derivation function made for
password storage, and the hash format ``scrypt$n$r$p$salt$hash`` is self-describing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A storable hash of ``password``, for secrets.toml (never the password itself).

    Parameters
    ----------
    password
        The password (encoded as UTF-8).
    salt
        The salt; 16 random bytes by default (pass one only to reproduce a hash).

    Returns
    -------
    str
        ``scrypt$n$r$p$salt$hash`` (salt and hash in base64; n = 2**14, r = 8, p = 1, a
        32-byte hash).
    """
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the hash ``stored``, compared in constant time.

    Parameters
    ----------
    password
        The password given.
    stored
        A hash made by :func:`hash_password` (its scrypt parameters are read from it).

    Returns
    -------
    bool
        True if they match; False otherwise, also for a malformed hash or another scheme.
    """
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
