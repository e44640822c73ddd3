"""nginx in front of the instances, with ``deploy/nginx.conf`` itself, and stickiness seen from
outside: the route cookie it issues, the instance each route lands on, its access log."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.load.instances import local_get, wait_ok
from bench.load.plan import PROJECT_DIR, ROUTE_COOKIE, UPSTREAM_HEADER
from bench.server import free_port, stop

NGINX_CONF = PROJECT_DIR / "deploy" / "nginx.conf"


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
    error_log: Path
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
        wait_ok(f"{url}/_stcore/health", process, work / "error.log", 30)
        yield Nginx(url, process, access_log, work / "error.log", version.split("/")[-1])
    finally:
        stop(process, sig=signal.SIGQUIT)  # graceful: finish the requests, write the log


# --- stickiness, seen from outside ------------------------------------------------------------


def split_upstreams(value: str) -> list[str]:
    """The upstreams one request went to, from nginx's ``$upstream_addr``: one address, or
    several when nginx tried another server (``"A, B"``; ``"A : B"`` across an internal
    redirect). ``-`` or empty: none."""
    return [part for part in re.split(r",\s*|\s+:\s+", value.strip()) if part and part != "-"]


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
    status, headers, _ = local_get(f"{nginx.url}/")
    key = _route_from(headers)
    first = headers.get(UPSTREAM_HEADER)
    if status != 200 or key is None:
        errors.append(f"GET / without a cookie: status {status}, no {ROUTE_COOKIE} cookie")
    else:
        for _ in range(3):
            status, headers, _ = local_get(
                f"{nginx.url}/_stcore/health", {"Cookie": f"{ROUTE_COOKIE}={key}"}
            )
            if headers.get(UPSTREAM_HEADER) != first:
                errors.append(f"route {key}: first on {first}, then {headers.get(UPSTREAM_HEADER)}")
            if _route_from(headers) is not None:
                errors.append(f"route {key}: a valid cookie was replaced")
    xsrf = []
    for _ in range(2):
        _status, headers, _ = local_get(f"{nginx.url}/_stcore/health")
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
        _status, headers, _ = local_get(
            f"{nginx.url}/_stcore/health", {"Cookie": f"{ROUTE_COOKIE}={key}"}
        )
        upstream = split_upstreams(headers.get(UPSTREAM_HEADER) or "")
        last = upstream[-1].rsplit(":", 1)[-1] if len(upstream) == 1 else ""
        port = int(last) if last.isdigit() else 0
        if port in keys and len(keys[port]) < need[port]:
            keys[port].append(key)
    raise RuntimeError(f"no route cookie for every instance after {max_probes} probes: {keys}")


_LOG_LINE = re.compile(r'"(\S+) (\S+)[^"]*" (\d{3}) .*route=([0-9a-f]+) upstream=(.+?) rt=')


def access_log_routes(path: Path) -> dict:
    """Per route key, the upstreams nginx used (from its access log): stickiness on the server
    side, WebSocket included (logged when it closes). A request nginx sent to more than one
    upstream (it retried it on another) is counted and listed."""
    routes: dict[str, set[str]] = {}
    requests = 0
    retried: list[dict] = []
    for line in path.read_text(errors="replace").splitlines():
        match = _LOG_LINE.search(line)
        if not match:
            continue
        method, target, status, route, value = match.groups()
        upstreams = split_upstreams(value)
        if not upstreams:
            continue
        requests += 1
        routes.setdefault(route, set()).update(upstreams)
        if len(upstreams) > 1:
            retried.append(
                {"route": route, "request": f"{method} {target}", "status": int(status),
                 "upstreams": upstreams}
            )  # fmt: skip
    split = {k: sorted(v) for k, v in routes.items() if len(v) > 1}
    return {
        "requests": requests,
        "routes": len(routes),
        "routes_on_several_instances": split,
        "retried_requests": len(retried),
        "retried_examples": retried[:10],
    }
