"""The Word brief's comparisons of figures with several periods (issue #29), opened with
python-docx: the change against the previous period and the share of the target, each with its
source; a figure with one period reads as before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import docx
import pandas as pd
import pytest

from geo.data.citations import cite
from geo.data.dataset import Dataset
from geo.data.filters import RecordFilter
from geo.reports import brief, pageviews
from geo.reports.docxparts import footnote_texts

DAY = dt.date(2026, 3, 5)
PROJECTS, BRANDS = "第一书记新引进发展项目", "新涌现社区党建品牌"


def _period(row: pd.Series, **changes) -> pd.Series:
    out = row.copy()
    for key, value in changes.items():
        out[key] = value
    return out


@pytest.fixture(scope="module")
def periods_data(dataset: Dataset) -> Dataset:
    """The shipped data with 2022 and 2023 periods added to 第一书记新引进发展项目 (2024: 23 个)
    and a 2023 period and a target added to 新涌现社区党建品牌 (2024: 21 个)."""
    metrics = dataset.metrics
    projects = metrics[metrics["name_zh"] == PROJECTS].iloc[0]
    brands = metrics[metrics["name_zh"] == BRANDS].iloc[0]
    added = [
        _period(projects, id="p-2022", year=2022, value=12.0, source="区委组织部2022年工作总结"),
        _period(
            projects, id="p-2023", year=2023, value=20.0, source="import:第一书记台账2023.xlsx"
        ),
        _period(brands, id="b-2023", year=2023, value=25.0, source="区委组织部2023年工作总结"),
    ]
    with_target = metrics.copy()
    with_target["target"] = with_target["target"].astype(object)
    index = with_target.index[with_target["name_zh"] == BRANDS][0]
    with_target.at[index, "target"] = 30.0
    with_target.at[index, "target_source"] = "区委组织部2024年工作要点"
    changed = pd.concat([with_target, pd.DataFrame(added)], ignore_index=True)
    return dataclasses.replace(dataset, metrics=changed)


def _document(data: Dataset, record_filter: RecordFilter | None = None):
    view = pageviews.overview_view(data, record_filter or RecordFilter())
    return docx.Document(io.BytesIO(brief.build_brief(data, view, today=DAY))), view


def _paragraph(document, start: str) -> str:
    found = [p.text for p in document.paragraphs if p.text.startswith(start)]
    assert len(found) == 1, [p.text for p in document.paragraphs]
    return found[0]


def test_a_figure_with_three_periods_is_compared_with_the_one_before(periods_data):
    document, _ = _document(periods_data)
    sources = periods_data.sources
    text = _paragraph(document, PROJECTS + "：")
    latest = cite("article-2024#聚力攻坚", sources)
    # 23 个 in 2024 against 20 in 2023 (the period before, not 2022): +3 个, +15%
    assert text == (
        f"{PROJECTS}：截至2024年 23 个（来源：{latest}）"
        "；+3 个（+15%），较2023年（上期 20 个，来源：导入文件《第一书记台账2023.xlsx》）。"
    )
    assert "完成目标" not in text  # no target
    assert any("以下指标有多期数据" in p.text for p in document.paragraphs)
    notes = footnote_texts(document)
    assert "导入文件《第一书记台账2023.xlsx》" in notes


def test_a_target_is_stated_with_its_source(periods_data):
    document, _ = _document(periods_data)
    text = _paragraph(document, BRANDS + "：")
    assert "；-4 个（-16%），较2023年（上期 25 个，来源：区委组织部2023年工作总结）" in text
    assert text.endswith("；完成目标 70%（目标 30 个）（目标来源：区委组织部2024年工作要点）。")
    notes = footnote_texts(document)
    assert "区委组织部2024年工作要点" in notes and "区委组织部2023年工作总结" in notes


def test_a_figure_with_one_period_has_no_comparison(periods_data):
    document, view = _document(periods_data)
    one = view.metrics[view.metrics["periods"] == 1]
    assert len(one) > 5
    for name in one["name_zh"]:
        assert not [p.text for p in document.paragraphs if p.text.startswith(name + "：")]
    # the table still lists every figure, one row each, its latest period
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "指标")
    names = [row.cells[1].text for row in table.rows[1:]]
    assert names.count(PROJECTS) == 1 and len(names) == len(view.metrics)
    row = next(r for r in table.rows[1:] if r.cells[1].text == PROJECTS)
    assert [c.text for c in row.cells[2:4]] == ["23 个", "截至2024年"]


def test_the_shipped_data_has_no_comparison(dataset):
    document, view = _document(dataset)
    assert (view.metrics["periods"] == 1).all()
    texts = [p.text for p in document.paragraphs]
    assert not any("以下指标有多期数据" in text or "较20" in text for text in texts)


def test_a_filter_that_ends_before_the_latest_period_compares_the_earlier_ones(periods_data):
    document, _ = _document(periods_data, RecordFilter(year_to=2023))
    text = _paragraph(document, PROJECTS + "：")
    assert text.startswith(
        f"{PROJECTS}：截至2023年 20 个（来源：导入文件《第一书记台账2023.xlsx》）"
    )
    assert "；+8 个（+66.7%），较2022年（上期 12 个，来源：区委组织部2022年工作总结）。" in text
