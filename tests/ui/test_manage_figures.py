"""手工录入指标 on the Manage page through AppTest: a period entered for an existing figure is
stored; a refused entry says why and writes nothing; a subdistrict editor's entry waits for
review and offers only their own figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.auth import hash_password
from geo.store.records import Store

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse"
PROJECTS = "第一书记新引进发展项目"
DISTRICT = ("district", "370103")


def _account(role: str, streets: tuple[str, ...] = ()) -> dict:
    entry = {"password": hash_password(PASSWORD), "role": role}
    return entry | ({"streets": list(streets)} if streets else {})


ACCOUNTS = {"editors": {"zzb": _account("admin"), "dj": _account("street", ("党家街道",))}}


@pytest.fixture
def state(app_state: Path) -> Path:
    """A private store for the app (caches cleared around the test): tests/conftest.py."""
    return app_state


def signed_in(user: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in ACCOUNTS.items():
        at.secrets[key] = value
    at.run()
    at.switch_page("app_pages/manage.py").run()
    fields = {field.label: field for field in at.text_input}
    fields["用户名"].input(user)
    fields["密码"].input(PASSWORD)
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(e.label == "手工录入指标" for e in at.expander)
    return at


def choose_figure(at: AppTest, name: str, scope: tuple[str, str] = DISTRICT) -> AppTest:
    """Choose the figure ``name`` about ``scope`` (type, code) in the 指标 box."""
    figure = "\x1f".join((name, *scope))  # its value: geo.data.kpi's figure key
    assert any(option.startswith(name + "（") for option in at.selectbox(key="fig_pick").options)
    return at.selectbox(key="fig_pick").select(figure).run()


def text_box(at: AppTest, label: str):
    return next(box for box in at.text_input if box.label == label)


def fill(at: AppTest, year: int, value: str, source: str) -> AppTest:
    at.number_input(key="fig_year").set_value(year)
    at.text_input(key="fig_value").input(value)
    at.text_input(key="fig_source").input(source)
    return at.run()


def save(at: AppTest) -> AppTest:
    at.button(key="fig_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def rows_of(name: str):
    metrics = Store.open().read_metrics()
    return metrics[metrics["name_zh"] == name].sort_values("year")


def test_an_admin_enters_a_2025_value_for_an_existing_figure(state):
    at = choose_figure(signed_in("zzb"), PROJECTS)
    assert any("已有各期：截至2024年 23 个" in c.value for c in at.caption)
    assert text_box(at, "单位").value == "个"  # filled in from the figure
    save(fill(at, 2025, "26", "2025年区委组织部工作总结"))
    assert any("已保存" in s.value and "26 个" in s.value for s in at.success)
    stored = rows_of(PROJECTS)
    assert stored["year"].tolist() == [2024, 2025]
    added = stored.iloc[-1]
    assert (added["value"], added["unit"], added["scope_type"], added["scope_code"]) == (
        26.0,
        "个",
        "district",
        "370103",
    )
    assert (added["period"], added["source"], added["updated_by"]) == (
        "to_date",
        "2025年区委组织部工作总结",
        "zzb",
    )
    assert Store.open().audit_log(1)["user"].iloc[0] == "zzb"
    # the page now offers both periods, and the value is cleared (not saved twice)
    at = choose_figure(at, PROJECTS)
    assert any("截至2024年 23 个、截至2025年 26 个" in c.value for c in at.caption)
    assert at.text_input(key="fig_value").value == ""


def test_a_refused_entry_says_why_and_writes_nothing(state):
    at = choose_figure(signed_in("zzb"), PROJECTS)
    before, version = len(Store.open().read_metrics()), Store.open().data_version()
    text_box(at, "单位").input("项")
    at = save(fill(at, 1800, "26", ""))
    errors = " ".join(e.value for e in at.error)
    assert "未保存" in errors
    assert "单位：与同一指标其他期的单位不一致" in errors
    assert "年份：不是有效年份（1949-2100）" in errors
    assert "来源：必须填写" in errors
    assert not any("已保存" in s.value for s in at.success)
    assert len(Store.open().read_metrics()) == before and Store.open().data_version() == version
    # a share over 100% is refused too
    at = choose_figure(at, "物业企业党组织覆盖率")
    at = save(fill(at, 2025, "120", "2025年区委组织部工作总结"))
    assert "数值：百分比不能超过100%" in " ".join(e.value for e in at.error)
    assert len(Store.open().read_metrics()) == before and Store.open().data_version() == version


def test_a_subdistrict_editor_enters_their_own_figures_for_review(state):
    at = signed_in("dj")
    options = at.selectbox(key="fig_pick").options
    # 党家街道's: the three figures of 玉符泉源联合党委 (an alliance of 党家街道), and a new one
    assert options[0] == "新指标" and len(options) == 4
    assert all(option.startswith("玉符泉源联合党委") for option in options[1:])
    at = choose_figure(at, "玉符泉源联合党委联建村数", ("alliance", "al-yufuquanyuan"))
    before = len(Store.open().read_metrics())
    save(fill(at, 2025, "6", "党家街道2025年台账"))
    assert any("已提交审核" in s.value for s in at.success)
    store = Store.open()
    assert len(store.read_metrics()) == before  # held for review, not published
    pending = store.submissions("pending")
    assert len(pending) == 1 and pending.iloc[0]["user"] == "dj"
    (change,) = pending.iloc[0]["changes"]
    assert change["record"]["year"] == 2025 and change["record"]["value"] == 6.0
    # a new figure: only their own subdistrict's places, never the whole district
    at.selectbox(key="fig_pick").select("").run()
    kinds = at.selectbox(key="fig_scope_type").options
    assert "全区" not in kinds and kinds[0] == "街道"
    assert at.selectbox(key="fig_scope_subdistrict").options == ["党家街道"]
