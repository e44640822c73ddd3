"""Ledgers (台账) as district offices keep them, written for real by the tests (not a test module).

Each builder writes one file the way an office's Excel, WPS or an old system produces it: title
rows, a 填报单位/填报日期 row, merged cells, the office's own header wording, 合计 rows, blank
rows, degrees-minutes-seconds, coordinates picked on AMap (GCJ-02) or Baidu (BD-09), legacy
.xls, GBK CSV, one sheet per subdistrict. It returns what a correct import must find: every
record with its true WGS-84 position (computed here with prcoords, an implementation
independent of the project's own datum code).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import prcoords
import shapely
import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from geo.data import io as geo_io
from geo.intake.boundaries import load_configured_areas

AREAS = load_configured_areas()
UNITS = geo_io.load_units()
SUBDISTRICTS = geo_io.load_subdistricts()
CODE_OF = dict(zip(SUBDISTRICTS["name"], SUBDISTRICTS["code"], strict=True))


@dataclass(frozen=True)
class Expected:
    """One record a correct import finds: names as stored codes, position in WGS-84."""

    name: str
    subdistrict: str  # 9-digit code
    unit: str = ""  # 12-digit code
    lon: float | None = None
    lat: float | None = None
    precision: str = "exact"
    kind: str = ""
    programs: str = ""  # ;-separated keys, checked when given


@dataclass
class Ledger:
    path: Path
    records: list[Expected]
    above: list[int] = field(default_factory=list)  # rows over the header, skipped
    totals: list[int] = field(default_factory=list)  # 合计/小计 rows, skipped
    header_row: int = 1
    ignored: list[str] = field(default_factory=list)  # columns ignored with a notice


def points_in(subdistrict: str, n: int, seed: int = 0) -> list[tuple[float, float]]:
    """``n`` WGS-84 points well inside a subdistrict's (schematic) area."""
    shape = AREAS.loc[AREAS["code"] == CODE_OF.get(subdistrict, subdistrict)].geometry.iloc[0]
    inner = shape.buffer(-0.003)
    west, south, east, north = inner.bounds
    points, step = [], 0
    while len(points) < n:
        step += 1
        fx = (step * 0.618034 + seed * 0.1) % 1.0
        fy = (step * 0.754878 + seed * 0.3) % 1.0
        x, y = west + fx * (east - west), south + fy * (north - south)
        if inner.contains(shapely.Point(x, y)):
            points.append((round(x, 6), round(y, 6)))
    return points


def unit_names(subdistrict: str, n: int, kind: str | None = None) -> list[tuple[str, str]]:
    """(short name, 12-digit code) of ``n`` villages/communities of a subdistrict."""
    rows = UNITS[UNITS["subdistrict_code"] == CODE_OF[subdistrict]]
    if kind:
        rows = rows[rows["unit_type"] == kind]
    return list(zip(rows["short_name"], rows["code"], strict=True))[:n]


def to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    lat_g, lon_g = prcoords.wgs_gcj((lat, lon))
    return lon_g, lat_g


def to_bd09(lon: float, lat: float) -> tuple[float, float]:
    lat_b, lon_b = prcoords.wgs_bd((lat, lon))
    return lon_b, lat_b


def dms(value: float, style: int, axis: str) -> str:
    """``value`` degrees in one of the writings offices use."""
    degrees = int(value)
    minutes_f = (value - degrees) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60, 2)
    hemisphere = "E" if axis == "lon" else "N"
    if style == 0:
        return f"{degrees}°{minutes}′{seconds}″{hemisphere}"
    if style == 1:
        return f"{degrees}度{minutes}分{seconds}秒"
    if style == 2:
        return f"{degrees}°{minutes}'{seconds}\"{hemisphere}"
    return f"{'东经' if axis == 'lon' else '北纬'}{degrees}°{minutes}′{seconds}″"


# --- 1. one subdistrict's ledger: titles, merged cells, AMap coordinates, DMS, 合计 ------------


def dangjia_xlsx(folder: Path) -> Ledger:
    """党家街道's 阵地台账: a merged title, a 填报 row, 所属村（社区） merged over two rows,
    AMap-picked coordinates (some in DMS), a blank row, unknown columns, a 合计 row. No
    subdistrict column: the sheet is named after the subdistrict."""
    book = Workbook()
    ws = book.active
    ws.title = "党家街道"
    header = [
        "序号",
        "阵地名称",
        "阵地类型",
        "所属村（社区）",
        "项目类别",
        "建成年份",
        "经度",
        "纬度",
        "坐标来源",
        "联系人",
        "联系电话",
        "备注",
    ]
    ws.append(["市中区党建引领基层治理阵地台账（2024年）"] + [None] * (len(header) - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            "填报单位：党家街道办事处",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "填报日期：2024年5月10日",
        ]
    )
    ws.append(header)
    units = unit_names("党家街道", 4, "village")
    points = points_in("党家街道", 5, seed=1)
    rows = [
        ("党家庄东村党群服务站", "党群服务中心", units[0], "党群服务中心", "2023", points[0], 0),
        ("党家庄东村红色驿站", "驿站", units[0], "新就业群体党建", "2024年", points[1], None),
        ("罗而村产业基地", "产业基地", units[2], "一村一品", "2022", points[2], 1),
        ("跨村联建示范点", "党建示范点", units[3], "跨村联建、第一书记帮村", "2024", points[3], 3),
    ]
    records = []
    for i, (name, kind, (unit, code), program, year, (lon, lat), style) in enumerate(rows):
        x, y = to_gcj02(lon, lat)
        lon_text = f"{x:.6f}" if style is None else dms(x, style, "lon")
        lat_text = f"{y:.6f}" if style is None else dms(y, style, "lat")
        ws.append(
            [
                i + 1,
                name,
                kind,
                unit,
                program,
                year,
                lon_text,
                lat_text,
                "高德地图拾取",
                "张三",
                "0531-88888888",
                "",
            ]
        )
        records.append(Expected(name, CODE_OF["党家街道"], code, lon, lat))
        if i == 1:
            ws.append([None] * len(header))  # a blank row between the villages
    # rows 4 and 5 share the same village: the cell is merged over both
    ws.merge_cells("D4:D5")
    ws.append(["合计", None, None, None, None, None, None, None, None, None, None, "4处"])
    path = folder / "党家街道阵地台账.xlsx"
    book.save(path)
    return Ledger(
        path,
        records,
        above=[1, 2],
        totals=[ws.max_row],
        header_row=3,
        ignored=["序号", "联系人", "联系电话"],
    )


# --- 2. one workbook, one sheet per subdistrict, other wordings, Baidu coordinates ------------


def workbook_per_subdistrict(folder: Path) -> Ledger:
    """The district office's merged workbook: a sheet per subdistrict, a header in other
    words (点位名称, 类别, 村居, 工作类别, 年度, 东经, 北纬, 坐标系), Baidu-picked points,
    a 小计 row per sheet."""
    book = Workbook()
    book.remove(book.active)
    records = []
    totals = []
    for s, (subdistrict, kind) in enumerate(
        [("杆石桥街道", "community"), ("陡沟街道", "village"), ("四里村街道", "community")]
    ):
        ws = book.create_sheet(subdistrict)
        ws.append([f"{subdistrict}新就业群体暖心驿站统计表"])
        ws.merge_cells("A1:H1")
        ws.append(["点位名称", "类别", "村居", "工作类别", "年度", "东经", "北纬", "坐标系"])
        for (unit, code), (lon, lat) in zip(
            unit_names(subdistrict, 2, kind), points_in(subdistrict, 2, seed=s + 5), strict=True
        ):
            x, y = to_bd09(lon, lat)
            name = f"{unit}暖心驿站"
            ws.append(
                [
                    name,
                    "暖心驿站",
                    unit,
                    "新就业群体党建",
                    2024,
                    round(x, 6),
                    round(y, 6),
                    "百度地图拾取",
                ]
            )
            records.append(Expected(name, CODE_OF[subdistrict], code, lon, lat))
        ws.append(["小计", None, None, None, None, None, None, "2"])
        totals.append(ws.max_row)
    path = folder / "全区暖心驿站汇总.xlsx"
    book.save(path)
    return Ledger(path, records, above=[1], totals=totals, header_row=2)


# --- 3. a legacy .xls: two header rows (坐标 over 经度/纬度), Tianditu coordinates -----------


def legacy_xls(folder: Path) -> Ledger:
    """An .xls from an older system: a merged title, a two-row header whose 坐标 cell spans
    经度（天地图） and 纬度（天地图）, the subdistrict in a column merged over its rows."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    ws.write_merge(0, 0, 0, 6, "两新组织党建示范点名单")
    for col, text in enumerate(["序号", "站点名称", "街道办事处", "类型", "项目", "坐标"]):
        if text == "坐标":
            ws.write_merge(1, 1, 5, 6, text)
        else:
            ws.write_merge(1, 2, col, col, text)
    ws.write(2, 5, "经度（天地图）")
    ws.write(2, 6, "纬度（天地图）")
    records = []
    row = 3
    for subdistrict in ("泺源街道", "大观园街道"):
        points = points_in(subdistrict, 2, seed=9)
        ws.write_merge(row, row + 1, 2, 2, subdistrict)
        for i, (lon, lat) in enumerate(points):
            name = f"{subdistrict[:-2]}两新党建示范点{i + 1}"
            ws.write(row, 0, len(records) + 1)
            ws.write(row, 1, name)
            ws.write(row, 3, "示范点")
            ws.write(row, 4, "两新组织党建示范点")
            ws.write(row, 5, lon)
            ws.write(row, 6, lat)
            records.append(Expected(name, CODE_OF[subdistrict], "", lon, lat))
            row += 1
    path = folder / "两新示范点名单.xls"
    book.save(str(path))
    return Ledger(path, records, above=[1], header_row=3, ignored=["序号"])


# --- 4. a GBK CSV: English-ish headers, DMS, a 总计 row ------------------------------------


def gbk_csv(folder: Path) -> Ledger:
    """A CSV saved by Excel on a Chinese Windows (GBK): lng/lat with DMS and N/E letters."""
    points = points_in("舜玉路街道", 3, seed=3)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["名称", "类型", "所属街道", "项目", "年份", "lng", "lat", "坐标系", "地址"])
    records = []
    for i, (lon, lat) in enumerate(points):
        name = f"舜玉路社区党群服务站{i + 1}"
        writer.writerow(
            [
                name,
                "党群服务中心",
                "舜玉路街道",
                "党群服务中心",
                "2024",
                dms(lon, 2, "lon"),
                dms(lat, 2, "lat"),
                "GPS",
                "",
            ]
        )
        records.append(Expected(name, CODE_OF["舜玉路街道"], "", lon, lat))
    writer.writerow(["总计", "", "", "", "", "", "", "", ""])
    path = folder / "舜玉路街道服务站.csv"
    path.write_bytes(out.getvalue().encode("gbk"))
    return Ledger(path, records, totals=[5], header_row=1)


# --- 5. addresses only ---------------------------------------------------------------------


def address_ledger(folder: Path) -> tuple[Ledger, dict[str, tuple[float, float, str]]]:
    """Sites with a 详细地址 and no coordinates; returns the ledger and what a geocoding
    service answers for each address (WGS-84 lon, lat and its match level)."""
    book = Workbook()
    ws = book.active
    ws.title = "七贤街道"
    ws.append(["序号", "站点名称", "类型", "项目", "详细地址"])
    points = points_in("七贤街道", 3, seed=4)
    answers = {}
    records = []
    levels = ["门址", "兴趣点", "道路"]
    for i, (lon, lat) in enumerate(points):
        name = f"七贤街道红色驿站{i + 1}"
        address = f"济南市市中区七贤街道二环南路{100 + i}号"
        ws.append([i + 1, name, "暖心驿站", "新就业群体党建", address])
        answers[address] = (lon, lat, levels[i])
        records.append(
            Expected(name, CODE_OF["七贤街道"], "", lon, lat, "exact" if i < 2 else "approximate")
        )
    path = folder / "七贤街道驿站地址.xlsx"
    book.save(path)
    return Ledger(path, records, header_row=1, ignored=["序号"]), answers


# --- 6. villages and communities with their positions ------------------------------------


def units_ledger(folder: Path) -> Ledger:
    """A 村/居 ledger: 街道, 村（社区）名称 and the village committee's AMap position."""
    book = Workbook()
    ws = book.active
    ws.title = "村居位置"
    ws.append(["陡沟街道村（居）委会位置一览表"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "街道", "村（社区）名称", "经度", "纬度", "坐标来源"])
    records = []
    for i, ((unit, code), (lon, lat)) in enumerate(
        zip(unit_names("陡沟街道", 4), points_in("陡沟街道", 4, seed=7), strict=True)
    ):
        x, y = to_gcj02(lon, lat)
        ws.append([i + 1, "陡沟街道", unit, round(x, 7), round(y, 7), "高德"])
        records.append(Expected(unit, CODE_OF["陡沟街道"], code, lon, lat))
    path = folder / "陡沟村居位置.xlsx"
    book.save(path)
    return Ledger(path, records, above=[1], header_row=2, ignored=["序号"])


# --- 7. the values as offices write them: short programs, committee suffixes, full-width ------


_VALUE_HEADER = ["序号", "站点名称", "类型", "所属街道", "所属村（社区）", "项目类别", "建成年份"]


def _value_rows() -> tuple[list[list[object]], list[Expected]]:
    """Rows of a district ledger whose values, not its headers, are the office's own: programs
    written short (新就业群体, 第一书记) and several in a cell (、 ／ ；), subdistricts and
    villages/communities with their committee suffix and odd spaces (U+3000), full-width years,
    and both coordinates in one 经纬度（高德） cell (lon,lat; a full-width comma; lat,lon; a DMS
    pair), AMap-picked (GCJ-02)."""
    chunyuanli = unit_names("杆石桥街道", 30)
    units = {name: code for name, code in chunyuanli}
    units |= dict(unit_names("四里村街道", 30)) | dict(unit_names("党家街道", 40))
    units |= dict(unit_names("陡沟街道", 40))
    plan = [
        # name, kind, subdistrict as written (true), unit as written (true), programs, year
        (
            "春元里社区暖心驿站",
            "驿站",
            ("杆石桥街道办事处", "杆石桥街道"),
            ("春元里　社区居委会", "春元里社区"),
            ("新就业群体", "new_employment"),
            "２０２４",
        ),
        (
            "英雄山社区党群服务站",
            "党群服务中心",
            ("四里村", "四里村街道"),
            ("英雄山居委会", "英雄山社区"),
            ("新就业群体、党群服务中心", "new_employment;service_center"),
            "２０２３年",
        ),
        (
            "土屋村第一书记工作站",
            "党群服务中心",
            ("市中区 党家街道", "党家街道"),
            ("土屋村村委会", "土屋村"),
            ("第一书记", "first_secretary"),
            "2024",
        ),
        (
            "大庙屯村党建示范点",
            "党建示范点",
            ("陡沟", "陡沟街道"),
            ("大庙屯村委会", "大庙屯村"),
            (
                "第一书记／一村一品；跨村联建",
                "first_secretary;one_village_one_product;cross_village",
            ),
            "2022",
        ),
    ]
    rows, records = [], []
    for i, (name, kind, (sub_text, sub), (unit_text, unit), (prog_text, progs), year) in enumerate(
        plan
    ):
        lon, lat = points_in(sub, 1, seed=20 + i)[0]
        x, y = to_gcj02(lon, lat)
        pair = [
            f"{x:.6f},{y:.6f}",
            f"{x:.6f}，{y:.6f}",
            f"{y:.6f}, {x:.6f}",
            f"{dms(x, 3, 'lon')} {dms(y, 3, 'lat')}",
        ][i]
        rows.append([i + 1, name, kind, sub_text, unit_text, prog_text, year, pair])
        records.append(Expected(name, CODE_OF[sub], units[unit], lon, lat, programs=progs))
    return rows, records


def _value_footer(width: int) -> list[list[object]]:
    return [
        ["合计"] + [None] * (width - 2) + ["4处"],
        [None] * width,
        ["注：1. 坐标为高德地图拾取；2. 项目类别可填多个。"] * width,  # merged across the table
        ["审核人：李四　填表人：王五　联系电话：0531-12345678"] + [None] * (width - 1),
    ]


def values_xlsx(folder: Path) -> Ledger:
    """The district's ledger with the values as offices write them, an .xlsx: a merged title,
    a 合计 row, a blank row, a merged 注 row and a sign-off row under the data."""
    rows, records = _value_rows()
    header = _VALUE_HEADER + ["经纬度（高德）"]
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["市中区党建阵地台账（2024年）"] + [None] * (len(header) - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for row in rows:
        ws.append(row)
    total, blank, note, sign_off = _value_footer(len(header))
    ws.append(total)
    ws.append(blank)
    ws.append(note[:1] + [None] * (len(header) - 1))  # written once, merged across the table
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(header))
    ws.append(sign_off)
    path = folder / "全区阵地台账（值）.xlsx"
    book.save(path)
    return Ledger(path, records, above=[1], totals=[7], header_row=2, ignored=["序号"])


def _text_lines(rows: list[list[object]]) -> list[list[str]]:
    return [["" if c is None else str(c) for c in row] for row in rows]


def values_utf16(folder: Path) -> Ledger:
    """The same ledger saved by Excel or WPS as "Unicode text": UTF-16 LE with a BOM,
    tab-separated, no title row (a text file has no merged cells: the note is one cell)."""
    rows, records = _value_rows()
    header = _VALUE_HEADER + ["经纬度（高德）"]
    footer = _value_footer(len(header))
    footer[2] = [footer[2][0]] + [""] * (len(header) - 1)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\r\n")
    for row in _text_lines([header, *rows, *footer]):
        writer.writerow(row)
    path = folder / "全区阵地台账（Unicode文本）.txt"
    path.write_bytes(out.getvalue().encode("utf-16"))  # with its BOM, little-endian here
    return Ledger(path, records, totals=[6], header_row=1, ignored=["序号"])


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (what LibreOffice and WPS save as .ods), written with
    zipfile: one table per sheet, every cell a string or a float."""

    def cell(value: object) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def values_ods(folder: Path) -> Ledger:
    """The same ledger as .ods (LibreOffice, WPS), its sheet named after nothing."""
    rows, records = _value_rows()
    header = _VALUE_HEADER + ["经纬度（高德）"]
    footer = _value_footer(len(header))
    footer[2] = [footer[2][0]] + [None] * (len(header) - 1)
    path = write_ods(
        folder / "全区阵地台账.ods",
        {"台账": [["市中区党建阵地台账（2024年）"], header, *rows, *footer]},
    )
    return Ledger(path, records, above=[1], totals=[7], header_row=2, ignored=["序号"])


ALL = {
    "dangjia_xlsx": dangjia_xlsx,
    "workbook_per_subdistrict": workbook_per_subdistrict,
    "legacy_xls": legacy_xls,
    "gbk_csv": gbk_csv,
    "values_xlsx": values_xlsx,
    "values_utf16": values_utf16,
    "values_ods": values_ods,
}


# --- a subdistrict editor's ledger, with or without another subdistrict's row ----------------


def scope_ledger(folder: Path, other: bool = True) -> Ledger:
    """党家街道's ledger with a 所属街道 column: two of its own sites (AMap coordinates) under a
    title row, and with ``other`` a third row (row 5) of 陡沟街道, which a 党家街道 editor may
    not import."""
    book = Workbook()
    ws = book.active
    ws.title = "阵地台账"
    header = ["序号", "站点名称", "类型", "所属街道", "所属村（社区）", "项目类别", "建成年份"]
    header += ["经度", "纬度", "坐标来源"]
    ws.append(["党家街道阵地台账"] + [None] * (len(header) - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    rows = [("党家街道", "核实测试服务站", "党群服务中心"), ("党家街道", "核实测试驿站", "驿站")]
    if other:
        rows.append(("陡沟街道", "越界测试驿站", "驿站"))
    records = []
    for number, (street, name, kind) in enumerate(rows, start=1):
        unit, code = unit_names(street, 1)[0]
        lon, lat = points_in(street, number, seed=7)[-1]
        x, y = to_gcj02(lon, lat)
        ws.append(
            [number, name, kind, street, unit, "党群服务中心", 2024, f"{x:.6f}", f"{y:.6f}", "高德"]
        )
        records.append(Expected(name, CODE_OF[street], code, lon, lat))
    path = folder / ("党家街道台账（含陡沟）.xlsx" if other else "党家街道台账.xlsx")
    book.save(path)
    return Ledger(path, records, above=[1], header_row=2, ignored=["序号"])
