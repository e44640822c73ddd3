"""The map by keyboard, in a real browser: the list of sites under the overview's map is
reached with Tab, Enter opens a site's details (the same a click on its marker shows) and rings
it on the map (the map frame is kept, not loaded again), Escape brings the focus back to the
entry. No mouse is used on the page.

One served app for the module (``streamlit run`` on 127.0.0.1, headless Debian Chromium).
The screenshot goes to ``test-artifacts/keyboard-list.png``.
"""

from __future__ import annotations

from playwright.sync_api import expect

from geo.data import io
from geo.map.leaflet import HIGHLIGHT_CLASS
from geo.text.labels import precision_label, t
from tests.browser.support import (
    ARTIFACTS,
    WAIT_MS,
    probe_script,
    site_positions,
    wait_for_map,
    wait_idle,
    watch,
)
from ui.sitelist import entry_key, list_key

SITES = io.load_sites()
MAP_KEY = "overview_map"
#: Tab presses allowed to reach the entry (sidebar, header, the map's controls come first).
MAX_TABS = 250

#: True once the focus is inside the element of class ``key`` (a Streamlit ``st-key-…``).
_FOCUS_IN_JS = "(cls) => !!(document.activeElement && document.activeElement.closest('.' + cls))"

#: The ring's position on the map ([lat, lon]), or null while the map has none.
_RING_JS = probe_script("ring.js")


def focus_in(page, cls: str) -> bool:
    return page.evaluate(_FOCUS_IN_JS, "st-key-" + cls)


def tab_to(page, cls: str) -> int:
    """Press Tab until the focus is inside ``.st-key-<cls>``; returns the presses needed."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focus_in(page, cls):
            return presses
    raise AssertionError(f"Tab never reached .st-key-{cls} in {MAX_TABS} presses")


def test_a_site_opens_from_the_list_by_keyboard(app_url: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    watched = watch(context)
    page = watched.page
    try:
        page.goto(app_url + "/")
        state = wait_for_map(page, sites=len(SITES), areas=17)
        wait_idle(page)
        state = wait_for_map(page, sites=len(SITES), areas=17)
        site = SITES.iloc[3]
        entry = entry_key(MAP_KEY, site["id"])
        listing = page.locator(f".st-key-{list_key(MAP_KEY)}")
        expect(listing.locator("button")).to_have_count(len(SITES))
        expect(page.get_by_text(t("site_list"), exact=True)).to_be_visible()
        state.frame.evaluate("() => { window.__szKept = true; }")  # gone if the frame reloads
        expect(state.frame.locator(f".{HIGHLIGHT_CLASS}")).to_have_count(0)

        presses = tab_to(page, entry)
        print(f"\nTab presses to reach {site['name']}: {presses}")
        page.keyboard.press("Enter")

        details = page.locator(f".st-key-sz_sitedetails_{MAP_KEY}")
        expect(details).to_contain_text(t("selected_site"))
        expect(details).to_contain_text(site["name"])
        expect(details).to_contain_text(precision_label(site["location_precision"]))
        ring = state.frame.locator(f".{HIGHLIGHT_CLASS}")
        expect(ring).to_have_count(1)
        expect(ring).to_be_visible()
        wait_idle(page)
        assert focus_in(page, entry), "Enter moved the focus off the entry"
        where = state.frame.wait_for_function(
            _RING_JS, arg=HIGHLIGHT_CLASS, timeout=WAIT_MS
        ).json_value()
        drawn = site_positions(state.frame)[site["id"]]
        # on the drawn marker (the site layer sends 5 decimals: about a metre)
        assert abs(where[0] - drawn[0]) < 2e-5 and abs(where[1] - drawn[1]) < 2e-5, (where, drawn)
        assert state.frame.evaluate("() => window.__szKept === true"), "the map frame reloaded"

        # away from the entry (to the details' button), then Escape: back on the entry
        tab_to(page, f"sz_clear_{MAP_KEY}")
        page.keyboard.press("Escape")
        page.wait_for_function(_FOCUS_IN_JS, arg="st-key-" + entry, timeout=WAIT_MS)

        ARTIFACTS.mkdir(exist_ok=True)  # the map's lower part, the list and the details
        listing.evaluate("(e) => e.scrollIntoView({block: 'end'})")
        page.screenshot(path=str(ARTIFACTS / "keyboard-list.png"))
        state.frame.frame_element().screenshot(path=str(ARTIFACTS / "keyboard-ring.png"))
        watched.assert_clean()
    finally:
        context.close()


def test_the_list_speaks_english(app_url: str, browser) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    try:
        page.goto(app_url + "/?lang=en")
        wait_for_map(page, sites=len(SITES), areas=17)
        expect(page.get_by_text(t("site_list", "en"), exact=True)).to_be_visible()
        site = SITES.iloc[3]
        entry = page.locator(f".st-key-{entry_key(MAP_KEY, site['id'])} button")
        expect(entry).to_contain_text(site["name"])
        expect(entry).to_contain_text(precision_label(site["location_precision"], "en"))
    finally:
        context.close()
