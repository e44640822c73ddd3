"""Accounts for tests: a secrets file holding local accounts of each role, made the way
``python -m geo add-editor`` makes them (:func:`geo.auth.add_editor`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from geo.auth import add_editor, hash_password
from geo.data.access import ADMIN

PROJECT_DIR = Path(__file__).resolve().parents[1]

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


def run_add_editor(secrets: Path, *args: str, typed: str) -> subprocess.CompletedProcess:
    """``python -m geo add-editor ARGS --secrets SECRETS`` with ``typed`` on standard input (a
    new session: no terminal, so getpass reads from there, as a script would feed it)."""
    environment = {k: v for k, v in os.environ.items() if k != "SHIZHONG_LANG"}
    return subprocess.run(
        [sys.executable, "-m", "geo", "add-editor", *args, "--secrets", str(secrets)],
        cwd=PROJECT_DIR,
        env=environment,
        input=typed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        start_new_session=True,
    )
