"""Reading a file from outside in a child process, where a crash or a runaway costs only that read.

An uploaded ledger or boundary file is parsed by native code (python-calamine's Rust, GDAL)
that may abort the whole process on a hostile file (an .xlsx of 1.6 KB whose two cells span
the whole sheet makes calamine ask for 512 GiB and abort) or grow without bound (a zip bomb).
The dashboard's server process holds every viewer's session, so such a file is never parsed
there: :func:`run` starts ``python -m geo.isolation`` with a memory limit (``RLIMIT_AS``), a CPU
limit (``RLIMIT_CPU``) and a wall-clock timeout, and the child writes its answer as JSON to a
temporary file. A child that dies, runs out of memory or over time becomes an
:class:`IsolatedError` that the caller turns into a message; the server keeps running.

The limits are settings (:class:`ParseLimits`, environment variables listed in
:data:`geo.config.ENV_VARS`).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import signal
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

#: The environment variables of :class:`ParseLimits`, with their defaults.
LIMIT_ENV: dict[str, tuple[str, int]] = {
    "memory_mb": ("SHIZHONG_PARSE_MEMORY_MB", 1024),
    "seconds": ("SHIZHONG_PARSE_SECONDS", 120),
    "max_rows": ("SHIZHONG_MAX_ROWS", 100_000),
    "max_cells": ("SHIZHONG_MAX_CELLS", 3_000_000),
    "max_unpacked_mb": ("SHIZHONG_MAX_UNPACKED_MB", 300),
    "max_ratio": ("SHIZHONG_MAX_RATIO", 200),
    "max_vertices": ("SHIZHONG_MAX_VERTICES", 1_000_000),
}


@dataclass(frozen=True)
class ParseLimits:
    """How much one file from outside may cost.

    ``memory_mb`` and ``seconds`` bound the child process that parses it (address space in MiB,
    wall-clock and CPU seconds); ``max_rows`` and ``max_cells`` the rows of one sheet and the
    cells of a whole workbook; ``max_unpacked_mb`` and ``max_ratio`` a compressed file's
    unpacked size (MiB) and one member's compression ratio; ``max_vertices`` the vertices of a
    boundary file.
    """

    memory_mb: int = 1024
    seconds: int = 120
    max_rows: int = 100_000
    max_cells: int = 3_000_000
    max_unpacked_mb: int = 300
    max_ratio: int = 200
    max_vertices: int = 1_000_000


class IsolatedError(Exception):
    """The child failed: ``key`` names the message (``file_crashed``, ``file_timeout``,
    ``file_too_large`` or a key the child's code raised), ``detail`` what is known;
    ``values["died"]`` is True when the child died or was killed (the detail is then its first
    line of error output, for the log)."""

    def __init__(self, key: str, detail: str = "", values: dict | None = None) -> None:
        super().__init__(f"{key}: {detail}")
        self.key, self.detail, self.values = key, detail, dict(values or {})


def run(
    target: str, args: list[str], limits: ParseLimits, env: dict[str, str] | None = None
) -> object:
    """Call ``target(*args, limits=...)`` in a child process with ``limits``; its JSON answer.

    Parameters
    ----------
    target
        ``module:function``: a function taking string arguments and ``limits`` (a
        :class:`ParseLimits`) and returning something JSON can write. It signals a refusal by
        raising an exception with ``key`` and ``detail`` attributes (e.g. :class:`IsolatedError`
        or :class:`geo.intake.read.ReadError`).
    args
        Its arguments (paths, as text).
    limits
        The limits (:func:`geo.config.parse_limits` gives the configured ones).
    env
        The child's environment (:func:`geo.config.child_environment`; None: this one's).

    Returns
    -------
    object
        What the function returned, through JSON.

    Raises
    ------
    IsolatedError
        With the refusal's key and detail; ``file_too_large`` if the child ran out of memory,
        ``file_timeout`` if it ran over ``limits.seconds``, ``file_crashed`` if it died in
        any other way (a native abort: its first line of error output is the detail).
    """
    with tempfile.TemporaryDirectory(prefix="shizhong-parse-") as folder:
        answer = Path(folder) / "answer.json"
        command = [
            sys.executable,
            "-m",
            "geo.isolation",
            target,
            str(answer),
            json.dumps(dataclasses.asdict(limits)),
        ]
        try:
            done = subprocess.run(
                command + list(args),
                capture_output=True,
                timeout=limits.seconds,
                env=env,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as error:  # run() has killed the child
            raise IsolatedError(
                "file_timeout", "", {"seconds": limits.seconds, "died": True}
            ) from error
        if done.returncode == 0 and answer.exists():
            payload = json.loads(answer.read_text(encoding="utf-8"))
            if payload.get("ok"):
                return payload["value"]
            raise IsolatedError(payload["key"], payload.get("detail", ""), payload.get("values"))
        return _death(done, limits)


def _death(done: subprocess.CompletedProcess, limits: ParseLimits) -> object:
    """The error for a child that died without an answer."""
    text = done.stderr.decode("utf-8", "replace").strip()
    error_lines = text.splitlines()
    last = error_lines[0][:200] if error_lines else ""
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and "memory" not in text:
        raise IsolatedError("file_timeout", last, {"seconds": limits.seconds, "died": True})
    if "memory" in text.lower() or done.returncode == 3:
        raise IsolatedError("file_too_large", last, {"memory_mb": limits.memory_mb, "died": True})
    raise IsolatedError("file_crashed", last or f"exit {done.returncode}", {"died": True})


def _limit_self(limits: ParseLimits) -> None:
    """The child's own limits, set before it reads anything."""
    import resource

    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    # the answer and any temporary file: never more than the memory it may hold
    resource.setrlimit(resource.RLIMIT_FSIZE, (memory * 2, memory * 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _main(argv: list[str]) -> int:
    target, answer, limits_json, *args = argv
    limits = ParseLimits(**json.loads(limits_json))
    _limit_self(limits)
    module_name, _, function_name = target.partition(":")
    try:
        function = getattr(importlib.import_module(module_name), function_name)
        value = function(*args, limits=limits)
        payload: dict = {"ok": True, "value": value}
    except MemoryError:
        sys.stderr.write("MemoryError: out of memory\n")
        return 3
    except Exception as error:  # a refusal with a key, or anything else the parser raised
        key = getattr(error, "key", None)
        if key is None:
            traceback.print_exc()
            key, detail = "file_crashed", f"{type(error).__name__}: {error}"[:200]
        else:
            detail = getattr(error, "detail", "")
        payload = {
            "ok": False,
            "key": key,
            "detail": detail,
            "values": getattr(error, "values", {}),
        }
    Path(answer).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
