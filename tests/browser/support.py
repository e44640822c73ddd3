"""Helpers for the real-browser tests (not a test module): the app server, Chromium, the map.

The app is served by a real ``streamlit run`` on 127.0.0.1 and driven with Playwright in the
system's Chromium (``/usr/bin/chromium``; never ``playwright install``). The map is the
``st_folium`` component: an iframe served from ``/component/streamlit_folium.st_folium/`` whose
Leaflet map streamlit-folium names ``map_div`` and exposes as ``window.map``.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from bench.browser import CHROMIUM, CHROMIUM_ARGS, IDLE_SELECTOR, MAP_FRAME_URL_PART  # noqa: F401
from bench.server import Server, free_port, serve  # noqa: F401  (free_port: for the tests)
from geo.auth import hash_password
from geo.store.records import Store


@functools.cache
def probe_script(name: str) -> str:
    """The text of ``tests/browser/js/<name>``: a script the tests evaluate in the page."""
    return (Path(__file__).with_name("js") / name).read_text(encoding="utf-8")


PROJECT_DIR = Path(__file__).resolve().parents[2]
HEALTH_TIMEOUT_S = 60.0
#: How long a browser test waits for anything (a map, an element, a tooltip) before it fails:
#: an upper bound, never a pause. Generous because CI's machine may be busy: on a 2-core
#: machine about twice as slow as usual with both cores kept busy by other work, a second
#: browser's first map once took more than 30 s.
MAP_TIMEOUT_S = 60.0
WAIT_MS = int(MAP_TIMEOUT_S * 1000)
#: Screenshots and downloads of the browser tests (git-ignored).
ARTIFACTS = PROJECT_DIR / "test-artifacts"
#: The browser window of most tests (a laptop's, the sidebar and the map side by side).
VIEWPORT = {"width": 1600, "height": 1000}


@contextlib.contextmanager
def serve_app(
    state_dir: str | os.PathLike[str],
    port: int,
    timeout: float = HEALTH_TIMEOUT_S,
    grace: float = 10.0,
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on 127.0.0.1:``port`` with ``SHIZHONG_STATE_DIR=state_dir``
    (see bench/server.py); yields the base URL once it answers."""
    with serve(state_dir, port, timeout=timeout, grace=grace) as server:
        yield server.url


@contextlib.contextmanager
def serve_with_editor(
    state_dir: str | os.PathLike[str], user: str, password: str
) -> Iterator[tuple[Server, str]]:
    """Serve the app (``serve``, its own health timeout) with one local editor account, ``user``
    with ``password``, from a secrets file of its own in ``state_dir``; the SQLite store there
    is seeded from data/ before the server starts. Yields the server and the store's URL."""
    state = Path(state_dir)
    secrets = state / "secrets.toml"
    secrets.write_text(f'[editors]\n{user} = "{hash_password(password)}"\n', encoding="utf-8")
    yield from _serve_with_secrets(state, secrets)


@contextlib.contextmanager
def serve_with_accounts(
    state_dir: str | os.PathLike[str], **accounts: tuple[str, tuple[str, ...]] | str
) -> Iterator[tuple[Server, str]]:
    """Serve the app with local accounts of any role (name -> role, or (role, subdistrict
    codes); every password is :data:`tests.accounts.PASSWORD`), as ``serve_with_editor``."""
    from tests.accounts import secrets_with

    state = Path(state_dir)
    secrets = secrets_with(state / "secrets.toml", **accounts)
    yield from _serve_with_secrets(state, secrets)


def _serve_with_secrets(state: Path, secrets: Path) -> Iterator[tuple[Server, str]]:
    store_url = f"sqlite:///{state}/shizhong.sqlite"
    Store.open(store_url).engine.dispose()  # seeded before the server starts
    with serve(state, free_port(), env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as server:
        yield server, store_url


def launch_browser(playwright):
    """Headless Debian Chromium (not a Playwright-downloaded browser), background traffic off."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


#: The trigger under the overview's map while a session's first look lasts (ui/firstlook.py).
FIRST_LOOK = ".st-key-sz_first_look"


#: A place that waits for the map to paint before it draws (ui.widgets.wait_for_map): the
#: first look's trigger, the overview's list of sites; places that also wait to come into view
#: (its charts) are left out.
WAITING_FOR_MAP = '.sz-after-map[data-sz-waits="map"]'
#: A place that draws once the map has painted and it has come near the view (the charts).
WAITING_FOR_VIEW = '.sz-after-map[data-sz-waits="view"]'


def wait_idle(page) -> None:
    """Wait until the page is at rest: Streamlit runs no script; what waits for the map has
    drawn (on a session's first look at the overview the rest of the page has come; then its
    list of sites), each in its own run, over; and every element is drawn (Streamlit loads the
    code of most kinds of element when the page first shows one, with a skeleton in its place
    meanwhile, and a run can end before: on a busy machine the filter panel's radios, selects
    and sliders came after it, pushing its buttons down under a click)."""
    idle, waiting = page.locator(IDLE_SELECTOR), page.locator(WAITING_FOR_MAP)
    expect(idle).to_have_count(1, timeout=WAIT_MS)
    while waiting.count():  # the run a place asks for may draw another (the first look's)
        expect(waiting).to_have_count(0, timeout=WAIT_MS)
        expect(idle).to_have_count(1, timeout=WAIT_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT_MS)


def draw_the_rest(page) -> None:
    """Bring each place that waits to come into view (the overview's charts) into view, and
    wait until it has drawn and the page is at rest: a test that then scrolls (a focus does)
    has no fragment start under its key press."""
    waiting = page.locator(WAITING_FOR_VIEW)
    while left := waiting.count():
        waiting.first.scroll_into_view_if_needed()
        expect(waiting).not_to_have_count(left, timeout=WAIT_MS)
    wait_idle(page)


# --- the map -----------------------------------------------------------------------------------

#: Counts what the Leaflet map in the st_folium frame holds right now (null before it exists):
#: the sites its site layers hold (static/sitelayer.js; null while a drawing is pending) and
#: the areas (features with a ``code``).
_COUNT_JS = probe_script("count.js")


@dataclass(frozen=True)
class MapState:
    """The st_folium frame and the features its map has drawn."""

    frame: object  # playwright.sync_api.Frame
    sites: int
    areas: int


def _app_status(page) -> str:
    """What Streamlit's status widget says (running, connecting...), or "idle"."""
    try:
        status = page.get_by_test_id("stStatusWidget")
        return " ".join(status.all_inner_texts()).strip() or "idle"
    except Exception as error:  # diagnostics only
        return f"(could not read: {error})"


def _shown_exceptions(page) -> list[str]:
    try:
        return page.locator('[data-testid="stException"]').all_inner_texts()
    except Exception as error:  # diagnostics only
        return [f"(could not read: {error})"]


def map_frames(page) -> list:
    return [f for f in page.frames if MAP_FRAME_URL_PART in f.url]


def map_counts(frame) -> dict | None:
    """``{"sites": n, "areas": n}`` for the frame's map, or None if it has no map (yet)."""
    try:
        return frame.evaluate(_COUNT_JS)
    except Exception:  # frame detached or navigating during a rerun
        return None


def wait_for_map(
    page,
    sites: int | None = None,
    areas: int | None = None,
    timeout: float = MAP_TIMEOUT_S,
) -> MapState:
    """Wait until the st_folium frame's map shows ``sites`` site markers and ``areas`` areas.

    ``None`` means "any number": then the counts must merely be the same on two polls a
    moment apart (the map has settled). Raises AssertionError with the last counts seen.
    """
    deadline = time.monotonic() + timeout
    last: dict | None = None
    previous: dict | None = None
    frames_seen: list[str] = []
    while True:
        frames = map_frames(page)
        frames_seen = [f.url for f in page.frames]
        if len(frames) == 1:
            counts = map_counts(frames[0])
            if counts is not None:
                wanted = (sites is None or counts["sites"] == sites) and (
                    areas is None or counts["areas"] == areas
                )
                settled = (sites is not None and areas is not None) or counts == previous
                if wanted and settled:
                    return MapState(frames[0], counts["sites"], counts["areas"])
                previous = counts
            last = counts
        if time.monotonic() > deadline:
            raise AssertionError(
                f"map did not show sites={sites} areas={areas} within {timeout:.0f} s; "
                f"map frames: {len(frames)}, last counts: {last}, frames: {frames_seen}; "
                f"app status: {_app_status(page)}; app exceptions: {_shown_exceptions(page)}"
            )
        page.wait_for_timeout(250)


#: Centres the map on ``[lat, lon]`` at ``zoom`` (no animation) once the map is idle (no zoom
#: or pan animation running), and returns that point in pixels of the frame's viewport; null
#: while the map is still moving.
_CENTRE_JS = """
([lat, lon, zoom]) => {
  if (map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) return null;
  map.setView([lat, lon], zoom, {animate: false});
  const p = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}
"""


def centre_on(page, frame, lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Centre the map on a point at ``zoom`` (waiting until the map is idle); returns that
    point in page pixels."""
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    handle = frame.wait_for_function(_CENTRE_JS, arg=[lat, lon, zoom], timeout=MAP_TIMEOUT_S * 1000)
    point = handle.json_value()
    box = element.bounding_box()
    assert box is not None, "map frame is not laid out"
    return box["x"] + point["x"], box["y"] + point["y"]


#: True once no canvas renderer of the map is throttling mouse moves: Leaflet 1.9's canvas
#: handles a move, then drops every move of the next 32 ms (no trailing call), so a move that
#: comes sooner is lost and the hover stays on whatever was under the previous one.
_HOVER_READY_JS = """
() => !Object.values(map._layers).some((l) => l._mouseHoverThrottled)
"""


def hover(page, frame, lat: float, lon: float, zoom: int, shown, timeout: float = MAP_TIMEOUT_S):
    """Move the real mouse onto a point of the map until ``shown`` (a tooltip locator) appears;
    returns the point (page pixels).

    Each try centres the map again (a rerun may have moved the view), moves the mouse a little
    above the point, waits until the canvas takes moves again (:data:`_HOVER_READY_JS`) and
    moves onto the point, until the tooltip shows or ``timeout`` seconds have passed (then it
    fails, saying what was awaited and what the map's canvas took as hovered).
    """
    deadline = time.monotonic() + timeout
    attempt = 0
    while True:
        x, y = centre_on(page, frame, lat, lon, zoom)
        page.mouse.move(x, y - 40)
        frame.wait_for_function(_HOVER_READY_JS, timeout=MAP_TIMEOUT_S * 1000)
        page.mouse.move(x + attempt % 2, y)
        try:
            shown.first.wait_for(state="visible", timeout=1000)
            return x + attempt % 2, y
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                hovered = frame.evaluate(_HOVERED_JS)
                raise AssertionError(
                    f"no tooltip {shown} after hovering ({lat}, {lon}) for {timeout:.0f} s;"
                    f" hovered on the canvas: {hovered}"
                ) from None
        attempt += 1


#: What each canvas renderer of the map takes as hovered (its feature's id, code or name).
_HOVERED_JS = """
() => Object.values(map._layers)
  .filter((l) => l._hoveredLayer)
  .map((l) => {
    const p = l._hoveredLayer.feature && l._hoveredLayer.feature.properties;
    return p ? p.id || p.code || p.name : l._hoveredLayer._leaflet_id;
  })
"""


#: The map's point at a fraction of its container, once the map is idle: the pixel (in the
#: frame's viewport) and its [lat, lon] (in the basemap's datum).
_POINT_JS = """
([fx, fy]) => {
  if (map._animatingZoom || (map._panAnim && map._panAnim._inProgress)) return null;
  const size = map.getSize(), box = map.getContainer().getBoundingClientRect();
  const p = L.point(size.x * fx, size.y * fy), ll = map.containerPointToLatLng(p);
  return {x: box.left + p.x, y: box.top + p.y, lat: ll.lat, lon: ll.lng, zoom: map.getZoom()};
}
"""


def click_map(page, frame, fx: float, fy: float) -> tuple[float, float, float]:
    """A real click at a fraction (``fx``, ``fy``) of the map; returns the (lat, lon) there and
    the degrees of longitude one pixel spans at the map's zoom (for tolerances)."""
    element = frame.frame_element()
    element.scroll_into_view_if_needed()
    point = frame.wait_for_function(_POINT_JS, arg=[fx, fy], timeout=MAP_TIMEOUT_S * 1000)
    point = point.json_value()
    box = element.bounding_box()
    assert box is not None, "map frame is not laid out"
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    return point["lat"], point["lon"], 360 / (256 * 2 ** point["zoom"])


#: Where the map draws each site it shows: ``{id: [lat, lon]}`` (in the basemap's datum).
_SITE_POSITIONS_JS = probe_script("site-positions.js")


def site_positions(frame) -> dict[str, list[float]]:
    """``{site id: [lat, lon]}`` as the st_folium frame's map draws them now."""
    return frame.evaluate(_SITE_POSITIONS_JS)


# --- watched pages: requests off the machine aborted, console and page errors recorded ------

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

#: The only console errors tolerated, and only on a deep link such as ``/records``: Streamlit's
#: frontend first probes ``<page>/_stcore/health`` and ``<page>/_stcore/host-config`` to find
#: its base path; the 404s are logged by Chromium before it falls back to ``/_stcore/...``
#: (streamlit/streamlit#7074, open). They are kept in ``Watched.tolerated``, never dropped.
_PROBE_404_TEXT = "Failed to load resource: the server responded with a status of 404 (Not Found)"
_PROBE_404_URL = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z]+/_stcore/(health|host-config)$")


@dataclass
class Watched:
    """A page whose foreign requests are aborted and recorded, with its console/page errors."""

    page: object
    foreign: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self, deep_link: bool = False) -> None:
        """No foreign request, no console or page error (base-path probes: deep links only),
        no exception shown by the app."""
        shown = self.page.get_by_test_id("stException").all_inner_texts()
        assert not shown, f"the app shows exceptions: {shown}"
        assert deep_link or not self.tolerated, f"unexpected 404 probes: {self.tolerated}"
        assert not self.foreign, f"requests outside 127.0.0.1 (aborted): {self.foreign}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.page_errors, f"page errors: {self.page_errors}"


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS


def watch(context) -> Watched:
    page = context.new_page()
    watched = Watched(page)

    def route(route, request) -> None:
        watched.requests.append((request.resource_type, request.url))
        if _is_local(request.url):
            route.continue_()
        else:
            watched.foreign.append(f"{request.resource_type} {request.url}")
            route.abort()

    def console(message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        line = f"{message.text} @ {where}"
        if message.text == _PROBE_404_TEXT and _PROBE_404_URL.match(where):
            watched.tolerated.append(line)
        else:
            watched.console_errors.append(line)

    page.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda error: watched.page_errors.append(str(error)))
    return watched


#: The page's own run has drawn it: its freshness line (ui.layout.page_header, drawn after the
#: page's CSS) is there, no element of the page before is still shown (Streamlit marks
#: those ``data-stale`` until the new run replaces them) and no element is still fading back
#: from stale (a CSS transition of its opacity: axe measured such a grey, half-faded text once).
_NOT_FADING = (
    "!document.getAnimations().some((a) => a.playState === 'running' && (a instanceof"
    " CSSTransition || a.effect?.getComputedTiming().endTime !== Infinity))"
)
PAGE_DRAWN_JS = f"""() => !!document.querySelector('.sz-fresh')
  && !document.querySelector('[data-testid="stMain"] [data-stale="true"]')
  && {_NOT_FADING}"""


# --- accessibility (axe-core, bundled by axe-playwright-python: offline) -----------------------

#: WCAG 2.0, 2.1 and 2.2, levels A and AA (axe's tags; 2.2 has no new level-A rule in axe).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: Nothing is excluded: every rule applies to every element of every page and frame.
_OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "iframes": False}
#: Nothing is fading: axe measures a text in a CSS transition or a finite animation at its
#: half-faded colour (a slider's end labels, which fade out once the pointer leaves it, read
#: 1.14:1 once; a text on the Manage page 3.78:1 once).
_AT_REST_JS = f"() => {_NOT_FADING}"


def violations(axe, page) -> list[str]:
    """axe's findings in the page and in each of its frames, one line per element.

    axe-core checks a frame's content only if axe is loaded in that frame too, so each frame
    (the map's included) is checked on its own (``iframes: False``: no frame is checked twice);
    the frame element itself (its title) is checked in its parent.
    """
    found = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        frame.wait_for_function(_AT_REST_JS, timeout=WAIT_MS)
        results = axe.run(frame, options=_OPTIONS)
        where = "page" if frame is page.main_frame else f"frame {frame.url[:70]}"
        for rule in results.response["violations"]:
            for node in rule["nodes"]:
                summary = " ".join(node.get("failureSummary", "").split())
                found.append(
                    f"{where}: {rule['id']} ({rule['impact']}) {node['target']}: {summary}"
                )
    return found
