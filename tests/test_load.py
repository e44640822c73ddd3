"""The multi-instance deployment (deploy/) under a short, bounded load on loopback only.

``bench.load`` with 2 Streamlit instances behind nginx (``deploy/nginx.conf`` itself, ports
rewritten) sharing one store, 2 viewers in headless Debian Chromium for ~20 s: no error of any
kind, each browser on one instance, and a site renamed through the store halfway shows its new
name on the other instance's next rerun; on SQLite (one shared file) and on PostgreSQL (the
server ``make test`` starts). Needs nginx and Chromium from Debian
(``apt-get install --no-install-recommends nginx chromium``); the config checks below need neither.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

import pytest

from bench import load
from tests.browser import CHROMIUM

NGINX = load.nginx_binary()
needs_nginx = pytest.mark.skipif(
    NGINX is None,
    reason="needs nginx (Debian: apt-get install nginx); the deployment runs behind it",
)


def test_shipped_nginx_config_is_the_one_tested() -> None:
    """bench.load rewrites only ports, the access log and a debug header of deploy/nginx.conf."""
    source = load.NGINX_CONF.read_text(encoding="utf-8")
    assert "hash $shizhong_route consistent;" in source
    assert "_streamlit_xsrf" not in re.sub(r"#.*", "", source), "the XSRF cookie is no key"
    site = load.site_config(source, 18080, [18501, 18502, 18503], Path("/tmp/x/access.log"))
    assert re.findall(r"^\s*server 127\.0\.0\.1:(\d+)", site, re.M) == ["18501", "18502", "18503"]
    assert "listen 127.0.0.1:18080;" in site and "listen 80;" not in re.sub(r"#.*", "", site)
    assert "access_log /tmp/x/access.log shizhong;" in site
    assert "add_header X-Shizhong-Upstream $upstream_addr always;" in site
    body = re.sub(r"#.*", "", site)
    assert body.count("proxy_set_header Upgrade $http_upgrade;") == 2
    assert "proxy_read_timeout 1d;" in body


@needs_nginx
def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    site = load.site_config(
        load.NGINX_CONF.read_text(encoding="utf-8"), 18080, [18501, 18502], tmp_path / "a.log"
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(load.main_config(site, tmp_path), encoding="utf-8")
    checked = subprocess.run(
        [NGINX, "-t", "-q", "-p", f"{tmp_path}/", "-e", str(tmp_path / "e.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_access_log_stickiness_is_read_per_route(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    a, b = "a" * 32, "b" * 32
    log.write_text(
        f'x [t] "GET / HTTP/1.1" 200 1 route={a} upstream=127.0.0.1:1 rt=0.001\n'
        f'x [t] "GET /_stcore/stream HTTP/1.1" 101 9 route={a} upstream=127.0.0.1:1 rt=9.0\n'
        f'x [t] "GET / HTTP/1.1" 200 1 route={b} upstream=127.0.0.1:1, 127.0.0.1:2 rt=0.1\n'
        f'x [t] "GET / HTTP/1.1" 502 1 route={b} upstream=- rt=0.1\n'
    )
    assert load.access_log_routes(log) == {
        "requests": 3,
        "routes": 2,
        "routes_on_several_instances": {b: ["127.0.0.1:1", "127.0.0.1:2"]},
    }


@pytest.mark.browser
@needs_nginx
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; "
    "never `playwright install`)",
)
@pytest.mark.skipif(
    importlib.util.find_spec("playwright") is None, reason="needs the playwright package"
)
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_two_instances_behind_nginx_under_load(engine: str, request, tmp_path: Path) -> None:
    """SQLite: one file shared by both instances; PostgreSQL: a fresh schema on the test server
    (skipped without it, see scripts/with_postgres.sh)."""
    from conftest import empty_store_url

    with empty_store_url(engine, request, tmp_path) as url:
        result = load.run(
            load.LoadConfig(
                viewers=2,
                seconds=20,
                instances=2,
                think_s=(0.5, 1.5),
                database_url=None if engine == "sqlite" else url,
            )
        )
    assert result["database"].startswith(engine)
    assert result["errors"] == 0, result["error_messages"]
    assert result["viewers_per_instance"] == {1: 1, 2: 1}
    assert result["filter_changes"] >= 6
    assert result["foreign_requests"] == 0
    probe = result["sticky_probe"]
    assert probe["cookie_issued"] and not probe["errors"]
    # the reason the route cookie is nginx's own (see deploy/nginx.conf)
    assert probe["xsrf_cookie_changes_per_health"]
    assert result["access_log"]["requests"] > 0
    assert result["access_log"]["routes_on_several_instances"] == {}
    cross = result["cross_instance"]
    assert cross["instance"] == 2 and cross["seen_on_next_rerun"], cross
    assert cross["map_versions_before"] == [cross["version_before"]]
    assert cross["name_shown_after"] == cross["new_name"]
    for instance in result["per_instance"]:
        assert instance["sessions"] == 1
        assert instance["rss_end_mb"] is not None and instance["mb_per_session"] is not None
