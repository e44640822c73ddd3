"""Every office's ledger as it is written: a value that matches nothing is asked about on the
page, and the next ledger from that office imports with no question.

An editor uploads an office's ledger (its own headers) whose 项目类别 is ``新业态党建工作``, a
value that names no program. The Manage page's import tab asks what it means with a select box
(its closest candidate, 新就业群体党建, offered first); once chosen, the check runs again and the
file is ready to import. Applying remembers the choice with the office's header set, so the
office's next ledger, with the same value, is ready at once: no question asked.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from geo.store.records import Store
from geo.text.labels import t
from tests.browser.support import ARTIFACTS, VIEWPORT, WAIT_MS, serve_with_editor, wait_idle, watch
from tests.intake import ledgers

PASSWORD = "office-values"
UNKNOWN = "新业态党建工作"  # names no program
CLOSEST = "新就业群体党建"  # the program it means (key new_employment)
CHUNYUANLI = "370103003001"  # 杆石桥街道 春元里社区
LABEL = f"「项目类别」列的“{UNKNOWN}”（第 2–3 行）"

PICK = t("import_unmatched_pick")  # （请选择）
ASKED = t("import_unmatched")
APPLY = t("import_apply")  # 确认导入
READY = t("import_ready", summary="")[:5]  # 检查通过：
DONE = t("import_done", summary="")[:5]  # 导入完成：
ERRORS = re.compile(r"文件有 \d+ 处错误")  # import_errors: nothing written
#: import_choose_values: only questions are left, the file itself needs no change
CHOOSE = "还有 1 个值未能识别：请在上方逐一选择它指的是什么，选完即可导入，无需修改文件。"

FIRST = ["值班一号驿站", "值班二号驿站"]
LATER = "值班三号驿站"


def office_ledger(names: list[str], seed: int) -> bytes:
    """The office's small ledger: its own headers, 项目类别 as the office writes it."""
    book = Workbook()
    ws = book.active
    ws.title = "杆石桥街道"
    ws.append(["站点名称", "类型", "所属社区", "项目类别", "经度", "纬度", "坐标系"])
    points = ledgers.points_in("杆石桥街道", len(names), seed=seed)
    for name, (lon, lat) in zip(names, points, strict=True):
        ws.append([name, "驿站", "春元里", UNKNOWN, lon, lat, "WGS-84"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def app(server_state: Path) -> Iterator[tuple[object, str]]:
    """The served app (editor ``office`` from a secrets file of its own) and its store's URL."""
    with serve_with_editor(server_state, "office", PASSWORD) as served:
        yield served


def log_in(page, url: str) -> None:
    page.goto(f"{url}/manage")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("tab", name="导入", selected=True)).to_be_visible()


def upload(page, name: str, content: bytes) -> None:
    """Give the import tab's uploader a file (the backup tab has an uploader of its own)."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="上传台账或模板")
    uploader.locator("input[type=file]").set_input_files(
        {
            "name": name,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": content,
        }
    )


def apply_import(import_tab) -> None:
    """Click 确认导入 and wait for 导入完成."""
    import_tab.get_by_role("button", name=APPLY).click()
    expect(import_tab.get_by_text(DONE)).to_be_visible()


def editor_session(browser, url: str):
    """A browser context of its own, logged in on the Manage page's import tab."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(WAIT_MS)
    watched = watch(context)
    log_in(watched.page, url)
    return watched, watched.page.get_by_role("tabpanel", name="导入")


def stored_sites(store_url: str):
    store = Store(store_url)
    try:
        sites = store.read("sites")
    finally:
        store.engine.dispose()
    return sites[sites["name"].isin([*FIRST, LATER])]


def test_an_unmatched_value_is_asked_once_and_the_next_ledger_goes_straight_in(
    app, browser
) -> None:
    server, store_url = app
    # the office's first ledger: the value is asked about, closest candidate first
    watched, import_tab = editor_session(browser, server.url)
    page = watched.page
    upload(page, "杆石桥街道台账.xlsx", office_ledger(FIRST, seed=41))
    expect(import_tab.get_by_text(ASKED)).to_be_visible()
    question = import_tab.get_by_test_id("stSelectbox").filter(has_text=LABEL)
    expect(question).to_have_count(1)
    expect(question.get_by_test_id("stWidgetLabel")).to_have_text(LABEL)
    expect(question.get_by_role("combobox")).to_have_value(PICK)
    expect(import_tab.get_by_text(CHOOSE)).to_be_visible()
    expect(import_tab.get_by_text(ERRORS)).to_have_count(0)
    expect(import_tab.get_by_role("button", name=APPLY)).to_have_count(0)
    wait_idle(page)
    # in the middle of the view, its list opens downwards: label and options both seen
    question.evaluate("e => e.scrollIntoView({block: 'center'})")
    question.get_by_role("combobox").click()
    offered = page.locator("[role=option]")
    expect(offered.first).to_have_text(PICK)
    expect(offered.nth(1)).to_have_text(CLOSEST)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "unmatched-value.png"))
    offered.filter(has_text=CLOSEST).first.click()

    # chosen: checked again with the choice, ready, applied
    expect(question.get_by_role("combobox")).to_have_value(CLOSEST)
    expect(import_tab.get_by_text(READY)).to_be_visible()
    expect(import_tab.get_by_text("将新增 2 条")).to_be_visible()
    wait_idle(page)
    apply_import(import_tab)
    wait_idle(page)
    watched.assert_clean(deep_link=True)
    watched.page.context.close()
    assert len(stored_sites(store_url)) == 2

    # the office's next ledger, in a session of its own (nothing carried over from the
    # first one): same headers, same value, no question
    watched, import_tab = editor_session(browser, server.url)
    page = watched.page
    upload(page, "杆石桥街道下月台账.xlsx", office_ledger([LATER], seed=43))
    outcome = import_tab.get_by_text(READY).or_(import_tab.get_by_text(ERRORS))
    expect(outcome.or_(import_tab.get_by_text(CHOOSE))).to_be_visible()
    wait_idle(page)
    asked = import_tab.get_by_test_id("stSelectbox").filter(has_text=UNKNOWN)
    if asked.count() or import_tab.get_by_text(ASKED).count():
        page.screenshot(path=str(ARTIFACTS / "unmatched-value-asked-again.png"))
        pytest.fail(
            f"the office's next ledger was asked about again: {asked.all_inner_texts()}; "
            f"page: {import_tab.inner_text()}"
        )
    expect(import_tab.get_by_text(READY)).to_be_visible()
    expect(import_tab.get_by_text("将新增 1 条")).to_be_visible()
    apply_import(import_tab)
    wait_idle(page)
    shown = " ".join(import_tab.all_inner_texts())
    assert "Traceback" not in shown, shown
    watched.assert_clean(deep_link=True)

    stored = stored_sites(store_url)
    assert sorted(stored["name"]) == sorted([*FIRST, LATER])
    assert set(stored["programs"]) == {"new_employment"}
    assert set(stored["unit_code"]) == {CHUNYUANLI}
    assert "Traceback" not in server.log.read_text(encoding="utf-8", errors="replace")
