"""Serving the app for measurements and browser tests: one ``streamlit run`` on loopback.

Used by the benchmark, the big-screen soak and the browser tests alike.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geo import config

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: Settings that would point the server at a store or areas outside its state folder.
FOREIGN_SETTINGS = config.REDIRECTING
# Only loopback: a proxy configured in the environment must not see the health checks.
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (bound to port 0, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """True if ``url`` (a ``/_stcore/health``) answers ``ok``."""
    try:
        with _LOCAL_OPENER.open(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


def process_rss_mb(pid: int) -> float | None:
    """Resident memory of process ``pid`` in MiB (None if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(process: subprocess.Popen, grace: float = 10.0, sig: int = signal.SIGTERM) -> None:
    """Send ``sig`` to the process's own session (the process and any child), SIGKILL after
    ``grace`` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


@dataclass
class Server:
    url: str
    pid: int
    log: Path


def wait_healthy(base: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    """Wait until ``base``/_stcore/health answers ``ok`` (asked every 0.25 s: a server in
    another process, no event to wait on).

    Raises
    ------
    RuntimeError
        If ``process`` exits first (the message holds the tail of ``log_path``).
    TimeoutError
        If it does not answer within ``timeout`` seconds (the same).
    """
    deadline = time.monotonic() + timeout
    while not healthy(f"{base}/_stcore/health"):
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with code {process.returncode} before answering "
                f"{base}/_stcore/health; log tail:\n{tail(log_path)}"
            )
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"{base}/_stcore/health did not answer 'ok' within {timeout:.0f} s; "
                f"log tail:\n{tail(log_path)}"
            )
        time.sleep(0.25)


@contextlib.contextmanager
def serve(
    state_dir: str | os.PathLike[str],
    port: int,
    timeout: float = 90.0,
    grace: float = 10.0,
    env: dict[str, str] | None = None,
    script: str | os.PathLike[str] = "app.py",
) -> Iterator[Server]:
    """``streamlit run app.py`` on 127.0.0.1:``port`` with ``SHIZHONG_STATE_DIR=state_dir``.

    Yields once ``/_stcore/health`` answers ``ok`` (the log's tail is shown if it does not);
    afterwards stops the server. ``env`` adds settings (e.g. ``SHIZHONG_DATA_DIR``). The code
    is served as it was at start (no file watcher: no reload if a file changes meanwhile).
    ``script``: another script to run instead (the benchmark's bare page; the project folder
    stays the working directory).
    app.py's server answers once it is warm (ui/warm.py), as every start of the app does.
    """
    state = Path(state_dir)
    state.mkdir(parents=True, exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if k not in FOREIGN_SETTINGS}
    environment.update(env or {}, SHIZHONG_STATE_DIR=str(state))
    log_path = state / ("streamlit.log" if script == "app.py" else f"{Path(script).stem}.log")
    script = str(script)
    command = [
        sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=environment, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_healthy(base, process, log_path, timeout)
            yield Server(base, process.pid, log_path)
        finally:
            stop(process, grace)
