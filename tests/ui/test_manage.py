"""The Manage page through AppTest: who may edit, and an import from upload to store."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import hash_password, verify_password
from geo.data import io
from geo.reports import sheets
from geo.store.records import Store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse"


@pytest.fixture
def state(app_state: Path) -> Path:
    """A private store for the app (caches cleared around the test): tests/conftest.py."""
    return app_state


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


def issues_table(at: AppTest):
    """The table of the file's problems (the preview of its rows comes before it)."""
    tables = [d.value for d in at.dataframe if "问题" in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    return tables[0]


def mapping_boxes(at: AppTest) -> dict:
    """The column -> field select boxes of the uploaded file, by column header."""
    return {box.label: box for box in at.selectbox if box.key and box.key.startswith("map_")}


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
    "",  # 撤并/停用年份
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
    table = issues_table(at)
    # the row as text: a whole-file issue shows an empty cell, not "None"
    assert table.iloc[0].tolist()[:4] == ["站点 sites", "5", "类型", "城堡"]
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


def _odd_ledger(path: Path, name: str) -> bytes:
    """An office's own wording: 阵地全称 and 性质 are in no synonym table; no 项目 column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "魏家庄街道"
    sheet.append(["单位阵地登记表"])
    sheet.append(["序号", "阵地全称", "性质", "经度", "纬度", "坐标系"])
    sheet.append([1, name, "暖心驿站", 116.995, 36.666, "高德地图拾取"])
    book.save(path)
    return path.read_bytes()


def test_the_editor_sees_the_mapping_changes_it_and_it_is_remembered(state, tmp_path):
    at = log_in(manage(EDITORS), "alice", PASSWORD)
    at.file_uploader[0].upload("odd.xlsx", _odd_ledger(tmp_path / "odd.xlsx", "一号驿站")).run()
    boxes = mapping_boxes(at)
    assert {label: box.value for label, box in boxes.items()} == {
        "序号": "",
        "阵地全称": "",
        "性质": "",
        "经度": "lon",
        "纬度": "lat",
        "坐标系": "datum",
    }
    assert any("表头在第 2 行" in e.label for e in at.expander)
    assert any("跳过表头上方第 1 行：单位阵地登记表" in c.value for c in at.caption)
    missing = issues_table(at)
    assert set(missing["列"]) >= {"名称", "项目"}
    assert any("处错误" in e.value for e in at.error)
    before = len(Store.open().read_sites())

    boxes["阵地全称"].set_value("name")
    boxes["性质"].set_value("kind")
    at.selectbox(key="import_default_program").set_value("new_employment")
    at.run()
    assert any("检查通过" in s.value for s in at.success), [e.value for e in at.error]
    preview = next(d.value for d in at.dataframe if "名称" in d.value.columns)
    assert preview.iloc[0][["名称", "类型", "街道", "项目"]].tolist() == [
        "一号驿站",
        "暖心驿站",
        "魏家庄街道",
        "新就业群体党建",
    ]
    assert len(Store.open().read_sites()) == before  # checking writes nothing
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert any("导入完成" in s.value for s in at.success)
    assert len(Store.open().read_sites()) == before + 1

    # the same office's next ledger: the mapping is read the remembered way at once
    at.file_uploader[0].upload("next.xlsx", _odd_ledger(tmp_path / "next.xlsx", "二号驿站")).run()
    assert mapping_boxes(at)["阵地全称"].value == "name"
    assert any("已记住" in e.label for e in at.expander)
    assert any("检查通过" in s.value for s in at.success), [e.value for e in at.error]


def _account(role: str, streets: tuple[str, ...] = ()) -> dict:
    entry = {"password": hash_password(PASSWORD), "role": role}
    return entry | ({"streets": list(streets)} if streets else {})


ROLES = {
    "editors": {
        "zzb": _account("admin"),
        "dj": _account("street", ("党家街道",)),
        "shen": _account("reviewer"),
    }
}


@pytest.mark.parametrize(
    ("user", "tabs", "shown"),
    [
        ("zzb", ["导入", "定位", "审核发布", "街道边界", "导出", "变更记录", "备份"], "区级管理员"),
        ("dj", ["导入", "定位", "我的提交", "导出", "变更记录"], "街道编辑 · 党家街道"),
        ("shen", ["审核发布", "导出", "变更记录"], "审核"),
    ],
)
def test_each_role_has_the_tabs_of_what_it_may_do(state, user, tabs, shown):
    at = log_in(manage(ROLES), user, PASSWORD)
    assert not at.exception, [e.message for e in at.exception]
    assert [tab.label for tab in at.tabs] == tabs
    assert any(f"当前编辑：{user}（{shown}）" in c.value for c in at.caption)


def test_a_subdistrict_editor_places_only_their_own_villages_and_sites(state):
    at = log_in(manage(ROLES), "dj", PASSWORD)
    units = next(box for box in at.selectbox if box.key == "place_unit")
    assert units.options and all("（党家）" in option for option in units.options)
    store = Store.open()
    own = store.read_sites()
    own = set(own.loc[own["subdistrict_code"] == "370103021", "id"])
    at.segmented_control(key="place_what").set_value("site").run()
    sites = next(box for box in at.selectbox if box.key == "locate_site")
    assert {option.rsplit(" · ", 1)[1] for option in sites.options} == own
