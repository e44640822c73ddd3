"""Soak test of the big screen: ``python -m bench.tour [--steps 200] [--interval 2]``.

Serves the app, opens ``/present`` in headless Chromium (every request off this machine is
blocked), lets the tour run unattended and samples, every ``--every`` steps, the server
process's resident memory, the tab's JS heap and DOM size, and whether the map frame is still
the same document (a reload or remount would reset the marker set on its window). Prints a
table, then one JSON object with the growth between the first and the last sample.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--enable-precise-memory-info",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _wait_healthy(url: str, timeout: float = 60) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the app did not come up")


def _step_text(page) -> str:
    return page.evaluate("() => (document.querySelector('.sz-step') || {}).textContent || ''")


def run(steps: int, interval: int, every: int) -> dict:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as state:
        env = {**os.environ, "SHIZHONG_STATE_DIR": state}
        server = subprocess.Popen(
            [
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
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples = []
        try:
            _wait_healthy(url)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort()
                )
                page.goto(
                    f"{url}/present?embed=true&embed_options=dark_theme"
                    f"&embed_options=hide_loading_screen&interval={interval}"
                )
                page.wait_for_selector(".sz-step", timeout=60_000)
                frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]')
                time.sleep(3)
                map_frame = frame.content_frame()
                map_frame.evaluate("() => { window.__szSoak = 'same-document'; }")
                last, done, started = _step_text(page), 0, time.monotonic()
                while done < steps:
                    page.wait_for_function(
                        "(last) => { const e = document.querySelector('.sz-step');"
                        " return e && e.textContent !== last; }",
                        arg=last,
                        timeout=(interval + 30) * 1000,
                    )
                    last, done = _step_text(page), done + 1
                    if done % every == 0 or done == 1:
                        memory = page.evaluate(
                            "() => ({heap: performance.memory.usedJSHeapSize,"
                            " nodes: document.getElementsByTagName('*').length})"
                        )
                        same = map_frame.evaluate("() => window.__szSoak || 'reloaded'")
                        samples.append(
                            {
                                "step": done,
                                "elapsed_s": round(time.monotonic() - started, 1),
                                "server_rss_mb": round(_rss_mb(server.pid), 1),
                                "tab_heap_mb": round(memory["heap"] / 2**20, 1),
                                "dom_nodes": memory["nodes"],
                                "map_frame": same,
                            }
                        )
                        print(json.dumps(samples[-1]), file=sys.stderr, flush=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    first, last_sample = samples[0], samples[-1]
    return {
        "steps": steps,
        "interval_s": interval,
        "server_rss_first_mb": first["server_rss_mb"],
        "server_rss_last_mb": last_sample["server_rss_mb"],
        "server_rss_growth_mb": round(last_sample["server_rss_mb"] - first["server_rss_mb"], 1),
        "tab_heap_first_mb": first["tab_heap_mb"],
        "tab_heap_last_mb": last_sample["tab_heap_mb"],
        "tab_heap_growth_mb": round(last_sample["tab_heap_mb"] - first["tab_heap_mb"], 1),
        "dom_nodes_first": first["dom_nodes"],
        "dom_nodes_last": last_sample["dom_nodes"],
        "map_frame_kept": all(s["map_frame"] == "same-document" for s in samples),
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--interval", type=int, default=2, help="seconds per step (min 2)")
    parser.add_argument("--every", type=int, default=20, help="sample every N steps")
    args = parser.parse_args(argv)
    result = run(args.steps, max(args.interval, 2), args.every)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
