"""A figures ledger (指标台账) as an office keeps it, written for real by the tests.

A title row merged across the table, a 填报单位 row, the office's own headers (完成值, 年度,
目标值), values with their units written in the cell (``40,000元``, ``43%``, ``100余人``), a
target with its own source for one figure, and a 合计 row at the end. The numbers are test
data, not the district's: the shipped data keeps the article's single period.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HEADERS = ["序号", "指标名称", "所属项目", "年度", "完成值", "目标值", "目标来源", "数据来源"]

#: name -> (program, unit, qualifier, [(year, cell as written, value)], better)
FIGURES = {
    "新建暖心驿站": (
        "新就业群体党建",
        "个",
        "exact",
        [(2022, "12个", 12), (2023, "15个", 15), (2024, "18个", 18)],
    ),
    "村集体经济收入平均增加额": (
        "第一书记",
        "元",
        "exact",
        [(2022, "30,000元", 30000), (2023, "35,000元", 35000), (2024, "40,000元", 40000)],
    ),
    "骑手兼职网格员人数": (
        "新就业群体党建",
        "人",
        "at_least",
        [(2022, "60余人", 60), (2023, "80余人", 80), (2024, "100余人", 100)],
    ),
    "百万元以上村占比": (
        "党建联合体",
        "%",
        "exact",
        [(2022, "30%", 30), (2023, "37%", 37), (2024, "43%", 43)],
    ),
}
#: The one figure with a target, its period, its value and its source.
TARGET = ("新建暖心驿站", 2024, 20, "区委组织部2024年工作要点")
SOURCE = "区委组织部指标统计"


def figures_ledger(folder: Path, rows: list[list[object]] | None = None, name="指标台账.xlsx"):
    """Write the ledger (``rows`` replace the figures' rows when given); return its path."""
    book = Workbook()
    sheet = book.active
    sheet.title = "指标"
    width = len(HEADERS)
    sheet.append(["市中区党建引领基层治理指标台账（2022—2024年）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append(["填报单位：区委组织部", None, None, None, None, "填报日期：2025年1月10日"])
    sheet.append(HEADERS)
    if rows is None:
        rows = []
        for figure, (program, _unit, _qualifier, periods) in FIGURES.items():
            for year, cell, _value in periods:
                target = (TARGET[2], TARGET[3]) if (figure, year) == TARGET[:2] else ("", "")
                rows.append([figure, program, f"{year}年", cell, *target, SOURCE])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    sheet.append(["合计", None, None, None, None, None, None, None])
    path = folder / name
    book.save(path)
    return path
