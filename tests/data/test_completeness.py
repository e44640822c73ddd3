"""How completely records are placed (geo.data.completeness) and the Records page that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.data.completeness import location_completeness, to_place
from geo.load import load_dataset
from geo.store.records import Store

ROOT = Path(__file__).resolve().parents[2]
UNIT = "370103022209"  # 大庙屯村 (陡沟): two seat-only sites name it


@pytest.fixture
def placed_store(tmp_path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield store
    store.engine.dispose()


def _row(frame, name):
    return frame.set_index("街道").loc[name]


def test_counts_follow_what_is_placed(placed_store):
    data = load_dataset(placed_store)
    before = location_completeness(data.sites, data.units, data.subdistricts)
    total = _row(before, "合计")
    assert total["村/社区已定位"] == "0 / 216"
    assert total["点位：仅到街道"] == len(data.sites) and total["点位：自有坐标"] == 0
    dougou = _row(before, "陡沟街道")
    todo = to_place(data.sites, data.units)
    assert len(todo) == 216 + len(data.sites)
    assert {"unit", "site"} == set(todo["what"]) and UNIT in set(todo["id"])

    position = {"lon": 116.85, "lat": 36.60, "location_precision": "exact", "source": "测试"}
    placed_store.save("units", {"id": UNIT, **position}, "editor")
    data = load_dataset(placed_store)
    after = location_completeness(data.sites, data.units, data.subdistricts)
    moved = int((data.sites["unit_code"] == UNIT).sum())
    assert moved == 2
    units_of_dougou = dougou["村/社区已定位"].split(" / ")[1]
    assert _row(after, "陡沟街道")["村/社区已定位"] == f"1 / {units_of_dougou}"
    assert _row(after, "陡沟街道")["点位：按村/社区"] == moved
    assert _row(after, "陡沟街道")["点位：仅到街道"] == dougou["点位：仅到街道"] - moved
    assert _row(after, "合计")["村/社区已定位"] == "1 / 216"
    remaining = to_place(data.sites, data.units)
    assert UNIT not in set(remaining["id"]) and len(remaining) == len(todo) - 1 - moved


def test_the_records_page_shows_completeness_and_the_to_do_list(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIZHONG_STATE_DIR", str(tmp_path))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("app_pages/records.py").run()
        assert not at.exception
        table = next(d.value for d in at.dataframe if "村/社区已定位" in d.value.columns)
        assert _row(table, "合计")["村/社区已定位"] == "0 / 216"
        assert any(e.label.startswith("待定位清单（") for e in at.expander)
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
