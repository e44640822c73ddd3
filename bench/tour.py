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
import sys
import tempfile
import time

from bench.browser import CHROMIUM_ARGS as BROWSER_ARGS
from bench.server import free_port, process_rss_mb, serve

CHROMIUM_ARGS = [*BROWSER_ARGS, "--enable-precise-memory-info"]


def _step_text(page) -> str:
    return page.evaluate("() => (document.querySelector('.sz-step') || {}).textContent || ''")


def run(steps: int, interval: int, every: int) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as state, serve(state, free_port()) as server:
        url = server.url
        samples = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
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
                            "server_rss_mb": round(process_rss_mb(server.pid), 1),
                            "tab_heap_mb": round(memory["heap"] / 2**20, 1),
                            "dom_nodes": memory["nodes"],
                            "map_frame": same,
                        }
                    )
                    print(json.dumps(samples[-1]), file=sys.stderr, flush=True)
            browser.close()
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
