"""Load test of the multi-instance deployment: ``python -m bench.load --viewers 6 --minutes 2
--instances 1|2 [--json]``.

Everything runs on this machine and talks only to 127.0.0.1:

1. a fresh store (a SQLite file in a temporary folder, seeded from ``data/``; or
   ``--database-url``, e.g. a scratch PostgreSQL database) shared by all instances;
2. ``--instances`` × ``streamlit run app.py`` on free loopback ports, each warmed once through
   ``/_stcore/script-health-check`` (a script run without a browser session), so "RSS with no
   session" is the warm process;
3. nginx in the foreground (``nginx -c CONF -g 'daemon off;'``) on a free loopback port, with
   ``deploy/nginx.conf`` itself (ports, access log rewritten; an ``X-Shizhong-Upstream``
   response header added so the test can tell which instance answered);
4. one headless Chromium (Debian's, never ``playwright install``) with ``--viewers`` browser
   contexts through nginx, spread evenly over the instances (each context gets a route cookie
   that nginx hashes to the wanted instance, found by asking nginx); every request to another
   host is aborted and counted as an error;
5. each viewer loops for ``--minutes``: waits a think time, then adds a random subdistrict to
   the sidebar's 街道 filter or clears it, and waits until the map shows the expected number
   of site markers (counted from the store) and has painted: that is one rerun's latency;
6. halfway, a site is renamed through :class:`geo.store.Store` (as an editor would through
   instance 1) and a viewer on the last instance must show the new name in that site's
   marker on its very next rerun (cache keyed by the store's ``data_version``);
7. memory per session per instance = (RSS at the end − RSS with no session) / its sessions.

Errors (all must be 0): a timeout, an exception shown by the app (``stException``), a console
or page error (except Streamlit's base-path probes on a deep link), a failed or foreign
request, an HTTP status ≥ 400, a WebSocket closed before the end, a browser on more than one
instance (seen in responses or in nginx's access log), the cross-instance edit not seen.

Bounded: each viewer stops at the deadline or after ``--max-actions``, each wait has a
timeout, the whole run a hard limit; every process started here is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import grp
import json
import os
import platform
import pwd
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlparse

from bench.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL_HOSTS,
    MAP_FRAME_URL_PART,
    VIEWPORT,
    free_port,
    process_rss_mb,
)
from bench.server import stop, tail

PROJECT_DIR = Path(__file__).resolve().parents[1]
NGINX_CONF = PROJECT_DIR / "deploy" / "nginx.conf"
ROUTE_COOKIE = "shizhong_route"
UPSTREAM_HEADER = "X-Shizhong-Upstream"
STREET_LABEL = "街道"  # the sidebar's subdistrict filter (zh)
MAX_SELECTED = 2  # a viewer clears the filter once it holds this many subdistricts
POLL_S = 0.05
EDITOR = "bench:load"
#: Settings that would point the instances at other areas than this test's reference.
_FOREIGN_SETTINGS = ("SHIZHONG_AREAS_FILE", "SHIZHONG_AREAS_CRS", "SHIZHONG_AREAS_CODE_FIELD")
#: Streamlit's base-path probes on a deep link (streamlit/streamlit#7074): tolerated, counted.
_PROBE_404_TEXT = "Failed to load resource: the server responded with a status of 404 (Not Found)"
_PROBE_URL = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z]+/_stcore/(health|host-config)$")
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

#: Sites on the st_folium map's site layers (static/sitelayer.js; null while a drawing is
#: pending), the data versions they were drawn from, and the tooltip title (the name) of site
#: ``id``.
_MAP_JS = """
(id) => {
  const m = window.map;
  if (!m || !m._layers || typeof L === "undefined" || !L.SzSites) return null;
  const state = L.SzSites.state(m);
  if (!state || state.pending) return null;
  let name = null;
  const versions = {};
  for (const l of L.SzSites.on(m)) {
    if (!l.n) continue;
    versions[l.v] = true;
    const i = id === null ? -1 : l.indexOf(id);
    if (i >= 0) name = l.content(i).querySelector("b").textContent;
  }
  return {n: state.sites, versions: Object.keys(versions).map(Number).sort(), name: name};
}
"""
_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- configuration and the plan --------------------------------------------------------------


@dataclass(frozen=True)
class LoadConfig:
    viewers: int = 6
    seconds: float = 120.0
    instances: int = 1
    think_s: tuple[float, float] = (1.0, 3.0)
    timeout_s: float = 30.0  # one filter change, until the map shows it and the run is over
    load_timeout_s: float = 120.0  # the first page load of all viewers at once
    max_actions: int = 5000  # per viewer
    database_url: str | None = None
    seed: int = 1
    keep: bool = False
    cross_check: bool = True


@dataclass(frozen=True)
class Plan:
    """What the map must show: every site, or those of the chosen subdistricts."""

    total: int
    counts: dict[str, int]  # subdistrict code -> sites
    names: dict[str, str]  # subdistrict code -> name shown in the filter
    target: dict  # the site renamed by the cross-instance check

    def expected(self, selection: list[str]) -> int:
        return sum(self.counts[c] for c in selection) if selection else self.total

    @property
    def choices(self) -> list[str]:
        return [c for c in self.names if self.counts.get(c, 0) > 0]


def make_plan(store) -> Plan:
    from geo import io

    sites = store.read_sites()
    counts = sites.groupby("subdistrict_code").size().astype(int).to_dict()
    subdistricts = io.load_subdistricts()
    names = dict(zip(subdistricts["code"], subdistricts["name"], strict=True))
    target = sites.sort_values("id").iloc[0]
    return Plan(
        total=len(sites),
        counts={c: int(counts.get(c, 0)) for c in names},
        names=names,
        target={
            "id": str(target["id"]),
            "name": str(target["name"]),
            "subdistrict_code": str(target["subdistrict_code"]),
        },
    )


# --- processes: Streamlit instances and nginx --------------------------------------------------


def _get(url: str, headers: dict | None = None, timeout: float = 5.0):
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


def _wait_ok(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError):
            status, _headers, body = _get(url, timeout=2)
            if status == 200 and body.strip() == b"ok":
                return
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early; log tail:\n{tail(log_path)}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer ok in {timeout:.0f} s:\n{tail(log_path)}")
        time.sleep(0.25)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` so far (from /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores so far (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


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


@contextlib.contextmanager
def run_instances(n: int, database_url: str, state_dir: Path, work: Path) -> Iterator[list]:
    """``n`` × ``streamlit run app.py`` on free loopback ports, all on ``database_url``."""
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_SETTINGS}
    env.update(DATABASE_URL=database_url, SHIZHONG_STATE_DIR=str(state_dir))
    instances: list[Instance] = []
    try:
        for number in range(1, n + 1):
            port = free_port()
            log_path = work / f"instance-{number}.log"
            command = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
                # for the warm-up run without a browser session (see warm_up)
                "--server.scriptHealthCheckEnabled",
                "true",
            ]
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
            _wait_ok(f"{instance.url}/_stcore/health", instance.process, instance.log, 90)
        yield instances
    finally:
        for instance in instances:
            stop(instance.process)


def warm_up(instance: Instance) -> None:
    """One script run without a browser session: imports, data caches, the overview map."""
    status, _headers, body = _get(f"{instance.url}/_stcore/script-health-check", timeout=120)
    if status != 200:
        raise RuntimeError(f"instance {instance.number}: script run failed: {body[:500]!r}")


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None)


def site_config(source: str, listen: int, upstreams: list[int], access_log: Path) -> str:
    """``deploy/nginx.conf`` for this test: loopback ports, access log, an upstream header.

    Raises ValueError if the file no longer has the directives rewritten here.
    """
    server_line = re.compile(r"^([ \t]*)server 127\.0\.0\.1:\d+([^;\n]*);[ \t]*\n", re.M)
    found = list(server_line.finditer(source))
    if not found:
        raise ValueError(f"{NGINX_CONF}: no `server 127.0.0.1:PORT ...;` line in the upstream")
    indent, params = found[0].group(1), found[0].group(2)
    block = "".join(f"{indent}server 127.0.0.1:{port}{params};\n" for port in upstreams)
    out = source[: found[0].start()] + block + server_line.sub("", source[found[0].end() :])
    replacements = [
        (r"^([ \t]*)listen 80;", rf"\g<1>listen 127.0.0.1:{listen};"),
        (r"^([ \t]*)access_log \S+ shizhong;", rf"\g<1>access_log {access_log} shizhong;"),
        (
            r"^([ \t]*)(add_header Set-Cookie \$shizhong_route_cookie always;)",
            rf"\g<1>\g<2>\n\g<1>add_header {UPSTREAM_HEADER} $upstream_addr always;",
        ),
    ]
    for pattern, replacement in replacements:
        out, n = re.subn(pattern, replacement, out, flags=re.M)
        if n != 1:
            raise ValueError(f"{NGINX_CONF}: expected one line matching {pattern!r}, found {n}")
    return out


def main_config(site: str, work: Path) -> str:
    """A whole nginx.conf around ``site``: every path (pid, logs, temp) inside ``work``."""
    user = ""
    if os.geteuid() == 0:  # the workers drop to nobody, as in a normal installation
        with contextlib.suppress(KeyError):
            nobody = pwd.getpwnam("nobody")
            user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};\n"
    temp = "".join(
        f"    {name}_temp_path {work / name};\n"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"{temp}"
        "    default_type application/octet-stream;\n"
        f"{site}\n"
        "}\n"
    )


@dataclass
class Nginx:
    url: str
    process: subprocess.Popen
    access_log: Path
    version: str


@contextlib.contextmanager
def run_nginx(binary: str, upstreams: list[int], work: Path) -> Iterator[Nginx]:
    """nginx in the foreground on a free loopback port in front of ``upstreams``."""
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)  # the workers (nobody) write temp files below it
    port = free_port()
    access_log = work / "access.log"
    conf = work / "nginx.conf"
    site = site_config(NGINX_CONF.read_text(encoding="utf-8"), port, upstreams, access_log)
    conf.write_text(main_config(site, work), encoding="utf-8")
    base = [binary, "-p", f"{work}/", "-e", str(work / "error.log"), "-c", str(conf)]
    checked = subprocess.run(
        [*base, "-t", "-q"], capture_output=True, text=True, timeout=30, check=False
    )
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{checked.stderr}")
    version = subprocess.run(
        [binary, "-v"], capture_output=True, text=True, timeout=10, check=False
    ).stderr.strip()
    log_path = work / "nginx.out"
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            [*base, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_ok(f"{url}/_stcore/health", process, work / "error.log", 30)
        yield Nginx(url, process, access_log, version.split("/")[-1])
    finally:
        stop(process, sig=signal.SIGQUIT)  # graceful: finish the requests, write the log


# --- stickiness, seen from outside ------------------------------------------------------------


def _route_from(headers) -> str | None:
    for value in headers.get_all("Set-Cookie") or []:
        match = re.match(rf"{ROUTE_COOKIE}=([0-9a-f]{{32}});", value)
        if match:
            return match.group(1)
    return None


def sticky_probe(nginx: Nginx, ports: list[int]) -> dict:
    """What a new browser gets: a route cookie on its first response, routed consistently; and
    why Streamlit's XSRF cookie cannot be the key (it changes on every /_stcore/health)."""
    errors: list[str] = []
    status, headers, _ = _get(f"{nginx.url}/")
    key = _route_from(headers)
    first = headers.get(UPSTREAM_HEADER)
    if status != 200 or key is None:
        errors.append(f"GET / without a cookie: status {status}, no {ROUTE_COOKIE} cookie")
    else:
        for _ in range(3):
            status, headers, _ = _get(
                f"{nginx.url}/_stcore/health", {"Cookie": f"{ROUTE_COOKIE}={key}"}
            )
            if headers.get(UPSTREAM_HEADER) != first:
                errors.append(f"route {key}: first on {first}, then {headers.get(UPSTREAM_HEADER)}")
            if _route_from(headers) is not None:
                errors.append(f"route {key}: a valid cookie was replaced")
    xsrf = []
    for _ in range(2):
        _status, headers, _ = _get(f"{nginx.url}/_stcore/health")
        xsrf += [
            v.split(";")[0] for v in headers.get_all("Set-Cookie") or [] if "_streamlit_xsrf" in v
        ]
    return {
        "cookie_issued": key is not None,
        "first_upstream": first,
        "errors": errors,
        "xsrf_cookie_changes_per_health": len(set(xsrf)) > 1,
    }


def route_keys(nginx: Nginx, ports: list[int], wanted: list[int], max_probes: int = 400) -> dict:
    """Route cookies that nginx sends to each instance: ``wanted[i]`` keys for ``ports[i]``."""
    keys: dict[int, list[str]] = {port: [] for port in ports}
    need = dict(zip(ports, wanted, strict=True))
    for _ in range(max_probes):
        if all(len(keys[p]) >= need[p] for p in ports):
            return keys
        key = secrets.token_hex(16)
        _status, headers, _ = _get(
            f"{nginx.url}/_stcore/health", {"Cookie": f"{ROUTE_COOKIE}={key}"}
        )
        upstream = headers.get(UPSTREAM_HEADER) or ""
        port = int(upstream.rsplit(":", 1)[-1]) if upstream.rsplit(":", 1)[-1].isdigit() else 0
        if port in keys and len(keys[port]) < need[port]:
            keys[port].append(key)
    raise RuntimeError(f"no route cookie for every instance after {max_probes} probes: {keys}")


_LOG_LINE = re.compile(r"route=([0-9a-f]+) upstream=(\S+(?:, \S+)*) rt=")


def access_log_routes(path: Path) -> dict:
    """Per route key, the upstreams nginx used (from its access log): stickiness on the server
    side, WebSocket included (logged when it closes)."""
    routes: dict[str, set[str]] = {}
    requests = 0
    for line in path.read_text(errors="replace").splitlines():
        match = _LOG_LINE.search(line)
        if not match or match.group(2) == "-":
            continue
        requests += 1
        routes.setdefault(match.group(1), set()).update(match.group(2).split(", "))
    split = {k: sorted(v) for k, v in routes.items() if len(v) > 1}
    return {"requests": requests, "routes": len(routes), "routes_on_several_instances": split}


# --- the viewers --------------------------------------------------------------------------------


@dataclass
class Viewer:
    index: int  # 0-based
    instance: int  # 1-based
    route: str
    latencies: list[float] = field(default_factory=list)  # input -> markers painted
    run_latencies: list[float] = field(default_factory=list)  # input -> script run finished
    load_s: float | None = None
    errors: list[str] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    upstreams: set[str] = field(default_factory=set)
    selection: list[str] = field(default_factory=list)
    actions: int = 0
    sessions: int = 1
    last_versions: list[int] = field(default_factory=list)
    last_action_at: float = 0.0  # monotonic: when the last filter change was made
    stopping: bool = False
    context: object = None
    page: object = None

    def error(self, message: str) -> None:
        if not self.stopping:
            self.errors.append(f"viewer {self.index + 1} (instance {self.instance}): {message}")


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


def _watch(viewer: Viewer, page) -> None:
    def console(message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if message.text == _PROBE_404_TEXT and _PROBE_URL.match(where):
            viewer.tolerated.append(where)
        else:
            viewer.error(f"console: {message.text} @ {where}")

    def response(response) -> None:
        upstream = response.headers.get(UPSTREAM_HEADER.lower())
        if upstream:
            viewer.upstreams.add(upstream)
        if response.status >= 400 and not _PROBE_URL.match(response.url):
            viewer.error(f"HTTP {response.status} {response.url}")

    def failed(request) -> None:
        if _is_local(request.url):  # foreign ones were aborted on purpose (counted apart)
            viewer.error(f"request failed: {request.url} ({request.failure})")

    def websocket(ws) -> None:
        ws.on("close", lambda _ws: viewer.error(f"websocket closed: {ws.url}"))
        ws.on("socketerror", lambda text: viewer.error(f"websocket error: {text}"))

    page.on("console", console)
    page.on("pageerror", lambda error: viewer.error(f"pageerror: {error}"))
    page.on("response", response)
    page.on("requestfailed", failed)
    page.on("websocket", websocket)


def _map_frame(page):
    frames = [f for f in page.frames if MAP_FRAME_URL_PART in f.url]
    return frames[0] if len(frames) == 1 else None


async def _map_info(page, site_id: str | None = None) -> dict | None:
    frame = _map_frame(page)
    if frame is None:
        return None
    try:
        return await frame.evaluate(_MAP_JS, site_id)
    except Exception:  # frame detached or loading during a rerun
        return None


async def wait_markers(page, expected: int, timeout: float, site_id: str | None = None) -> dict:
    """Until the map shows ``expected`` site markers, then two animation frames (painted)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        info = await _map_info(page, site_id)
        if info is not None:
            last = info["n"]
            if last == expected:
                frame = _map_frame(page)
                if frame is not None:
                    with contextlib.suppress(Exception):
                        await frame.evaluate(_FRAMES_JS)
                return info
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"map showed {last} site markers, not {expected}, in {timeout:.0f} s"
            )
        await asyncio.sleep(POLL_S)


async def wait_run_over(page, timeout: float) -> None:
    """Until Streamlit's status widget shows no running script."""
    running = page.get_by_test_id("stStatusWidgetRunningIcon").or_(
        page.get_by_test_id("stStatusWidgetRunningManIcon")
    )
    deadline = time.monotonic() + timeout
    while await running.count():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the script was still running after {timeout:.0f} s")
        await asyncio.sleep(POLL_S)


def _street_select(page):
    return (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_role("combobox", name=STREET_LABEL, exact=True))
    )


async def open_viewer(viewer: Viewer, browser, base: str, plan: Plan, cfg: LoadConfig) -> None:
    """A new browser context pinned by its route cookie, on the overview with every site."""
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(cfg.timeout_s * 1000)
    await context.add_cookies([{"name": ROUTE_COOKIE, "value": viewer.route, "url": base}])

    async def route(route, request) -> None:
        if _is_local(request.url):
            await route.continue_()
        else:
            viewer.foreign.append(request.url)
            viewer.error(f"request outside 127.0.0.1 (aborted): {request.url}")
            await route.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    _watch(viewer, page)
    viewer.context, viewer.page = context, page
    start = time.perf_counter()
    await page.goto(base + "/", wait_until="commit")
    await wait_markers(page, plan.total, cfg.load_timeout_s)
    viewer.load_s = time.perf_counter() - start
    await wait_run_over(page, cfg.load_timeout_s)


async def _change_filter(viewer: Viewer, plan: Plan, cfg: LoadConfig, add: str | None) -> dict:
    """Add subdistrict ``add`` to the 街道 filter, or clear it (None); the map must follow."""
    page = viewer.page
    select = _street_select(page)
    if add is None:
        button = select.get_by_role("button", name="Clear all")
        await button.wait_for()
        started_at, start = time.monotonic(), time.perf_counter()
        await button.click()
        selection: list[str] = []
    else:
        name = plan.names[add]
        await select.get_by_role("combobox").click()
        await page.keyboard.type(name)
        await page.get_by_role("option", name=name, exact=True).wait_for()
        started_at, start = time.monotonic(), time.perf_counter()
        await page.keyboard.press("Enter")
        selection = [*viewer.selection, add]
    info = await wait_markers(page, plan.expected(selection), cfg.timeout_s)
    painted = time.perf_counter() - start
    if add is not None:
        await page.keyboard.press("Escape")
    await wait_run_over(page, cfg.timeout_s)
    viewer.run_latencies.append(time.perf_counter() - start)
    viewer.latencies.append(painted)
    viewer.selection = selection
    viewer.actions += 1
    viewer.last_action_at = started_at
    shown = await page.get_by_test_id("stException").all_inner_texts()
    if shown:
        viewer.error(f"the app shows an exception: {shown[0][:300]}")
    info = await _map_info(page) or info
    viewer.last_versions = info["versions"]
    return info


def _next_action(viewer: Viewer, plan: Plan, rng: random.Random) -> str | None:
    if not viewer.selection:
        return rng.choice(plan.choices)
    left = [c for c in plan.choices if c not in viewer.selection]
    if len(viewer.selection) >= MAX_SELECTED or not left or rng.random() < 0.3:
        return None
    return rng.choice(left)


@dataclass
class CrossCheck:
    """Halfway: rename a site through the store; one viewer on the last instance must show the
    new name on its next rerun."""

    due_at: float
    viewer: int
    store: object
    plan: Plan
    new_name: str
    done: bool = False
    edited_at: float | None = None  # monotonic
    result: dict = field(default_factory=dict)

    async def run(self, viewer: Viewer, cfg: LoadConfig) -> None:
        self.done = True
        target = self.plan.target
        before = await _map_info(viewer.page, target["id"]) or {}
        version_before = self.store.data_version()
        record = self.store.get("sites", target["id"])
        record["name"] = self.new_name
        self.store.save("sites", record, user=EDITOR, expected_version=record["version"])
        version_after = self.store.data_version()
        edited = time.perf_counter()
        self.edited_at = time.monotonic()
        # the next rerun: one that puts the renamed site on the map
        code = target["subdistrict_code"]
        add = None if code in viewer.selection or len(viewer.selection) >= MAX_SELECTED else code
        await _change_filter(viewer, self.plan, cfg, add)
        after = await _map_info(viewer.page, target["id"]) or {}
        seen = after.get("name") == self.new_name and after.get("versions") == [version_after]
        self.result = {
            "instance": viewer.instance,
            "site": target["id"],
            "old_name": target["name"],
            "new_name": self.new_name,
            "version_before": version_before,
            "version_after": version_after,
            "map_versions_before": before.get("versions"),
            "map_versions_after": after.get("versions"),
            "name_shown_after": after.get("name"),
            "seen_on_next_rerun": seen,
            "edit_to_seen_s": time.perf_counter() - edited,
        }
        if before.get("versions") != [version_before]:
            viewer.error(f"before the edit the map was at {before.get('versions')}, not current")
        if not seen:
            viewer.error(
                f"after the edit (version {version_after}) the next rerun showed "
                f"{after.get('name')!r} at versions {after.get('versions')}"
            )


async def viewer_loop(
    viewer: Viewer, base: str, plan: Plan, cfg: LoadConfig, stop_at: float, check: CrossCheck | None
) -> None:
    rng = random.Random(cfg.seed * 1000 + viewer.index)
    while time.monotonic() < stop_at and viewer.actions < cfg.max_actions:
        await asyncio.sleep(min(rng.uniform(*cfg.think_s), max(0.0, stop_at - time.monotonic())))
        if time.monotonic() >= stop_at:
            break
        try:
            if check is not None and check.viewer == viewer.index and not check.done:
                if time.monotonic() >= check.due_at:
                    await check.run(viewer, cfg)
                    continue
            await _change_filter(viewer, plan, cfg, _next_action(viewer, plan, rng))
        except Exception as error:  # a timeout or a broken page: count it, start afresh
            viewer.error(f"{type(error).__name__}: {str(error)[:300]}")
            if check is not None and check.viewer == viewer.index and check.done:
                check.result.setdefault("seen_on_next_rerun", False)
            with contextlib.suppress(Exception):
                viewer.sessions += 1
                viewer.selection = []
                await viewer.page.goto(base + "/", wait_until="commit")
                await wait_markers(viewer.page, plan.total, cfg.load_timeout_s)
                await wait_run_over(viewer.page, cfg.timeout_s)


# --- the run ------------------------------------------------------------------------------------


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _versions() -> dict:
    out = {"python": platform.python_version()}
    for name in ("streamlit", "playwright"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


async def _drive(
    cfg: LoadConfig,
    plan: Plan,
    nginx: Nginx,
    instances: list[Instance],
    viewers: list[Viewer],
    check: CrossCheck | None,
    samples: dict[int, list[float]],
) -> dict:
    from playwright.async_api import async_playwright

    async def sample_memory(stop: asyncio.Event) -> None:
        while not stop.is_set():
            for instance in instances:
                rss = instance.rss_mb()
                if rss is not None:
                    samples[instance.number].append(rss)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 2.0)

    out: dict = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_memory(stop))
        try:
            log(f"  opening {len(viewers)} viewers through nginx")
            opened = await asyncio.gather(
                *(open_viewer(v, browser, nginx.url, plan, cfg) for v in viewers),
                return_exceptions=True,
            )
            for viewer, result in zip(viewers, opened, strict=True):
                if isinstance(result, BaseException):
                    viewer.error(f"first load: {type(result).__name__}: {str(result)[:300]}")
            ready = [v for v, r in zip(viewers, opened, strict=True) if r is None]
            start = time.monotonic()
            cpu_start = {i.number: cpu_seconds(i.process.pid) for i in instances}
            busy_start = machine_busy()
            stop_at = start + cfg.seconds
            if check is not None:
                check.due_at = start + cfg.seconds / 2
            log(f"  {len(ready)} viewers changing filters for {cfg.seconds:.0f} s")
            await asyncio.gather(
                *(viewer_loop(v, nginx.url, plan, cfg, stop_at, check) for v in ready)
            )
            out["loop_s"] = time.monotonic() - start
            busy_end = machine_busy()
            out["machine_busy_pct"] = (
                100 * (busy_end[0] - busy_start[0]) / max(1, busy_end[1] - busy_start[1])
            )
            out["cpu_s"] = {
                i.number: None
                if cpu_start[i.number] is None or cpu_seconds(i.process.pid) is None
                else cpu_seconds(i.process.pid) - cpu_start[i.number]
                for i in instances
            }
            out["rss_end_mb"] = {i.number: i.rss_mb() for i in instances}
            final_version = check.store.data_version() if check is not None else None
            out["final_version"] = final_version
            if check is not None and check.edited_at is not None:
                for viewer in ready:
                    if viewer.last_action_at > check.edited_at and viewer.last_versions != [
                        final_version
                    ]:
                        viewer.error(
                            f"last rerun showed data versions {viewer.last_versions}, "
                            f"not {final_version}"
                        )
        finally:
            stop.set()
            await sampler
            for viewer in viewers:
                viewer.stopping = True
            for viewer in viewers:
                if viewer.context is not None:
                    with contextlib.suppress(Exception):
                        await viewer.context.close()
            await browser.close()
    return out


def run(cfg: LoadConfig) -> dict:
    """The whole load test (see the module docstring); returns every figure as a dict."""
    from geo.store import Store

    if cfg.instances < 1 or cfg.viewers < 1:
        raise ValueError("need at least one instance and one viewer")
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    if not CHROMIUM.exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="shizhong-load-"))
    os.chmod(work, 0o755)
    state_dir = work / "state"
    state_dir.mkdir()
    url = cfg.database_url or f"sqlite:///{state_dir / 'shizhong.sqlite'}"
    result: dict = {
        "viewers": cfg.viewers,
        "instances": cfg.instances,
        "seconds": cfg.seconds,
        "think_s": list(cfg.think_s),
        "database": urlparse(url).scheme,
        "versions": _versions(),
    }
    store = Store.open(url)  # created and seeded once, before any instance starts
    plan = make_plan(store)
    check = None
    try:
        with run_instances(cfg.instances, url, state_dir, work) as instances:
            result["rss_cold_mb"] = {i.number: i.rss_mb() for i in instances}
            for instance in instances:
                warm_up(instance)
            time.sleep(1.0)
            result["rss_idle_mb"] = {i.number: i.rss_mb() for i in instances}
            log(f"  {len(instances)} instance(s) up: ports {[i.port for i in instances]}")
            ports = [i.port for i in instances]
            with run_nginx(binary, ports, work / "nginx") as nginx:
                result["versions"]["nginx"] = nginx.version
                result["sticky_probe"] = sticky_probe(nginx, ports)
                wanted = [len(range(n, cfg.viewers, cfg.instances)) for n in range(cfg.instances)]
                keys = route_keys(nginx, ports, wanted)
                viewers = [
                    Viewer(
                        i, i % cfg.instances + 1, keys[ports[i % cfg.instances]][i // len(ports)]
                    )
                    for i in range(cfg.viewers)
                ]
                if cfg.cross_check:
                    on_last = [v.index for v in viewers if v.instance == cfg.instances]
                    check = CrossCheck(
                        due_at=0.0,
                        viewer=on_last[0],
                        store=store,
                        plan=plan,
                        new_name=f"负载测试改名 {secrets.token_hex(3)}",
                    )
                samples: dict[int, list[float]] = {i.number: [] for i in instances}
                hard_limit = cfg.load_timeout_s + cfg.seconds + 4 * cfg.timeout_s + 120
                result.update(
                    asyncio.run(
                        asyncio.wait_for(
                            _drive(cfg, plan, nginx, instances, viewers, check, samples),
                            hard_limit,
                        )
                    )
                )
                result["rss_peak_mb"] = {n: max(s, default=None) for n, s in samples.items()}
            result["access_log"] = access_log_routes(nginx.access_log)
    finally:
        if check is not None and check.done:  # put the name back (a shared database)
            record = store.get("sites", plan.target["id"])
            if record is not None and record["name"] == check.new_name:
                record["name"] = plan.target["name"]
                store.save("sites", record, user=EDITOR, expected_version=record["version"])
        store.engine.dispose()
        if not cfg.keep:
            shutil.rmtree(work, ignore_errors=True)
    result["work_dir"] = str(work) if cfg.keep else None
    return _summarise(result, viewers, instances, check)


def _summarise(result: dict, viewers: list[Viewer], instances: list, check) -> dict:
    errors = [e for v in viewers for e in v.errors]
    probe = result["sticky_probe"]
    errors += [f"sticky probe: {e}" for e in probe["errors"]]
    by_port = {f"127.0.0.1:{i.port}": i.number for i in instances}
    for viewer in viewers:
        seen = sorted({by_port.get(u, u) for u in viewer.upstreams})
        if seen != [viewer.instance]:
            errors.append(f"viewer {viewer.index + 1}: answered by instances {seen}")
    split = result["access_log"]["routes_on_several_instances"]
    errors += [f"access log: route {k} on {v}" for k, v in split.items()]
    if check is not None and not check.done:
        errors.append("the cross-instance check did not run (the run was too short?)")
    latencies = [x for v in viewers for x in v.latencies]
    runs = [x for v in viewers for x in v.run_latencies]
    loads = [v.load_s for v in viewers if v.load_s is not None]
    per_instance = []
    for instance in instances:
        n = instance.number
        sessions = sum(v.sessions for v in viewers if v.instance == n)
        changes = sum(len(v.latencies) for v in viewers if v.instance == n)
        cpu = result.get("cpu_s", {}).get(n)
        idle, end = result["rss_idle_mb"][n], result.get("rss_end_mb", {}).get(n)
        per_instance.append(
            {
                "instance": n,
                "port": instance.port,
                "sessions": sessions,
                "rss_cold_mb": result["rss_cold_mb"][n],
                "rss_idle_mb": idle,
                "rss_end_mb": end,
                "rss_peak_mb": result.get("rss_peak_mb", {}).get(n),
                "filter_changes": changes,
                "cpu_pct_of_core": None if cpu is None else 100 * cpu / result["loop_s"],
                "cpu_ms_per_change": None if cpu is None or not changes else 1000 * cpu / changes,
                "mb_per_session": (end - idle) / sessions
                if end is not None and idle is not None and sessions
                else None,
            }
        )
    result.update(
        errors=len(errors),
        error_messages=errors[:50],
        filter_changes=len(latencies),
        rerun_p50_s=_quantile(latencies, 0.5),
        rerun_p95_s=_quantile(latencies, 0.95),
        rerun_max_s=max(latencies, default=None),
        run_over_p50_s=_quantile(runs, 0.5),
        run_over_p95_s=_quantile(runs, 0.95),
        first_load_p50_s=_quantile(loads, 0.5),
        first_load_max_s=max(loads, default=None),
        per_instance=per_instance,
        viewers_per_instance={
            i.number: sum(v.instance == i.number for v in viewers) for i in instances
        },
        tolerated_probes=sum(len(v.tolerated) for v in viewers),
        foreign_requests=sum(len(v.foreign) for v in viewers),
        cross_instance=check.result if check is not None else None,
    )
    for key in ("rss_cold_mb", "rss_idle_mb", "rss_end_mb", "rss_peak_mb", "cpu_s"):
        result.pop(key, None)
    return result


# --- output -----------------------------------------------------------------------------------


def _fmt(value, unit: str = "", digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def table(r: dict) -> str:
    lines = [
        f"load test: {r['viewers']} viewers, {r['instances']} instance(s) behind nginx "
        f"{r['versions'].get('nginx', '?')}, {r['seconds']:.0f} s, think "
        f"{r['think_s'][0]:g}–{r['think_s'][1]:g} s, store {r['database']}, "
        f"streamlit {r['versions'].get('streamlit', '?')}",
        "",
        f"{'errors':<34}{r['errors']}",
        f"{'filter changes':<34}{r['filter_changes']}",
        f"{'rerun latency p50 / p95 / max':<34}{_fmt(r['rerun_p50_s'])} / "
        f"{_fmt(r['rerun_p95_s'])} / {_fmt(r['rerun_max_s'])} s  (input → markers painted)",
        f"{'run over p50 / p95':<34}{_fmt(r['run_over_p50_s'])} / {_fmt(r['run_over_p95_s'])} s"
        "  (input → script run finished)",
        f"{'first page load p50 / max':<34}{_fmt(r['first_load_p50_s'])} / "
        f"{_fmt(r['first_load_max_s'])} s  (all viewers at once)",
        "",
        "instance  sessions  RSS cold  RSS idle  RSS end  RSS peak  per session  "
        "changes  CPU (of a core)  CPU per change",
    ]
    for p in r["per_instance"]:
        lines.append(
            f"{p['instance']:<10}{p['sessions']:<10}{_fmt(p['rss_cold_mb'], ' MB', 0):<10}"
            f"{_fmt(p['rss_idle_mb'], ' MB', 0):<10}{_fmt(p['rss_end_mb'], ' MB', 0):<9}"
            f"{_fmt(p['rss_peak_mb'], ' MB', 0):<10}{_fmt(p['mb_per_session'], ' MB', 1):<13}"
            f"{p['filter_changes']:<9}{_fmt(p['cpu_pct_of_core'], ' %', 0):<17}"
            f"{_fmt(p['cpu_ms_per_change'], ' ms', 0)}"
        )
    lines.append(
        f"machine busy during the run: {_fmt(r.get('machine_busy_pct'), ' %', 0)} of "
        f"{os.cpu_count()} cores (the viewers' Chromium runs here too)"
    )
    cross = r.get("cross_instance")
    if cross:
        lines += [
            "",
            f"edit through the store, seen by instance {cross['instance']} on its next rerun: "
            f"{'yes' if cross.get('seen_on_next_rerun') else 'NO'} "
            f"(version {cross.get('version_before')} → {cross.get('version_after')}, "
            f"{_fmt(cross.get('edit_to_seen_s'))} s after the edit)",
        ]
    log_, probe = r["access_log"], r["sticky_probe"]
    lines.append(
        f"sticky: nginx issues its cookie: {'yes' if probe['cookie_issued'] else 'NO'}; "
        f"access log {log_['requests']} requests, {log_['routes']} routes, "
        f"{len(log_['routes_on_several_instances'])} on more than one instance; "
        f"XSRF cookie changes per /_stcore/health: "
        f"{'yes' if probe['xsrf_cookie_changes_per_health'] else 'no'}"
    )
    for message in r["error_messages"][:10]:
        lines.append(f"  error: {message}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Simulated viewers through nginx against 1..N Streamlit instances sharing "
        "one store; loopback only, bounded in time and count.",
    )
    parser.add_argument("--viewers", type=int, default=6)
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("MIN", "MAX"),
        help="seconds a viewer waits between filter changes (uniform; default 1 3)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="per filter change (s)")
    parser.add_argument("--max-actions", type=int, default=5000, help="per viewer")
    parser.add_argument(
        "--database-url",
        help="a scratch database shared by the instances (default: a new SQLite file); "
        "the test renames one site and puts the name back",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (logs)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    args = parser.parse_args(argv)
    if not 0 < args.minutes <= 60:
        parser.error("--minutes must be in (0, 60]")
    if not (1 <= args.viewers <= 50 and 1 <= args.instances <= 8):
        parser.error("--viewers must be 1..50 and --instances 1..8 (one machine)")
    cfg = LoadConfig(
        viewers=args.viewers,
        seconds=args.minutes * 60,
        instances=args.instances,
        think_s=(min(args.think), max(args.think)),
        timeout_s=args.timeout,
        max_actions=args.max_actions,
        database_url=args.database_url,
        seed=args.seed,
        keep=args.keep,
    )
    result = run(cfg)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else table(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
