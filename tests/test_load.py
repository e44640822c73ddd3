"""The multi-instance deployment (deploy/) under a short, bounded load on loopback only, and
what happens when things go wrong.

``bench.load`` with 2 Streamlit instances behind nginx (``deploy/nginx.conf`` itself, ports
rewritten; the instances with ``deploy/Procfile``'s flags) sharing one store, 2 viewers in
headless Debian Chromium: no error of any kind, each browser on one instance, and a site
renamed through the store halfway shows its new name on the other instance's next rerun; on
SQLite (one shared file) and on PostgreSQL (the server ``make test`` starts). Then one fault:
an instance killed right after a save, whose viewer comes back on the other instance with its
filter and the saved edit. Needs nginx and Chromium from Debian
(``apt-get install --no-install-recommends nginx chromium``); the checks of the configuration,
of the summary (stickiness breaks) and of the app's fallback while the database restarts need
neither.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from bench import load
from bench.load.viewers import Viewer
from geo.store.records import Store
from geo.text.labels import t
from tests.browser.support import CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
NGINX = load.nginx_binary()
needs_nginx = pytest.mark.skipif(
    NGINX is None,
    reason="needs nginx (Debian: apt-get install nginx); the deployment runs behind it",
)
_BROWSER_MARKS = (
    pytest.mark.browser,
    needs_nginx,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; "
        "never `playwright install`)",
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None, reason="needs the playwright package"
    ),
)


def needs_browser(test):
    """nginx, Debian's Chromium and Playwright: the deployment under load, in real browsers."""
    for mark in _BROWSER_MARKS:
        test = mark(test)
    return test


def _directives(text: str) -> str:
    return re.sub(r"#.*", "", text)


def _location(conf: str, path: str) -> str:
    match = re.search(rf"location {re.escape(path)} \{{(.*?)\}}", _directives(conf), re.S)
    assert match, f"no `location {path}` block"
    return match.group(1)


# --- the configuration ------------------------------------------------------------------------


def test_shipped_nginx_config_is_the_one_tested() -> None:
    """bench.load rewrites only ports, the access log and a debug header of deploy/nginx.conf."""
    source = load.NGINX_CONF.read_text(encoding="utf-8")
    assert "hash $shizhong_route consistent;" in source
    assert "_streamlit_xsrf" not in _directives(source), "the XSRF cookie is no key"
    site = load.site_config(source, 18080, [18501, 18502, 18503], Path("/tmp/x/access.log"))
    assert re.findall(r"^\s*server 127\.0\.0\.1:(\d+)", site, re.M) == ["18501", "18502", "18503"]
    assert "listen 127.0.0.1:18080;" in site and "listen 80;" not in _directives(site)
    assert "access_log /tmp/x/access.log shizhong;" in site
    assert "add_header X-Shizhong-Upstream $upstream_addr always;" in site
    body = _directives(site)
    # set once for the server: every location inherits them (none sets headers of its own)
    assert body.count("proxy_set_header Upgrade $http_upgrade;") == 1
    assert body.count("max_fails=3 fail_timeout=10s;") == 3


def test_sessions_are_never_retried_on_another_instance() -> None:
    """A session's WebSocket and uploads stay on their instance; only what every instance
    serves alike (and a download that may have moved with its session) is asked elsewhere."""
    conf = load.NGINX_CONF.read_text(encoding="utf-8")
    stream = _location(conf, "/_stcore/stream")
    assert "proxy_next_upstream off;" in stream
    assert "proxy_next_upstream off;" in _location(conf, "/_stcore/upload_file/")
    assert "proxy_next_upstream http_404;" in _location(conf, "/media/")
    assert "proxy_next_upstream error timeout;" in _location(conf, "/")
    # the instances ping through the WebSocket more often than nginx waits on it, so only a
    # stalled instance loses its WebSocket; and nginx drops idle upstream connections before
    # uvicorn does (5 s), so it never sends a request on a connection being closed
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", stream).group(1))
    flags = load.instance_flags()
    ping = int(flags[flags.index("--server.websocketPingInterval") + 1])
    assert 2 * ping <= read_timeout < 15
    assert "keepalive_timeout 4s;" in _directives(conf)


def test_instances_run_with_the_procfile_flags_and_the_systemd_unit_agrees(tmp_path) -> None:
    flags = load.instance_flags()
    assert "--server.port" not in flags and "--server.address" not in flags
    assert dict(zip(flags[::2], flags[1::2], strict=True)) == {
        "--server.headless": "true",
        "--server.fileWatcherType": "none",
        "--server.websocketPingInterval": "5",
    }
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    unit = re.search(r"^ExecStart=(.*)$", readme, re.M).group(1)
    (tmp_path / "Procfile").write_text(f"web1: {unit}\n")
    assert load.instance_flags(tmp_path / "Procfile") == flags


def test_instance_flags_accept_both_spellings_and_need_a_web_line(tmp_path: Path) -> None:
    procfile = tmp_path / "Procfile"
    procfile.write_text(
        "# a comment: web0: nothing\n"
        "web1: python -m streamlit run app.py --server.port=8501 --server.headless true "
        "--server.websocketPingInterval=5\n"
    )
    assert load.instance_flags(procfile) == [
        "--server.headless", "true", "--server.websocketPingInterval", "5",
    ]  # fmt: skip
    procfile.write_text("worker: python job.py\n")
    with pytest.raises(ValueError, match="no `webN"):
        load.instance_flags(procfile)


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


def test_the_command_still_runs_as_a_module() -> None:
    """``python -m bench.load`` is a package now; its entry point and options are there."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--faults" in done.stdout and "--repeat" in done.stdout


# --- stickiness, as nginx and the browsers saw it --------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("127.0.0.1:1", ["127.0.0.1:1"]),
        ("127.0.0.1:1, 127.0.0.1:2", ["127.0.0.1:1", "127.0.0.1:2"]),
        ("127.0.0.1:1, 127.0.0.1:2 : 127.0.0.1:3", ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"]),
        ("-", []),
        ("", []),
    ],
)
def test_upstream_addr_is_split_into_the_upstreams_tried(value: str, expected: list[str]) -> None:
    assert load.split_upstreams(value) == expected


def test_access_log_stickiness_is_read_per_route(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    a, b = "a" * 32, "b" * 32
    log.write_text(
        f'x [t] "GET / HTTP/1.1" 200 1 route={a} upstream=127.0.0.1:1 rt=0.001\n'
        f'x [t] "GET /_stcore/stream HTTP/1.1" 101 9 route={a} upstream=127.0.0.1:1 rt=9.0\n'
        f'x [t] "GET /_stcore/health HTTP/1.1" 200 1 route={b} upstream=127.0.0.1:1, '
        "127.0.0.1:2 rt=0.1\n"
        f'x [t] "GET / HTTP/1.1" 502 1 route={b} upstream=- rt=0.1\n'
    )
    assert load.access_log_routes(log) == {
        "requests": 3,
        "routes": 2,
        "routes_on_several_instances": {b: ["127.0.0.1:1", "127.0.0.1:2"]},
        "retried_requests": 1,
        "retried_examples": [
            {
                "route": b,
                "request": "GET /_stcore/health",
                "status": 200,
                "upstreams": ["127.0.0.1:1", "127.0.0.1:2"],
            }
        ],
    }


def _viewer(index: int, instance: int, upstreams: dict[str, int]) -> Viewer:
    viewer = Viewer(index, instance, "0" * 32, upstreams=Counter(upstreams))
    viewer.latencies, viewer.change_times = [0.5, 1.0], [1.0, 2.0]
    return viewer


def test_a_request_answered_by_two_upstreams_is_reported_as_a_stickiness_break() -> None:
    """The crash seen on a second machine: a viewer's responses named both an instance number
    and a raw ``$upstream_addr`` listing two upstreams (nginx retried the request on the other
    instance). The summary counts it as a break of that viewer's stickiness, never sorts
    numbers against text, and prints it."""
    instances = [SimpleNamespace(number=1, port=1001), SimpleNamespace(number=2, port=1002)]
    viewers = [
        _viewer(0, 1, {"127.0.0.1:1001": 40, "127.0.0.1:1001, 127.0.0.1:1002": 1}),
        # retried on its own instance (a connection the instance closed): no break
        _viewer(1, 2, {"127.0.0.1:1002": 37, "127.0.0.1:1002, 127.0.0.1:1002": 1}),
        _viewer(2, 1, {"127.0.0.1:1001": 30, "127.0.0.1:1002": 2, "10.9.9.9:80": 1}),
    ]
    result = {
        "viewers": 3, "instances": 2, "seconds": 60.0, "think_s": [1.0, 3.0],
        "database": "sqlite", "versions": {"nginx": "1.22.1", "streamlit": "1.67.0"},
        "sticky_probe": {"cookie_issued": True, "errors": [],
                         "xsrf_cookie_changes_per_health": True},
        "access_log": {"requests": 112, "routes": 3,
                       "routes_on_several_instances": {"a" * 32: ["127.0.0.1:1001",
                                                                  "127.0.0.1:1002"]},
                       "retried_requests": 1, "retried_examples": []},
        "rss_idle_mb": {1: 260.0, 2: 261.0}, "rss_end_mb": {1: 270.0, 2: 265.0},
        "cpu_s": {1: 1.2, 2: 0.4}, "loop_s": 60.0,
    }  # fmt: skip
    out = load.summarise(result, viewers, instances)
    sticky = out["stickiness"]
    assert sticky["breaks"] == 1 + 3
    assert sticky["viewers_moved"] == [1, 3]
    assert sticky["per_viewer"][1]["answered_by"] == {"1": 40, "2": 1}
    assert sticky["per_viewer"][1]["retried"] == 1
    assert sticky["per_viewer"][1]["retried_examples"] == ["127.0.0.1:1001, 127.0.0.1:1002"]
    # an address that is no instance's is kept as written, beside the instance numbers
    assert sticky["per_viewer"][3]["answered_by"] == {"1": 30, "10.9.9.9:80": 1, "2": 2}
    assert sticky["per_viewer"][2] == {
        "instance": 2, "answered_by": {"2": 38}, "retried": 1,
        "retried_examples": ["127.0.0.1:1002, 127.0.0.1:1002"], "breaks": 0,
    }  # fmt: skip
    assert out["errors"] == 0 and not out["ok"]  # reported, not an error; but not a clean run
    assert out["server_cpu_ms_per_change"] == pytest.approx(1000 * 1.6 / 6)
    assert out["p95_over_p50"] == pytest.approx(out["rerun_p95_s"] / out["rerun_p50_s"])
    printed = load.table(out)
    assert "stickiness breaks 4 (viewers whose requests moved: [1, 3])" in printed
    assert "1 retried on another" in printed


def test_runs_of_one_configuration_are_summed_up_by_their_medians() -> None:
    runs = [
        {"errors": 0, "stickiness": {"breaks": 0}, "filter_changes": n, "rerun_p50_s": p50,
         "rerun_p95_s": p95, "p95_over_p50": p95 / p50, "server_cpu_ms_per_change": cpu,
         "machine_busy_before_pct": 5.0, "machine_busy_pct": 80.0, "loadavg_end": 2.0,
         "browser_cpu_pct_of_core": 60.0}
        for n, p50, p95, cpu in [(100, 0.5, 1.5, 200), (120, 0.6, 1.2, 210), (90, 0.4, 2.0, 190)]
    ]  # fmt: skip
    median = load.report.median_of(runs)
    assert median["rerun_p50_s"] == 0.5 and median["rerun_p95_s"] == 1.5
    assert median["p95_over_p50"] == pytest.approx(3.0) and median["filter_changes"] == 100
    lines = load.runs_table(runs).splitlines()
    assert len(lines) == 1 + 3 + 1 and lines[-1].startswith("med")


# --- the app while its database restarts -------------------------------------------------------


def _unreachable(self) -> int:
    raise sa.exc.OperationalError("SELECT value FROM meta", {}, ConnectionRefusedError("down"))


def test_a_rerun_while_the_database_is_unreachable_keeps_the_page_with_a_notice(
    monkeypatch,
) -> None:
    """A PostgreSQL restart takes a second or two: a rerun meanwhile shows the data this
    process loaded last and says so, instead of a traceback; the next one is normal again."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = {m.label: m.value for m in at.metric}
    monkeypatch.setattr(Store, "data_version", _unreachable)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [toast.value for toast in at.toast] == [t("store_unreachable_stale")]
    assert {m.label: m.value for m in at.metric} == shown
    monkeypatch.undo()
    at.run()
    assert not at.exception and not at.toast


def test_with_nothing_loaded_yet_an_unreachable_database_is_one_clear_error(monkeypatch) -> None:
    from ui import data

    data._newest_loaded.clear()
    monkeypatch.setattr(Store, "data_version", _unreachable)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [error.value for error in at.error] == [t("store_unreachable", "en")]
    assert not at.metric


def _session_token(at: AppTest) -> str:
    (script,) = [h.proto.body for h in at.get("html") if "data-sz-session" in h.proto.body]
    return re.search(r'data-sz-session="([0-9a-f]{16})"', script).group(1)


def test_after_a_reconnect_the_page_reruns_and_can_tell_a_new_session() -> None:
    """The page clicks the hidden button once connected again (ui/connection.py): a rerun that
    changes nothing in the session that drew the page; and each session draws its own token,
    so that the page can tell a new session (its own was lost) and load itself again."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["street"] = "370103021"
    at.run()
    shown = {m.label: m.value for m in at.metric}
    token = _session_token(at)
    # the connection watch's own element (the page has others: the document's language, the
    # site list's style and keys)
    (script,) = [
        h.proto.body for h in at.get("html") if "data-test-connection-state" in h.proto.body
    ]
    assert t("reconnecting") in script
    at.button(key="sz_reconnected").click().run()  # the session Streamlit resumed
    assert not at.exception and {m.label: m.value for m in at.metric} == shown
    assert _session_token(at) == token
    other = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    other.query_params["street"] = "370103021"
    other.run()
    assert _session_token(other) != token


# --- under load, and with a fault --------------------------------------------------------------


@needs_browser
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_two_instances_behind_nginx_under_load(engine: str, request, tmp_path: Path) -> None:
    """SQLite: one file shared by both instances; PostgreSQL: a fresh schema on the test server
    (skipped without it, see scripts/with_postgres.sh)."""
    from tests.conftest import empty_store_url

    with empty_store_url(engine, request, tmp_path) as url:
        result = load.run(
            load.LoadConfig(
                viewers=2,
                seconds=20,
                instances=2,
                think_s=(0.5, 1.5),
                database_url=None if engine == "sqlite" else url,
                baseline_s=0.5,
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
    assert result["stickiness"]["breaks"] == 0 and result["ok"]
    cross = result["cross_instance"]
    assert cross["instance"] == 2 and cross["seen_on_next_rerun"], cross
    assert cross["map_versions_before"] == [cross["version_before"]]
    assert cross["name_shown_after"] == cross["new_name"]
    for instance in result["per_instance"]:
        assert instance["sessions"] == 1
        assert instance["rss_end_mb"] is not None and instance["mb_per_session"] is not None
    assert result["server_cpu_ms_per_change"] > 0 and result["p95_over_p50"] >= 1


@needs_browser
def test_a_killed_instance_s_viewer_comes_back_on_the_other_with_its_view() -> None:
    """A site is saved, then its writer and instance 1 are SIGKILLed together. Instance 1's
    viewer sees the app's reconnecting notice, then its page loaded again from its URL on
    instance 2, with its filter and the saved name; instance 2's viewer sees nothing of it.
    Waits on conditions only (bounded: the run's own limits)."""
    result = load.run(
        load.LoadConfig(
            viewers=2,
            seconds=8,  # the run lasts until the viewer is back (or its 60 s are over)
            instances=2,
            think_s=(0.5, 1.5),
            fault="kill",
            fault_at_s=3,
            baseline_s=0.5,
        )
    )
    fault = result["fault"]
    assert fault is not None, result["error_messages"]
    assert all(fault["checks"].values()), load.table(result)
    (hit,) = fault["affected"]
    assert hit["instance"] == 1 and hit["notice"] == t("reconnecting")
    # once connected again the page saw a new session (its own died) and loaded itself again
    assert hit["reloaded"] and hit["recovered_after_end_s"] < 60
    (other,) = fault["unaffected"]
    assert other["instance"] == 2 and not other["reconnecting_seen"] and not other["errors"]
    edit = fault["figures"]["edit"]
    assert (
        edit["in_store"]
        and edit["in_audit"]
        and hit["map_versions_after"] == [edit["data_version"]]
    )
    assert result["stickiness"]["viewers_moved"] == [1]  # it moved, and the report says so
    assert result["errors"] == 0, result["error_messages"]
