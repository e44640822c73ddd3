"""The Streamlit instances under test, and what they (and the machine) cost in CPU and memory."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from bench.browser import LOCAL_HOSTS
from bench.load.plan import PROJECT_DIR
from bench.server import free_port, process_rss_mb, stop, tail
from geo import config

PROCFILE = PROJECT_DIR / "deploy" / "Procfile"
#: Settings that would point the instances at other areas than this test's reference.
#: The instances share the test's store (DATABASE_URL is set for them) and nothing else.
_FOREIGN_SETTINGS = tuple(name for name in config.REDIRECTING if name != "DATABASE_URL")
#: Set per instance by the test itself (free loopback ports).
_OWN_FLAGS = ("--server.port", "--server.address")
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def local_get(url: str, headers: dict | None = None, timeout: float = 5.0):
    """(status, headers, body) of a GET to a loopback URL (no proxy from the environment)."""
    host = urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        raise ValueError(f"not a loopback URL: {url}")
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with _LOCAL_OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_ok(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    """Until ``url`` answers ``ok``; raises if ``process`` exits or the time is up."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError):
            status, _headers, body = local_get(url, timeout=2)
            if status == 200 and body.strip() == b"ok":
                return
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early; log tail:\n{tail(log_path)}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer ok in {timeout:.0f} s:\n{tail(log_path)}")
        time.sleep(0.25)


# --- CPU of processes and of the machine -------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` so far (from /proc/PID/stat)."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants_cpu(root: int, exclude: set[int]) -> dict[int, float]:
    """CPU seconds so far of every live descendant of ``root``, except the subtrees of
    ``exclude`` (here: the viewers' Chromium and Playwright's driver, not the instances)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                parents[int(entry.name)] = int(fields[1])
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    out: dict[int, float] = {}
    todo = [p for p in children.get(root, []) if p not in exclude]
    while todo:
        pid = todo.pop()
        cpu = cpu_seconds(pid)
        if cpu is not None:
            out[pid] = cpu
        todo += [p for p in children.get(pid, []) if p not in exclude]
    return out


@dataclass(frozen=True)
class MachineSample:
    """All cores' busy and total jiffies so far (/proc/stat), and the 1-minute load average."""

    busy: int
    total: int
    loadavg: float

    @classmethod
    def now(cls) -> MachineSample:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = values[3] + (values[4] if len(values) > 4 else 0)
        return cls(sum(values) - idle, sum(values), os.getloadavg()[0])

    def busy_pct_until(self, later: MachineSample) -> float:
        """Percent of all cores' time spent busy between this sample and ``later``."""
        return 100 * (later.busy - self.busy) / max(1, later.total - self.total)


# --- the instances ------------------------------------------------------------------------------


def instance_flags(procfile: Path = PROCFILE) -> list[str]:
    """The ``streamlit run app.py`` flags of deploy/Procfile's first instance, without its port
    and address: the instances under test run exactly as deployed.

    Raises ValueError if the Procfile has no ``webN: ... streamlit run app.py ...`` line.
    """
    for line in procfile.read_text(encoding="utf-8").splitlines():
        name, _, command = line.partition(":")
        if not name.strip().startswith("web") or line.lstrip().startswith("#"):
            continue
        words = shlex.split(command)
        if "app.py" not in words:
            continue
        out: list[str] = []
        rest = iter(words[words.index("app.py") + 1 :])
        for word in rest:  # "--flag value" or "--flag=value"
            flag, equals, value = word.partition("=")
            if not equals:
                value = next(rest, "")
            if flag not in _OWN_FLAGS:
                out += [flag, value]
        return out
    raise ValueError(f"{procfile}: no `webN: ... streamlit run app.py ...` line")


@dataclass
class Instance:
    number: int  # 1-based
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float | None:
        return process_rss_mb(self.process.pid)

    def cpu_s(self) -> float | None:
        return cpu_seconds(self.process.pid)


@contextlib.contextmanager
def run_instances(n: int, database_url: str, state_dir: Path, work: Path) -> Iterator[list]:
    """``n`` × ``streamlit run app.py`` (deploy/Procfile's flags) on free loopback ports, all on
    ``database_url``."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_SETTINGS}
    env.update(DATABASE_URL=database_url, SHIZHONG_STATE_DIR=str(state_dir))
    flags = instance_flags()
    instances: list[Instance] = []
    try:
        for number in range(1, n + 1):
            port = free_port()
            log_path = work / f"instance-{number}.log"
            command = [
                sys.executable, "-m", "streamlit", "run", "app.py", *flags,
                "--server.port", str(port), "--server.address", "127.0.0.1",
                "--browser.gatherUsageStats", "false",
                # for the warm-up run without a browser session (see warm_up)
                "--server.scriptHealthCheckEnabled", "true",
            ]  # fmt: skip
            with open(log_path, "wb") as out:
                process = subprocess.Popen(
                    command,
                    cwd=PROJECT_DIR,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            instances.append(Instance(number, port, process, log_path))
        for instance in instances:
            wait_ok(f"{instance.url}/_stcore/health", instance.process, instance.log, 90)
        yield instances
    finally:
        for instance in instances:
            stop(instance.process)


def warm_up(instance: Instance) -> None:
    """One script run without a browser session: imports, data caches, the overview map."""
    status, _headers, body = local_get(f"{instance.url}/_stcore/script-health-check", timeout=120)
    if status != 200:
        raise RuntimeError(f"instance {instance.number}: script run failed: {body[:500]!r}")
