"""Accounts for tests: a secrets file holding local accounts of each role, made the way
``python -m geo add-editor`` makes them (:func:`geo.auth.add_editor`)."""

from __future__ import annotations

from pathlib import Path

from geo.auth import add_editor, hash_password
from geo.data.access import ADMIN

#: Every test account's password.
PASSWORD = "测试口令 horse-17"


def secrets_with(path: Path, **accounts: tuple[str, tuple[str, ...]] | str) -> Path:
    """Write ``accounts`` (name -> role, or (role, subdistrict codes)) into ``path``.

    Returns
    -------
    pathlib.Path
        ``path``, for ``--secrets``.
    """
    for name, spec in accounts.items():
        role, streets = (spec, ()) if isinstance(spec, str) else spec
        add_editor(path, name, hash_password(PASSWORD), "zh", role or ADMIN, streets)
    return path
