"""Issue #29 in Chromium: the overview's cards compare each figure with its previous year and
its target (a trend line from three years), pass axe, and read at 1920×1080 and 1366×768."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.intake.ledger import import_file
from geo.store.records import Store
from tests.browser.support import ARTIFACTS, PAGE_DRAWN_JS, violations
from tests.intake.figures import figures_ledger

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
SHOTS = ARTIFACTS / "periods"


@pytest.fixture(scope="module")
def server_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data plus the test's figures ledger of 2022-2024."""
    state = tmp_path_factory.mktemp("cards-state")
    store = Store.open(f"sqlite:///{state / 'shizhong.sqlite'}")
    assert import_file(figures_ledger(state), store, "区委组织部").ok
    store.engine.dispose()
    return state


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=["1920", "1366"])
def test_the_cards_compare_and_pass_axe(app_url: str, new_watched, size) -> None:
    width, height = size
    watched = new_watched(viewport={"width": width, "height": height})
    page = watched.page
    page.goto(f"{app_url}/?program=new_employment")
    page.wait_for_function(PAGE_DRAWN_JS)
    card = page.locator('[class*="st-key-szc-"]', has_text="新建暖心驿站").first
    expect(card.get_by_test_id("stMetricValue")).to_have_text("18 个")
    expect(card.get_by_test_id("stMetricDelta")).to_have_text("+3 个（+20%）")
    expect(card.get_by_test_id("stMetricDeltaDescription")).to_have_text("较2023年")
    expect(card).to_contain_text("2024年度 · 完成目标 90%（目标 20 个）")
    trend = card.locator("svg.sz-trend")  # three years: a trend line, named for screen readers
    expect(trend).to_be_visible()
    expect(trend).to_have_attribute(
        "aria-label", "历年变化：2022年度 12 个，2023年度 15 个，2024年度 18 个"
    )
    box = card.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width  # the card fits the screen
    one = page.locator('[class*="st-key-szc-"]', has_text="骑手担任兼职网格员").first
    expect(one.get_by_test_id("stMetricDelta")).to_have_text("截至2024年")  # one period
    expect(one.locator("svg.sz-trend")).to_have_count(0)
    page.wait_for_function(PAGE_DRAWN_JS)
    found = violations(axe_sync.Axe(), page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"cards-{width}x{height}.png"))
    assert not found, "\n".join(found)
    watched.assert_clean()
