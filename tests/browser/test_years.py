"""The map through the years in a real browser: 逐年查看, 播放, and a link to one year.

The served store holds synthetic sites built in 2022, 2023 and 2024 (one of 2022 merged in
2024: shown in 2022 and 2023, not in 2024) and a few without a year (never shown in a year).
What the page shows over time is recorded in the page itself (tests/browser/js/years-recorder.js:
the URL's year and the sites the map has drawn, at each change), so that the test waits on a
condition and then reads the whole sequence, never on a fixed pause.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from bench import synthetic
from tests.browser.support import (
    ARTIFACTS,
    PAGE_DRAWN_JS,
    WAIT_MS,
    probe_script,
    violations,
    wait_for_map,
    wait_idle,
)

YEARS = (2022, 2023, 2024)
#: The site merged (撤并) in 2024: on the map in 2022 and 2023 only.
MERGED_ID = f"{synthetic.ID_PREFIX}000000"
UNDATED = 3
SHOTS = ARTIFACTS / "years"
SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "1366x768": {"width": 1366, "height": 768}}
_RECORDER_JS = probe_script("years-recorder.js")


def _sites() -> pd.DataFrame:
    sites = synthetic.make_sites(90, seed=29, years=(YEARS[0], YEARS[-1]))
    sites.loc[sites["id"] == MERGED_ID, ["year", "end_year"]] = [YEARS[0], YEARS[-1]]
    sites.loc[sites.index[-UNDATED:], "year"] = pd.NA
    return sites


SITES = _sites()


def shown_in(year: int | None) -> int:
    """How many sites the map shows in ``year`` (None: every year), by the rule itself: built
    by then, not merged or closed by then."""
    if year is None:
        return len(SITES)
    built = SITES["year"].fillna(9999) <= year
    standing = SITES["end_year"].isna() | (SITES["end_year"].fillna(0) > year)
    return int((built & standing).sum())


@pytest.fixture(scope="module")
def server_state(server_state: Path) -> Path:
    """The served app's state folder (conftest.py), its store holding :data:`SITES`."""
    synthetic.write_store(server_state, SITES)
    return server_state


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def play_button(page, name: str):
    return sidebar(page).get_by_role("button", name=name, exact=True)


def test_counts_differ_from_year_to_year() -> None:
    """The three years are told apart by their counts, and the merged site counts as said."""
    counts = [shown_in(year) for year in YEARS]
    assert len(set(counts)) == 3 and shown_in(None) == len(SITES)
    built_2024 = int((SITES["year"] == 2024).sum())
    assert counts[2] == counts[1] + built_2024 - 1  # the merged site leaves in 2024


def test_play_steps_the_map_through_the_years(app_url: str, new_watched) -> None:
    """播放 shows 2022's sites, then 2023's, then 2024's, the URL saying which year; then it
    stops (the button reads 播放 again) at the last year."""
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=shown_in(None))
    wait_idle(page)
    page.evaluate(_RECORDER_JS)
    play_button(page, "播放").click()
    expect(play_button(page, "暂停")).to_be_visible()
    page.wait_for_function(
        "([year, sites]) => window.__seen.some(([y, n]) => y === year && n === sites)",
        arg=[str(YEARS[-1]), shown_in(YEARS[-1])],
        timeout=WAIT_MS,
    )
    seen = [tuple(entry) for entry in page.evaluate("() => window.__seen")]
    wanted = [(str(year), shown_in(year)) for year in YEARS]
    positions = [seen.index(state) if state in seen else -1 for state in wanted]
    assert -1 not in positions and positions == sorted(positions), (wanted, seen)
    expect(play_button(page, "播放")).to_be_visible()  # stopped after the last year
    assert f"year={YEARS[-1]}" in page.url
    wait_for_map(page, sites=shown_in(YEARS[-1]))
    watched.assert_clean()


def test_a_link_to_a_year_shows_that_year(app_url: str, new_watched) -> None:
    """``?year=2023`` opens the map at 2023, the year view says so and how many have no year."""
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/?year=2023")
    wait_for_map(page, sites=shown_in(2023))
    bar = sidebar(page)
    expect(bar.get_by_test_id("stSlider").filter(has_text="逐年查看")).to_contain_text("2023年")
    expect(bar).to_contain_text("2023年：显示当年已建成、未撤并的点位")
    expect(bar).to_contain_text(f"未注明年份的 {UNDATED} 处不显示")
    assert "year=2023" in page.url
    watched.assert_clean()


def test_the_year_view_passes_axe(app_url: str, new_watched) -> None:
    """The panel with the year view (a year chosen, then playing) has no WCAG 2.2 A/AA
    violation (tests/browser/test_a11y.py's rules; its shipped data spans one year: no view)."""
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_sync.Axe()
    page = new_watched().page
    page.goto(app_url + "/?year=2023")
    wait_for_map(page, sites=shown_in(2023))
    page.wait_for_function(PAGE_DRAWN_JS)
    wait_idle(page)
    assert violations(axe, page) == []
    page.goto(app_url + "/")  # every year: the play has three years to go
    wait_for_map(page, sites=shown_in(None))
    wait_idle(page)
    play_button(page, "播放").click()
    expect(sidebar(page)).to_contain_text("正在播放")
    # the pointer off the panel: nothing in it shows on hover while axe looks
    page.locator('[data-testid="stMain"] h1').first.hover()
    found = violations(axe, page)
    expect(play_button(page, "播放")).to_be_visible(timeout=WAIT_MS)  # it stops by itself
    assert found == []


def test_pause_stops_the_play_at_the_year_shown(app_url: str, new_watched) -> None:
    """暂停 stops the play: its timer is gone (no 正在播放), the button reads 播放, and the map
    keeps the year the URL names."""
    watched = new_watched()
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=shown_in(None))
    wait_idle(page)
    play_button(page, "播放").click()
    expect(sidebar(page)).to_contain_text("正在播放")
    play_button(page, "暂停").click()
    expect(play_button(page, "播放")).to_be_visible()
    expect(sidebar(page).get_by_text("正在播放", exact=False)).to_have_count(0)
    wait_idle(page)
    year = int(page.url.split("year=")[1][:4])
    assert year in YEARS[:2]  # paused before the last year
    wait_for_map(page, sites=shown_in(year))
    watched.assert_clean()


@pytest.mark.parametrize("size", SIZES)
def test_year_view_screenshots(app_url: str, new_watched, size: str) -> None:
    """Screenshots of the year view with a year chosen and while playing (kept as artefacts),
    and the panel's controls fit the sidebar (nothing wider than it)."""
    watched = new_watched(viewport=SIZES[size])
    page = watched.page
    page.goto(app_url + "/?year=2023")
    wait_for_map(page, sites=shown_in(2023))
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    slider = sidebar(page).get_by_test_id("stSlider").filter(has_text="逐年查看")
    caption = sidebar(page).get_by_text("显示当年已建成", exact=False)
    caption.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"year-chosen-{size}.png"))
    bar = sidebar(page).bounding_box()
    for control in (slider, play_button(page, "播放")):
        box = control.bounding_box()
        assert box is not None and bar is not None
        assert box["x"] >= bar["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"]
    page.goto(app_url + "/")  # every year: the play has three years to go
    wait_for_map(page, sites=shown_in(None))
    wait_idle(page)
    play_button(page, "播放").click()
    expect(sidebar(page)).to_contain_text("正在播放")
    page.mouse.move(SIZES[size]["width"] // 2, 5)  # off the button: no tooltip over the panel
    expect(page.get_by_text("从第一年起逐年播放地图")).to_have_count(0)
    sidebar(page).get_by_text("正在播放", exact=False).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"playing-{size}.png"))
    expect(play_button(page, "播放")).to_be_visible()  # it stops by itself after 2024
    watched.assert_clean()
