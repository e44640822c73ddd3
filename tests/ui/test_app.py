"""The dashboard through AppTest: pages, the shared filter and its URL, the map, safety."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.data import io
from geo.store.records import Store
from geo.text.labels import kind_label, t
from ui.text import md_escape

ROOT = Path(__file__).resolve().parents[2]
PAGES = (
    "app_pages/overview.py",
    "app_pages/subdistrict.py",
    "app_pages/records.py",
    "app_pages/program.py",
)
DANGJIA, DOUGOU = "370103021", "370103022"
DANGJIA_VILLAGES = {f"v-370103021{n}" for n in range(209, 214)}
SUBDISTRICTS = io.load_subdistricts()
SITES = io.load_sites()
UNITS = io.load_units()
METRICS = io.load_metrics()
SITES_LABEL, STREETS_LABEL, PROGRAMS_LABEL = (
    t("count_sites"),
    t("count_subdistricts"),
    t("count_programs"),
)
COUNTED = {
    t(key, lang)
    for key in ("count_sites", "count_subdistricts", "count_programs")
    for lang in ("zh", "en")
}
XSS_NAME = "<script>alert(1)</script><img src=x onerror=alert(2)>"


# --- helpers ----------------------------------------------------------------------------------


def app(**params: str | list[str]) -> AppTest:
    """The app after its first run, with ``params`` in the URL."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def reported(at: AppTest) -> dict[str, str]:
    return {k: v for k, v in metrics(at).items() if k not in COUNTED}


def periods(at: AppTest) -> dict[str, str]:
    """Reported figures' periods, shown under their values (as the metric's grey delta)."""
    return {m.label: m.delta for m in at.metric if m.label not in COUNTED}


def site_count(at: AppTest) -> int:
    return int(metrics(at)[SITES_LABEL])


def map_args(at: AppTest) -> dict:
    """The st_folium component's arguments (exactly one map per page)."""
    components = at.get("component_instance")
    assert len(components) == 1
    return json.loads(components[0].proto.json_args)


def site_payloads(feature_group: str) -> list[dict]:
    """The decoded ``var d = {...}`` payload of every SiteLayer in ``feature_group``."""
    decoder = json.JSONDecoder()
    return [
        decoder.raw_decode(feature_group, m.end())[0]
        for m in re.finditer(r"var d = ", feature_group)
    ]


def map_site_ids(at: AppTest) -> dict[str, list[str]]:
    """Site ids drawn on the map, per kind label (kinds without sites are absent)."""
    ids: dict[str, list[str]] = {}
    for payload in site_payloads(map_args(at)["feature_group"]):
        assert payload["kind"] not in ids
        ids[payload["kind"]] = payload["id"]
    return ids


def all_map_ids(at: AppTest) -> list[str]:
    return [i for ids in map_site_ids(at).values() for i in ids]


def sidebar_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.sidebar.warning]


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, (page, [e.message for e in at.exception])
    return at


# --- 1. every page runs -----------------------------------------------------------------------


def test_every_page_runs_without_filter():
    at = app()
    assert site_count(at) == len(SITES)
    for page in PAGES:
        goto(at, page)
        assert at.title, page


@pytest.mark.parametrize("code", SUBDISTRICTS["code"].tolist())
def test_every_page_runs_for_each_subdistrict(code: str):
    here = SITES[SITES["subdistrict_code"] == code]
    name = SUBDISTRICTS.set_index("code").loc[code, "name"]
    at = app(street=code)
    assert at.multiselect(key="f_street").value == [code]
    assert site_count(at) == len(here)
    assert sorted(all_map_ids(at)) == sorted(here["id"])

    goto(at, "app_pages/subdistrict.py")
    assert at.title[0].value.startswith(name)
    n_units = int((UNITS["subdistrict_code"] == code).sum())
    assert f"{t('units_table')} ({n_units})" in [s.value for s in at.subheader]
    assert at.multiselect(key="f_street").value == [code]  # the page keeps the filter

    goto(at, "app_pages/records.py")
    assert len(at.dataframe[0].value) == len(here)

    goto(at, "app_pages/program.py")
    assert at.multiselect(key="f_street").value == [code]
    assert len(at.multiselect(key="f_program").value) == 1


# --- 2. filters change KPIs and the map -------------------------------------------------------


def test_no_filter_counts_everything():
    at = app()
    assert site_count(at) == 20
    assert sorted(all_map_ids(at)) == sorted(SITES["id"])
    assert len(reported(at)) == len(METRICS)


def test_street_filter_dangjia_kpis_map_and_alliance_metric():
    at = app()
    at.multiselect(key="f_street").set_value([DANGJIA]).run()
    assert not at.exception
    assert site_count(at) == 5
    assert metrics(at)[STREETS_LABEL] == "1"
    assert map_site_ids(at) == {kind_label("village", "zh"): sorted(DANGJIA_VILLAGES)}
    assert reported(at) == {
        "玉符泉源联合党委联建村数": "5 个",
        "玉符泉源联合党委示范村占比": "≥50%",
        "玉符泉源联合党委班子平均年龄": "≤45 岁",
    }


def test_street_filter_dougou_reported_metrics():
    at = app()
    at.multiselect(key="f_street").set_value([DOUGOU]).run()
    assert not at.exception
    dougou = METRICS[METRICS["scope_code"] == DOUGOU]
    assert len(dougou) == 2
    assert reported(at) == {
        "集体经济收入50万元以上村占比": "70%",
        "集体经济收入百万元以上村占比": "43%",
    }
    assert set(reported(at)) == {md_escape(n) for n in dougou["name_zh"]}
    assert site_count(at) == int((SITES["subdistrict_code"] == DOUGOU).sum())


def test_program_filter():
    at = app()
    at.multiselect(key="f_program").set_value(["red_property"]).run()
    assert site_count(at) == 1
    assert all_map_ids(at) == ["c-370103003001"]


def test_kind_filter():
    at = app()
    at.multiselect(key="f_kind").set_value(["community"]).run()
    assert site_count(at) == 6
    ids = map_site_ids(at)
    assert list(ids) == [kind_label("community", "zh")]
    assert sorted(ids[kind_label("community", "zh")]) == sorted(
        SITES.loc[SITES["kind"] == "community", "id"]
    )


def test_year_slider_filters_and_goes_to_url():
    at = app()
    at.slider(key="f_years").set_value((2015, 2023)).run()
    assert site_count(at) == int((SITES["year"] <= 2023).sum())
    assert at.query_params["year_to"] in ("2023", ["2023"])


# --- 3. URL presets the filter ----------------------------------------------------------------


def test_url_presets_street_and_program():
    at = app(street=DANGJIA, program="cross_village")
    assert at.multiselect(key="f_street").value == [DANGJIA]
    assert at.multiselect(key="f_program").value == ["cross_village"]
    assert site_count(at) == 5
    assert not sidebar_warnings(at)


@pytest.mark.parametrize("value", ["党家街道", "党家", "370103021000"])
def test_url_accepts_names_and_12_digit_codes(value: str):
    at = app(street=value)
    assert at.multiselect(key="f_street").value == [DANGJIA]
    assert site_count(at) == 5
    assert at.query_params["street"] in (DANGJIA, [DANGJIA])  # normalised to the code
    assert not sidebar_warnings(at)


def test_url_repeated_and_comma_separated_streets():
    for value in ([DANGJIA, DOUGOU], f"{DANGJIA},{DOUGOU}"):
        at = app(street=value)
        assert at.multiselect(key="f_street").value == [DANGJIA, DOUGOU]
        assert site_count(at) == 10


def test_url_lang_en():
    at = app(lang="en")
    assert SITES_LABEL not in metrics(at)
    assert metrics(at)["Sites (count)"] == "20"


# --- 4. widgets mirror to the URL -------------------------------------------------------------


def test_widget_change_is_mirrored_to_url_and_reset_clears_it():
    at = app()
    assert dict(at.query_params) == {}
    at.multiselect(key="f_street").set_value([DOUGOU]).run()
    assert DOUGOU in at.query_params["street"]
    at.multiselect(key="f_street").set_value([DOUGOU, DANGJIA]).run()
    assert sorted(at.query_params["street"]) == [DANGJIA, DOUGOU]
    at.multiselect(key="f_kind").set_value(["village"]).run()
    at.text_input(key="f_text").input("村").run()
    assert at.query_params["kind"] in ("village", ["village"])
    assert at.query_params["q"] in ("村", ["村"])

    reset = [b for b in at.button if b.label == t("filter_reset")]
    assert len(reset) == 1
    reset[0].click().run()
    assert not at.exception
    assert dict(at.query_params) == {}
    assert at.multiselect(key="f_street").value == []
    assert site_count(at) == 20


# --- 5. invalid parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"street": "999"}, ["street=999"]),
        ({"program": "nope"}, ["program=nope"]),
        ({"kind": "castle"}, ["kind=castle"]),
        ({"year_from": "abc"}, ["year_from=abc"]),
        ({"year_from": "2030"}, ["year_from=2030"]),
        ({"year_from": "2024", "year_to": "2016"}, ["year_to=2016"]),
        (
            {"street": ["999", DOUGOU], "program": "nope", "year_from": "abc"},
            ["street=999", "program=nope", "year_from=abc"],
        ),
    ],
)
def test_invalid_params_warn_and_are_ignored(params: dict, shown: list[str]):
    at = app(**params)
    warnings = sidebar_warnings(at)
    assert len(warnings) == 1
    assert warnings[0].startswith(t("ignored_params"))
    for item in shown:
        assert item in warnings[0]
    # the bad values leave the URL; the good ones stay
    for item in shown:
        key, value = item.split("=")
        assert value not in at.query_params.get(key, [])


def test_invalid_param_warning_in_english():
    at = app(street="999", lang="en")
    assert sidebar_warnings(at) == [t("ignored_params", "en") + "street=999"]


def test_invalid_lang_param_warns():
    at = app(lang="fr")
    assert any("lang=fr" in w for w in sidebar_warnings(at))


# --- 6. empty result --------------------------------------------------------------------------


def test_empty_result_shows_empty_state_and_still_draws_map():
    at = app()
    at.text_input(key="f_text").input("不存在的名字").run()
    assert not at.exception
    assert t("empty_state") in [w.value for w in at.main.warning]
    assert metrics(at)[SITES_LABEL] == "0"
    assert metrics(at)[STREETS_LABEL] == "0"
    assert metrics(at)[PROGRAMS_LABEL] == "0"
    args = map_args(at)
    assert all_map_ids(at) == []
    assert "var d = " not in args["feature_group"]
    # the base map still holds the district outline (its style and a vertex of its geometry)
    outline = io.load_outline().geometry.iloc[0].__geo_interface__["coordinates"]
    while isinstance(outline[0], list | tuple):
        outline = outline[0]
    assert '"color": "#c62828"' in args["script"]
    assert repr(outline[0]) in args["script"]
    assert repr(outline[1]) in args["script"]


def test_nonempty_result_has_no_empty_state_warning():
    at = app()
    assert t("empty_state") not in [w.value for w in at.warning]


# --- 7. offline map ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/subdistrict.py"])
def test_map_assets_are_local(page: str):
    at = goto(app(street=DANGJIA), page)
    args = map_args(at)
    links = args["js_links"] + args["css_links"]
    assert links
    for link in links:
        assert link.startswith("/app/static/"), link
        assert (ROOT / "static" / link.removeprefix("/app/static/")).is_file(), link
    for key in ("script", "header", "html", "feature_group", "layer_control"):
        text = args[key] or ""
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), key
    assert args["returned_objects"] == ["last_active_drawing"]
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True


# --- 8. record text is never markup -----------------------------------------------------------


@pytest.fixture
def xss_store(app_state: Path):
    """A private store holding a site whose name is markup; app caches cleared around it."""
    record = SITES[SITES["id"] == "c-370103003001"].iloc[0].to_dict()
    record.update(id="x-xss", name=XSS_NAME, description=XSS_NAME)
    Store.open().save("sites", record, "test")
    return record


def test_site_name_markup_is_escaped(xss_store: dict):
    at = app()
    assert site_count(at) == len(SITES) + 1
    feature_group = map_args(at)["feature_group"]
    assert "<script>" not in feature_group
    assert "<img" not in feature_group
    assert "\\u003cscript\\u003e" in feature_group
    names = [n for p in site_payloads(feature_group) for n in p["name"]]
    assert XSS_NAME in names

    # the detail panel shows it as escaped text
    at.session_state["overview_map__site"] = "x-xss"
    at.run()
    assert not at.exception
    details = [m.value for m in at.markdown if "alert" in m.value]
    assert details
    assert len(details) == 2  # the title and the description
    assert not any(re.search(r"(?<!\\)[<>]", m) for m in details)  # every < and > escaped
    assert f"#### {md_escape(XSS_NAME)}" in details
    assert f"**{t('field_description')}**: {md_escape(XSS_NAME)}" in details

    goto(at, "app_pages/records.py")
    frame = at.dataframe[0].value
    assert frame.loc[frame[t("col_id")] == "x-xss", t("field_name")].tolist() == [XSS_NAME]

    at.multiselect(key="f_street").set_value(["370103003"]).run()
    goto(at, "app_pages/subdistrict.py")
    sites_here = at.dataframe[-1].value  # units first, then the sites table
    assert XSS_NAME in sites_here[t("field_name")].tolist()


# --- 9. language ------------------------------------------------------------------------------


def test_language_switch_to_english_and_back():
    at = app()
    at.multiselect(key="f_street").set_value([DANGJIA]).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert metrics(at)["Sites (count)"] == "5"
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.query_params["street"] in (DANGJIA, [DANGJIA])
    assert reported(at) == {
        md_escape("Villages joined by 玉符泉源"): "5 个",
        md_escape("玉符泉源: share of demonstration villages"): "≥50%",
        md_escape("玉符泉源: average age of the leadership teams"): "≤45 岁",
    }
    assert set(periods(at).values()) == {"as of 2024"}
    assert list(map_site_ids(at)) == [kind_label("village", "en")]
    assert at.title[0].value == t("app_title", "en")

    at.radio(key="lang").set_value("zh").run()
    assert metrics(at)[SITES_LABEL] == "5"
    assert "lang" not in at.query_params


# --- 10. pages --------------------------------------------------------------------------------


def test_records_page_downloads_and_filtered_table():
    at = app()
    at.multiselect(key="f_kind").set_value(["community"]).run()
    goto(at, "app_pages/records.py")
    buttons = at.get("download_button")
    assert len(buttons) == 4
    assert [b.proto.label for b in buttons] == [
        t("download_csv"),
        t("download_xlsx"),
        t("download_geojson"),
        t("download_map"),
    ]
    frame = at.dataframe[0].value
    assert len(frame) == 6
    # for people: Chinese headers and names; the codes in their own columns, at the end
    assert set(frame["类型"]) == {"社区"}
    assert list(frame.columns[:3]) == ["名称", "类型", "街道"]
    assert list(frame.columns[-4:]) == ["编号", "街道代码", "村/社区代码", "项目代码"]
    assert set(frame["街道代码"]) <= set(SUBDISTRICTS["code"])
    assert not any(c.isascii() for c in frame.columns)
    assert at.caption[0].value == t("records_caption", n=6)


def test_program_page_from_url():
    at = goto(app(program="cross_village"), "app_pages/program.py")
    assert "跨村联建" in at.title[0].value
    assert at.selectbox(key="profile_program").value == "cross_village"
    assert at.multiselect(key="f_program").value == ["cross_village"]
    assert f"{t('sites_here')} (5)" in [s.value for s in at.subheader]


def test_subdistrict_page_units():
    at = goto(app(street=DANGJIA), "app_pages/subdistrict.py")
    assert at.title[0].value.startswith("党家街道")
    assert at.selectbox(key="profile_street").value == DANGJIA
    assert f"{t('units_table')} (23)" in [s.value for s in at.subheader]
    units = at.dataframe[0].value
    assert isinstance(units, pd.DataFrame)
    assert len(units) == 23
    codes = units[t("col_unit_code")]  # a header for people, the code's column last
    assert list(units.columns) == [t("field_name"), t("field_kind"), t("col_unit_code")]
    assert codes.str.startswith(DANGJIA).all()
    kinds = UNITS.set_index("code").loc[codes, "unit_type"].value_counts().to_dict()
    assert kinds == {"village": 22, "community": 1}


def test_subdistrict_page_choice_sets_shared_filter():
    at = goto(app(street=DANGJIA), "app_pages/subdistrict.py")
    at.selectbox(key="profile_street").set_value(DOUGOU).run()
    assert not at.exception
    assert at.multiselect(key="f_street").value == [DOUGOU]
    assert at.query_params["street"] in (DOUGOU, [DOUGOU])
    assert at.title[0].value.startswith("陡沟街道")


def test_invalid_basemap_param_warns_and_the_notice_goes_once_the_filter_changes():
    at = app(basemap="google", street="999")
    warnings = " ".join(sidebar_warnings(at))
    assert "basemap=google" in warnings and "street=999" in warnings
    at.multiselect(key="f_street").set_value(["370103022"]).run()
    assert not sidebar_warnings(at)


def test_basemap_without_token_falls_back_offline_with_a_notice(monkeypatch):
    monkeypatch.delenv("SHIZHONG_TIANDITU_TOKEN", raising=False)
    at = app(basemap="tianditu_vec")
    assert any("天地图" in i.value for i in at.sidebar.info)
    script = map_args(at)["script"]
    assert "tianditu" not in script.lower() and "L.tileLayer" not in script


# --- periods and readable citations (issue 15) ------------------------------------------------

ARTICLE_ZH = "《执党建引领之笔，绘基层治理蓝图》济南报道，2024"


def test_reported_figures_show_their_period_and_a_readable_source():
    at = app()
    shown = {m.label: m for m in at.metric if m.label not in COUNTED}
    secondment = shown[md_escape("2024年度第一批区内挂职交流城市社区党组织书记、专职副书记")]
    assert (secondment.value, secondment.delta) == ("8 人", "2024年度")
    projects = shown["第一书记新引进发展项目"]
    assert (projects.value, projects.delta) == ("23 个", "截至2024年")
    assert projects.proto.help == md_escape(f"截至2024年 · 来源: {ARTICLE_ZH}（聚力攻坚）")
    assert not any("article-2024" in m.proto.help for m in shown.values())
    assert sorted(periods(at).values()) == ["2024年度"] + ["截至2024年"] * (len(METRICS) - 1)


def test_a_range_after_2024_keeps_the_to_date_figures_only():
    at = app(year_from="2025")
    assert len(reported(at)) == len(METRICS) - 1
    assert set(periods(at).values()) == {"截至2024年"}


def test_records_and_program_pages_cite_readably():
    at = goto(app(program="cross_village"), "app_pages/program.py")
    assert f"来源: {md_escape(ARTICLE_ZH + '（聚力攻坚）')}" in [c.value for c in at.caption]
    sources = set(at.dataframe[-1].value[t("source")])
    assert sources == {f"{ARTICLE_ZH}（聚力攻坚）"}
    goto(at, "app_pages/records.py")
    frame = at.dataframe[0].value
    assert set(frame[t("source")]) == {f"{ARTICLE_ZH}（聚力攻坚）"}
    assert t("field_inferred") in frame.columns


def test_site_details_say_inferred_and_cite_readably():
    at = app()
    at.session_state["overview_map__site"] = "v-370103021209"  # what a click on it selects
    at.run()
    lines = [m.value for m in at.markdown]
    assert f"**{t('field_inferred')}**: {md_escape(t('inferred_yes'))}" in lines
    assert f"**{t('source')}**: {md_escape(ARTICLE_ZH + '（聚力攻坚）')}" in lines
