"""The big screen: tour settings, steps, and the /present page through AppTest."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.data import io
from geo.reports import present

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = io.load_programs()


def test_tour_settings_from_the_url():
    assert present.tour_settings({}) == present.TourSettings()
    settings = present.tour_settings({"tour": "0", "interval": "12", "program": "consortium"})
    assert (settings.running, settings.interval_s, settings.start) == (False, 12, "consortium")
    by_street = present.tour_settings({"street": ["370103021"]})
    assert by_street.by == "street" and by_street.start == "370103021"
    bad = present.tour_settings({"interval": "-5", "by": "castle", "tour": "maybe"})
    assert bad.interval_s == present.DEFAULT_INTERVAL_S and bad.by == "program" and bad.running
    assert present.tour_settings({"interval": "1"}).interval_s == present.MIN_INTERVAL_S


def test_every_program_and_subdistrict_is_a_step():
    units, subdistricts = io.load_units(), io.load_subdistricts()
    items = present.tour_items("program", PROGRAMS, subdistricts, units)
    # the district overview first, then every program
    assert [i.key for i in items] == ["370103", *PROGRAMS["key"]]
    assert items[0].kind == present.OVERVIEW and items[0].filter == present.RecordFilter()
    streets = present.tour_items("street", PROGRAMS, subdistricts, units)
    assert len(streets) == 18 and streets[0].kind == present.OVERVIEW
    # no zero is said: a subdistrict without villages says only its communities
    qilishan = streets[present.start_index(streets, "370103009")].description
    assert qilishan.startswith("下辖 10 个社区（") and not re.search(r"(?<!\d)0 个", qilishan)
    dangjia = streets[present.start_index(streets, "370103021")]
    assert "22 个村" in dangjia.description and "1 个社区" in dangjia.description
    assert present.start_index(items, "nope") == 0


def test_a_step_keeps_reported_and_counted_apart():
    items = present.tour_items("program", PROGRAMS, io.load_subdistricts(), io.load_units())
    item = items[present.start_index(items, "consortium")]
    step = present.step_for(
        item, io.load_sites(), io.load_metrics(), io.load_units(), io.load_alliances()
    )
    assert set(step.metrics["id"]) == {"m-dougou-500k", "m-dougou-1m"}
    assert step.counts == {"sites": 5, "subdistricts": 1, "programs": 1}


def _steps(by: str, lang: str = "zh") -> list[present.Step]:
    units, subdistricts = io.load_units(), io.load_subdistricts()
    sites, metrics, alliances = io.load_sites(), io.load_metrics(), io.load_alliances()
    return [
        present.step_for(
            item,
            sites,
            metrics,
            units,
            alliances,
            programs=PROGRAMS,
            events=io.load_events(),
            sources=io.load_sources(),
            lang=lang,
        )
        for item in present.tour_items(by, PROGRAMS, subdistricts, units, lang)
    ]


@pytest.mark.parametrize("by", ["program", "street"])
def test_no_step_shows_a_zero_or_an_empty_chart(by):
    for step in _steps(by):
        values = [tile.value for tile in step.tiles]
        assert values, f"{step.item.title}: no figure at all"
        assert not any(v.strip().startswith("0") for v in values), (step.item.title, values)
        assert step.chart == (not step.sites.empty)
        assert "article-2024" not in " ".join(tile.note for tile in step.tiles)


def test_the_overview_step_has_the_totals_and_every_site():
    overview = _steps("program")[0]
    assert overview.item.kind == present.OVERVIEW
    assert len(overview.sites) == len(io.load_sites())
    counted = {tile.label: tile.value for tile in overview.tiles if tile.counted}
    assert counted == {"点位数（统计）": "20", "街道": "17", "项目": "12"}
    assert len(overview.events) == len(io.load_events())


def test_a_program_without_sites_shows_its_district_scope_and_figures():
    steps = {step.item.key: step for step in _steps("program")}
    first = steps["first_secretary"]
    assert first.sites.empty and first.district_scope and first.colour == "#CC3311"
    assert [tile.value for tile in first.tiles][:3] == ["40,000 元", "23 个", "5 人"]
    assert first.tiles[-1].value == "全区"
    cadres = steps["cadre_exchange"]
    assert len(cadres.events) == 3 and list(cadres.events["date"]) == sorted(cadres.events["date"])
    assert not steps["cross_village"].district_scope


def test_kpi_tiles_escape_text():
    tile = present.kpi_tile_html("<b>1</b>", "<script>x</script>", "a & b", counted=True)
    assert "<script>" not in tile and "&lt;script&gt;" in tile and "&amp;" in tile
    assert "counted" in tile


def test_kpi_tiles_keep_the_unit_small_beside_its_number():
    tile = present.kpi_tile_html("40,000 元", "收入", "截至2024年", counted=False)
    assert '<div class="sz-value sz-long">40,000<span class="sz-unit"> 元</span></div>' in tile
    assert '<div class="sz-value">5<span class="sz-unit"> 万 元</span></div>' in (
        present.kpi_tile_html("5 万 元", "收入", "", counted=False)  # a unit with a space
    )
    for text in ("≥50%", "全区", "Whole district"):  # no unit after a number: as it is
        tile = present.kpi_tile_html(text, "", "", False)
        assert f">{text}</div>" in tile and "sz-unit" not in tile
    assert "&lt;b&gt;" in present.kpi_tile_html("1 <b>", "", "", False)  # the unit escaped too


def big_screen(**params: str) -> AppTest:
    """The /present page opened with ``params`` (AppTest must run the default page first)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/present.py")
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def spotlight(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown if "sz-spot" in m.value)


def shown_site_ids(at: AppTest) -> set[str]:
    groups = json.loads(at.get("component_instance")[0].proto.json_args)["feature_group"]
    ids: set[str] = set()
    decoder = json.JSONDecoder()
    start = groups.find("var d = ")
    while start != -1:
        payload, _ = decoder.raw_decode(groups, start + len("var d = "))
        ids.update(payload["id"])
        start = groups.find("var d = ", start + 1)
    return ids


def test_the_page_has_no_filter_panel_and_opens_on_the_district_overview():
    at = big_screen()
    assert not at.sidebar.multiselect  # the big screen draws its own frame
    assert "市中区全区概览" in spotlight(at)
    assert shown_site_ids(at) == set(io.load_sites()["id"])  # every program on the map
    ticker = " ".join(m.value for m in at.markdown if "sz-ticker" in m.value)
    assert all(title in ticker for title in io.load_events()["title_zh"])
    assert "数据更新于 " in " ".join(m.value for m in at.markdown if "sz-head" in m.value)
    assert any(b.label == "暂停轮播" for b in at.button)


@pytest.mark.parametrize("key", PROGRAMS["key"].tolist())
def test_each_program_can_be_shown(key):
    at = big_screen(program=key)
    name = PROGRAMS.set_index("key").loc[key, "name_zh"]
    assert name in spotlight(at)
    sites = io.load_sites()
    expected = {
        i for i, p in zip(sites["id"], sites["programs"], strict=True) if key in p.split(";")
    }
    assert shown_site_ids(at) == expected


def test_the_tour_advances_when_its_time_is_due():
    at = big_screen(interval="5")
    first = at.session_state["tour_index"]
    at.run()  # not due yet: stays
    assert at.session_state["tour_index"] == first
    at.session_state["tour_last"] = time.monotonic() - 10
    at.run()
    assert at.session_state["tour_index"] == first + 1
    assert PROGRAMS["name_zh"].iloc[first] in spotlight(at)  # the first program after it


def test_tour_0_holds_it():
    at = big_screen(tour="0", program="red_property")
    index = at.session_state["tour_index"]
    at.session_state["tour_last"] = time.monotonic() - 1000
    at.run()
    assert at.session_state["tour_index"] == index
    assert any(b.label == "继续轮播" for b in at.button)


def test_a_manual_step_holds_the_tour_then_it_goes_on():
    at = big_screen(program="first_secretary")
    next(b for b in at.button if b.key == "tour_next").click().run()
    assert at.session_state["tour_index"] == 2  # the overview is step 0
    at.session_state["tour_last"] = time.monotonic() - 1000
    at.run()
    assert at.session_state["tour_index"] == 2  # held after an interaction
    at.session_state["tour_hold_until"] = 0.0
    at.run()
    assert at.session_state["tour_index"] == 3


def test_a_subdistrict_tour_highlights_its_sites():
    at = big_screen(street="370103022")
    assert "陡沟街道" in spotlight(at)
    assert shown_site_ids(at) == {
        "v-370103022209",
        "v-370103022214",
        "v-370103022219",
        "ind-damiaotun-tomato",
        "ind-xinping-greenhouse",
    }


def test_the_big_screen_escapes_record_text(tmp_path, monkeypatch):
    import streamlit as st

    from geo.store.records import Store

    monkeypatch.setenv("SHIZHONG_STATE_DIR", str(tmp_path))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        store = Store.open()
        record = io.load_sites().iloc[0].to_dict()
        record.update(id="xss-1", name="<img src=x onerror=alert(1)>", programs="cadre_exchange")
        store.save("sites", record, "test")
        at = big_screen(program="cadre_exchange")
        html_out = spotlight(at)
        assert "<img src=x" not in html_out and "&lt;img src=x" in html_out
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


def test_the_big_screen_map_reports_clicks_only():
    """Clicks hold the tour (see ui/present.py); panning must not rerun the page."""
    at = big_screen(program="first_secretary")
    component = at.get("component_instance")[0]
    assert json.loads(component.proto.json_args)["returned_objects"] == ["last_clicked"]
