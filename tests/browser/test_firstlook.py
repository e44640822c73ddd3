"""Issue 28 in the browser: a session's first look at the overview is its header and map, the
rest comes once the map has painted, with the map left as it was (ui/firstlook.py); and the
served page preloads the code of the map's component, and only that (ui/preload.py)."""

from __future__ import annotations

import re
import urllib.request

import geopandas as gpd
from playwright.sync_api import expect

from geo.config import DATA_DIR
from geo.data import io
from tests.browser.support import FIRST_LOOK, probe_script, wait_for_map, wait_idle
from ui import preload

SITES = io.load_sites()
AREAS = gpd.read_file(DATA_DIR / "subdistrict_areas_schematic.geojson")
DOUGOU = "370103022"  # 陡沟街道: 5 sites

#: Holds the first look's trigger until the test lets it go (window.__szRelease).
_HOLD_TRIGGER_JS = probe_script("hold-first-look.js").replace("__FIRST_LOOK__", FIRST_LOOK)


def test_the_first_look_is_the_header_and_the_map_then_the_rest(app_url: str, new_watched) -> None:
    """From a shared link: the map shows the link's subdistrict with the header above it and a
    line in the filter panel's place; the panel (holding that subdistrict) and what lies under
    the map come once the map has painted, and the map's frame is not loaded again."""
    expected = int((SITES["subdistrict_code"] == DOUGOU).sum())
    assert expected == 5
    watched = new_watched()
    page = watched.page
    page.add_init_script(_HOLD_TRIGGER_JS)
    page.goto(f"{app_url}/?street={DOUGOU}")
    state = wait_for_map(page, sites=expected, areas=len(AREAS))
    page.wait_for_function("() => window.__szHeld > 0")  # the map painted: the trigger asked
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("筛选条件即将显示")
    expect(sidebar.locator('[data-testid="stMultiSelect"]')).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("市中区党建引领基层治理地图")
    expect(page.locator('[data-testid="stMetric"]').first).to_be_visible()
    expect(page.locator(".st-key-sz_overview_list")).to_have_count(0)  # under the map: later
    # the header is drawn above the map, though it comes after it in the run
    header = page.get_by_role("heading", level=1).bounding_box()
    frame_box = page.locator('iframe[src*="streamlit_folium"]').bounding_box()
    assert header["y"] < frame_box["y"]
    state.frame.evaluate("() => { window.__szKept = true; }")  # gone if the frame reloads

    page.evaluate("() => { window.__szRelease = true; }")
    wait_idle(page)
    expect(page.locator(FIRST_LOOK)).to_have_count(0)
    expect(sidebar.locator('[data-testid="stMultiSelect"]').first).to_contain_text("陡沟街道")
    expect(sidebar).not_to_contain_text("筛选条件即将显示")
    expect(page.locator(".st-key-sz_overview_list")).to_have_count(1)
    after = wait_for_map(page, sites=expected, areas=len(AREAS))
    assert after.frame.evaluate("() => window.__szKept === true"), "the map frame reloaded"
    moved = page.locator('iframe[src*="streamlit_folium"]').bounding_box()
    assert (moved["x"], moved["y"], moved["width"]) == (
        frame_box["x"],
        frame_box["y"],
        frame_box["width"],
    ), "the map moved when the rest of the page came"
    expect(page).to_have_url(re.compile(rf"[?&]street={DOUGOU}(&|$)"))
    watched.assert_clean()


def test_the_served_page_preloads_the_maps_component_and_nothing_else(
    app_url: str, new_watched
) -> None:
    """The page the server sends names the map's component chunk and what it imports (its own
    files aside), nothing more; the overview fetches each of them once, before its session
    starts (not when the map's element asks for it), and its map shows."""
    request = urllib.request.Request(
        app_url + "/",
        headers={"Accept": "text/html", "Accept-Encoding": "gzip", "Sec-Fetch-Dest": "document"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as response:
        assert response.headers.get("Content-Encoding") is None
        served = response.read().decode("utf-8")
    preloaded = re.findall(r'rel="modulepreload" crossorigin href="\./(static/js/[^"]+)"', served)
    component = preload.chunk_files()
    assert component and any("ComponentInstance" in each for each in component)
    assert set(component) <= set(preloaded)  # Streamlit's own main code is preloaded too
    assert sum(each in component for each in preloaded) == len(component)

    watched = new_watched()
    page = watched.page
    events: list[str] = []  # in order: each request's path, and "session" when it starts
    page.on("request", lambda each: events.append(each.url.split("/", 3)[3].split("?")[0]))
    page.on("websocket", lambda _: events.append("session"))
    page.goto(app_url + "/")
    wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    assert "session" in events
    fetched = {each: events.count(each) for each in component}
    assert all(count == 1 for count in fetched.values()), f"fetched again: {fetched}"
    late = [each for each in component if events.index(each) > events.index("session")]
    assert not late, f"asked for when the map came, not preloaded: {late}"
    watched.assert_clean()
