"""Open to everyone (#27), in a real browser at 1366×768: large type (适老化) and colours that
are never the only way to tell the programs apart.

Large type: ``?text=1.25`` and ``?text=1.5`` (the switch 标准 / 大 / 特大 in the filter panel,
ui/typesize.py) scale the text of the overview, subdistrict, program, records and sources
pages; the pages stay whole (no horizontal scroll, nothing past the screen's right edge, the
map shown) and the choice survives navigation (the URL keeps ``text=``).

Not by colour alone: the map's legend pairs every program's colour with its name, a site's
tooltip names its programs, and a deuteranopia simulation (Chromium's DevTools protocol,
``Emulation.setEmulatedVisionDeficiency``) of the overview is saved for people to look at.

One served app for the module (``streamlit run`` on 127.0.0.1, headless Debian Chromium).
Screenshots go to ``test-artifacts/``: largetype-125.png, largetype-150.png and
deuteranopia-overview.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geo.data import io
from geo.text.labels import t
from tests.browser.support import (
    ARTIFACTS,
    PAGE_DRAWN_JS,
    WAIT_MS,
    probe_script,
    wait_for_map,
    wait_idle,
)

WIDTH, HEIGHT = 1366, 768
#: The pages in the navigation's order: (URL path, label key, whether it shows the map).
PAGES = (
    ("", "page_overview", True),
    ("subdistrict", "page_subdistrict", True),
    ("program", "page_program", True),
    ("records", "page_records", False),
    ("sources", "page_sources", False),
)
SCALES = {"1.25": "largetype-125.png", "1.5": "largetype-150.png"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'

#: Sizes (px) of the root and of the first visible paragraph of the page, and what sticks out: the
#: page's horizontal scroll, the elements whose right edge passes the screen's (the data
#: grid's own scroller excepted: it scrolls inside its frame, with a scrollbar), the figure
#: cards that cut off their content (their height is set in px) and the multiselects' chips
#: whose name is cut short.
_MEASURE_JS = probe_script("measure.js")


@pytest.fixture
def open_page(new_watched):
    """``open_page()``: a watched 1366×768 page in a fresh browser context."""

    def make():
        return new_watched({"width": WIDTH, "height": HEIGHT})

    return make


def settle(page, path: str, root_px: float, has_map: bool) -> dict:
    """Wait until ``path``'s page is drawn at root size ``root_px`` (and its map, if any), then
    measure it."""
    expect(page).to_have_url(re.compile(rf"/{path}(\?|$)"))
    page.wait_for_function(
        "px => parseFloat(getComputedStyle(document.documentElement).fontSize) === px",
        arg=root_px,
        timeout=WAIT_MS,
    )
    expect(page.locator('[data-testid="stMain"] h1').first).to_be_visible()
    page.wait_for_function(PAGE_DRAWN_JS, timeout=WAIT_MS)
    wait_idle(page)
    if has_map:
        frame = page.locator(MAP_FRAME)
        expect(frame).to_have_count(1)
        expect(frame).to_be_visible()
        wait_for_map(page)
        box = frame.bounding_box()
        assert box is not None and box["height"] >= 300 and box["width"] >= 400, box
    return page.evaluate(_MEASURE_JS)


@pytest.fixture(scope="module")
def normal(app_url: str, browser) -> dict[str, dict]:
    """Each page measured at normal size (no ``text=``): ``{path: measures}``."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    sizes = {}
    for path, _, has_map in PAGES:
        page.goto(f"{app_url}/{path}")
        sizes[path] = settle(page, path, 16.0, has_map)
        assert "text=" not in page.url
    context.close()
    return sizes


@pytest.mark.parametrize("scale", list(SCALES))
def test_large_type_on_every_page_kept_on_navigation(
    app_url: str, open_page, normal: dict, scale: str
) -> None:
    """Opened as ``/?text=<scale>``, then through the navigation bar to every other page: the
    type is ``scale`` times its normal size, nothing sticks out, the map is shown, and the URL
    keeps ``text=<scale>``."""
    factor = float(scale)
    watched = open_page()
    page = watched.page
    page.goto(f"{app_url}/?text={scale}")
    kept = re.compile(rf"[?&]text={re.escape(scale)}(&|$)")
    for n, (path, label, has_map) in enumerate(PAGES):
        if n:
            # the URL changes at the click, before the new page's run: the old page's title
            # (each page has its own) must be gone before the new page is measured
            title = page.locator('[data-testid="stMain"] h1').first
            before = title.inner_text()
            page.get_by_test_id("stTopNavLink").filter(has_text=t(label, "zh")).click()
            expect(title).not_to_have_text(before)
        root = normal[path]["root"] * factor
        measured = settle(page, path, root, has_map)
        expect(page).to_have_url(kept)
        assert measured["para"] == pytest.approx(normal[path]["para"] * factor, rel=0.02), (
            path,
            measured,
        )
        assert measured["scroll"] <= measured["width"], (path, measured)
        assert measured["mainScroll"] <= measured["mainWidth"], (path, measured)
        assert measured["past"] == [], (path, measured)
        assert measured["clipped"] == [], (path, measured)
        if not path:
            wait_for_map(page, sites=len(io.load_sites()))
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / SCALES[scale]))
    watched.assert_clean(deep_link=True)


def test_the_switch_sets_the_size_and_the_link(app_url: str, open_page) -> None:
    """The panel's 字号 switch: 特大 scales the type and writes ``text=1.5`` into the URL,
    标准 takes both back."""
    page = open_page().page
    page.goto(f"{app_url}/records")
    settle(page, "records", 16.0, False)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(t("text_size_1.5", "zh"), exact=True).click()
    settle(page, "records", 24.0, False)
    expect(page).to_have_url(re.compile(r"/records\?(.*&)?text=1\.5(&|$)"))
    expect(sidebar.get_by_role("radiogroup", name=t("text_size", "zh"))).to_be_visible()
    sidebar.get_by_text(t("text_size_1", "zh"), exact=True).click()
    settle(page, "records", 16.0, False)
    expect(page).not_to_have_url(re.compile(r"text="))


#: The legend's rows (swatch colour, text) and, once a site's tooltip is opened, its text.
_LEGEND_JS = """() => [...document.querySelectorAll('.sz-legend .grid > div')].map((row) => {
  const swatch = row.querySelector('i');
  return {colour: swatch ? swatch.style.background : null, text: row.textContent.trim()};
})"""
_TOOLTIP_JS = """() => {
  const layer = L.SzSites.on(map).find((l) => l.n > 0);
  layer.openTooltipFor(0);
  const tip = document.querySelector('.sz-site-tip');
  const program = layer.style[0] >> 1;  // the dot's colour: its first program's
  return {tip: tip ? tip.innerText : null, name: layer.d.programs[program],
          colour: layer.d.colors[program]};
}"""


def test_programs_named_beside_their_colours_deuteranopia(app_url: str, open_page) -> None:
    """Every legend swatch has its program's name; a site's tooltip names its programs; the
    overview seen as with deuteranopia is saved (test-artifacts/deuteranopia-overview.png)."""
    page = open_page().page
    page.goto(app_url + "/")
    state = wait_for_map(page, sites=len(io.load_sites()))
    rows = state.frame.evaluate(_LEGEND_JS)
    programs = io.load_programs()
    assert sorted(row["text"] for row in rows) == sorted(programs["name_zh"]), rows
    assert all(row["colour"] for row in rows), rows
    site = state.frame.evaluate(_TOOLTIP_JS)
    assert site["tip"] is not None, "no site tooltip opened"
    # the tooltip names the program whose colour the dot has (and the legend pairs the two)
    assert t("field_programs", "zh") in site["tip"] and site["name"] in site["tip"], site
    colours = dict(zip(programs["name_zh"], programs["color"], strict=True))
    assert colours[site["name"]].lower() == site["colour"].lower(), site
    # the legend folds on a map this small: open it, as a reader would, for the screenshot
    legend = state.frame.locator(".sz-legend details")
    if legend.get_attribute("open") is None:
        state.frame.locator(".sz-legend summary").click()
    expect(state.frame.locator(".sz-legend .grid")).to_be_visible()
    state.frame.evaluate(_TOOLTIP_JS)
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setEmulatedVisionDeficiency", {"type": "deuteranopia"})
    state.frame.locator(".sz-site-tip").first.wait_for(state="visible")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "deuteranopia-overview.png"))
    session.send("Emulation.setEmulatedVisionDeficiency", {"type": "none"})
