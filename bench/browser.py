"""Headless Chromium (Debian's, through Playwright) against a real ``streamlit run``.

Navigation until the map holds every site marker and has painted, a filter change in the
sidebar until the map shows the filtered sites, pan and zoom until they settle, and the
server's memory. Every request to a host other than 127.0.0.1/localhost is aborted (and
counted). Never ``playwright install``: the browser is ``/usr/bin/chromium``.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bench.server import (  # noqa: F401  (re-exported for bench.load)
    Server,
    free_port,
    process_rss_mb,
    serve,
)

PROJECT_DIR = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1000}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: Part of the st_folium iframe's URL: ``/component/streamlit_folium.st_folium/index.html?...``.
MAP_FRAME_URL_PART = "streamlit_folium"
POLL_S = 0.05
#: Settings that would point the server at a store or areas other than the synthetic one.

_COUNT_JS = """
() => {
  const m = window.map;
  if (!m || !m._layers || typeof L === "undefined") return null;
  let n = 0;
  for (const id in m._layers) {
    const layer = m._layers[id];
    const props = layer && layer.feature && layer.feature.properties;
    if (props && layer instanceof L.CircleMarker && props.layer === "site") n += 1;
    // above the aggregation threshold a circle stands for its subdistrict's sites of one kind
    if (props && layer instanceof L.CircleMarker && props.layer === "aggregate") n += props.count;
  }
  return n;
}
"""
_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: Pan or zoom without animation; milliseconds until 'moveend' (after 'zoomend') + 2 frames.
_MOVE_JS = """
(kind) => new Promise((resolve) => {
  const m = window.map;
  const t0 = performance.now();
  m.once("moveend", () => requestAnimationFrame(() => requestAnimationFrame(
    () => resolve(performance.now() - t0))));
  if (kind === "pan") m.panBy([200, 100], {animate: false});
  else if (kind === "pan_back") m.panBy([-200, -100], {animate: false});
  else if (kind === "zoom_in") m.setZoom(m.getZoom() + 1, {animate: false});
  else m.setZoom(m.getZoom() - 1, {animate: false});
})
"""
#: Added to every frame before its scripts: records when Leaflet circle markers are created
#: (first, last, count), so a load splits into server/transfer, marker creation and painting.
_HOOK_JS = """
(() => {
  const rec = window.__bench = {first: null, last: null, count: 0};
  let real;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return real; },
    set(value) {
      real = value;
      if (!value || value.__bench || typeof value.circleMarker !== "function") return;
      const original = value.circleMarker;
      value.circleMarker = function () {
        const now = performance.now();
        if (rec.first === null) rec.first = now;
        rec.last = now;
        rec.count += 1;
        return original.apply(this, arguments);
      };
      value.__bench = true;
    },
  });
})();
"""
#: Epoch milliseconds of the frame's marker creation, Leaflet's arrival and the frame's start.
_TIMES_JS = """
() => {
  const o = performance.timeOrigin, b = window.__bench || {};
  const leaflet = performance.getEntriesByType("resource").find(e => e.name.includes("leaflet.js"));
  return {origin: o, now: o + performance.now(),
          first: b.first === null || b.first === undefined ? null : o + b.first,
          last: b.last === null || b.last === undefined ? null : o + b.last,
          count: b.count === undefined ? null : b.count,
          leaflet: leaflet ? o + leaflet.responseEnd : null};
}
"""
_RESET_JS = (
    "() => { if (window.__bench) { __bench.first = null; __bench.last = null; "
    "__bench.count = 0; } return performance.timeOrigin + performance.now(); }"
)
MOVES = ["pan", "pan_back", "pan", "pan_back", "zoom_in", "zoom_out", "zoom_in", "zoom_out"]
_HEAP_JS = "() => performance.memory ? performance.memory.usedJSHeapSize : null"


@dataclass
class Watch:
    """Requests aborted (not to this host), console and page errors of one browser context."""

    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL_HOSTS


def _new_page(browser, watch: Watch):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")

    def route(route, request) -> None:
        if _is_local(request.url):
            route.continue_()
        else:
            watch.foreign.append(request.url)
            route.abort()

    context.route("**/*", route)
    context.add_init_script(_HOOK_JS)
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            watch.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    return context, page


def _map_frame(page):
    frames = [f for f in page.frames if MAP_FRAME_URL_PART in f.url]
    return frames[0] if len(frames) == 1 else None


def _count(frame) -> int | None:
    try:
        return frame.evaluate(_COUNT_JS)
    except Exception:  # frame detached or still loading
        return None


def wait_for_sites(page, expected: int, start: float, timeout: float) -> dict:
    """Poll until the map frame holds ``expected`` site markers, then wait two frames.

    Returns seconds since ``start`` until the frame existed, the markers were there and the
    map had painted; raises TimeoutError with the last count seen.
    """
    frame_at = None
    last = None
    deadline = start + timeout
    while True:
        frame = _map_frame(page)
        if frame is not None:
            if frame_at is None:
                frame_at = time.perf_counter() - start
            last = _count(frame)
            if last == expected:
                markers_at = time.perf_counter() - start
                try:
                    frame.evaluate(_FRAMES_JS)
                except Exception:
                    continue
                painted_at = time.perf_counter() - start
                return {
                    "frame_s": frame_at,
                    "markers_s": markers_at,
                    "painted_s": painted_at,
                    "frame": frame,
                }
        if time.perf_counter() > deadline:
            raise TimeoutError(f"map showed {last} site markers, not {expected}, in {timeout} s")
        page.wait_for_timeout(POLL_S * 1e3)  # not time.sleep: Playwright handles events here


def _load_breakdown(page, frame, painted_s: float) -> dict:
    """Seconds from navigation start: map frame created, Leaflet loaded, first and last site
    marker created (from the frame's hook), painted (as measured)."""
    try:
        times = frame.evaluate(_TIMES_JS)
        start = page.evaluate("() => performance.timeOrigin")
    except Exception:
        return {}

    def rel(value):
        return None if value is None else (value - start) / 1000

    return {
        "frame_created": rel(times["origin"]),
        "leaflet_loaded": rel(times["leaflet"]),
        "first_marker": rel(times["first"]),
        "last_marker": rel(times["last"]),
        "painted": painted_s,
    }


def _median_breakdown(samples: list[dict]) -> dict:
    keys = {k for sample in samples for k in sample}
    out = {}
    for key in sorted(keys):
        values = [s[key] for s in samples if s.get(key) is not None]
        out[key] = statistics.median(values) if values else None
    return out


def _wait_idle(page, timeout: float) -> None:
    """Until Streamlit's "running" status widget is gone."""
    page.get_by_test_id("stStatusWidget").first.wait_for(state="detached", timeout=timeout * 1e3)


def _street_combobox(page, label: str):
    return (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_role("combobox", name=label, exact=True))
        .get_by_role("combobox")
    )


def _moves(frame, kinds: list[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for kind in kinds:
        ms = frame.evaluate(_MOVE_JS, kind)
        out.setdefault("pan" if kind.startswith("pan") else "zoom", []).append(ms / 1000)
    return out


def _filter_change(page, frame, street: tuple[str, str, int], label: str, timeout: float):
    """Choose ``street`` (code, name, expected sites) in the sidebar; time until painted."""
    _code, name, expected = street
    _street_combobox(page, label).click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name, exact=True).wait_for(timeout=timeout * 1e3)
    pressed = frame.evaluate(_RESET_JS)
    start = time.perf_counter()
    page.keyboard.press("Enter")
    filtered = wait_for_sites(page, expected, start, timeout)
    page.keyboard.press("Escape")
    times = filtered["frame"].evaluate(_TIMES_JS)

    def rel(value):
        return None if value is None else (value - pressed) / 1000

    breakdown = {
        "first_marker": rel(times["first"]),
        "last_marker": rel(times["last"]),
        "painted": filtered["painted_s"],
    }
    return filtered, breakdown, filtered["frame"] == frame


def run(
    state_dir: Path,
    total: int,
    streets: list[tuple[str, str, int]],
    street_label: str,
    loads: int = 3,
    timeout: float = 120.0,
    screenshot_dir: Path | None = None,
    log=print,
) -> dict:
    """Every browser figure, from one server on the synthetic store in ``state_dir``.

    ``loads`` warm page loads, each in a new browser context, each followed by pans and zooms
    and one filter change to ``streets[i]`` (code, name, expected sites): a subdistrict the
    server has not drawn before.
    """
    from playwright.sync_api import sync_playwright

    result: dict = {}
    with serve(state_dir, free_port()) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            watch = Watch()
            result["server_rss_start_mb"] = process_rss_mb(server.pid)
            # warm-up: the server's first session (imports, data cache) and the browser's cache
            context, page = _new_page(browser, watch)
            start = time.perf_counter()
            page.goto(server.url + "/", wait_until="commit")
            cold = wait_for_sites(page, total, start, timeout * 2)
            result["browser_cold_paint_s"] = cold["painted_s"]
            _wait_idle(page, timeout)
            context.close()
            log(f"  browser: cold load painted in {cold['painted_s']:.2f} s")
            paints, frames, markers, filters = [], [], [], []
            moves: dict[str, list[float]] = {"pan": [], "zoom": []}
            breakdowns: list[dict] = []
            filter_breakdowns: list[dict] = []
            same_frame: list[bool] = []
            heap = None
            for i in range(loads):
                context, page = _new_page(browser, watch)
                start = time.perf_counter()
                page.goto(server.url + "/", wait_until="commit")
                got = wait_for_sites(page, total, start, timeout)
                breakdowns.append(_load_breakdown(page, got["frame"], got["painted_s"]))
                paints.append(got["painted_s"])
                frames.append(got["frame_s"])
                markers.append(got["markers_s"])
                _wait_idle(page, timeout)
                frame = wait_for_sites(page, total, time.perf_counter(), timeout)["frame"]
                if screenshot_dir is not None and i == 0:
                    screenshot_dir.mkdir(parents=True, exist_ok=True)
                    frame.frame_element().scroll_into_view_if_needed()
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(screenshot_dir / f"bench-{total}.png"))
                # at the initial view: pans there and back, zooms in and out again
                for key, values in _moves(frame, MOVES).items():
                    moves[key] += values
                heap = frame.evaluate(_HEAP_JS)
                street = streets[i % len(streets)]
                filtered, breakdown, same = _filter_change(
                    page, frame, street, street_label, timeout
                )
                filters.append(filtered["painted_s"])
                filter_breakdowns.append(breakdown)
                same_frame.append(same)
                log(
                    f"  browser: load {i + 1}/{loads} painted in {got['painted_s']:.2f} s; "
                    f"filter to {street[1]} ({street[2]:,} sites) in {filtered['painted_s']:.2f} s"
                )
                if screenshot_dir is not None and i == 0:
                    _wait_idle(page, timeout)
                    shown = wait_for_sites(page, street[2], time.perf_counter(), timeout)
                    shown["frame"].frame_element().scroll_into_view_if_needed()
                    page.wait_for_timeout(300)
                    page.screenshot(path=str(screenshot_dir / f"bench-{total}-filtered.png"))
                context.close()
            result.update(
                browser_paint_s=statistics.median(paints),
                browser_paint_samples=paints,
                browser_frame_s=statistics.median(frames),
                browser_markers_s=statistics.median(markers),
                browser_load_breakdown_s=_median_breakdown(breakdowns),
                browser_filter_s=statistics.median(filters),
                browser_filter_samples=filters,
                browser_filter_breakdown_s=_median_breakdown(filter_breakdowns),
                browser_filter_same_frame=all(same_frame),
                pan_s=statistics.median(moves["pan"]),
                zoom_s=statistics.median(moves["zoom"]),
                pan_samples=moves["pan"],
                zoom_samples=moves["zoom"],
                js_heap_mb=None if heap is None else heap / 2**20,
                foreign_requests_aborted=len(watch.foreign),
                browser_errors=watch.errors[:10],
                server_rss_end_mb=process_rss_mb(server.pid),
            )
        finally:
            browser.close()
    return result
