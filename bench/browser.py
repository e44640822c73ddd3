"""Headless Chromium (Debian's, through Playwright) against a real ``streamlit run``.

Navigation until the map holds every site and has painted, a filter change in the sidebar
until the map shows the filtered sites, pan and zoom until they settle, and the server's
memory. Each is also measured on the same page with nothing to draw (a text filter no site
matches): the floor that the benchmark compares it with. Every request to a host other than
127.0.0.1/localhost is aborted (and counted). Never ``playwright install``: the browser is
``/usr/bin/chromium``.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bench.server import free_port, process_rss_mb, serve
from geo.map.leaflet import LEAFLET_DIR


@functools.cache
def probe_script(name: str) -> str:
    """The text of ``bench/js/<name>``: a script the benchmarks evaluate in the page."""
    return (Path(__file__).with_name("js") / name).read_text(encoding="utf-8")


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
#: The app's root while no script runs. Streamlit keeps the run's state on it; its status
#: widget's "running" icon shows only once a run has lasted 0.5 s, so it says nothing of a
#: short run, nor of a long one's first half second.
IDLE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'
POLL_S = 0.05
#: One site layer per kind is always on the map, empty or not.
SITE_LAYERS = 6
#: The text filter of the floor measurements: no site matches it (see bench/apptest.py).
NO_MATCH = "没有这个点位"

#: The site layers' state (static/sitelayer.js): sites held, drawing pending, mode, times.
_STATE_JS = """
() => {
  const m = window.map;
  if (!m || typeof L === "undefined" || !L.SzSites) return null;
  return L.SzSites.state(m);
}
"""
_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: Pan or zoom without animation; milliseconds until 'moveend' (after 'zoomend') + 2 frames.
#: The site canvas redraws (if it must) in its own 'moveend' handler, before this one.
_MOVE_JS = probe_script("move.js")
#: Zoom in one level at a time (up to ``steps``) until the sites themselves are drawn.
_ZOOM_TO_POINTS_JS = probe_script("zoom-to-points.js")
#: Epoch milliseconds of the frame's start, Leaflet's arrival, the site layers' decoding (first
#: and last) and their last drawing.
_TIMES_JS = """
() => {
  const o = performance.timeOrigin, s = (window.L && L.SzSites) ? L.SzSites.state(map) : null;
  const leaflet = performance.getEntriesByType("resource").find(e => e.name.includes("leaflet.js"));
  const at = (v) => v === null || v === undefined ? null : o + v;
  return {origin: o, now: o + performance.now(),
          first: s ? at(s.firstCreated) : null, last: s ? at(s.lastCreated) : null,
          drawn: s ? at(s.drawn) : null, leaflet: leaflet ? o + leaflet.responseEnd : null};
}
"""
_NOW_JS = "() => performance.timeOrigin + performance.now()"
#: The bare page's map (bench/bare.py) has loaded: Leaflet has drawn its first view.
_BARE_LOADED_JS = "() => !!(window.map && window.map._loaded)"
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


def _state(frame) -> dict | None:
    try:
        return frame.evaluate(_STATE_JS)
    except Exception:  # frame detached or still loading
        return None


def wait_for_sites(
    page, expected: int, start: float, timeout: float, after_generation: int | None = None
) -> dict:
    """Poll until the map frame's site layers hold ``expected`` sites, drawn (and, if given,
    layers newer than ``after_generation``), then wait two frames.

    Returns seconds since ``start`` until the frame existed, the sites were drawn and the
    map had painted; raises TimeoutError with the last state seen.
    """
    frame_at = None
    last = None
    deadline = start + timeout
    while True:
        frame = _map_frame(page)
        if frame is not None:
            if frame_at is None:
                frame_at = time.perf_counter() - start
            last = _state(frame)
            if (
                last is not None
                and last["layers"] == SITE_LAYERS
                and not last["pending"]
                and last["sites"] == expected
                and (after_generation is None or last["generation"] > after_generation)
            ):
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
                    "state": last,
                }
        if time.perf_counter() > deadline:
            raise TimeoutError(f"map showed {last}, not {expected} sites drawn, in {timeout} s")
        page.wait_for_timeout(POLL_S * 1e3)  # not time.sleep: Playwright handles events here


def _load_breakdown(page, frame, painted_s: float) -> dict:
    """Seconds from navigation start: map frame created, Leaflet loaded, first and last site
    layer decoded, sites drawn (from the site layers' state), painted (as measured)."""
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
        "first_layer": rel(times["first"]),
        "last_layer": rel(times["last"]),
        "drawn": rel(times["drawn"]),
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
    """Until Streamlit runs no script."""
    page.locator(IDLE_SELECTOR).wait_for(timeout=timeout * 1e3)


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
    before = _state(frame)
    pressed = frame.evaluate(_NOW_JS)
    start = time.perf_counter()
    page.keyboard.press("Enter")
    filtered = wait_for_sites(
        page, expected, start, timeout, after_generation=before["generation"] if before else None
    )
    page.keyboard.press("Escape")
    times = filtered["frame"].evaluate(_TIMES_JS)

    def rel(value):
        return None if value is None else (value - pressed) / 1000

    breakdown = {
        "first_layer": rel(times["first"]),
        "last_layer": rel(times["last"]),
        "drawn": rel(times["drawn"]),
        "painted": filtered["painted_s"],
    }
    return filtered, breakdown, filtered["frame"] == frame


#: The overview has settled: the session's first look is over (ui/firstlook.py: the whole page
#: has come) and what it draws once its map has painted (ui.widgets.after_map: the list of
#: sites) is drawn: their places' hidden buttons are gone.
_SETTLED_JS = (
    "() => !!document.querySelector('.st-key-sz_overview_list') &&"
    " !document.querySelector('.st-key-sz_first_look, .st-key-sz_overview_list__go')"
)


def _load(browser, watch: Watch, url: str, expected: int, timeout: float) -> tuple:
    """A page load in a new browser context until ``expected`` sites are drawn, then until
    the page has settled (what waits for the map drawn, Streamlit idle), so that the moves
    and the filter change that follow measure the map, not the page still mounting below it:
    (context, page, measured, breakdown)."""
    context, page = _new_page(browser, watch)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    got = wait_for_sites(page, expected, start, timeout)
    breakdown = _load_breakdown(page, got["frame"], got["painted_s"])
    page.wait_for_function(_SETTLED_JS, timeout=timeout * 1e3)
    _wait_idle(page, timeout)
    return context, page, got, breakdown


def bare_script(state_dir: Path) -> Path:
    """bench/bare.py in a folder of its own with Leaflet in its ``static/`` (Streamlit serves
    the ``static/`` beside the script it runs): the page the benchmark's bare floor loads."""
    folder = state_dir / "bare"
    shutil.copytree(
        PROJECT_DIR / "static" / LEAFLET_DIR, folder / "static" / LEAFLET_DIR, dirs_exist_ok=True
    )
    shutil.copyfile(Path(__file__).with_name("bare.py"), folder / "bare.py")
    return folder / "bare.py"


def wait_for_bare(page, start: float, timeout: float) -> dict:
    """Poll until the bare page's map frame exists and Leaflet has loaded, then two frames:
    seconds since ``start`` until the frame existed and until it had painted."""
    frame_at = None
    deadline = start + timeout
    while True:
        frame = _map_frame(page)
        if frame is not None:
            if frame_at is None:
                frame_at = time.perf_counter() - start
            with contextlib.suppress(Exception):  # frame detached or still loading
                if frame.evaluate(_BARE_LOADED_JS):
                    frame.evaluate(_FRAMES_JS)
                    return {"frame_s": frame_at, "painted_s": time.perf_counter() - start}
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the bare page's map did not load in {timeout} s")
        page.wait_for_timeout(POLL_S * 1e3)


def _bare_load(browser, watch: Watch, url: str, timeout: float) -> dict:
    context, page = _new_page(browser, watch)
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    got = wait_for_bare(page, start, timeout)
    _wait_idle(page, timeout)
    context.close()
    return got


def _series(browser, watch: Watch, url: str, bare_url: str, total: int, loads: int, timeout):
    """``loads`` page loads of the overview, each followed by one of the bare page (the same
    load on the machine for both): frame, paint and paint after the frame of each."""
    rows = []
    for _ in range(loads):
        context, _page, got, _ = _load(browser, watch, url + "/", total, timeout)
        context.close()
        bare = _bare_load(browser, watch, bare_url + "/", timeout)
        rows.append(
            {
                "frame": got["frame_s"],
                "paint": got["painted_s"],
                "after": got["painted_s"] - got["frame_s"],
                "bare_frame": bare["frame_s"],
                "bare_paint": bare["painted_s"],
            }
        )
    return rows


def run(
    state_dir: Path,
    total: int,
    streets: list[tuple[str, str, int]],
    street_label: str,
    loads: int = 3,
    timeout: float = 120.0,
    screenshot_dir: Path | None = None,
    log=print,
    paint_loads: int = 10,
) -> dict:
    """Every browser figure, from one server on the synthetic store in ``state_dir``.

    ``loads`` warm page loads, each in a new browser context, each followed by pans and zooms
    and one filter change to ``streets[i]`` (code, name, expected sites): a subdistrict the
    server has not drawn before. Where the first view shows subdistrict circles, it then
    zooms in until the sites themselves are drawn and pans and zooms there too. Each is
    followed by its floor, so that both see the same load: the same page with nothing to draw
    (``?q=NO_MATCH``), the same moves and the same filter change.

    Then ``paint_loads`` more loads of the overview, each followed by a load of the bare page
    (bench/bare.py: Streamlit with one empty streamlit-folium map, from a second server): the
    floor of the page's frame and paint, and how much paint after the frame varies.
    """
    from playwright.sync_api import sync_playwright

    result: dict = {}
    with (
        serve(state_dir, free_port()) as server,
        serve(state_dir, free_port(), script=bare_script(state_dir)) as bare,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            watch = Watch()
            result["server_rss_start_mb"] = process_rss_mb(server.pid)
            # The browser first loads the bare page (its server's first session): Chromium's
            # own start-up (processes, fonts, compositor) is not the app server's first visit.
            _bare_load(browser, watch, bare.url + "/", timeout)
            # then the app server's first visit after its start (it warmed itself: ui/warm.py)
            context, page = _new_page(browser, watch)
            start = time.perf_counter()
            page.goto(server.url + "/", wait_until="commit")
            cold = wait_for_sites(page, total, start, timeout * 2)
            result["browser_cold_paint_s"] = cold["painted_s"]
            result["browser_cold_frame_s"] = cold["frame_s"]
            _wait_idle(page, timeout)
            context.close()
            log(f"  browser: cold load painted in {cold['painted_s']:.2f} s")
            paints, frames, markers, after, filters = [], [], [], [], []
            moves: dict[str, list[float]] = {"pan": [], "zoom": []}
            detail: dict[str, list[float]] = {"pan": [], "zoom": []}
            breakdowns: list[dict] = []
            filter_breakdowns: list[dict] = []
            same_frame: list[bool] = []
            heap, first_view, zoomed = None, None, None
            floor_samples: list[dict] = []
            for i in range(loads):
                context, page, got, breakdown = _load(
                    browser, watch, server.url + "/", total, timeout
                )
                breakdowns.append(breakdown)
                paints.append(got["painted_s"])
                frames.append(got["frame_s"])
                markers.append(got["markers_s"])
                after.append(got["painted_s"] - got["frame_s"])
                frame = wait_for_sites(page, total, time.perf_counter(), timeout)["frame"]
                first_view = _state(frame)
                if screenshot_dir is not None and i == 0:
                    _screenshot(page, frame, screenshot_dir / f"bench-{total}.png")
                # at the initial view: pans there and back, zooms in and out again
                for key, values in _moves(frame, MOVES).items():
                    moves[key] += values
                if first_view["mode"] != "points":  # subdistrict circles: zoom in to the sites
                    zoomed = frame.evaluate(_ZOOM_TO_POINTS_JS, 6)
                    for key, values in _moves(frame, MOVES).items():
                        detail[key] += values
                    if screenshot_dir is not None and i == 0:
                        _screenshot(page, frame, screenshot_dir / f"bench-{total}-zoomed.png")
                heap = frame.evaluate(_HEAP_JS)
                street = streets[i % len(streets)]
                filtered, breakdown, same = _filter_change(
                    page, frame, street, street_label, timeout
                )
                filters.append(filtered["painted_s"])
                filter_breakdowns.append(breakdown)
                same_frame.append(same)
                log(
                    f"  browser: load {i + 1}/{loads} painted in {got['painted_s']:.2f} s "
                    f"({after[-1]:.2f} s after its frame); filter to {street[1]} "
                    f"({street[2]:,} sites) in {filtered['painted_s']:.2f} s"
                )
                if screenshot_dir is not None and i == 0:
                    _wait_idle(page, timeout)
                    shown = wait_for_sites(page, street[2], time.perf_counter(), timeout)
                    path = screenshot_dir / f"bench-{total}-filtered.png"
                    _screenshot(page, shown["frame"], path)
                context.close()
                # the floor right after, under the same load
                floor_samples.append(
                    _floor_once(browser, watch, server.url, street, street_label, timeout, log)
                )
            floors = _floors(floor_samples)
            series = _series(browser, watch, server.url, bare.url, total, paint_loads, timeout)
            frames += [row["frame"] for row in series]
            paints += [row["paint"] for row in series]
            spread = [row["after"] for row in series]
            log(
                "  browser: bare page frame "
                + ", ".join(f"{row['bare_frame']:.2f}" for row in series)
                + " s; painted after its frame: "
                + ", ".join(f"{value:.2f}" for value in spread)
                + " s"
            )
            if series:
                result.update(
                    bare_frame_s=statistics.median(row["bare_frame"] for row in series),
                    bare_paint_s=statistics.median(row["bare_paint"] for row in series),
                    bare_frame_samples=[row["bare_frame"] for row in series],
                    bare_paint_samples=[row["bare_paint"] for row in series],
                    series_frame_s=statistics.median(row["frame"] for row in series),
                    series_paint_s=statistics.median(row["paint"] for row in series),
                    paint_after_frame_series=spread,
                    paint_after_frame_median_s=statistics.median(spread),
                    paint_after_frame_max_s=max(spread),
                )
            result.update(
                browser_paint_s=statistics.median(paints),
                browser_paint_samples=paints,
                browser_frame_s=statistics.median(frames),
                browser_markers_s=statistics.median(markers),
                paint_after_frame_s=statistics.median(after),
                paint_after_frame_samples=after,
                browser_load_breakdown_s=_median_breakdown(breakdowns),
                browser_filter_s=statistics.median(filters),
                browser_filter_samples=filters,
                browser_filter_breakdown_s=_median_breakdown(filter_breakdowns),
                browser_filter_same_frame=all(same_frame),
                pan_s=statistics.median(moves["pan"]),
                zoom_s=statistics.median(moves["zoom"]),
                pan_samples=moves["pan"],
                zoom_samples=moves["zoom"],
                first_view_mode=first_view["mode"] if first_view else None,
                first_view_shown=first_view["shown"] if first_view else None,
                pan_detail_s=statistics.median(detail["pan"]) if detail["pan"] else None,
                zoom_detail_s=statistics.median(detail["zoom"]) if detail["zoom"] else None,
                zoomed_in=zoomed,
                points_when_zoomed_in=(first_view or {}).get("mode") == "points"
                or (zoomed or {}).get("mode") == "points",
                js_heap_mb=None if heap is None else heap / 2**20,
                **floors,
                foreign_requests_aborted=len(watch.foreign),
                browser_errors=watch.errors[:10],
                server_rss_end_mb=process_rss_mb(server.pid),
            )
        finally:
            browser.close()
    return result


def _floor_once(browser, watch, url, street, street_label, timeout, log) -> dict:
    """One load of the page with nothing to draw, the same moves, a filter change on it."""
    context, page, got, _ = _load(browser, watch, f"{url}/?q={NO_MATCH}", 0, timeout)
    frame = wait_for_sites(page, 0, time.perf_counter(), timeout)["frame"]
    moves = _moves(frame, MOVES)
    code, name, _ = street
    filtered, _, _ = _filter_change(page, frame, (code, name, 0), street_label, timeout)
    context.close()
    after = got["painted_s"] - got["frame_s"]
    log(
        f"  browser floor: nothing to draw, painted {after:.2f} s after its frame; "
        f"filter to {name} in {filtered['painted_s']:.2f} s"
    )
    return {
        "paint": got["painted_s"],
        "frame": got["frame_s"],
        "after": after,
        "pan": moves["pan"],
        "zoom": moves["zoom"],
        "filter": filtered["painted_s"],
    }


def _floors(samples: list[dict]) -> dict:
    def median(key):
        return statistics.median(v for s in samples for v in _as_list(s[key]))

    return {
        "empty_paint_s": median("paint"),
        "empty_frame_s": median("frame"),
        "empty_paint_after_frame_s": median("after"),
        "empty_paint_after_frame_samples": [s["after"] for s in samples],
        "pan_floor_s": median("pan"),
        "zoom_floor_s": median("zoom"),
        "filter_floor_s": median("filter"),
    }


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _screenshot(page, frame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.frame_element().scroll_into_view_if_needed()
    frame.evaluate(_FRAMES_JS)
    page.screenshot(path=str(path))
