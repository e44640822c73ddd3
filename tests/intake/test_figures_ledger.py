"""Issue #29: a figures ledger of three years comes in, its units read from the cells, and the
cards' comparisons follow; bad periods are refused with nothing written."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.data import kpi
from geo.data.filters import RecordFilter
from geo.intake.ledger import import_file
from geo.intake.lookups import Lookups
from geo.intake.rows import amount
from tests.intake.figures import FIGURES, SOURCE, TARGET, figures_ledger


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups.load()


def _snapshot(store) -> tuple:
    return store.read("metrics").astype(str).to_dict("records"), store.data_version()


def _figures(store) -> pd.DataFrame:
    metrics = store.read_metrics()
    return metrics[metrics["name_zh"].isin(FIGURES)]


def _reported(store, **changes) -> pd.DataFrame:
    sites, none = store.read_sites(), pd.DataFrame(columns=["code", "subdistrict_code", "id"])
    chosen = kpi.reported_metrics(store.read_metrics(), RecordFilter(**changes), none, sites, none)
    return chosen.set_index("name_zh")


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("40,000元", ("40000", "元", "exact")),
        ("４３％", ("43", "%", "exact")),
        ("100余人", ("100", "人", "at_least")),
        ("约30个", ("30", "个", "approx")),
        ("45岁以下", ("45", "岁", "at_most")),
        ("50%以上", ("50", "%", "at_least")),
        ("1053", ("1053", "", "exact")),
        ("待统计", ("待统计", "", "exact")),
    ],
)
def test_a_value_cell_gives_its_number_unit_and_qualifier(cell, expected):
    assert amount(cell) == expected


def test_three_years_come_in_with_units_from_the_cells(tmp_path, store, lookups):
    result = import_file(figures_ledger(tmp_path), store, "区委组织部", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    stored = _figures(store)
    assert len(stored) == 12  # four figures, three years each; the 合计 row skipped
    for name, (_program, unit, qualifier, periods) in FIGURES.items():
        rows = stored[stored["name_zh"] == name].sort_values("year")
        assert rows["year"].tolist() == [year for year, _, _ in periods]
        assert rows["value"].tolist() == [value for _, _, value in periods]
        assert set(rows["unit"]) == {unit} and set(rows["qualifier"]) == {qualifier}
        assert set(rows["source"]) == {SOURCE}
    target = stored[(stored["name_zh"] == TARGET[0]) & (stored["year"] == TARGET[1])].iloc[0]
    assert target["target"] == TARGET[2] and target["target_source"] == TARGET[3]


def test_the_cards_compare_with_the_previous_year_and_the_target(tmp_path, store, lookups):
    import_file(figures_ledger(tmp_path), store, "区委组织部", lookups=lookups)
    cards = _reported(store)
    stations = cards.loc["新建暖心驿站"]
    assert stations["value"] == 18 and stations["year"] == 2024 and stations["periods"] == 3
    assert stations["change"] == 3 and stations["change_pct"] == pytest.approx(20.0)
    assert stations["target_share"] == pytest.approx(90.0) and stations["tone"] == "good"
    assert stations["trend"] == (12.0, 15.0, 18.0)
    row = next(cards.loc[["新建暖心驿站"]].reset_index().itertuples(index=False))
    assert kpi.format_change(row) == "+3 个（+20%），较2023年"
    assert kpi.format_target(row) == "完成目标 90%（目标 20 个）"
    share = next(cards.loc[["百万元以上村占比"]].reset_index().itertuples(index=False))
    assert kpi.format_change(share) == "+6个百分点，较2023年"  # a share changes in points
    # the year view: 2023's card compares with 2022 and has no target
    earlier = _reported(store, as_of=2023).loc["新建暖心驿站"]
    assert earlier["value"] == 15 and earlier["change"] == 3 and pd.isna(earlier["target_share"])


def test_importing_the_ledger_again_changes_nothing(tmp_path, store, lookups):
    path = figures_ledger(tmp_path)
    import_file(path, store, "区委组织部", lookups=lookups)
    before = _snapshot(store)
    again = import_file(path, store, "区委组织部", lookups=lookups)
    assert again.ok and again.added == {} and again.changed == {}
    assert _snapshot(store) == before


def test_a_lower_is_better_figure_colours_a_rise_as_bad(tmp_path, store, lookups):
    rows = [
        ["班子平均年龄", "跨村联建", f"{year}年", f"{age}岁", "", "", SOURCE]
        for year, age in ((2023, 47), (2024, 48))
    ]
    path = figures_ledger(tmp_path, rows)
    book_rows = [[*r, "越低越好"] for r in rows]
    path = _with_direction(tmp_path, book_rows)
    assert import_file(path, store, "区委组织部", lookups=lookups).ok
    assert _reported(store).loc["班子平均年龄"]["tone"] == "bad"
    assert path.exists()


def _with_direction(folder, rows):
    from openpyxl import load_workbook

    path = figures_ledger(folder, [r[:-1] for r in rows], name="方向.xlsx")
    book = load_workbook(path)
    sheet = book["指标"]
    sheet.cell(3, 9, "变化方向")
    for i, row in enumerate(rows):
        sheet.cell(4 + i, 9, row[-1])
    book.save(path)
    return path


@pytest.mark.parametrize(
    "bad, key_text",
    [
        (
            ["百万元以上村占比", "党建联合体", "2025年", "104%", "", "", SOURCE],
            "百分比不能超过100%",
        ),
        (["新建暖心驿站", "新就业群体党建", "2025年", "21处", "", "", SOURCE], "单位不一致"),
        (["新建暖心驿站", "新就业群体党建", "二〇二五", "21个", "", "", SOURCE], "不是有效年份"),
        (["党员人数", "新就业群体党建", "2025年", "待统计", "", "", SOURCE], "不是数字"),
    ],
    ids=["share-over-100", "unit-mixed-with-stored", "bad-year", "no-number"],
)
def test_a_bad_period_is_refused_and_nothing_is_written(tmp_path, store, lookups, bad, key_text):
    assert import_file(figures_ledger(tmp_path), store, "区委组织部", lookups=lookups).ok
    before = _snapshot(store)
    path = figures_ledger(tmp_path, [bad], name="bad.xlsx")
    result = import_file(path, store, "区委组织部", lookups=lookups)
    assert not result.ok
    messages = [i.describe() for i in result.issues if i.severity == "error"]
    assert any(key_text in m and "第4行" in m for m in messages), messages
    assert _snapshot(store) == before


def test_units_mixed_within_one_file_are_refused(tmp_path, store, lookups):
    before = _snapshot(store)
    rows = [
        ["村集体经济收入平均增加额", "第一书记", "2023年", "35,000元", "", "", SOURCE],
        ["村集体经济收入平均增加额", "第一书记", "2024年", "4万元", "", "", SOURCE],
    ]
    result = import_file(figures_ledger(tmp_path, rows), store, "区委组织部", lookups=lookups)
    assert not result.ok
    assert any("单位不一致" in i.describe() and "第5行" in i.describe() for i in result.issues)
    assert _snapshot(store) == before


def test_quarterly_figures_compare_with_the_previous_quarter(tmp_path, store, lookups):
    rows = [
        ["网格事项办结数", "新就业群体党建", period, cell, "", "", SOURCE]
        for period, cell in (
            ("2024年第一季度", "120件"),
            ("2024年第二季度", "150件"),
            ("2024Q3", "135件"),
        )
    ]
    result = import_file(figures_ledger(tmp_path, rows), store, "区委组织部", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    stored = store.read_metrics().query("name_zh == '网格事项办结数'").sort_values("quarter")
    assert stored["year"].tolist() == [2024] * 3 and stored["quarter"].tolist() == [1, 2, 3]
    assert stored["id"].nunique() == 3  # one record per quarter
    card = next(_reported(store).loc[["网格事项办结数"]].reset_index().itertuples(index=False))
    assert card.value == 135 and card.periods == 3
    assert kpi.format_change(card) == "-15 件（-10%），较2024年第二季度"
    assert kpi.format_period(card.year, card.period, "zh", card.quarter) == "2024年第三季度"
