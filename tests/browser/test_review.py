"""Each office keeps its own subdistrict, in a real browser: a 党家街道 editor's ledger with a
陡沟街道 row is refused with that row named; the corrected ledger waits for review (the viewers'
map does not show it); a reviewer publishes it (now it does); the audit trail names both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.store.records import Store
from geo.text.labels import message, t
from tests.accounts import PASSWORD
from tests.browser.support import (
    ARTIFACTS,
    VIEWPORT,
    WAIT_MS,
    serve_with_accounts,
    violations,
    wait_for_map,
    wait_idle,
    watch,
)
from tests.intake.ledgers import scope_ledger

DANGJIA = "370103021"
EDITOR, REVIEWER = "dj-editor", "zzb-reviewer"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def app(server_state: Path) -> Iterator[tuple[object, str]]:
    """The app with a 党家街道 editor and a reviewer (review on: the default)."""
    with serve_with_accounts(
        server_state, **{EDITOR: ("street", (DANGJIA,)), REVIEWER: "reviewer"}
    ) as served:
        yield served


def axe():
    return pytest.importorskip("axe_playwright_python.sync_playwright").Axe()


def session(browser, url: str, user: str | None):
    """A browser context of its own; signed in on the Manage page when ``user`` is given."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    watched = watch(context)
    if user:
        page = watched.page
        page.goto(f"{url}/manage")
        page.get_by_label("用户名").fill(user)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_text(f"当前编辑：{user}（")).to_be_visible()
    return watched


def upload(page, path: Path) -> None:
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="上传台账或模板")
    uploader.locator("input[type=file]").set_input_files(
        {"name": path.name, "mimeType": MIME, "buffer": path.read_bytes()}
    )


def grid_cells(scope):
    """The cells of the tables in ``scope`` (glide-data-grid paints on a canvas; its ARIA
    table holds the same text)."""
    grids = scope.get_by_test_id("stDataFrame")
    grids.first.scroll_into_view_if_needed()
    expect(grids.first.locator("table[role=grid] td").first).to_be_attached()
    return grids.locator("table[role=grid] td")


def viewers_map_shows(page, url: str, sites: int) -> None:
    """The viewers' page of 党家街道 draws ``sites`` sites."""
    page.goto(f"{url}/subdistrict?street={DANGJIA}")
    wait_for_map(page, sites=sites)


def test_an_editor_submits_within_their_subdistrict_and_a_reviewer_publishes(
    app, browser, tmp_path: Path
) -> None:
    server, store_url = app
    viewer = session(browser, server.url, None)
    viewers_map_shows(viewer.page, server.url, 5)

    # 1. the editor's ledger with one 陡沟街道 row: refused, that row named, nothing written
    editor = session(browser, server.url, EDITOR)
    page = editor.page
    import_tab = page.get_by_role("tabpanel", name="导入")
    upload(page, scope_ledger(tmp_path).path)
    expect(import_tab.get_by_text("文件有 1 处错误，未写入任何数据")).to_be_visible()
    grid_cells(import_tab)  # drawn
    refused = import_tab.locator("table[role=grid] tr").filter(has_text="不属于您负责的街道")
    expect(refused).to_have_count(1)  # one row refused: row 5, its subdistrict as written
    expect(refused.locator("td")).to_have_text(
        ["阵地台账", "5", "所属街道", "陡沟街道", message("out_of_scope"), "错误"],
        use_inner_text=True,
    )
    wait_idle(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "review-refused-row.png"))

    # 2. corrected: imported as a submission, not on the viewers' map
    corrected = scope_ledger(tmp_path, other=False)
    upload(page, corrected.path)
    import_tab.get_by_role("button", name=t("import_apply")).click()
    expect(import_tab.get_by_text("已提交审核，发布后对外显示")).to_be_visible()
    viewers_map_shows(viewer.page, server.url, 5)
    page.get_by_role("tab", name=re.compile("^我的提交")).click()
    mine = page.get_by_role("tabpanel", name=re.compile("^我的提交"))
    expect(mine.get_by_text(f"待审核 · {corrected.path.name} · {EDITOR}")).to_be_visible()
    wait_idle(page)
    assert not violations(axe(), page)  # WCAG 2.2 AA, as every page

    # 3. the reviewer publishes: the viewers' map shows the two sites
    reviewer = session(browser, server.url, REVIEWER)
    rpage = reviewer.page
    review_tab = rpage.get_by_role("tabpanel", name="审核发布")
    expect(rpage.get_by_role("tab", name="审核发布（待审核 1 项）")).to_be_visible()
    expect(review_tab.get_by_text(f"待审核 · {corrected.path.name} · {EDITOR}")).to_be_visible()
    expect(grid_cells(review_tab).filter(has_text="核实测试服务站")).to_have_count(1)
    wait_idle(rpage)
    rpage.screenshot(path=str(ARTIFACTS / "review-pending.png"))
    assert not violations(axe(), rpage)
    review_tab.get_by_role("button", name="发布").click()
    expect(rpage.get_by_text(f"已发布：{corrected.path.name}")).to_be_visible()
    viewers_map_shows(viewer.page, server.url, 7)

    # 4. the audit trail names both: who published, who submitted
    rpage.get_by_role("tab", name="变更记录").click()
    audit_tab = rpage.get_by_role("tabpanel", name="变更记录")
    cells = grid_cells(audit_tab)
    expect(cells.filter(has_text=REVIEWER).first).to_be_attached()
    expect(cells.filter(has_text=EDITOR).first).to_be_attached()
    store = Store(store_url)
    try:
        log = store.audit_log(2)
    finally:
        store.engine.dispose()
    assert set(log["user"]) == {REVIEWER} and set(log["submitted_by"]) == {EDITOR}
    for watched in (viewer, editor, reviewer):
        watched.assert_clean(deep_link=True)
