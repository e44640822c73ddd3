"""The simulated viewers: browser contexts pinned to an instance by their route cookie, each
changing the 街道 filter and timing the map until it shows the expected markers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from bench.browser import IDLE_SELECTOR, LOCAL_HOSTS, MAP_FRAME_URL_PART, VIEWPORT, probe_script
from bench.load.plan import (
    EDITOR,
    MAX_SELECTED,
    POLL_S,
    ROUTE_COOKIE,
    STREET_LABEL,
    UPSTREAM_HEADER,
    LoadConfig,
    Plan,
)

#: Streamlit's base-path probes on a deep link (streamlit/streamlit#7074): tolerated, counted.
_PROBE_404_TEXT = "Failed to load resource: the server responded with a status of 404 (Not Found)"
_PROBE_URL = re.compile(r"^http://127\.0\.0\.1:\d+/[a-z]+/_stcore/(health|host-config)$")

#: Sites on the st_folium map's site layers (static/sitelayer.js; null while a drawing is
#: pending), the data versions they were drawn from, and the tooltip title (the name) of site
#: ``id``.
_MAP_JS = probe_script("map.js")
_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: Is the page without its server? The frontend's connection state on the stApp element
#: (CONNECTED, PINGING_SERVER, CONNECTING, ...), else the corner badge it shows meanwhile.
_LOST_JS = """
(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute("data-test-connection-state") : null;
  return state ? state !== "CONNECTED"
               : !!document.querySelector('[data-testid="stConnectionStatus"]');
})()
"""
#: Installed before the page's own scripts: a log (browser clock, ms) of what the viewer sees
#: of the connection (lost, back), of the script's state (running, notRunning, ...), and every
#: toast and exception box the app shows.
_EVENTS_JS = probe_script("events.js").replace("__LOST__", _LOST_JS.strip())
#: The page as the viewer sees it now (connected, running, an exception box, the app's
#: reconnecting notice if shown, the URL, when this document was loaded), and the events
#: logged since the last call.
_STATE_JS = (
    probe_script("state.js")
    .replace("__LOST__", _LOST_JS.strip())
    .replace("__IDLE__", json.dumps(IDLE_SELECTOR))
)


@dataclass
class Viewer:
    index: int  # 0-based
    instance: int  # 1-based
    route: str
    latencies: list[float] = field(default_factory=list)  # input -> markers painted
    run_latencies: list[float] = field(default_factory=list)  # input -> script run finished
    change_times: list[float] = field(default_factory=list)  # wall clock of each input
    load_s: float | None = None
    #: (when the action that met it began, when it was seen, message): wall clock
    problems: list[tuple[float, float, str]] = field(default_factory=list)
    tolerated: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    upstreams: Counter = field(default_factory=Counter)  # X-Shizhong-Upstream value -> count
    events: list[tuple[float, str, str]] = field(default_factory=list)  # (wall s, kind, text)
    selection: list[str] = field(default_factory=list)
    aimed: list[tuple[float, list[str]]] = field(default_factory=list)  # (wall, selection asked)
    actions: int = 0
    sessions: int = 1
    last_versions: list[int] = field(default_factory=list)
    last_action_at: float = 0.0  # monotonic: when the last filter change was made
    stopping: bool = False
    context: object = None
    page: object = None
    change: asyncio.Task | None = None  # the filter change in progress
    shots: Path | None = None  # where to save a screenshot of each problem (--keep)

    @property
    def errors(self) -> list[str]:
        return [message for _began, _seen, message in self.problems]

    def error(self, message: str, at: float | None = None) -> None:
        """Count a problem, seen now, met by an action begun at ``at`` (wall clock)."""
        if not self.stopping:
            now = time.time()
            self.problems.append(
                (
                    now if at is None else at,
                    now,
                    f"viewer {self.index + 1} (instance {self.instance}): {message}",
                )
            )


class Interrupted(Exception):
    """The page came back by itself (after a fault) with another filter than the one a change
    in progress waits for."""


async def _interruptible(viewer: Viewer, step) -> None:
    """Run ``step`` (a coroutine) as the viewer's change in progress: a fault's monitor cancels
    it when the page came back without it, so that it does not wait out its timeout."""
    viewer.change = asyncio.ensure_future(step)
    try:
        await viewer.change
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():  # the run itself is being cancelled
            raise
        raise Interrupted from None
    finally:
        viewer.change = None


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
            viewer.upstreams[upstream] += 1
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


async def map_info(page, site_id: str | None = None) -> dict | None:
    frame = _map_frame(page)
    if frame is None:
        return None
    try:
        return await frame.evaluate(_MAP_JS, site_id)
    except Exception:  # frame detached or loading during a rerun
        return None


async def page_state(viewer: Viewer) -> dict | None:
    """Connected or not, running or not, an exception shown or not, the URL; and the page's
    new events, moved into ``viewer.events``."""
    try:
        state = await viewer.page.evaluate(_STATE_JS)
    except Exception:  # navigating
        return None
    viewer.events += [(at / 1000, kind, text) for at, kind, text in state.pop("events")]
    return state


def url_selection(url: str, plan: Plan) -> list[str]:
    """The subdistricts a page's URL filters by (codes; names accepted as the app does)."""
    codes = {name: code for code, name in plan.names.items()}
    out: list[str] = []
    for value in parse_qs(urlparse(url).query).get("street", []):
        for part in value.split(","):
            code = part.strip() if part.strip() in plan.names else codes.get(part.strip())
            if code and code not in out:
                out.append(code)
    return out


async def wait_markers(page, expected: int, timeout: float, site_id: str | None = None) -> dict:
    """Until the map shows ``expected`` site markers, then two animation frames (painted)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        info = await map_info(page, site_id)
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
    """Until Streamlit runs no script."""
    idle = page.locator(IDLE_SELECTOR)
    deadline = time.monotonic() + timeout
    while not await idle.count():
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
    await context.add_init_script(_EVENTS_JS)

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


async def change_filter(viewer: Viewer, plan: Plan, cfg: LoadConfig, add: str | None) -> dict:
    """Add subdistrict ``add`` to the 街道 filter, or clear it (None); the map must follow."""
    page = viewer.page
    select = _street_select(page)
    if add is None:
        button = select.get_by_role("button", name="Clear all")
        await button.wait_for()
        selection: list[str] = []
        started_at, start, wall = time.monotonic(), time.perf_counter(), time.time()
        viewer.aimed.append((wall, selection))
        await button.click()
    else:
        name = plan.names[add]
        await select.get_by_role("combobox").click()
        await page.keyboard.type(name)
        await page.get_by_role("option", name=name, exact=True).wait_for()
        selection = [*viewer.selection, add]
        started_at, start, wall = time.monotonic(), time.perf_counter(), time.time()
        viewer.aimed.append((wall, selection))
        await page.keyboard.press("Enter")
    info = await wait_markers(page, plan.expected(selection), cfg.timeout_s)
    painted = time.perf_counter() - start
    if add is not None:
        await page.keyboard.press("Escape")
    await wait_run_over(page, cfg.timeout_s)
    viewer.run_latencies.append(time.perf_counter() - start)
    viewer.latencies.append(painted)
    viewer.change_times.append(wall)
    viewer.selection = selection
    viewer.actions += 1
    viewer.last_action_at = started_at
    shown = await page.get_by_test_id("stException").all_inner_texts()
    if shown:
        viewer.error(f"the app shows an exception: {shown[0][:300]}")
    info = await map_info(page) or info
    viewer.last_versions = info["versions"]
    return info


def next_action(viewer: Viewer, plan: Plan, rng: random.Random) -> str | None:
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
        before = await map_info(viewer.page, target["id"]) or {}
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
        await change_filter(viewer, self.plan, cfg, add)
        after = await map_info(viewer.page, target["id"]) or {}
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


async def reload(viewer: Viewer, base: str, plan: Plan, cfg: LoadConfig) -> None:
    """Start afresh: a new page load of the overview (a new session), every site on the map."""
    viewer.sessions += 1
    viewer.selection = []
    await viewer.page.goto(base + "/", wait_until="commit")
    await wait_markers(viewer.page, plan.total, cfg.load_timeout_s)
    await wait_run_over(viewer.page, cfg.timeout_s)


async def viewer_loop(
    viewer: Viewer,
    base: str,
    plan: Plan,
    cfg: LoadConfig,
    stop_at: float,
    check: CrossCheck | None,
    fault=None,
) -> None:
    """Think, change the filter, repeat until ``stop_at``. A change that fails while ``fault``
    disturbs this viewer is followed by waiting for the page to recover by itself (Streamlit's
    own reconnect); any other failure by a fresh page load."""
    rng = random.Random(cfg.seed * 1000 + viewer.index)
    while time.monotonic() < stop_at and viewer.actions < cfg.max_actions:
        await asyncio.sleep(min(rng.uniform(*cfg.think_s), max(0.0, stop_at - time.monotonic())))
        if time.monotonic() >= stop_at:
            break
        began = time.time()
        try:
            if check is not None and check.viewer == viewer.index and not check.done:
                if time.monotonic() >= check.due_at:
                    await check.run(viewer, cfg)
                    continue
            add = next_action(viewer, plan, rng)
            await _interruptible(viewer, change_filter(viewer, plan, cfg, add))
        except Interrupted:
            viewer.error("a filter change made meanwhile was not applied", at=began)
            with contextlib.suppress(Exception):  # close the list it may have left open
                await viewer.page.keyboard.press("Escape")
            continue
        except Exception as error:  # a timeout or a broken page
            viewer.error(f"{type(error).__name__}: {str(error)[:300]}", at=began)
            if viewer.shots is not None:
                with contextlib.suppress(Exception):
                    shot = viewer.shots / f"viewer-{viewer.index + 1}-{len(viewer.problems)}.png"
                    await viewer.page.screenshot(path=str(shot))
            if check is not None and check.viewer == viewer.index and check.done:
                check.result.setdefault("seen_on_next_rerun", False)
            if fault is not None and fault.disturbs(viewer):
                if await fault.wait_recovered(viewer):
                    continue
            with contextlib.suppress(Exception):
                await reload(viewer, base, plan, cfg)
