"""Editor accounts: salted scrypt password hashes (``hashlib``, Python's standard library),
written into the secrets file by ``python -m geo add-editor``.

No extra dependency: ``hashlib.scrypt`` is a memory-hard key-derivation function made for
password storage, and the hash format ``scrypt$n$r$p$salt$hash`` is self-describing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

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


#: An editor's name as typed at the login: letters (any script), digits and . _ @ -.
_EDITOR_NAME = re.compile(r"^[\w.@-]{1,64}$")


def add_editor(secrets_path: Path, name: str, password_hash: str, lang: str = "zh") -> bool:
    """Write ``name = password_hash`` into the ``[editors]`` table of ``secrets_path``.

    The file is created if missing (and its folder), with mode 600 (only its owner reads it);
    everything already in it is kept, comments included (tomlkit edits it in place, which a
    plain TOML writer would not). The file is checked first with the standard ``tomllib``:
    a file that is not valid TOML, or whose ``editors`` is not a table, is left untouched.

    Parameters
    ----------
    secrets_path
        Usually ``.streamlit/secrets.toml`` in the project.
    name
        The login name: 1-64 letters, digits or ``. _ @ -``.
    password_hash
        From :func:`hash_password` (never the password itself).
    lang
        The language of the error messages: ``zh`` or ``en``.

    Returns
    -------
    bool
        True if the editor was added, False if an existing one's password was replaced.

    Raises
    ------
    ValueError
        If ``name`` or ``password_hash`` is not valid, or the file cannot be read as TOML
        (the message says where); nothing is written then.
    """
    import tomllib

    import tomlkit

    from geo.text.labels import t

    if not isinstance(name, str) or not _EDITOR_NAME.match(name):
        raise ValueError(t("editor_bad_name", lang, name=repr(name)))
    if not password_hash.startswith("scrypt$") or len(password_hash.split("$")) != 6:
        raise ValueError("password_hash must come from hash_password (scrypt$n$r$p$salt$hash)")
    text = secrets_path.read_text(encoding="utf-8") if secrets_path.exists() else ""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(t("editor_bad_toml", lang, path=secrets_path, error=error)) from error
    document = tomlkit.parse(text)
    editors = document.get("editors")
    if editors is None:
        editors = tomlkit.table()
        document["editors"] = editors
    elif not isinstance(editors, dict):
        raise ValueError(t("editor_not_table", lang, path=secrets_path))
    added = name not in editors
    editors[name] = password_hash
    secrets_path.parent.mkdir(parents=True, exist_ok=True)
    # created with mode 600 from the start (never readable by others, not even for a moment)
    descriptor = os.open(secrets_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(tomlkit.dumps(document))
    os.chmod(secrets_path, 0o600)
    return added
