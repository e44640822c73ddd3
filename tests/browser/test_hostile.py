"""No file can harm the server or the data: a hostile upload is refused while others keep working.

The hostile file is an .xlsx of about 1.6 KB whose only cells are A1 and XFD1048576. Without a
``<dimension>`` element the cheap check (:func:`geo.intake.sheetfile.check_file`) cannot see its
size,
so the reader itself is hit: python-calamine asks for 512 GiB and aborts its process. That
process is the child of :mod:`geo.isolation`, never the server: the Manage page says the file
was refused (``file_too_large`` or ``file_crashed``) and nothing was written. With
``<dimension ref="A1:XFD1048576"/>`` the cheap check refuses it before any reading.

Session A (an editor on the Manage page) uploads the file while session B (another browser
context) has the overview open; afterwards the server still answers ``/_stcore/health``, B's
map follows a filter change on the same session, and the store is unchanged.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from geo.config import parse_limits
from geo.intake.sheetfile import check_file
from geo.store.records import Store
from geo.text.labels import MESSAGES
from tests.browser.support import (
    ARTIFACTS,
    VIEWPORT,
    WAIT_MS,
    serve_with_editor,
    wait_for_map,
    wait_idle,
    watch,
)

PASSWORD = "hostile-upload"
DOUGOU = "370103022"  # 陡沟街道: 5 sites

TOO_LARGE = MESSAGES["file_too_large"][0]  # 文件过大或格式异常，未写入任何数据
CRASHED = MESSAGES["file_crashed"][0]  # 文件格式异常，读取程序出错，未写入任何数据

# --- the hostile workbook ------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_DATA = (
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row></sheetData>'
)


def hostile_xlsx(dimension: bool) -> bytes:
    """The two-cell workbook spanning the whole sheet; with or without its ``<dimension>``."""
    declared = '<dimension ref="A1:XFD1048576"/>' if dimension else ""
    sheet = f'{_XML}<worksheet xmlns="{_MAIN}">{declared}{_SHEET_DATA}</worksheet>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app(server_state: Path) -> Iterator[tuple[object, str]]:
    """The served app (editor ``guard`` from a secrets file of its own) and its store's URL."""
    with serve_with_editor(server_state, "guard", PASSWORD) as served:
        yield served


# --- helpers -----------------------------------------------------------------------------------


def snapshot(store_url: str) -> dict[str, object]:
    """What a refused import must leave as it was: the data version and the record counts."""
    store = Store(store_url)
    try:
        counts = {e: len(store.read(e)) for e in ("sites", "metrics", "alliances", "mappings")}
        return {"data_version": store.data_version(), **counts, "audit": len(store.audit_log())}
    finally:
        store.engine.dispose()


def street_select(page):
    """The sidebar's 街道 multiselect."""
    return (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_role("combobox", name="街道", exact=True))
    )


def log_in(page, url: str) -> None:
    page.goto(f"{url}/manage")
    page.get_by_label("用户名").fill("guard")
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


# --- the test ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dimension", "messages", "detail"),
    [
        pytest.param(False, (TOO_LARGE, CRASHED), None, id="reader-hit"),
        pytest.param(True, (TOO_LARGE,), "工作表声明 1,048,576 行", id="dimension-declared"),
    ],
)
def test_hostile_upload_is_refused_while_another_session_keeps_working(
    app, browser, tmp_path: Path, dimension: bool, messages: tuple[str, ...], detail: str | None
) -> None:
    server, store_url = app
    content = hostile_xlsx(dimension)
    assert len(content) < 2048, f"the hostile file is {len(content)} bytes"
    if not dimension:  # the cheap check lets it through: the reader itself is hit
        path = tmp_path / "hostile.xlsx"
        path.write_bytes(content)
        check_file(path, parse_limits())
    before = snapshot(store_url)

    contexts = []
    try:
        # session B: the overview, its map drawn
        context_b = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        contexts.append(context_b)
        context_b.set_default_timeout(WAIT_MS)
        watched_b = watch(context_b)
        page_b = watched_b.page
        page_b.goto(server.url + "/")
        everything = wait_for_map(page_b)
        wait_idle(page_b)

        # session A: an editor uploads the file on the Manage page
        context_a = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        contexts.append(context_a)
        context_a.set_default_timeout(WAIT_MS)
        watched_a = watch(context_a)
        page_a = watched_a.page
        log_in(page_a, server.url)
        upload(page_a, "台账.xlsx", content)

        # refused, in Chinese: the page's error, and the issue's message in the issues table
        # (glide-data-grid paints its cells on a canvas; its ARIA table holds the same text)
        import_tab = page_a.get_by_role("tabpanel", name="导入")
        expect(import_tab.get_by_text("文件有 1 处错误，未写入任何数据")).to_be_visible()
        issues = import_tab.get_by_test_id("stDataFrame")
        expect(issues).to_have_count(1)
        issues.scroll_into_view_if_needed()
        cells = issues.locator("table[role=grid] td")
        refused = cells.filter(has_text=messages[0])
        for other in messages[1:]:
            refused = refused.or_(cells.filter(has_text=other))
        expect(refused).to_have_count(1)
        if detail is not None:
            expect(cells.filter(has_text=detail)).to_have_count(1)
        else:
            expect(cells.filter(has_text="工作表声明")).to_have_count(0)
        shown = " ".join(import_tab.all_inner_texts())
        assert "Traceback" not in shown and "nothing was written" not in shown, shown
        wait_idle(page_a)
        ARTIFACTS.mkdir(exist_ok=True)
        suffix = "-declared" if dimension else ""
        page_a.screenshot(path=str(ARTIFACTS / f"hostile-upload{suffix}.png"))
        watched_a.assert_clean(deep_link=True)

        # the server is up, and session B still runs its script: a filter redraws its map
        health = page_b.request.get(server.url + "/_stcore/health")
        assert health.ok and health.text().strip() == "ok"
        street_select(page_b).get_by_role("combobox").click()
        page_b.keyboard.type("陡沟")
        expect(page_b.get_by_role("option", name="陡沟街道")).to_be_visible()
        page_b.keyboard.press("Enter")
        page_b.keyboard.press("Escape")
        expect(street_select(page_b).locator("[data-tag]")).to_have_text(["陡沟街道"])
        narrowed = wait_for_map(page_b, sites=5, areas=everything.areas)
        assert narrowed.sites < everything.sites
        wait_idle(page_b)
        watched_b.assert_clean()
    finally:
        for context in contexts:
            context.close()

    assert snapshot(store_url) == before, "a refused upload changed the store"
    assert "Traceback" not in server.log.read_text(encoding="utf-8", errors="replace")
