"""The Manage page through AppTest: who may edit, and an import from upload to store."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import io, sheets
from geo.auth import hash_password, verify_password
from geo.store import Store

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse"


@pytest.fixture
def state(tmp_path, monkeypatch):
    """A private store for the app (caches cleared around the test)."""
    monkeypatch.setenv("SHIZHONG_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("SHIZHONG_READ_ONLY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path
    st.cache_data.clear()
    st.cache_resource.clear()


def manage(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    at.switch_page("app_pages/manage.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def log_in(at: AppTest, user: str, password: str) -> AppTest:
    fields = {field.label: field for field in at.text_input}
    fields["用户名"].input(user)
    fields["密码"].input(password)
    next(b for b in at.button if b.label == "登录").click().run()
    return at


EDITORS = {"editors": {"alice": hash_password(PASSWORD)}}


def test_password_hashes_verify_and_reject():
    stored = hash_password("s3cret")
    assert stored.startswith("scrypt$") and "s3cret" not in stored
    assert verify_password("s3cret", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("s3cret", "not-a-hash")
    assert hash_password("s3cret") != stored  # salted


def test_without_accounts_nothing_can_be_edited(state):
    at = manage()
    assert any("尚未配置编辑账号" in w.value for w in at.warning)
    assert not at.tabs


def test_a_wrong_password_is_refused(state):
    at = log_in(manage(EDITORS), "alice", "nope")
    assert any("用户名或密码错误" in e.value for e in at.error)
    assert not at.tabs


def test_read_only_deployment_has_no_manage_page(state, monkeypatch):
    monkeypatch.setenv("SHIZHONG_READ_ONLY", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["editors"] = EDITORS["editors"]
    at.run()
    with pytest.raises(ValueError, match="registered page|Could not find|not"):
        at.switch_page("app_pages/manage.py").run()


def _workbook(path: Path, rows: list[list[str]]) -> bytes:
    sheets.write_workbook(path, io.load_programs(), io.load_subdistricts())
    book = openpyxl.load_workbook(path)
    sheet = book["站点"]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)
    return path.read_bytes()


GOOD = [
    "",
    "新建驿站",
    "暖心驿站",
    "魏家庄街道",
    "",
    "新就业群体党建",
    "2025",
    "",
    "否",
    "",
    "116.995",
    "36.666",
    "GCJ-02",
    "",
    "",
]


def test_an_editor_imports_an_upload_with_its_errors_then_fixed(state, tmp_path):
    at = log_in(manage(EDITORS), "alice", PASSWORD)
    assert [t.label for t in at.tabs][:2] == ["导入", "定位"]
    before = len(Store.open().read_sites())
    bad = _workbook(tmp_path / "bad.xlsx", [GOOD, [*GOOD[:1], "错", "城堡", *GOOD[3:]]])
    at.file_uploader[0].upload("bad.xlsx", bad).run()
    assert any("1 处错误" in e.value for e in at.error)
    table = at.dataframe[0].value
    assert table.iloc[0].tolist()[:4] == ["站点 sites", 5, "类型", "城堡"]
    assert len(Store.open().read_sites()) == before  # nothing written

    good = _workbook(tmp_path / "good.xlsx", [GOOD])
    at.file_uploader[0].upload("good.xlsx", good).run()
    assert any("检查通过" in s.value for s in at.success)
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert any("导入完成" in s.value for s in at.success)
    sites = Store.open().read_sites()
    assert len(sites) == before + 1
    added = sites[sites["name"] == "新建驿站"].iloc[0]
    assert added["source"] == "import:good.xlsx" and added["updated_by"] == "alice"
    log = Store.open().audit_log(5)
    assert log.iloc[0]["user"] == "alice" and log.iloc[0]["action"] == "import"
