"""What an official sees, in a real browser at 1920×1080, 1366×768 and on a phone (390×844):
the map first on the overview, subdistrict names that never overlap, Chinese on the Records
page and in its downloads, a big screen with no empty slide in either tour.

One served app for the module (``streamlit run`` on 127.0.0.1, headless Debian Chromium).
Screenshots go to ``test-artifacts/``; the measured map shares are printed (``-s`` shows them).
"""

from __future__ import annotations

import csv
import io as stdio
import json
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from geo.data import io
from geo.text.labels import t
from tests.browser.support import ARTIFACTS, WAIT_MS, probe_script, wait_for_map, wait_idle

SITES = io.load_sites()
SIZES = {"desktop": (1920, 1080), "laptop": (1366, 768), "phone": (390, 844)}
#: The dense urban core the issue names: readable in the 城区 view.
CORE = ("魏家庄", "大观园", "泺源", "杆石桥", "四里村", "舜玉路", "舜耕")


@pytest.fixture
def open_page(new_watched):
    """``open_page(width, height)``: a watched page in a fresh context of that size."""

    def make(width: int, height: int):
        return new_watched({"width": width, "height": height}, accept_downloads=True)

    return make


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


# --- the overview: map first, names that never overlap ----------------------------------------

#: The map frame's share of the first screen (the viewport, nothing scrolled), the share of the
#: map that is on it, horizontal overflow, and where the filter panel is.
_LAYOUT_JS = probe_script("layout.js")

#: The subdistrict names drawn now (not hidden), with their boxes, and every pair that overlaps.
_LABELS_JS = probe_script("labels.js")


def labels_settled(frame) -> dict:
    """The labels once the map has stopped moving (two reads a moment apart agree)."""
    previous = None
    for _ in range(40):
        current = frame.evaluate(_LABELS_JS)
        if current == previous:
            return current
        previous = current
        frame.page.wait_for_timeout(250)
    return previous


@pytest.mark.parametrize("size", list(SIZES))
def test_overview_map_first_and_names_never_overlap(app_url: str, open_page, size: str) -> None:
    width, height = SIZES[size]
    watched = open_page(width, height)
    page = watched.page
    page.goto(app_url + "/")
    state = wait_for_map(page, sites=len(SITES), areas=17)
    wait_idle(page)
    state = wait_for_map(page, sites=len(SITES), areas=17)
    labels = labels_settled(state.frame)
    layout = page.evaluate(_LAYOUT_JS)
    print(
        f"\n{size} {width}x{height}: map share {layout['share']:.2f} of the first screen, "
        f"{layout['visible']:.2f} of the map on it; labels {len(labels['shown'])}/"
        f"{labels['total']} shown at zoom {labels['zoom']}, overlapping pairs {labels['pairs']}"
    )
    shot(page, f"ux-overview-{width}x{height}.png")
    assert labels["total"] == 17
    assert labels["pairs"] == [], f"overlapping subdistrict names: {labels['pairs']}"
    assert layout["overflow"] <= 0 and layout["mainOverflow"] <= 0, layout  # no sideways scroll
    if size == "desktop":
        assert layout["share"] >= 0.5, layout  # the map fills most of the first screen
        assert layout["bottom"] <= 0, layout  # and ends on it: its legend is not cut off
        assert len(labels["shown"]) == 17
    elif size == "laptop":
        assert layout["visible"] >= 0.5, layout  # at least half the map without scrolling
        assert layout["bottom"] <= 0, layout
    else:  # the phone: the filter panel starts folded, its button is at hand, the map is on
        assert layout["sidebarRight"] <= 0 or layout["sidebarWidth"] == 0, layout
        expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
        assert layout["visible"] >= 0.4, layout
        page.get_by_test_id("stExpandSidebarButton").click()
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_role("combobox", name="街道", exact=True)).to_be_visible()
        shot(page, f"ux-overview-{width}x{height}-filters.png")
    # the headline figures: one row of cards of one height, the rest one click away
    cards = page.locator('.st-key-sz_cards [data-testid="stMetric"]')
    boxes = cards.evaluate_all("(els) => els.map((e) => e.getBoundingClientRect().height)")
    heights = {round(h) for h in boxes if h > 0}  # (a phone shows the first two only)
    assert len([h for h in boxes if h > 0]) >= 2 and len(heights) == 1, boxes
    watched.assert_clean()


def test_every_figure_is_one_click_away_by_program(app_url: str, open_page) -> None:
    watched = open_page(1920, 1080)
    page = watched.page
    page.goto(app_url + "/")
    wait_for_map(page, sites=len(SITES), areas=17)
    wait_idle(page)
    n = len(io.load_metrics())
    page.get_by_role("button", name=t("all_reported", n=n)).click()
    popover = page.get_by_test_id("stPopoverBody")
    expect(popover.get_by_test_id("stMetric")).to_have_count(n)
    programs = io.load_programs()
    for key in set(io.load_metrics()["program"]):
        name = programs.set_index("key").loc[key, "name_zh"]
        expect(popover.get_by_text(name, exact=True)).to_be_visible()
    shot(page, "ux-overview-all-figures.png")
    watched.assert_clean()


def test_the_urban_core_view_shows_every_core_name_apart(app_url: str, open_page) -> None:
    watched = open_page(1366, 768)
    page = watched.page
    page.goto(app_url + "/")
    state = wait_for_map(page, sites=len(SITES), areas=17)
    wait_idle(page)
    before = labels_settled(state.frame)
    state.frame.get_by_role("button", name=t("map_core")).click()
    expect(state.frame.get_by_role("button", name=t("map_all"))).to_be_visible()
    state.frame.wait_for_function("(zoom) => map.getZoom() > zoom", arg=before["zoom"])
    after = labels_settled(state.frame)
    print(f"\n城区 view: zoom {before['zoom']} -> {after['zoom']}, shown {after['shown']}")
    assert after["pairs"] == []
    assert set(CORE) <= set(after["shown"]), after
    shot(page, "ux-overview-1366x768-core.png")
    watched.assert_clean()


# --- Records: Chinese headers on the page and in every download --------------------------------

PEOPLE_HEADERS = ["名称", "类型", "街道", "村/社区", "项目", "年份", "位置精度"]
CODE_HEADERS = ["编号", "街道代码", "村/社区代码", "项目代码"]


def download(page, label: str) -> bytes:
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return info.value.path().read_bytes()


def test_records_in_chinese_on_the_page_and_in_the_downloads(app_url: str, open_page) -> None:
    watched = open_page(1366, 768)
    page = watched.page
    page.goto(app_url + "/records?kind=community")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("table[role=grid] thead th").first).to_be_attached()
    headers = grid.locator("table[role=grid] thead th").all_text_contents()
    assert headers[: len(PEOPLE_HEADERS)] == PEOPLE_HEADERS, headers
    assert not any(re.fullmatch(r"[a-z_]+", h) for h in headers), headers
    wait_idle(page)
    shot(page, "ux-records-1366x768.png")

    text = download(page, t("download_csv")).decode("utf-8-sig")
    rows = list(csv.reader(stdio.StringIO(text)))
    assert rows[0][: len(PEOPLE_HEADERS)] == PEOPLE_HEADERS and rows[0][-4:] == CODE_HEADERS
    assert len(rows) == 1 + 6 and {row[1] for row in rows[1:]} == {"社区"}
    assert all(row[-3].startswith("370103") for row in rows[1:])  # the codes stay, at the end

    workbook = openpyxl.load_workbook(stdio.BytesIO(download(page, t("download_xlsx"))))
    sheet = workbook.active
    assert sheet.title == "点位"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][: len(PEOPLE_HEADERS)]) == PEOPLE_HEADERS
    assert list(values[0][-4:]) == CODE_HEADERS and len(values) == 7

    collection = json.loads(download(page, t("download_geojson")))
    assert len(collection["features"]) == 6
    feature = collection["features"][0]
    assert set(PEOPLE_HEADERS + CODE_HEADERS) <= set(feature["properties"])
    assert "经度" not in feature["properties"] and len(feature["geometry"]["coordinates"]) == 2
    assert feature["properties"]["来源"].startswith("《执党建引领之笔")  # readable, not a key
    watched.assert_clean(deep_link=True)


def test_the_sources_page_lists_every_cited_document(app_url: str, open_page) -> None:
    watched = open_page(1366, 768)
    page = watched.page
    page.goto(app_url + "/sources")
    main = page.get_by_test_id("stMain")
    expect(main.locator('[class*="st-key-source-"]')).to_have_count(len(io.load_sources()))
    for citation in io.load_sources()["citation"]:
        if re.search(r"[\u4e00-\u9fff]", citation):  # in full, wherever it is Chinese
            expect(main).to_contain_text(citation)
    expect(main).to_contain_text("数据更新于 ")
    assert "article-2024" not in main.text_content()
    wait_idle(page)
    shot(page, "ux-sources-1366x768.png")
    watched.assert_clean(deep_link=True)


# --- the big screen: no empty slide in either tour ---------------------------------------------

BIG_SCREEN = "/present?embed=true&embed_options=dark_theme&embed_options=hide_loading_screen&tour=0"

#: What a slide shows: its title, each chart's bar values, the tiles' values.
_SLIDE_JS = """() => ({
  title: document.querySelector('.sz-spot h2').textContent,
  charts: [...document.querySelectorAll('.js-plotly-plot')].map(
    (p) => (p.data || []).flatMap((trace) => Array.from(trace.y || []))),
  values: [...document.querySelectorAll('.sz-value')].map((e) => e.textContent.trim()),
  chartBoxes: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  ticker: (document.querySelector('.sz-ticker') || {}).textContent || "",
  head: document.querySelector('.sz-head').textContent,
})"""


@pytest.mark.parametrize("by", ["program", "street"])
def test_no_slide_of_either_tour_is_empty(app_url: str, open_page, by: str) -> None:
    watched = open_page(1920, 1080)
    page = watched.page
    page.goto(app_url + BIG_SCREEN + f"&by={by}")
    page.wait_for_selector(".sz-tile", timeout=WAIT_MS)
    total = int(re.search(r"/(\d+)", page.locator(".sz-step").text_content()).group(1))
    items = len(io.load_programs() if by == "program" else io.load_subdistricts())
    assert total == 1 + items  # the overview, then each program or subdistrict
    problems, seen = [], []
    for index in range(total):
        title = page.locator(".sz-spot h2").text_content()
        wait_for_map(page)
        wait_idle(page)
        slide = page.evaluate(_SLIDE_JS)
        if slide["chartBoxes"]:  # a chart is drawn: wait for its bars, then read them
            page.wait_for_function(
                "() => [...document.querySelectorAll('.js-plotly-plot')].every((p) => p.data)"
            )
            slide = page.evaluate(_SLIDE_JS)
        seen.append(slide["title"])
        if not slide["values"]:
            problems.append(f"{title}: no figure")
        if any(re.match(r"0(\D|$)", v) for v in slide["values"]):
            problems.append(f"{title}: a zero among {slide['values']}")
        for bars in slide["charts"]:
            if not bars or not any(v > 0 for v in bars) or any(v == 0 for v in bars):
                problems.append(f"{title}: empty chart or zero bars {bars}")
        if "article-2024" in page.get_by_test_id("stMain").text_content():
            problems.append(f"{title}: a citation shown as its key")
        if index == 0:
            assert slide["title"] == "市中区全区概览"
            assert re.search(r"数据更新于 \d{4}-\d\d-\d\d \d\d:\d\d", slide["head"])
            assert all(e in slide["ticker"] for e in io.load_events()["title_zh"])
            wait_for_map(page, sites=len(SITES), areas=17)  # every program on the map
        shot(page, f"ux-present-{by}-{index:02d}.png")
        page.get_by_role("button", name=t("present_next")).click()
        expect(page.locator(".sz-spot h2")).not_to_have_text(title)
    assert len(set(seen)) == total, seen
    assert not problems, problems
    watched.assert_clean(deep_link=True)
