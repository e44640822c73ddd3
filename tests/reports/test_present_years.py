"""The big screen's 历年变化 slide (issue #29): when the tour has it, the sites standing in
each year, the figures with several periods, and the /present page showing it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.data import io
from geo.reports import charts, present

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = io.load_programs()
PROJECTS = "第一书记新引进发展项目"


def multi_year_sites() -> pd.DataFrame:
    """The shipped sites (all 2024) with a village built in 2021 and closed in 2023, two
    communities built in 2022, and one site without a year."""
    sites = io.load_sites()
    sites.loc[0, ["year", "end_year"]] = [2021, 2023]  # a village
    sites.loc[[8, 9], "year"] = 2022  # two communities
    sites.loc[19, "year"] = pd.NA  # an industry site
    assert list(sites.loc[[0, 8, 9, 19], "kind"]) == [
        "village",
        "community",
        "community",
        "industry",
    ]
    return sites


def metrics_with_periods() -> pd.DataFrame:
    """The shipped figures with a 2023 period of 第一书记新引进发展项目 (20 个; 2024: 23 个)."""
    metrics = io.load_metrics()
    earlier = metrics[metrics["name_zh"] == PROJECTS].iloc[0].copy()
    earlier["id"], earlier["year"], earlier["value"] = "p-2023", 2023, 20.0
    earlier["source"] = "区委组织部2023年工作总结"
    return pd.concat([metrics, pd.DataFrame([earlier])], ignore_index=True)


def _items(sites: pd.DataFrame, metrics: pd.DataFrame, by: str = "program"):
    return present.tour_items(
        by, PROGRAMS, io.load_subdistricts(), io.load_units(), sites=sites, metrics=metrics
    )


def _step(sites: pd.DataFrame, metrics: pd.DataFrame, lang: str = "zh") -> present.Step:
    item = next(i for i in _items(sites, metrics) if i.kind == present.YEARS)
    return present.step_for(
        item,
        sites,
        metrics,
        io.load_units(),
        io.load_alliances(),
        programs=PROGRAMS,
        events=io.load_events(),
        sources=io.load_sources(),
        lang=lang,
    )


def test_the_shipped_data_has_no_years_slide():
    sites, metrics = io.load_sites(), io.load_metrics()
    assert not present.has_history(sites, metrics)
    for by in ("program", "street"):
        items = _items(sites, metrics, by)
        assert present.YEARS not in [i.kind for i in items]
        assert items[0].kind == present.OVERVIEW
    # without sites and figures (the callers before the slide): no slide either
    plain = present.tour_items("program", PROGRAMS, io.load_subdistricts(), io.load_units())
    assert [i.key for i in plain] == ["370103", *PROGRAMS["key"]]


@pytest.mark.parametrize("by", ["program", "street"])
def test_sites_of_several_years_add_the_slide_after_the_overview(by):
    items = _items(multi_year_sites(), io.load_metrics(), by)
    assert [i.kind for i in items[:3]] == [present.OVERVIEW, present.YEARS, by]
    years = items[1]
    assert years.title == "历年变化" and years.key == present.YEARS
    assert years.description == (
        "2021—2024年各年的点位数（按建成年份和撤并/停用年份统计），以及有多期数据的上报指标。"
        "未注明年份的 1 个点位不计入。"
    )
    assert years.filter == present.RecordFilter()
    assert len(items) == len(_items(io.load_sites(), io.load_metrics(), by)) + 1


def test_a_figure_with_two_periods_adds_the_slide_too():
    sites, metrics = io.load_sites(), metrics_with_periods()
    assert present.has_history(sites, metrics)
    step = _step(sites, metrics)
    assert step.item.description == "有多期数据的上报指标，按来源文件报告的各期数值。"
    assert step.years is None  # the sites are of one year: no chart of one bar
    assert list(step.metrics["name_zh"]) == [PROJECTS]
    assert step.tiles == () and [trend.name for trend in step.trends] == [PROJECTS]


def test_sites_standing_each_year_count_an_end_year_as_closed():
    sites = multi_year_sites()
    table = present.sites_per_year(sites, (2021, 2024))
    assert list(table.index) == [2021, 2022, 2023, 2024]
    # the village counts in 2021 and 2022, not from 2023 (closed then); the site without a
    # year in none
    assert table["total"].tolist() == [1, 3, 2, 18]
    assert table["village"].tolist() == [1, 1, 0, 7]
    assert table["community"].tolist() == [0, 2, 2, 6]
    assert table.loc[2024, "industry"] == 1
    assert list(table.columns) == [
        "village",
        "community",
        "service_center",
        "station",
        "demo_site",
        "industry",
        "total",
    ]
    # the same rule as the map's year view
    for year in table.index:
        shown = present.filter_records(sites, present.RecordFilter(as_of=int(year)))
        assert len(shown) == table.loc[year, "total"]


def test_the_years_step_counts_lists_the_figures_and_cites_their_sources():
    step = _step(multi_year_sites(), metrics_with_periods())
    assert step.years is not None and step.years["total"].tolist() == [1, 3, 2, 18]
    assert step.undated == 1
    assert len(step.sites) == 20  # the map shows every site
    assert step.tiles == ()  # the chart and the list say it: not twice on one screen
    (trend,) = step.trends
    assert trend.name == PROJECTS
    assert trend.values == (("截至2023年", "20 个"), ("截至2024年", "23 个"))
    assert trend.change == "+3 个（+15%），较2023年" and trend.target == ""
    assert trend.sources.startswith("来源：截至2023年：区委组织部2023年工作总结；截至2024年：《")


def test_the_years_chart_stacks_the_kinds_and_writes_each_total():
    table = present.sites_per_year(multi_year_sites(), (2021, 2024))
    figure = charts.years_chart(table)
    names = [trace.name for trace in figure.data]
    assert names == ["村", "社区", "党群服务中心", "暖心驿站", "示范点", "产业点"]
    assert list(figure.data[0].x) == ["2021", "2022", "2023", "2024"]
    assert list(figure.data[0].y) == [1, 1, 0, 7]
    totals = [(a.x, a.text) for a in figure.layout.annotations]
    assert totals == [(0, "1"), (1, "3"), (2, "2"), (3, "18")]  # category positions, not years
    assert figure.layout.barmode == "stack" and figure.layout.title.text.startswith("各年点位数")


def test_the_figures_list_escapes_record_text():
    trend = present.Trend(
        "<script>x</script>", (("2023年", "1 <b>"),), "+1", "", "来源：<img src=x>"
    )
    out = present.trends_html((trend,))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<img" not in out and "1 &lt;b&gt;" in out
    assert present.trends_html(()) == ""


def test_step_years_in_the_url_starts_at_the_slide():
    settings = present.tour_settings({"step": "years"})
    assert settings.start == present.YEARS and settings.by == present.BY_PROGRAM
    items = _items(multi_year_sites(), io.load_metrics())
    assert present.start_index(items, settings.start) == 1
    shipped = _items(io.load_sites(), io.load_metrics())
    assert present.start_index(shipped, settings.start) == 0  # no slide: the overview


def test_the_big_screen_shows_the_years_slide(app_state):
    from geo.store.records import Store

    store = Store.open()
    site = store.get("sites", "c-370103003001")
    site.update(year=2021)
    store.save("sites", site, "test", site["version"])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("app_pages/present.py")
    at.query_params["step"] = "years"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    head = " ".join(m.value for m in at.markdown if "sz-head" in m.value)
    assert "历年变化 2/" in head
    spot = " ".join(m.value for m in at.markdown if "sz-spot" in m.value)
    assert "2021—2024年各年的点位数" in spot
    charts_shown = at.get("plotly_chart")
    assert len(charts_shown) == 1
    spec = json.loads(charts_shown[0].proto.spec)
    assert [int(y) for y in spec["data"][1]["y"]] == [1, 1, 1, 6]  # communities
    # stepping on goes to the first program
    next(b for b in at.button if b.key == "tour_next").click().run()
    assert PROGRAMS["name_zh"].iloc[0] in " ".join(
        m.value for m in at.markdown if "sz-spot" in m.value
    )
