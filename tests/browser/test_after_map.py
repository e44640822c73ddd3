"""Issue 28 in the browser: the overview's charts wait for the map (and for the view), and a
zoom level too large to keep whole is copied back exactly from its last drawing."""

from __future__ import annotations

import geopandas as gpd
from playwright.sync_api import expect

from geo.config import DATA_DIR
from geo.data import io
from tests.browser.support import probe_script, wait_for_map, wait_idle

SITES = io.load_sites()
AREAS = gpd.read_file(DATA_DIR / "subdistrict_areas_schematic.geojson")
CHARTS = '[data-testid="stPlotlyChart"]'
#: The place of the overview's charts (app_pages/overview.py, ui.widgets.after_map).
PLACE = ".st-key-sz_overview_charts"
_WINDOW_BACK_JS = probe_script("window-back.js")


def test_the_charts_wait_for_the_map_and_come_into_view(app_url: str, new_watched) -> None:
    """Below the map's first screen the charts are not drawn (Plotly's bundle not loaded)
    while the map paints; scrolled to, they are, and the map stays as it was."""
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    state = wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    expect(page.locator(PLACE)).to_have_count(1)
    assert page.locator(CHARTS).count() == 0
    state.frame.evaluate("() => { window.__szKept = true; }")  # gone if the frame reloads
    page.locator(PLACE).scroll_into_view_if_needed()
    expect(page.locator(CHARTS)).to_have_count(3)
    expect(page.locator(PLACE + "__go")).to_have_count(0)  # its hidden button: done
    wait_idle(page)
    assert state.frame.evaluate("() => window.__szKept === true"), "the map frame reloaded"
    watched.assert_clean()


def test_a_level_too_large_to_keep_is_copied_back_exactly(app_url: str, new_watched) -> None:
    """Zooming back to a level whose whole drawing is too large to keep (100,000 sites zoomed
    in) copies its last drawing, which is exactly the sites drawn again."""
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=len(SITES), areas=len(AREAS))
    wait_idle(page)
    frame = wait_for_map(page, sites=len(SITES), areas=len(AREAS)).frame
    seen = frame.evaluate(_WINDOW_BACK_JS)
    start, zoomed_in, back = seen["states"]
    assert start["mode"] == "points" and not start["fromLevel"], start
    assert not zoomed_in["fromLevel"], zoomed_in  # a new level: stamped
    assert back["fromLevel"] and seen["windows"] == 2, (back, seen["windows"])
    assert seen["back"] == seen["again"] != seen["blank"]
    watched.assert_clean()
