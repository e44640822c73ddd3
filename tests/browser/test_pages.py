"""The dashboard in a real browser: the map draws, filters and links work, nothing leaves the host.

A real ``streamlit run`` serves the app on 127.0.0.1 and headless Debian Chromium drives it.
Every request to another host is aborted and recorded; console errors and page errors fail
the test. Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from playwright.sync_api import expect
from shapely.geometry import Point

from geo.config import DATA_DIR
from geo.data import io, sitetable
from geo.store.records import Store
from tests.browser.support import (
    _PROBE_404_TEXT,
    ARTIFACTS,
    MAP_TIMEOUT_S,
    WAIT_MS,
    _is_local,
    free_port,
    hover,
    probe_script,
    serve_app,
    wait_for_map,
    wait_idle,
    watch,
)

LOCAL_HOSTS = {"127.0.0.1", "localhost"}

DANGJIA, DOUGOU = "370103021", "370103022"
#: An area with no site of its own: the XSS record is placed at its seat, alone.
QILISHAN = "370103009"
XSS_ID = "xss-probe"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_SCRIPT = "<script>window.__xss=2</script>"

SITES = io.load_sites()
AREAS = gpd.read_file(DATA_DIR / "subdistrict_areas_schematic.geojson")


def _sites_in(code: str) -> int:
    return int((SITES["subdistrict_code"] == code).sum())


# --- helpers -----------------------------------------------------------------------------------


def street_select(page):
    """The sidebar's 街道 multiselect (a react-aria combobox in Streamlit 1.5x+)."""
    return (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_role("combobox", name="街道", exact=True))
    )


def street_tags(page):
    """The chosen values shown in the 街道 multiselect."""
    return street_select(page).locator("[data-tag]")


def screenshot(page, name: str, frame=None) -> Path:
    """Save the viewport to ``test-artifacts/name``, scrolled to the map ``frame`` if given.

    (Streamlit scrolls its main area inside the page, so a "full page" shot is the viewport.)
    """
    if frame is not None:
        frame.frame_element().scroll_into_view_if_needed()
        page.wait_for_timeout(200)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def expect_street_param(page, code: str) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]street={code}(&|$)"))


#: The container pixel of the first candidate point whose only interactive hit is area ``code``
#: and that is on the map's canvas (not under a control, a label or a marker).
_AREA_PIXEL_JS = probe_script("area-pixel.js")


def area_candidates(code: str, steps: int = 12) -> list[tuple[float, float]]:
    """Points inside area ``code``: its representative point, then a grid, nearest first."""
    shape = AREAS.loc[AREAS["code"] == code].geometry.iloc[0]
    rep = shape.representative_point()
    west, south, east, north = shape.bounds
    grid = [
        Point(west + (east - west) * i / steps, south + (north - south) * j / steps)
        for i in range(1, steps)
        for j in range(1, steps)
    ]
    inside = sorted((p for p in grid if shape.contains(p)), key=rep.distance)
    return [(p.y, p.x) for p in [rep, *inside]]


def click_in_frame(page, frame, x: float, y: float) -> None:
    """A real mouse click at pixel (x, y) of the frame's viewport."""
    box = frame.frame_element().bounding_box()
    assert box is not None, "map frame is not laid out"
    page.mouse.click(box["x"] + x, box["y"] + y)


# --- tests -------------------------------------------------------------------------------------


def test_overview_draws_every_site_and_area(app_url: str, new_watched) -> None:
    assert len(SITES) == 20 and len(AREAS) == 17, "data/ changed: update the expected counts"
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=20, areas=17)
    wait_idle(page)
    state = wait_for_map(page, sites=20, areas=17)
    assert (state.sites, state.areas) == (20, 17)
    screenshot(page, "overview.png", state.frame)
    watched.assert_clean()


def test_link_with_street_is_shareable(app_url: str, new_watched) -> None:
    expected = _sites_in(DANGJIA)
    assert expected == 5
    url = f"{app_url}/?street={DANGJIA}"
    first = new_watched()
    first.page.goto(url)
    wait_for_map(first.page, sites=expected, areas=len(AREAS))
    select = street_select(first.page)
    expect(select).to_have_count(1)
    expect(street_tags(first.page)).to_have_text(["党家街道"])
    wait_idle(first.page)
    state = wait_for_map(first.page, sites=expected, areas=len(AREAS))
    expect_street_param(first.page, DANGJIA)
    screenshot(first.page, "overview-dangjia.png", state.frame)
    first.assert_clean()

    other = new_watched()  # another browser: no shared session, only the link
    other.page.goto(url)
    wait_for_map(other.page, sites=expected, areas=len(AREAS))
    expect(street_tags(other.page)).to_have_text(["党家街道"])
    other.assert_clean()


def test_sidebar_filter_updates_map_and_url(app_url: str, new_watched) -> None:
    expected = _sites_in(DOUGOU)  # 3 villages + 2 industry sites
    assert expected == 5
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    expect(street_tags(page)).to_have_count(0)
    street_select(page).get_by_role("combobox").click()
    page.keyboard.type("陡沟")
    expect(page.get_by_role("option", name="陡沟街道")).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(street_tags(page)).to_have_text(["陡沟街道"])
    wait_for_map(page, sites=expected, areas=len(AREAS))
    expect_street_param(page, DOUGOU)
    watched.assert_clean()


def test_click_on_area_filters_to_it(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    state = wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    state.frame.frame_element().scroll_into_view_if_needed()
    pixel = state.frame.wait_for_function(
        _AREA_PIXEL_JS, arg=[DANGJIA, area_candidates(DANGJIA)], timeout=MAP_TIMEOUT_S * 1000
    ).json_value()  # times out if no point of 党家's area is clear of markers and controls
    click_in_frame(page, state.frame, pixel["left"] + pixel["x"], pixel["top"] + pixel["y"])
    expect_street_param(page, DANGJIA)
    wait_for_map(page, sites=_sites_in(DANGJIA), areas=len(AREAS))
    expect(street_tags(page)).to_have_text(["党家街道"])
    watched.assert_clean()


def test_record_text_is_never_markup(tmp_path_factory: pytest.TempPathFactory, new_watched):
    state_dir = tmp_path_factory.mktemp("browser-xss")
    store = Store.open(f"sqlite:///{state_dir}/shizhong.sqlite")
    seat = io.load_subdistricts().set_index("code").loc[QILISHAN]
    record = SITES.iloc[0].to_dict() | {
        "id": XSS_ID,
        "name": XSS_IMG,
        "description": XSS_SCRIPT,
        "source": XSS_IMG + XSS_SCRIPT,
        "kind": "community",
        "subdistrict_code": QILISHAN,
        "unit_code": "",
        "lon": float(seat["seat_lon"]),
        "lat": float(seat["seat_lat"]),
        "location_precision": "exact",
    }
    store.save("sites", record, user="test:browser")
    store.engine.dispose()

    with serve_app(state_dir, free_port()) as url:
        watched = new_watched()
        page = watched.page
        page.goto(url + "/records")
        wait_idle(page)
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        assert page.evaluate("typeof window.__xss") == "undefined"
        # the deep link's base-path probes (see _PROBE_404_URL), and nothing else
        assert sorted(watched.tolerated) == [
            f"{_PROBE_404_TEXT} @ {url}/records/_stcore/{name}"
            for name in ("health", "host-config")
        ], watched.tolerated

        page.goto(url + "/")
        state = wait_for_map(page, sites=len(SITES) + 1, areas=len(AREAS))
        wait_idle(page)
        tooltip = state.frame.locator(".leaflet-tooltip", has_text="<img src=x")
        x, y = hover(page, state.frame, record["lat"], record["lon"], 15, tooltip)
        page.mouse.click(x, y)
        # the click selects the site: its details are shown as text next to the map
        expect(page.get_by_test_id("stMain")).to_contain_text(XSS_IMG)
        expect(page.get_by_test_id("stMain")).to_contain_text(XSS_SCRIPT)
        state = wait_for_map(page, sites=len(SITES) + 1, areas=len(AREAS))
        frame = state.frame
        opened = frame.evaluate(
            """(id) => {
              for (const l of L.SzSites.on(map)) {
                const i = l.indexOf(id);
                if (i >= 0) {
                  l.openPopupFor(i);
                  return true;
                }
              }
              return false;
            }""",
            XSS_ID,
        )
        assert opened
        popup = frame.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("<img src=x")
        expect(popup).to_contain_text("<script>window.__xss=2</script>")
        assert popup.locator("img, script").count() == 0
        page.wait_for_timeout(300)  # an injected onerror would have fired by now
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert frame.evaluate("typeof window.__xss") == "undefined"
        assert all(f.evaluate("typeof window.__xss") == "undefined" for f in page.frames)
        screenshot(page, "overview-xss.png")
        watched.assert_clean(deep_link=True)


#: Every element of a document that loads something, with the absolute URL it loads.
_LOADED_URLS_JS = """
() => Array.from(document.querySelectorAll("script[src], link[href], img[src], iframe[src]"))
  .map((el) => el.tagName.toLowerCase() + " " + (el.src || el.href))
"""


def test_offline_every_asset_is_served_locally(app_url: str, new_watched) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    state = wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    loaded = {(kind, url) for kind, url in watched.requests}
    assert {kind for kind, _ in loaded} >= {"document", "script", "stylesheet"}
    assert any("/app/static/vendor/leaflet" in url for _, url in loaded), "Leaflet not loaded"
    assert all(_is_local(url) for _, url in loaded), watched.foreign
    for frame in (page.main_frame, state.frame):
        elements = frame.evaluate(_LOADED_URLS_JS)
        foreign = [e for e in elements if not _is_local(e.split(" ", 1)[1])]
        assert not foreign, f"{frame.url} loads from another host: {foreign}"
    absolute = state.frame.locator("script[src^=http], link[href^=http]").evaluate_all(
        "(els) => els.map((e) => e.getAttribute('src') || e.getAttribute('href'))"
    )
    assert all(_is_local(url) for url in absolute), f"map frame links another host: {absolute}"
    watched.assert_clean()


# --- every page offline, and the big screen ---------------------------------------------------

#: Page path -> a selector that only appears once that page has drawn its content.
PAGES = {
    "/subdistrict?street=370103022": '[data-testid="stDataFrame"]',
    "/program?program=cross_village": '[data-testid="stMetric"]',
    "/records": '[data-testid="stDownloadButton"]',
    "/present?embed=true&program=consortium": ".sz-tile",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_offline(app_url: str, new_watched, path: str) -> None:
    watched = new_watched()
    page = watched.page
    page.goto(app_url + path)
    page.wait_for_selector(PAGES[path], timeout=WAIT_MS)
    if not path.startswith("/records"):
        expected = 5 if "370103022" in path or "consortium" in path else _sites_in_program(path)
        wait_for_map(page, sites=expected, areas=len(AREAS))
    wait_idle(page)
    assert all(_is_local(url) for _, url in watched.requests), watched.foreign
    watched.assert_clean(deep_link=True)


def _sites_in_program(path: str) -> int:
    key = path.split("program=")[1].split("&")[0]
    return int(SITES["programs"].str.split(";").apply(lambda p: key in p).sum())


BIG_SCREEN = "/present?embed=true&embed_options=dark_theme&embed_options=hide_loading_screen"


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (3840, 2160)])
def test_big_screen_fits_the_screen_with_large_type(
    app_url: str, browser, width: int, height: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        watched = watch(context)
        page = watched.page
        page.goto(app_url + BIG_SCREEN + "&program=cross_village&tour=0")
        page.wait_for_selector(".sz-tile", timeout=WAIT_MS)
        wait_for_map(page, sites=5, areas=len(AREAS))
        wait_idle(page)
        page.wait_for_timeout(500)
        layout = page.evaluate(
            """() => ({
              scroll: document.documentElement.scrollHeight,
              main: document.querySelector('[data-testid="stMain"]').scrollHeight,
              inner: innerHeight,
              kpi: [...document.querySelectorAll('.sz-value')].map(
                e => parseFloat(getComputedStyle(e).fontSize)),
              nav: document.querySelectorAll('[data-testid="stSidebar"]').length,
            })"""
        )
        assert layout["scroll"] <= layout["inner"], layout  # the document does not scroll
        assert layout["main"] <= layout["inner"], layout  # nothing cut off below
        assert layout["kpi"] and min(layout["kpi"]) >= 48 * height / 1080, layout
        assert layout["nav"] == 0, "no sidebar on the big screen"
        screenshot(page, f"present-{width}x{height}.png")
        watched.assert_clean(deep_link=True)
    finally:
        context.close()


def test_big_screen_tour_steps_without_reloading_the_map(app_url: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    try:
        watched = watch(context)
        page = watched.page
        page.goto(app_url + BIG_SCREEN + "&program=cross_village&interval=2")
        page.wait_for_selector(".sz-tile", timeout=WAIT_MS)
        frame = wait_for_map(page, sites=5, areas=len(AREAS)).frame
        frame.evaluate("() => { window.__kept = true; }")
        expect(page.locator(".sz-spot h2")).not_to_have_text("跨村联建", timeout=WAIT_MS)
        title = page.locator(".sz-spot h2").inner_text()
        # a later program of the vocabulary (on a busy machine the 2 s tour may step twice)
        names = list(io.load_programs()["name_zh"])
        assert title in names[names.index("跨村联建") + 1 :], title
        wait_for_map(page, sites=5, areas=len(AREAS))
        assert frame.evaluate("() => window.__kept === true"), "the map frame was reloaded"
        watched.assert_clean(deep_link=True)
    finally:
        context.close()


def test_many_sites_are_drawn_per_subdistrict_then_as_sites_when_zoomed_in(
    app_url: str, new_watched
) -> None:
    """Above AGGREGATE_ABOVE sites in view, the site layers draw one circle per subdistrict and
    kind; zoomed in, the sites themselves; a click on a circle filters to its subdistrict."""
    from bench import synthetic
    from geo.map import sitelayer

    many = synthetic.make_sites(sitelayer.AGGREGATE_ABOVE + 1000, seed=3)
    subdistricts, programs = io.load_subdistricts(), io.load_programs()
    table = sitetable.prepare_sites(many, subdistricts, programs)
    rows = np.arange(len(many))  # every kind in one layer: what matters is how many
    payload = sitelayer.site_payload(
        table, rows, "village", sitelayer.lookups_for(subdistricts, programs, "zh"), "zh"
    )
    payload["agg"] = {
        "above": sitelayer.AGGREGATE_ABOVE,
        "seats": sitelayer.seat_positions(subdistricts),
        "codes": [*subdistricts["code"], ""],
        "kind": 0,
        "kinds": 6,
        "color": "#117733",
        "unit": "个",
        "hint": "",
    }
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    frame = wait_for_map(page, sites=len(SITES), areas=len(AREAS)).frame
    wait_idle(page)
    frame = wait_for_map(page, sites=len(SITES), areas=len(AREAS)).frame
    frame.frame_element().scroll_into_view_if_needed()
    # all of them in one layer of the map's village group (whose clicks reach the app)
    state = frame.evaluate(
        """(d) => new Promise((resolve) => {
          const group = window.feature_group.find((g) => g.getLayers().some(
            (l) => l instanceof L.SzSites));
          group.addLayer(L.szSites(d));
          Promise.resolve().then(() => resolve(L.SzSites.state(map)));
        })""",
        payload,
    )
    assert (state["sites"], state["pending"]) == (len(SITES) + len(many), False)
    assert state["mode"] == "aggregate" and state["shown"] > sitelayer.AGGREGATE_ABOVE
    screenshot(page, "overview-many-aggregated.png", frame)
    zoomed = frame.evaluate(
        """() => new Promise((resolve) => {
          const step = (left) => {
            const s = L.SzSites.state(map);
            if (s.mode === "points" || left === 0) return resolve({zoom: map.getZoom(), ...s});
            map.once("moveend", () => step(left - 1));
            map.setZoom(map.getZoom() + 1, {animate: false});
          };
          step(8);
        })"""
    )
    assert zoomed["mode"] == "points", zoomed
    assert 0 < zoomed["shown"] <= sitelayer.AGGREGATE_ABOVE, zoomed
    screenshot(page, "overview-many-zoomed-in.png", frame)
    # back out, and click the topmost circle: the injected layer's last subdistrict
    target = frame.evaluate(
        """() => new Promise((resolve) => {
          map.once("moveend", () => {
            const layer = L.SzSites.on(map).slice(-1)[0], cell = layer.cells().slice(-1)[0];
            const p = map.latLngToContainerPoint([cell[0], cell[1]]);
            const box = map.getContainer().getBoundingClientRect();
            resolve({x: box.left + p.x, y: box.top + p.y, code: layer.d.agg.codes[cell[3]],
                     lat: cell[0], mode: L.SzSites.state(map).mode});
          });
          map.setZoom(11, {animate: false});
        })"""
    )
    assert target["mode"] == "aggregate", target
    click_in_frame(page, frame, target["x"], target["y"])
    expect_street_param(page, target["code"])
    # the click reached the map too, as a marker's did (the big screen holds its tour on it)
    clicked = frame.evaluate("() => window.__GLOBAL_DATA__.lat_lng_clicked")
    assert clicked is not None and abs(clicked["lat"] - target["lat"]) < 0.01, clicked
    watched.assert_clean()


#: Zooms in and back out (no animation), then draws every site directly on a canvas of the
#: site canvas's size: the kept drawing of a zoom level must be exactly what drawing the sites
#: again gives. Then takes one site layer off the map and compares again (no stale drawing).
_ZOOM_BACK_JS = probe_script("zoom-back.js")


def test_a_zoom_level_drawn_once_is_copied_back_exactly(app_url: str, new_watched) -> None:
    """Zooming back to a level copies its kept drawing, which is exactly the sites drawn
    again; a layer taken off the map is gone from the drawing at once."""
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    frame = wait_for_map(page, sites=len(SITES), areas=len(AREAS)).frame
    seen = frame.evaluate(_ZOOM_BACK_JS)
    start, zoomed_in, back, removed = seen["states"]
    assert start["mode"] == "points" and start["fromLevel"], start
    assert zoomed_in["levels"] == 2 and zoomed_in["fromLevel"], zoomed_in
    assert back["levels"] == 2 and back["fromLevel"], back
    # Each copy of the kept drawing is exactly the sites drawn directly at that moment, and not
    # an empty one. (Not necessarily the first picture again: at a fractional zoom the view
    # can come back a pixel away from where it was.)
    assert seen["first"] == seen["firstDirect"] != seen["blank"]
    assert seen["back"] == seen["again"] != seen["blank"]
    assert removed["sites"] < start["sites"] and removed["levels"] == 1, removed
    assert seen["after"] == seen["afterDirect"] != seen["back"]
    watched.assert_clean()
