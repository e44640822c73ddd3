"""geo.data.kpi: reported metrics in the filter's scope, and counts computed from records."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data import kpi
from geo.data.filters import RecordFilter, filter_records
from geo.data.kpi import (
    computed_counts,
    format_period,
    format_value,
    metric_subdistricts,
    reported_metrics,
)
from geo.text import vocab

DANGJIA, DOUGOU, GANSHIQIAO = "370103021", "370103022", "370103003"
YUFU = {"m-yufu-villages", "m-yufu-demo-share", "m-yufu-leader-age"}  # about 玉符泉源


@pytest.mark.parametrize(
    "value, unit, qualifier, expected",
    [
        (100, "人", "at_least", "100+ 人"),
        (70, "%", "exact", "70%"),
        (40000, "元", "exact", "40,000 元"),
        (40000.0, "元", "exact", "40,000 元"),
        (5, "个", "approx", "≈5 个"),
        (10, "个", "at_most", "≤10 个"),
        (700, "m²", "at_least", "700+ m²"),
        (1053, "件", "exact", "1,053 件"),
        (2.5, "个", "exact", "2.5 个"),
        (1234.5, "元", "approx", "≈1,234.5 元"),
        (0.25, "%", "at_most", "≤0.25%"),
        (3, "", "exact", "3"),
        (1_000_000, "元", "at_least", "1,000,000+ 元"),
        (50, "%", "at_least", "≥50%"),  # 一半以上: a share reads "≥50%", not "50+%"
        (45, "岁", "at_most", "≤45 岁"),  # 45岁以下
    ],
)
def test_format_value(value, unit, qualifier, expected):
    assert format_value(value, unit, qualifier) == expected


@pytest.mark.parametrize("value, expected", [(2.001, "2 个"), (3.999, "4 个")])
def test_format_value_rounding_to_an_integer(value, expected):
    assert format_value(value, "个", "exact") == expected


# --- reported metrics ------------------------------------------------------------------------


def _report(metrics, units, sites, alliances, **kwargs) -> pd.DataFrame:
    return reported_metrics(metrics, RecordFilter(**kwargs), units, sites, alliances)


def test_no_filter_returns_all_metrics_with_display(metrics, units, sites, alliances):
    result = _report(metrics, units, sites, alliances)
    assert len(result) == 16
    assert list(result["id"]) == list(metrics["id"])
    shown = dict(zip(result["id"], result["display"], strict=True))
    assert shown["m-riders-grid"] == "100+ 人"
    assert shown["m-fs-income"] == "40,000 元"
    assert shown["m-dougou-500k"] == "70%"
    assert shown["m-yufu-demo-share"] == "≥50%"
    assert shown["m-yufu-leader-age"] == "≤45 岁"
    assert "display" not in metrics.columns  # the input is not modified


@pytest.mark.parametrize(
    "streets, expected",
    [
        ((DOUGOU,), {"m-dougou-500k", "m-dougou-1m"}),  # scope subdistrict
        ((GANSHIQIAO,), {"m-chunyuanli-problems", "m-mengxiangjia-area"}),  # scope unit and site
        ((DANGJIA,), YUFU),  # scope alliance
        ((DOUGOU, DANGJIA), {"m-dougou-500k", "m-dougou-1m", *YUFU}),
        (("370103009",), set()),  # 七里山: nothing reported
    ],
)
def test_subdistrict_scope(metrics, units, sites, alliances, streets, expected):
    result = _report(metrics, units, sites, alliances, subdistricts=streets)
    assert set(result["id"]) == expected


def test_district_wide_metrics_only_without_a_street(metrics, units, sites, alliances):
    about = metric_subdistricts(metrics, units, sites, alliances)
    district_wide = set(metrics["id"][metrics["scope_type"] == "district"])
    assert set(metrics["id"][about == ""]) == district_wide
    assert len(district_wide) == 9
    every_street = tuple(sorted(set(about) - {""}))
    with_streets = _report(metrics, units, sites, alliances, subdistricts=every_street)
    assert set(with_streets["id"]).isdisjoint(district_wide)
    assert len(with_streets) == 16 - 9


def test_metric_subdistricts_resolves_each_scope(metrics, units, sites, alliances):
    about = dict(
        zip(metrics["id"], metric_subdistricts(metrics, units, sites, alliances), strict=True)
    )
    assert about["m-dougou-1m"] == DOUGOU
    assert about["m-chunyuanli-problems"] == GANSHIQIAO  # unit 370103003001
    assert about["m-mengxiangjia-area"] == GANSHIQIAO  # site svc-mengxiangjia
    assert about["m-yufu-villages"] == DANGJIA  # alliance al-yufuquanyuan
    assert about["m-fs-income"] == ""


@pytest.mark.parametrize(
    "programs, streets, expected",
    [
        (("first_secretary",), (), {"m-fs-projects", "m-fs-income", "m-fs-promoted"}),
        (("red_property",), (), {"m-chunyuanli-problems", "m-property-party"}),
        (("red_property",), (GANSHIQIAO,), {"m-chunyuanli-problems"}),
        (("consortium", "cross_village"), (), {"m-dougou-500k", "m-dougou-1m", *YUFU}),
        (("enterprise_link",), (), set()),
    ],
)
def test_program_filter(metrics, units, sites, alliances, programs, streets, expected):
    result = _report(metrics, units, sites, alliances, programs=programs, subdistricts=streets)
    assert set(result["id"]) == expected


YEARLY = {"m-secondment"}  # the one figure the article ties to a year (2024年度)


@pytest.mark.parametrize(
    "year_from, year_to, expected",
    [
        (None, 2023, "none"),  # ends before 2024: neither the 2024 value nor a total to 2024
        (2020, 2023, "none"),
        (2025, None, "to_date"),  # after 2024: the totals as of 2024 still are the latest
        (2025, 2026, "to_date"),
        (2024, 2024, "all"),
        (2020, None, "all"),
        (None, 2030, "all"),
        (2024, None, "all"),
        (None, 2024, "all"),
    ],
)
def test_year_filter(metrics, units, sites, alliances, year_from, year_to, expected):
    result = _report(metrics, units, sites, alliances, year_from=year_from, year_to=year_to)
    every, to_date = set(metrics["id"]), set(metrics["id"]) - YEARLY
    assert set(result["id"]) == {"all": every, "to_date": to_date, "none": set()}[expected]
    assert list(result.columns) == [*metrics.columns, "display", *kpi.COMPARED_COLUMNS]


def test_every_figure_but_the_secondment_is_to_date(metrics):
    periods = dict(zip(metrics["id"], metrics["period"], strict=True))
    assert {i for i, p in periods.items() if p == "year"} == YEARLY
    assert set(periods.values()) == {"year", "to_date"}
    assert set(metrics["year"]) == {2024}


def _dated(*rows: tuple[str, int | None, str]) -> pd.DataFrame:
    """Metrics ``(id, year, period)``, district-wide, for the period rule."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "name_zh": [r[0] for r in rows],  # each its own figure
            "name_en": "x",
            "value": 1.0,
            "unit": "个",
            "qualifier": "exact",
            "scope_type": "district",
            "scope_code": "370103",
            "program": "first_secretary",
            "year": pd.array([r[1] for r in rows], dtype="Int64"),
            "period": [r[2] for r in rows],
            "source": "s",
        }
    )


@pytest.mark.parametrize(
    "year_from, year_to, expected",
    [
        (None, None, {"y2020", "y2022", "t2020", "t2022", "t-undated"}),
        (2021, 2021, {"t2020"}),  # a total as of 2020 holds through 2021; no yearly value
        (2022, 2022, {"y2022", "t2020", "t2022"}),
        (2021, None, {"y2022", "t2020", "t2022"}),
        (None, 2020, {"y2020", "t2020"}),
        (None, 2019, set()),
        (2023, 2030, {"t2020", "t2022"}),
    ],
)
def test_period_rule(units, sites, alliances, year_from, year_to, expected):
    frame = _dated(
        ("y2020", 2020, "year"),
        ("y2022", 2022, "year"),
        ("t2020", 2020, "to_date"),
        ("t2022", 2022, "to_date"),
        ("t-undated", None, "to_date"),
    )
    result = _report(frame, units, sites, alliances, year_from=year_from, year_to=year_to)
    assert set(result["id"]) == expected


def test_metrics_without_a_period_column_are_yearly(units, sites, alliances):
    frame = _dated(("y2020", 2020, "year"), ("y2022", 2022, "year")).drop(columns="period")
    result = _report(frame, units, sites, alliances, year_from=2021)
    assert list(result["id"]) == ["y2022"]


@pytest.mark.parametrize(
    "year, period, lang, expected",
    [
        (2024, "to_date", "zh", "截至2024年"),
        (2024, "year", "zh", "2024年度"),
        (2024, "to_date", "en", "as of 2024"),
        (2024, "year", "en", "2024"),
        (None, "year", "zh", "年份不详"),
        (pd.NA, "to_date", "en", "year not given"),
    ],
)
def test_format_period(year, period, lang, expected):
    assert format_period(year, period, lang) == expected


def test_kinds_and_text_do_not_apply_to_metrics(metrics, units, sites, alliances):
    result = _report(metrics, units, sites, alliances, kinds=("station",), text="no such text")
    assert len(result) == 16


def test_metrics_without_a_year_drop_out_of_a_year_range(metrics, units, sites, alliances):
    undated = metrics.copy()
    undated["year"] = undated["year"].astype("Int64")
    undated.loc[undated["id"] == "m-brands", "year"] = pd.NA
    assert len(_report(undated, units, sites, alliances)) == 16
    ranged = _report(undated, units, sites, alliances, year_from=2000)
    assert "m-brands" not in set(ranged["id"]) and len(ranged) == 15


# --- computed counts -------------------------------------------------------------------------


def test_counts_without_filter(sites, alliances):
    counts = computed_counts(sites, alliances)
    assert counts.sites == 20
    assert set(counts.by_kind) == set(vocab.KINDS)
    assert counts.by_kind == {
        "village": 8,
        "community": 6,
        "service_center": 1,
        "station": 1,
        "demo_site": 2,
        "industry": 2,
    }
    # 党家, 陡沟, 杆石桥, 舜耕, 大观园, 二七, 四里村, 魏家庄 (demo-chaoyixing has none)
    assert counts.subdistricts == 8
    assert counts.alliances == 2
    expected_programs = {p for value in sites["programs"] for p in value.split(";")}
    assert counts.programs == len(expected_programs) == 7


@pytest.mark.parametrize(
    "record_filter, sites_n, by_kind, streets_n, programs_n",
    [
        (RecordFilter(subdistricts=(DOUGOU,)), 5, {"village": 3, "industry": 2}, 1, 1),
        (
            RecordFilter(subdistricts=(GANSHIQIAO,)),
            4,
            {"community": 2, "service_center": 1, "demo_site": 1},
            1,
            4,
        ),
        (RecordFilter(programs=("two_new_demo",)), 3, {"service_center": 1, "demo_site": 2}, 1, 2),
        (RecordFilter(kinds=("community",)), 6, {"community": 6}, 5, 2),
    ],
)
def test_counts_for_a_filter(
    sites, alliances, record_filter, sites_n, by_kind, streets_n, programs_n
):
    visible = filter_records(sites, record_filter)
    counts = computed_counts(visible, filter_records(alliances, record_filter))
    assert counts.sites == sites_n
    assert counts.by_kind == {kind: by_kind.get(kind, 0) for kind in vocab.KINDS}
    assert counts.subdistricts == streets_n
    assert counts.programs == programs_n


def test_counts_of_nothing(sites):
    counts = computed_counts(sites.iloc[0:0])
    assert counts.sites == 0 and counts.subdistricts == 0 and counts.programs == 0
    assert counts.alliances == 0
    assert set(counts.by_kind.values()) == {0}


def test_counts_programs_tolerate_spaces_after_semicolons():
    records = pd.DataFrame(
        {
            "kind": ["village", "village"],
            "subdistrict_code": ["a", "a"],
            "programs": ["consortium; red_property", "red_property"],
        }
    )
    assert computed_counts(records).programs == 2


def test_headline_first_one_per_program_widest_scope_first():
    from geo.data import io, kpi

    programs = io.load_programs()
    ordered = kpi.headline_first(io.load_metrics(), programs)
    heads = ordered[ordered["headline"]]
    assert heads["program"].is_unique
    assert list(heads["program"]) == [k for k in programs["key"] if k in set(heads["program"])]
    assert ordered["headline"].tolist() == sorted(ordered["headline"], reverse=True)
    cross = ordered[ordered["program"] == "cross_village"]
    assert cross.iloc[0]["headline"] and not cross.iloc[1:]["headline"].any()
    first = heads.set_index("program").loc["first_secretary"]
    assert first["scope_type"] == "district"
    assert len(ordered) == len(io.load_metrics())
