"""导出汇报材料 in a real browser: the button downloads a Word file that opens, with the view's
figures and its map picture; 导出地图图片 downloads the picture. Nothing leaves the host.

A real ``streamlit run`` on 127.0.0.1, Debian's headless Chromium (see tests/browser/support.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from PIL import Image
from playwright.sync_api import expect

from geo.data import kpi
from geo.data.citations import cite
from geo.data.filters import RecordFilter
from geo.load import load_dataset
from geo.store.records import Store
from tests.browser.support import ARTIFACTS, WAIT_MS

DANGJIA = "370103021"


@pytest.fixture(scope="module")
def served(app_url: str, server_state: Path) -> tuple[str, str]:
    """The served app's URL and its state folder (conftest.py)."""
    return app_url, str(server_state)


@pytest.fixture
def watched(new_watched):
    return new_watched(accept_downloads=True)


def download(page, label: str):
    button = page.get_by_role("button", name=label)
    expect(button).to_be_enabled()
    with page.expect_download(timeout=WAIT_MS) as info:
        button.click()
    return info.value


def test_overview_button_downloads_the_brief_of_the_filtered_view(served, watched):
    url, state = served
    page = watched.page
    page.goto(f"{url}/?street={DANGJIA}&program=cross_village")
    expect(page.get_by_role("button", name="导出汇报材料")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "brief-buttons.png"))
    got = download(page, "导出汇报材料")
    assert got.suggested_filename == "党家街道_跨村联建_汇报材料.docx"
    path = ARTIFACTS / "brief-dangjia-cross-village.docx"
    got.save_as(path)

    document = docx.Document(path)
    assert document.paragraphs[0].text == "党建引领基层治理情况汇报材料"
    assert document.paragraphs[1].text == "范围：党家街道 · 跨村联建"
    assert len(document.inline_shapes) == 1
    # the figures the page shows, from the store the app serves
    store = Store.open(f"sqlite:///{state}/shizhong.sqlite")
    data = load_dataset(store)
    store.engine.dispose()
    record_filter = RecordFilter(subdistricts=(DANGJIA,), programs=("cross_village",))
    shown = kpi.reported_metrics(
        data.metrics, record_filter, data.units, data.sites, data.alliances
    )
    table = document.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [
            str(i),
            m.name_zh,
            m.display,
            kpi.format_period(m.year, m.period),
            cite(m.source, data.sources),
        ]
        for i, m in enumerate(shown.itertuples(index=False), start=1)
    ]
    for value in ("≤45 岁", "≥50%", "5 个"):
        expect(page.get_by_text(value, exact=True).first).to_be_visible()  # also on the page
    watched.assert_clean()


def test_program_page_downloads_the_map_picture(served, watched):
    url, _ = served
    page = watched.page
    page.goto(f"{url}/program?program=red_property")
    expect(page.get_by_role("heading", name="红色物业")).to_be_visible()
    got = download(page, "导出地图图片")
    assert got.suggested_filename == "红色物业_汇报材料.png"
    with Image.open(io.BytesIO(open(got.path(), "rb").read())) as picture:
        assert picture.format == "PNG" and picture.size == (1920, 1080)
    got = download(page, "导出汇报材料")
    document = docx.Document(got.path())
    assert document.paragraphs[1].text == "范围：红色物业"
    watched.assert_clean(deep_link=True)
