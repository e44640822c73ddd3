"""Editor accounts: salted scrypt password hashes (``hashlib``, Python's standard library),
written into the secrets file by ``python -m geo add-editor``, and each account's role and
subdistricts (:class:`geo.data.access.Account`), from the local accounts or single sign-on.

``[editors]`` in secrets.toml holds either ``name = "scrypt$..."`` (an administrator: the
form before roles) or a table ``[editors.name]`` with ``password``, ``role`` (``admin``,
``street`` or ``reviewer``) and ``streets`` (names or 9-digit codes). Single sign-on reads
``[editing]``: ``allowed`` (administrators, the form before roles), ``accounts`` (name ->
``{role, streets}``) and ``roles_claim`` with ``claim_roles`` (a claim's value, e.g. a group,
-> a role or ``{role, streets}``).

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
from collections.abc import Iterable, Mapping
from pathlib import Path

from geo.data.access import ADMIN, ROLES, STREET, Account

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


def resolve_streets(values: Iterable[str], subdistricts: Mapping[str, str]) -> frozenset[str]:
    """Subdistricts named or coded as people write them, as 9-digit codes.

    Parameters
    ----------
    values
        Names (``党家街道``, also without 街道) or codes (``370103002``).
    subdistricts
        Code -> name of every subdistrict (``data/subdistricts.csv``).

    Returns
    -------
    frozenset of str
        The codes.

    Raises
    ------
    ValueError
        If a value names no subdistrict (the message shows it).
    """
    by_name = {name: code for code, name in subdistricts.items()}
    by_name.update({name.removesuffix("街道"): code for code, name in subdistricts.items()})
    codes = set()
    for value in values:
        text = str(value).strip()
        code = text if text in subdistricts else by_name.get(text)
        if code is None:
            raise ValueError(f"unknown subdistrict {text!r}")
        codes.add(code)
    return frozenset(codes)


def _account(name: str, spec: object, subdistricts: Mapping[str, str]) -> Account:
    """An account from a role (``"reviewer"``) or a table (``{role, streets}``)."""
    if isinstance(spec, str):
        spec = {"role": spec}
    if not isinstance(spec, Mapping):
        raise ValueError(f"account {name!r}: expected a role or a table, got {spec!r}")
    role = str(spec.get("role", ADMIN))
    if role not in ROLES:
        raise ValueError(f"account {name!r}: role must be one of {ROLES}, got {role!r}")
    streets = resolve_streets(spec.get("streets", ()), subdistricts) if role == STREET else ()
    return Account(name, role, frozenset(streets))


def local_account(
    name: str, editors: Mapping[str, object], subdistricts: Mapping[str, str]
) -> tuple[Account, str] | None:
    """A local account of ``[editors]`` with its stored password hash.

    Parameters
    ----------
    name
        The login name.
    editors
        The ``[editors]`` table of secrets.toml.
    subdistricts
        Code -> name of every subdistrict.

    Returns
    -------
    tuple of (Account, str) or None
        The account and its ``scrypt$...`` hash; None if there is no such account. A plain
        hash (the form before roles) is an administrator.

    Raises
    ------
    ValueError
        If the entry is malformed (an unknown role or subdistrict, a missing password).
    """
    entry = editors.get(name)
    if entry is None:
        return None
    if isinstance(entry, str):
        return Account(name, ADMIN), entry
    if not isinstance(entry, Mapping) or not isinstance(entry.get("password"), str):
        raise ValueError(f"account {name!r}: expected a password hash")
    return _account(name, entry, subdistricts), entry["password"]


def sso_account(
    name: str,
    claims: Mapping[str, object],
    editing: Mapping[str, object],
    subdistricts: Mapping[str, str],
) -> Account | None:
    """The account of someone signed in through single sign-on, or None if they may not edit.

    In order: ``[editing] accounts`` names them; a value of their ``roles_claim`` (e.g.
    ``groups``) is a key of ``claim_roles`` (the first such value, in the claim's order);
    ``allowed`` lists them (administrators). With none of the three configured, everyone
    signed in is an administrator (the provider decides who may sign in at all).

    Parameters
    ----------
    name
        Their e-mail or name as the provider gives it.
    claims
        The provider's claims (Streamlit's ``st.user``).
    editing
        The ``[editing]`` table of secrets.toml.
    subdistricts
        Code -> name of every subdistrict.

    Returns
    -------
    Account or None

    Raises
    ------
    ValueError
        If the configuration names an unknown role or subdistrict.
    """
    accounts = editing.get("accounts") or {}
    if name in accounts:
        return _account(name, accounts[name], subdistricts)
    claim = editing.get("roles_claim")
    mapping = editing.get("claim_roles") or {}
    if claim:
        values = claims.get(str(claim)) or []
        for value in [values] if isinstance(values, str) else values:
            if str(value) in mapping:
                return _account(name, mapping[str(value)], subdistricts)
    allowed = editing.get("allowed")
    if allowed is not None:
        return Account(name, ADMIN) if name in allowed else None
    return None if accounts or claim else Account(name, ADMIN)


def add_editor(
    secrets_path: Path,
    name: str,
    password_hash: str,
    lang: str = "zh",
    role: str = ADMIN,
    streets: Iterable[str] = (),
) -> bool:
    """Write the account ``name`` (its password hash, role and subdistricts) into the
    ``[editors]`` table of ``secrets_path``.

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
    role
        ``admin``, ``street`` or ``reviewer``.
    streets
        For a subdistrict editor, the 9-digit codes of their subdistricts (at least one;
        see :func:`resolve_streets`).

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
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")
    streets = sorted(streets) if role == STREET else []
    if role == STREET and not streets:
        raise ValueError(t("editor_no_street", lang))
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
    entry = tomlkit.inline_table()
    entry.update({"password": password_hash, "role": role})
    if streets:
        entry["streets"] = streets
    editors[name] = entry
    secrets_path.parent.mkdir(parents=True, exist_ok=True)
    # created with mode 600 from the start (never readable by others, not even for a moment)
    descriptor = os.open(secrets_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(tomlkit.dumps(document))
    os.chmod(secrets_path, 0o600)
    return added
