"""Helpers for the real-browser tests (not a test module): the app server, Chromium, the map.

The app is served by a real ``streamlit run`` on 127.0.0.1 and driven with Playwright in the
system's Chromium (``/usr/bin/chromium``; never ``playwright install``). The map is the
``st_folium`` component: an iframe served from ``/component/streamlit_folium.st_folium/`` whose
Leaflet map streamlit-folium names ``map_div`` and exposes as ``window.map``.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bench.browser import CHROMIUM, CHROMIUM_ARGS, MAP_FRAME_URL_PART  # noqa: F401
from bench.server import free_port, serve  # noqa: F401  (free_port: for the tests)

PROJECT_DIR = Path(__file__).resolve().parents[1]
HEALTH_TIMEOUT_S = 60.0
MAP_TIMEOUT_S = 30.0


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


def launch_browser(playwright):
    """Headless Debian Chromium (not a Playwright-downloaded browser), background traffic off."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# --- the map -----------------------------------------------------------------------------------

#: Counts what the Leaflet map in the st_folium frame holds right now (null before it exists):
#: the sites its site layers hold (static/sitelayer.js; null while a drawing is pending) and
#: the areas (features with a ``code``).
_COUNT_JS = """
() => {
  const m = window.map;
  if (!m || !m._layers || typeof L === "undefined" || !L.SzSites) return null;
  const state = L.SzSites.state(m);
  let areas = 0;
  for (const id in m._layers) {
    const layer = m._layers[id];
    const props = layer && layer.feature && layer.feature.properties;
    if (props && Object.prototype.hasOwnProperty.call(props, "code")) areas += 1;
  }
  return {sites: state && !state.pending ? state.sites : null, areas: areas};
}
"""


@dataclass(frozen=True)
class MapState:
    """The st_folium frame and the features its map has drawn."""

    frame: object  # playwright.sync_api.Frame
    sites: int
    areas: int


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
                f"app exceptions: {_shown_exceptions(page)}"
            )
        page.wait_for_timeout(250)


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
