"""Placing a village by clicking the map, in a real browser: its sites move with it.

An editor logs in on the Manage page (a local account from a secrets file of the test's own),
follows a to-do link (``?place=unit:CODE``) that opens the 定位 tab on the village, clicks the
map and saves; the overview then draws the village's seat-only sites where the click was.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.data.sitetable import SPREAD_STEP_DEG
from geo.store.records import Store
from tests.browser.support import (
    WAIT_MS,
    click_map,
    serve_with_editor,
    site_positions,
    wait_for_map,
    watch,
)

UNIT = "370103022209"  # 大庙屯村, 陡沟街道: its site is known only to the subdistrict
SITE = "v-370103022209"
PASSWORD = "place-by-click"


@pytest.fixture(scope="module")
def app(server_state: Path) -> Iterator[tuple[str, str]]:
    """The served app's URL (editor ``placer`` from a secrets file of its own) and its store's
    URL."""
    with serve_with_editor(server_state, "placer", PASSWORD) as (server, store_url):
        yield server.url, store_url


def test_placing_a_village_by_click_moves_its_sites(app, browser) -> None:
    url, store_url = app
    store = Store(store_url)
    site = store.get("sites", SITE)
    assert site["unit_code"] == UNIT and site["location_precision"] == "subdistrict"
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    watched = watch(context)
    page = watched.page
    page.goto(f"{url}/?street=370103022")
    before = site_positions(wait_for_map(page, sites=5).frame)[SITE]
    page.goto(f"{url}/manage?place=unit:{UNIT}")
    page.get_by_label("用户名").fill("placer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # the to-do link opened the 定位 tab on the village
    expect(page.get_by_role("tab", name="定位", selected=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="选择要定位的村/社区")).to_have_value(
        "大庙屯村（陡沟） · 未定位"
    )
    state = wait_for_map(page)
    lat, lon, degrees_per_px = click_map(page, state.frame, 0.4, 0.6)
    save = page.get_by_role("button", name="保存新位置")
    expect(save).to_be_visible()
    save.click()
    expect(page.get_by_text("已保存村/社区位置")).to_be_visible()

    placed = store.get("units", UNIT)
    assert placed is not None and placed["location_precision"] == "exact"
    assert placed["source"] == "地图点选（placer）"
    # where the click landed (a few pixels of slack: the view may settle as it is clicked)
    slack = 10 * degrees_per_px
    assert abs(placed["lon"] - lon) < slack and abs(placed["lat"] - lat) < slack
    assert store.get("sites", SITE)["lon"] == site["lon"], "the site's record is unchanged"
    audit = store.audit_log(1).iloc[0]
    assert (audit["entity"], audit["record_id"], audit["user"]) == ("units", UNIT, "placer")

    page.goto(f"{url}/?street=370103022")
    state = wait_for_map(page, sites=5)
    drawn = site_positions(state.frame)[SITE]
    # at the village's position, fanned out beside its other site (both are indicative)
    step = 2 * SPREAD_STEP_DEG
    assert abs(drawn[0] - placed["lat"]) < step and abs(drawn[1] - placed["lon"]) < step
    assert abs(drawn[0] - before[0]) + abs(drawn[1] - before[1]) > 2 * step, "it moved"
    watched.assert_clean(deep_link=True)
    store.engine.dispose()
