"""WCAG 2.2 AA on every page, measured with axe-core (axe-playwright-python bundles it: offline).

Each page, at 1920×1080 and at a phone's width (390×844), in Chinese and in English
(``?lang=en``): axe's WCAG 2.0/2.1/2.2 A and AA rules find nothing, in the page and in each
of its frames (the map is the st_folium component's iframe), and the document's ``lang`` is
the language its text is in. One served app and one browser for the module.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.support import PAGE_DRAWN_JS, WAIT_MS, violations, wait_for_map, wait_idle

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

SIZES = {"desktop": (1920, 1080), "phone": (390, 844)}
LANGS = {"zh": "zh-CN", "en": "en"}
BIG_SCREEN = "/present?embed=true&embed_options=dark_theme&embed_options=hide_loading_screen&tour=0"
#: Each page: its path and whether it shows a map. The 管理 page shows its login form (the
#: test server has editing on and nobody logged in).
PAGES = {
    "overview": ("/", True),
    "subdistrict": ("/subdistrict?street=370103022", True),
    "program": ("/program?program=cross_village", True),
    "records": ("/records", False),
    "sources": ("/sources", False),
    "manage": ("/manage", False),
    "present": (BIG_SCREEN, True),
}

#: True once every table (st.dataframe) of the page has drawn its grid.
_TABLES_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .every((table) => table.querySelector("canvas"))"""


@pytest.fixture(scope="module")
def axe():
    return axe_sync.Axe()


def with_lang(path: str, lang: str) -> str:
    if lang == "zh":
        return path
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", list(LANGS))
def test_every_page_passes_axe(app_url: str, browser, axe, lang: str, size: str) -> None:
    """Every page, its frames included, has no WCAG 2.2 A/AA violation and the right lang."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    problems = {}
    try:
        for name, (path, has_map) in PAGES.items():
            started = time.monotonic()
            page.goto(app_url + with_lang(path, lang))
            expect(page.get_by_test_id("stMain")).to_be_visible()
            # the document's language: the app sets it (Streamlit's index.html says "en")
            expect(page.locator("html")).to_have_attribute("lang", LANGS[lang])
            if has_map:
                wait_for_map(page)
            if name != "present":  # the big screen draws its own frame, no freshness line
                page.wait_for_function(PAGE_DRAWN_JS)
            wait_idle(page)
            # tables are drawn a moment after the run (checked once drawn, not as skeletons)
            page.wait_for_function(_TABLES_DRAWN_JS)
            found = violations(axe, page)
            if found:
                problems[name] = found
            print(f"{name} {size} {lang}: {len(found)} ({time.monotonic() - started:.1f} s)")
    finally:
        context.close()
    report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in problems.items())
    assert not problems, f"axe violations ({size}, {lang}):\n{report}"
