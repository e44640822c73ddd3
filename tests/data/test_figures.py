"""A figure entered by hand (geo/data/figures.py): the ledger's checks on one period, the
record it makes, and that nothing is written on an error."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geo.data.dataset import Dataset
from geo.data.figures import FigureEntry, entry_id, figure_record, issue_text
from geo.intake.rows import stable_id
from geo.store.records import Store

PROJECTS = "第一书记新引进发展项目"  # district-wide, 23 个, to_date 2024 (m-fs-projects)
SHARE = "物业企业党组织覆盖率"  # district-wide, %, 2024


def entry(**changes) -> FigureEntry:
    """A 2025 period of 第一书记新引进发展项目, changed by ``changes``."""
    fields = dict(
        name_zh=PROJECTS,
        unit="个",
        program="first_secretary",
        scope_type="district",
        scope_code="370103",
        year=2025,
        value="26",
        source="2025年区委组织部工作总结",
        period="to_date",
    )
    return FigureEntry(**{**fields, **changes})


def test_a_new_period_of_a_figure_is_a_record_with_the_ledgers_id(dataset: Dataset):
    record, issues = figure_record(entry(target="30"), dataset)
    assert issues == []
    assert record["id"] == stable_id("imp-m", PROJECTS, "district", "370103", "2025")
    assert record["id"] == entry_id(PROJECTS, "district", "370103", 2025, None)
    assert (record["value"], record["year"], record["quarter"]) == (26.0, 2025, None)
    assert (record["target"], record["target_source"]) == (30.0, "2025年区委组织部工作总结")
    assert (record["unit"], record["period"], record["better"]) == ("个", "to_date", "up")


def test_a_quarter_gets_its_own_id_and_thousands_separators_are_read(dataset: Dataset):
    record, issues = figure_record(entry(quarter=2, value="1,200"), dataset)
    assert issues == [] and record["quarter"] == 2 and record["value"] == 1200.0
    assert record["id"] == stable_id("imp-m", PROJECTS, "district", "370103", "2025", "Q2")


def test_a_period_the_figure_has_updates_that_row(dataset: Dataset):
    record, issues = figure_record(entry(year=2024, value="24"), dataset)
    assert issues == [] and record["id"] == "m-fs-projects" and record["value"] == 24.0


def test_a_new_figure_needs_no_other_period(dataset: Dataset):
    new = entry(name_zh="新就业群体驿站服务人次", unit="人次", program="new_employment")
    record, issues = figure_record(new, dataset)
    assert issues == [] and record["name_zh"] == "新就业群体驿站服务人次"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"name_zh": SHARE, "unit": "%", "program": "red_property", "value": "120"},
            "value",
            "数值：百分比不能超过100%",
        ),
        (
            {
                "name_zh": SHARE,
                "unit": "%",
                "program": "red_property",
                "value": "90",
                "target": "101",
            },
            "target",
            "目标值：百分比不能超过100%",
        ),
        ({"unit": "项"}, "unit", "单位：与同一指标其他期的单位不一致"),
        ({"year": 1800}, "year", "年份：不是有效年份（1949-2100）"),
        ({"year": 2101}, "year", "年份：不是有效年份（1949-2100）"),
        ({"year": None}, "year", "年份：必须填写"),
        ({"source": "  "}, "source", "来源：必须填写"),
        ({"value": ""}, "value", "数值：必须填写"),
        ({"value": "二十六"}, "value", "数值：不是数字"),
        ({"quarter": 5}, "quarter", "季度：不是季度"),
        ({"program": "castle"}, "program", "项目：不是已知的项目代码"),
        ({"scope_type": "subdistrict", "scope_code": "999999999"}, "scope_code", "范围："),
        ({"better": "sideways"}, "better", "变化方向：不是已知的变化方向"),
    ],
    ids=[
        "share-over-100",
        "target-share-over-100",
        "mixed-unit",
        "year-too-early",
        "year-too-late",
        "no-year",
        "no-source",
        "no-value",
        "not-a-number",
        "bad-quarter",
        "unknown-program",
        "unknown-scope",
        "unknown-direction",
    ],
)
def test_a_bad_entry_is_refused_with_its_field_and_why(dataset, changes, field, message):
    record, issues = figure_record(entry(**changes), dataset)
    assert record is None
    assert [issue.column for issue in issues] == [field]
    assert issue_text(issues[0]).startswith(message)
    assert issues[0].row is None and issues[0].severity == "error"


def test_each_field_is_named_once_in_the_forms_order(dataset: Dataset):
    record, issues = figure_record(entry(value="", source="", year=1800, unit="项"), dataset)
    assert record is None
    assert [issue.column for issue in issues] == ["unit", "year", "value", "source"]
    assert issue_text(issues[2]) == "数值：必须填写"  # blank, not also "not a number"
    assert issue_text(issues[0], "en").startswith("Unit: another unit than")


def test_the_unit_is_compared_with_every_other_period(dataset: Dataset):
    """A figure with 2023 and 2024 periods: an entry replacing 2024 in another unit is still
    refused against 2023."""
    metrics = dataset.metrics
    earlier = metrics[metrics["name_zh"] == PROJECTS].iloc[[0]].assign(id="p-2023", year=2023)
    data = dataclasses.replace(dataset, metrics=pd.concat([metrics, earlier], ignore_index=True))
    record, issues = figure_record(entry(year=2024, unit="项"), data)
    assert record is None and [i.key for i in issues] == ["unit_mixed"]


def test_a_refused_entry_writes_nothing_and_a_good_one_is_stored_as_entered(tmp_path, dataset):
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        version, rows = store.data_version(), len(store.read_metrics())
        record, issues = figure_record(entry(unit="项"), dataset)
        assert record is None and issues
        assert store.data_version() == version and len(store.read_metrics()) == rows
        record, issues = figure_record(entry(), dataset)
        store.save("metrics", record, "admin")  # as the Manage page saves it
        stored = store.get("metrics", record["id"])
        assert (stored["year"], stored["value"], stored["unit"], stored["source"]) == (
            2025,
            26.0,
            "个",
            "2025年区委组织部工作总结",
        )
        assert len(store.read_metrics()) == rows + 1
    finally:
        store.engine.dispose()
