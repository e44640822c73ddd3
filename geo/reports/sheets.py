"""The Excel template: sheets, Chinese headers with explanations, validation lists, export.

The same layout is written by ``python -m geo template`` (empty, with an example row) and by
``python -m geo export FILE.xlsx`` (the store's records), and read by ``geo.intake.ledger``, so
export -> edit in Excel/WPS -> import round-trips without loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from geo.data import io
from geo.data.gazetteer import code_names
from geo.reports.export import text_cells
from geo.text import vocab
from geo.text.labels import KIND_LABELS

#: First cell of the explanation row; the row is skipped on import.
NOTE_MARK = "【说明】"
#: Prefix of the example row's id; the row is skipped on import.
EXAMPLE_MARK = "示例"


@dataclass(frozen=True)
class Column:
    """One column of a template sheet: its key, its Chinese header and note, an example value.

    ``choices`` names a list on the hidden ``lists`` sheet that validates the column (a
    drop-down in Excel/WPS), or is None.
    """

    key: str  # English column name (also accepted as a header on import)
    header: str  # Chinese header written in row 1
    note: str  # explanation written in row 2
    example: str = ""
    choices: str | None = None  # name of a list on the hidden "lists" sheet


SITE_COLUMNS = (
    Column("id", "编号", "可留空：自动生成稳定编号。修改已有记录时保留其编号", "示例-001"),
    Column("name", "名称", "必填", "某某社区党群服务站"),
    Column("kind", "类型", "必填，从下拉列表选", "党群服务中心", "kinds"),
    Column("subdistrict", "街道", "街道名称或9位代码", "杆石桥街道", "subdistricts"),
    Column("unit", "村/社区", "可选：村/社区名称或12位代码", "春元里社区"),
    Column(
        "programs",
        "项目",
        "必填：一个或多个项目名称，用“;”或“、”分隔（下拉可选一个，多个请手工输入）",
        "党群服务中心;红色物业",
        "programs",
    ),
    Column("year", "年份", "四位年份", "2025"),
    Column("end_year", "撤并/停用年份", "可选：撤并或停用的年份，之后的年份地图不再显示", ""),
    Column("description", "说明", "可选", "（示例行，导入时自动跳过）"),
    Column(
        "inferred",
        "推断",
        "是 或 否（留空为否）：名称或位置由推断得出时填是，并在说明中写明依据",
        "否",
        "yes_no",
    ),
    Column("source", "来源", "可留空：默认为本文件名", "区委组织部2025年台账"),
    Column(
        "lon", "经度", "十进制度或度分秒（如 116°58′30″）；留空则按村/社区或街道定位", "117.003"
    ),
    Column("lat", "纬度", "十进制度或度分秒；与经度同填同空", "36.655"),
    Column(
        "datum",
        "坐标系",
        "填写经纬度时必填：WGS-84、GCJ-02（高德拾取）、BD-09（百度）",
        "GCJ-02",
        "datums",
    ),
    Column(
        "location_precision",
        "位置精度",
        "可选：精确、近似；有经纬度时默认精确",
        "精确",
        "precisions",
    ),
    Column("version", "版本", "导出时填写，请勿修改；新记录留空", ""),
)
METRIC_COLUMNS = (
    Column("id", "编号", "可留空：自动生成稳定编号", "示例-m01"),
    Column("name_zh", "指标名称", "必填", "新建暖心驿站"),
    Column("name_en", "英文名称", "可选", "New warm-heart stations"),
    Column("value", "数值", "必填，数字", "12"),
    Column("unit", "单位", "必填，如 个、人、%、元", "个"),
    Column("qualifier", "限定", "精确、不少于（100+）、不多于、约", "精确", "qualifiers"),
    Column("scope_type", "范围类型", "全区、街道、村/社区、点位、联建", "全区", "scopes"),
    Column("scope", "范围", "范围的名称或代码（全区可留空）", ""),
    Column("program", "项目", "必填，项目名称", "新就业群体党建", "programs"),
    Column("year", "年份", "四位年份", "2025"),
    Column(
        "period",
        "时间口径",
        "年度：该年的数字；截至：截至该年的累计或现状（留空为年度）",
        "年度",
        "periods",
    ),
    Column("source", "来源", "可留空：默认为本文件名", "区委组织部2025年统计"),
    Column("quarter", "季度", "可选：按季度报送时填1-4（留空为全年）", ""),
    Column("target", "目标值", "可选：该期的目标，单位同数值", "15"),
    Column(
        "target_source", "目标来源", "填写目标值时必填：设定目标的文件", "区委组织部2025年工作要点"
    ),
    Column(
        "better",
        "变化方向",
        "越高越好、越低越好或不评价（留空为越高越好）：决定卡片上变化的颜色",
        "越高越好",
        "better",
    ),
    Column("version", "版本", "导出时填写，请勿修改；新记录留空", ""),
)
ALLIANCE_COLUMNS = (
    Column("id", "编号", "可留空：自动生成稳定编号", "示例-a01"),
    Column("name", "名称", "必填", "某某联合党委"),
    Column("kind", "类型", "联合党委 或 党建联合体", "联合党委", "alliance_kinds"),
    Column("subdistrict", "街道", "街道名称或9位代码", "党家街道", "subdistricts"),
    Column("members", "成员", "成员村/社区名称或代码，用“;”或“、”分隔", "土屋村;宅科村"),
    Column("inferred", "推断成员", "成员中由推断而非来源明确给出的部分", ""),
    Column("programs", "项目", "一个或多个项目名称", "跨村联建", "programs"),
    Column("year", "年份", "四位年份", "2025"),
    Column("description", "说明", "可选", ""),
    Column("membership_note", "成员说明", "可选：成员从何得知", ""),
    Column("source", "来源", "可留空：默认为本文件名", ""),
    Column("version", "版本", "导出时填写，请勿修改；新记录留空", ""),
)

#: entity -> (sheet title, columns). Sheet titles are matched by Chinese or English name.
SHEETS = {
    "sites": ("站点", SITE_COLUMNS),
    "metrics": ("指标", METRIC_COLUMNS),
    "alliances": ("联建", ALLIANCE_COLUMNS),
}

QUALIFIER_LABELS = {"exact": "精确", "at_least": "不少于", "at_most": "不多于", "approx": "约"}
SCOPE_LABELS = {
    "district": "全区",
    "subdistrict": "街道",
    "unit": "村/社区",
    "site": "点位",
    "alliance": "联建",
}
ALLIANCE_KIND_LABELS = {"joint_committee": "联合党委", "consortium": "党建联合体"}
PERIOD_LABELS = {"year": "年度", "to_date": "截至"}
BETTER_LABELS = {"up": "越高越好", "down": "越低越好", "none": "不评价"}
YES_NO_LABELS = {"true": "是", "false": "否"}
#: What an import accepts in the 时间口径 and 推断 columns (lower case) -> the stored value.
PERIOD_CHOICES = {
    **{k: k for k in PERIOD_LABELS},
    **{v: k for k, v in PERIOD_LABELS.items()},
    "累计": "to_date",
    "to date": "to_date",
}
#: What an import accepts in the 变化方向 column (lower case) -> the stored value.
BETTER_CHOICES = {
    **{k: k for k in BETTER_LABELS},
    **{v: k for k, v in BETTER_LABELS.items()},
    "越大越好": "up",
    "越小越好": "down",
    "越多越好": "up",
    "越少越好": "down",
    "无": "none",
}
YES_NO_CHOICES = {
    **{k: k for k in YES_NO_LABELS},
    **{v: k for k, v in YES_NO_LABELS.items()},
    "yes": "true",
    "no": "false",
    "1": "true",
    "0": "false",
}
PRECISION_SHORT = {
    "exact": "精确",
    "approximate": "近似",
    "subdistrict": "街道级",
    "district": "区级",
    "unit": "村居级",
}


def _lists(programs: pd.DataFrame, subdistricts: pd.DataFrame) -> dict[str, list[str]]:
    return {
        "kinds": [KIND_LABELS[k][0] for k in vocab.KINDS],
        "programs": programs["name_zh"].tolist(),
        "subdistricts": subdistricts["name"].tolist(),
        "datums": ["WGS-84", "GCJ-02", "BD-09"],
        "precisions": [PRECISION_SHORT["exact"], PRECISION_SHORT["approximate"]],
        "qualifiers": list(QUALIFIER_LABELS.values()),
        "scopes": list(SCOPE_LABELS.values()),
        "alliance_kinds": list(ALLIANCE_KIND_LABELS.values()),
        "periods": list(PERIOD_LABELS.values()),
        "better": list(BETTER_LABELS.values()),
        "yes_no": list(YES_NO_LABELS.values()),
    }


def write_workbook(
    path: Path,
    programs: pd.DataFrame,
    subdistricts: pd.DataFrame,
    rows: dict[str, list[dict[str, str]]] | None = None,
) -> Path:
    """Write the template workbook to ``path``.

    One sheet per entity of :data:`SHEETS` with Chinese headers (row 1) and an explanation
    row (row 2), then the records; a hidden ``lists`` sheet holds the drop-down lists that
    validate the coded columns (kinds, programs, subdistricts, datums, ...). Every cell is
    written as text, never as a formula, even text starting with ``=`` (OWASP CSV injection,
    :func:`geo.reports.export.text_cells`): the importer reads it back unchanged.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (replaced if it exists).
    programs, subdistricts
        The program vocabulary and the gazetteer (their Chinese names fill the drop-downs).
    rows
        Entity (``sites``, ``metrics``, ``alliances``) -> list of {column key: text}, as
        :func:`template_rows` makes them; a missing entity gets an empty sheet. None: one
        example row per sheet (the empty template).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    book = Workbook()
    book.remove(book.active)
    lists = _lists(programs, subdistricts)
    hidden = book.create_sheet("lists")
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = hidden.cell(row=1, column=index).column_letter
        hidden.cell(row=1, column=index, value=name)
        for offset, value in enumerate(values, start=2):
            hidden.cell(row=offset, column=index, value=value)
        ranges[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    hidden.sheet_state = "hidden"
    bold, note_font = Font(bold=True), Font(italic=True, color="666666", size=9)
    fill = PatternFill("solid", fgColor="FDECEA")
    for entity, (title, columns) in SHEETS.items():
        sheet = book.create_sheet(title)
        records = (
            rows.get(entity, []) if rows is not None else [{c.key: c.example for c in columns}]
        )
        for col, column in enumerate(columns, start=1):
            head = sheet.cell(row=1, column=col, value=column.header)
            head.font, head.fill = bold, fill
            note = sheet.cell(
                row=2, column=col, value=(NOTE_MARK if col == 1 else "") + column.note
            )
            note.font, note.alignment = note_font, Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[head.column_letter].width = (
                16 if column.key != "description" else 36
            )
            for offset, record in enumerate(records, start=3):
                value = record.get(column.key, "")
                sheet.cell(row=offset, column=col, value=value).number_format = "@"
            if column.choices:
                rule = DataValidation(
                    type="list",
                    formula1=f"={ranges[column.choices]}",
                    allow_blank=True,
                    showErrorMessage=False,
                )
                rule.add(f"{head.column_letter}3:{head.column_letter}5000")
                sheet.add_data_validation(rule)
        sheet.freeze_panes = "A3"
        sheet.row_dimensions[2].height = 48
    book.move_sheet("lists", offset=len(SHEETS))
    text_cells(book)
    book.save(path)
    return path


def _number(value) -> str:
    if value is None or value != value:
        return ""
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def template_rows(
    sites: pd.DataFrame,
    metrics: pd.DataFrame,
    alliances: pd.DataFrame,
    programs: pd.DataFrame,
    subdistricts: pd.DataFrame,
    units: pd.DataFrame,
) -> dict[str, list[dict[str, str]]]:
    """Stored records as template rows, ready for :func:`write_workbook`.

    Parameters
    ----------
    sites, metrics, alliances
        The store's records (with ``version``, so that a stale re-import is caught).
    programs, subdistricts, units
        The vocabulary and gazetteers whose names replace codes.

    Returns
    -------
    dict of str to list of dict
        Entity -> rows of {column key: text}: Chinese names where unambiguous (a unit whose
        short name is shared keeps its 12-digit code), the labels of coded values, numbers
        without trailing ``.0``, coordinates as stored (WGS-84, EPSG:4326, degrees; ``datum``
        ``WGS-84``).
    """
    program_names = code_names(programs, "name_zh", key="key")
    street_names = code_names(subdistricts)
    counts = units["short_name"].value_counts()
    unit_names = {
        code: short if counts[short] == 1 else code
        for code, short in zip(units["code"], units["short_name"], strict=True)
    }

    def names(value: str, table: dict[str, str]) -> str:
        return ";".join(table.get(p, p) for p in io.split_list(value))

    def year(value) -> str:
        return "" if pd.isna(value) else str(int(value))

    rows: dict[str, list[dict[str, str]]] = {"sites": [], "metrics": [], "alliances": []}
    for r in sites.to_dict("records"):
        rows["sites"].append(
            {
                "id": r["id"],
                "name": r["name"],
                "kind": KIND_LABELS[r["kind"]][0] if r["kind"] in KIND_LABELS else r["kind"],
                "subdistrict": street_names.get(r["subdistrict_code"], r["subdistrict_code"]),
                "unit": unit_names.get(r["unit_code"], r["unit_code"]),
                "programs": names(r["programs"], program_names),
                "year": year(r["year"]),
                "end_year": year(r.get("end_year")),
                "description": r["description"],
                "inferred": YES_NO_LABELS[str(io.parse_flag(r.get("inferred"))).lower()],
                "source": r["source"],
                "lon": _number(r["lon"]),
                "lat": _number(r["lat"]),
                "datum": "WGS-84",
                "location_precision": PRECISION_SHORT.get(r["location_precision"], ""),
                "version": str(r.get("version", "")),
            }
        )
    for r in metrics.to_dict("records"):
        scope = r["scope_code"]
        if r["scope_type"] == "subdistrict":
            scope = street_names.get(scope, scope)
        elif r["scope_type"] == "unit":
            scope = unit_names.get(scope, scope)
        elif r["scope_type"] == "district":
            scope = ""
        rows["metrics"].append(
            {
                "id": r["id"],
                "name_zh": r["name_zh"],
                "name_en": r["name_en"],
                "value": _number(r["value"]),
                "unit": r["unit"],
                "qualifier": QUALIFIER_LABELS.get(r["qualifier"], r["qualifier"]),
                "scope_type": SCOPE_LABELS.get(r["scope_type"], r["scope_type"]),
                "scope": scope,
                "program": program_names.get(r["program"], r["program"]),
                "year": year(r["year"]),
                "period": PERIOD_LABELS.get(r.get("period", "year"), r.get("period", "")),
                "source": r["source"],
                "quarter": year(r.get("quarter")),
                "target": _number(r.get("target")),
                "target_source": r.get("target_source", ""),
                "better": BETTER_LABELS.get(r.get("better", "up"), r.get("better", "")),
                "version": str(r.get("version", "")),
            }
        )
    for r in alliances.to_dict("records"):
        rows["alliances"].append(
            {
                "id": r["id"],
                "name": r["name"],
                "kind": ALLIANCE_KIND_LABELS.get(r["kind"], r["kind"]),
                "subdistrict": street_names.get(r["subdistrict_code"], r["subdistrict_code"]),
                "members": names(r["member_codes"], unit_names),
                "inferred": names(r["inferred_codes"], unit_names),
                "programs": names(r["programs"], program_names),
                "year": year(r["year"]),
                "description": r["description"],
                "membership_note": r["membership_note"],
                "source": r["source"],
                "version": str(r.get("version", "")),
            }
        )
    return rows
