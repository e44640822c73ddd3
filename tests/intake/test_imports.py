"""geo.intake.ledger and the Excel template: reading, checking, all-or-nothing applying, round
trips.

Every file here is built for real in ``tmp_path``: .xlsx files start from the template that
``python -m geo template`` writes (filled from row 3 on), CSVs are written as bytes in the
encodings officials' machines produce (UTF-8 with or without BOM, GBK, GB18030).
"""

from __future__ import annotations

import csv
import io as _io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from geo.data import datum, io
from geo.intake.coords import parse_coordinate
from geo.intake.ledger import ImportResult, Lookups, import_file, plan_file
from geo.reports import sheets
from geo.store.records import Change, ConflictError, Store
from geo.text import labels

PROGRAMS = io.load_programs()
SUBDISTRICTS = io.load_subdistricts()
SEATS = {
    name: (lon, lat)
    for name, lon, lat in zip(
        SUBDISTRICTS["name"], SUBDISTRICTS["seat_lon"], SUBDISTRICTS["seat_lat"], strict=True
    )
}
CJK = re.compile(r"[\u4e00-\u9fff]")
SITES_LABEL, METRICS_LABEL, ALLIANCES_LABEL = "站点 sites", "指标 metrics", "联建 alliances"
HEADERS = {c.key: c.header for c in sheets.SITE_COLUMNS}

#: A valid site row (template keys) placed at the seat of 杆石桥街道.
GOOD_SITE = {
    "name": "好点",
    "kind": "暖心驿站",
    "subdistrict": "杆石桥街道",
    "programs": "新就业群体党建",
    "year": "2025",
    "lon": str(SEATS["杆石桥街道"][0]),
    "lat": str(SEATS["杆石桥街道"][1]),
    "datum": "WGS-84",
}
GOOD_METRIC = {
    "name_zh": "新建暖心驿站",
    "value": "12",
    "unit": "个",
    "qualifier": "精确",
    "scope_type": "全区",
    "program": "新就业群体党建",
    "year": "2025",
}
GOOD_ALLIANCE = {
    "name": "测试联合党委",
    "kind": "联合党委",
    "subdistrict": "党家街道",
    "members": "土屋村;宅科村",
    "programs": "跨村联建",
    "year": "2025",
}

#: The "done when" file: GCJ-02, BD-09, a village name only, degrees-minutes-seconds, WGS-84.
GCJ = {
    "name": "高德拾取的驿站",
    "kind": "暖心驿站",
    "subdistrict": "杆石桥街道",
    "programs": "新就业群体党建",
    "year": "2025",
    "lon": "117.003",
    "lat": "36.655",
    "datum": "GCJ-02",
}
BD = {
    "name": "百度拾取的示范点",
    "kind": "示范点",
    "subdistrict": "四里村街道",
    "programs": "两新组织党建示范点",
    "year": "2025",
    "lon": "117.0125",
    "lat": "36.6517",
    "datum": "BD-09",
}
VILLAGE = {"name": "土屋村", "kind": "村", "unit": "土屋村", "programs": "跨村联建", "year": "2025"}
DMS = {
    "name": "度分秒服务中心",
    "kind": "党群服务中心",
    "subdistrict": "杆石桥街道",
    "programs": "党群服务中心;红色物业",
    "year": "2025",
    "lon": "117°0′10″",
    "lat": "36°39′18″",
    "datum": "WGS-84",
}
WGS = {
    "name": "泺源示范点",
    "kind": "示范点",
    "subdistrict": "泺源街道",
    "programs": "两新组织党建示范点",
    "year": "2024",
    "lon": "117.0001",
    "lat": "36.6607",
    "datum": "WGS-84",
}
DONE_WHEN = [GCJ, BD, VILLAGE, DMS, WGS]


# --- helpers ---------------------------------------------------------------------------------


def write_xlsx(
    path: Path,
    sites: list[dict] = (),
    metrics: list[dict] = (),
    alliances: list[dict] = (),
    first_row: int = 3,
) -> Path:
    """The template with ``rows`` (template keys -> cell values) from ``first_row`` on.

    Row 3 holds each sheet's example row: ``first_row=3`` overwrites it (when rows are given),
    ``first_row=4`` adds the rows below it.
    """
    sheets.write_workbook(path, PROGRAMS, SUBDISTRICTS)
    book = load_workbook(path)
    for entity, rows in (("sites", sites), ("metrics", metrics), ("alliances", alliances)):
        title, columns = sheets.SHEETS[entity]
        ws = book[title]
        for offset, row in enumerate(rows):
            for col, column in enumerate(columns, start=1):
                ws.cell(row=first_row + offset, column=col, value=row.get(column.key, ""))
    book.save(path)
    return path


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def export_xlsx(store: Store, path: Path) -> Path:
    """What ``python -m geo export FILE.xlsx`` writes."""
    rows = sheets.template_rows(
        store.read_sites(),
        store.read_metrics(),
        store.read_alliances(),
        PROGRAMS,
        SUBDISTRICTS,
        io.load_units(),
    )
    return sheets.write_workbook(path, PROGRAMS, SUBDISTRICTS, rows)


def snapshot(store: Store) -> dict:
    return {
        "sites": store.read_sites(),
        "metrics": store.read_metrics(),
        "alliances": store.read_alliances(),
        "audit": store.audit_log(100_000),
        "data_version": store.data_version(),
    }


def assert_unchanged(store: Store, before: dict) -> None:
    after = snapshot(store)
    assert after["data_version"] == before["data_version"]
    for key in ("sites", "metrics", "alliances", "audit"):
        pd.testing.assert_frame_equal(after[key], before[key], obj=key)


def site_by_name(store: Store, name: str) -> dict:
    sites = store.read_sites()
    rows = sites[sites["name"] == name]
    assert len(rows) == 1, f"{name!r} stored {len(rows)} times"
    return rows.iloc[0].to_dict()


def cells(result: ImportResult) -> set[tuple]:
    return {(i.file, i.row, i.column, i.value, i.key) for i in result.errors}


@pytest.fixture(scope="module")
def lookups() -> Lookups:
    return Lookups.load()


# --- the template --------------------------------------------------------------------------


def test_template_sheets_headers_explanations_and_example(tmp_path):
    path = sheets.write_workbook(tmp_path / "template.xlsx", PROGRAMS, SUBDISTRICTS)
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["站点", "指标", "联建"]
    for entity, (title, columns) in sheets.SHEETS.items():
        ws = book[title]
        assert ws.sheet_state == "visible"
        headers = [c.value for c in ws[1]]
        assert headers == [c.header for c in columns], entity
        assert all(CJK.search(h) for h in headers), headers
        notes = [c.value for c in ws[2]]
        assert notes[0].startswith("【说明】")
        assert all(notes), f"{title}: every column is explained"
        example = [c.value for c in ws[3]]
        assert example[0].startswith("示例"), example
        assert ws.max_row == 3
    assert [c.value for c in book["站点"][1]][:4] == ["编号", "名称", "类型", "街道"]
    assert book["lists"].sheet_state == "hidden"


def _validated_columns(ws) -> dict[str, str]:
    """header -> formula of the list validation covering that column from row 3."""
    headers = {c.column_letter: c.value for c in ws[1]}
    found = {}
    for rule in ws.data_validations.dataValidation:
        assert rule.type == "list"
        for cell_range in rule.sqref.ranges:
            assert cell_range.min_row == 3 and cell_range.max_row >= 1000
            letter = ws.cell(row=3, column=cell_range.min_col).column_letter
            found[headers[letter]] = rule.formula1
    return found


def _list_values(book, formula: str) -> list[str]:
    match = re.fullmatch(r"=lists!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    column, first, _, last = match.groups()
    ws = book["lists"]
    return [ws[f"{column}{row}"].value for row in range(int(first), int(last) + 1)]


@pytest.mark.parametrize(
    ("title", "header", "expected"),
    [
        ("站点", "类型", ["村", "社区", "党群服务中心", "暖心驿站", "示范点", "产业点"]),
        ("站点", "街道", list(SUBDISTRICTS["name"])),
        ("站点", "坐标系", ["WGS-84", "GCJ-02", "BD-09"]),
        ("指标", "项目", list(PROGRAMS["name_zh"])),
        ("联建", "类型", ["联合党委", "党建联合体"]),
        ("联建", "街道", list(SUBDISTRICTS["name"])),
        ("联建", "项目", list(PROGRAMS["name_zh"])),
    ],
)
def test_template_drop_down_lists(tmp_path, title, header, expected):
    path = sheets.write_workbook(tmp_path / "template.xlsx", PROGRAMS, SUBDISTRICTS)
    book = load_workbook(path)
    validated = _validated_columns(book[title])
    assert header in validated, f"{title}: no drop-down on {header}; has {sorted(validated)}"
    assert _list_values(book, validated[header]) == expected


def test_template_sites_programs_column_has_a_drop_down(tmp_path):
    path = sheets.write_workbook(tmp_path / "template.xlsx", PROGRAMS, SUBDISTRICTS)
    assert "项目" in _validated_columns(load_workbook(path)["站点"])


def test_untouched_template_is_an_empty_file_and_writes_nothing(tmp_path, store, lookups):
    path = sheets.write_workbook(tmp_path / "template.xlsx", PROGRAMS, SUBDISTRICTS)
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=lookups)
    assert not result.ok and not result.applied
    assert [(i.file, i.key) for i in result.errors] == [("template.xlsx", "empty_file")]
    assert result.errors[0].row is None
    assert_unchanged(store, before)


def test_example_row_is_skipped_when_rows_are_added_below_it(tmp_path, store, lookups):
    path = write_xlsx(tmp_path / "f.xlsx", sites=[GOOD_SITE], first_row=4)
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, result.issues
    assert result.added == {"sites": 1}
    names = set(store.read_sites()["name"])
    assert "好点" in names and "某某社区党群服务站" not in names
    assert not any(store.read_sites()["id"].str.startswith("示例"))


def test_read_sheets_reports_rows_as_excel_numbers_them(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", sites=[GOOD_SITE, WGS], first_row=4)
    plan = plan_file(path, Lookups.load())
    found = {s.entity: s for s in plan.sheets}
    assert plan.issues == []
    assert set(found) == {"sites", "metrics", "alliances"}  # the hidden lists sheet is not
    assert found["metrics"].rows == found["alliances"].rows == []  # only their example rows
    assert found["sites"].label == SITES_LABEL
    assert [number for number, _ in found["sites"].rows] == [4, 5]
    assert found["sites"].headers()["kind"] == "类型"


# --- a valid file ----------------------------------------------------------------------------


def test_done_when_file_is_added_with_every_kind_of_location(tmp_path, store, lookups):
    path = write_xlsx(tmp_path / "done.xlsx", sites=DONE_WHEN)
    before = snapshot(store)
    result = import_file(path, store, "alice", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    assert result.applied
    assert result.added == {"sites": 5} and result.changed == {} and result.unchanged == {}
    assert result.summary("en") == "5 added, 0 changed, 0 unchanged"
    assert result.summary("zh") == "已新增 5 条，已修改 0 条，未变 0 条"
    assert len(store.read_sites()) == len(before["sites"]) + 5
    assert store.data_version() == before["data_version"] + 1

    gcj = site_by_name(store, GCJ["name"])
    lon, lat = datum.gcj02_to_wgs84([117.003], [36.655])
    assert gcj["lon"] == pytest.approx(float(lon[0]), abs=1e-6)
    assert gcj["lat"] == pytest.approx(float(lat[0]), abs=1e-6)
    assert 117.003 - gcj["lon"] == pytest.approx(0.0058, abs=0.0003)
    assert gcj["location_precision"] == "exact"
    assert gcj["kind"] == "station" and gcj["subdistrict_code"] == "370103003"
    assert gcj["programs"] == "new_employment" and gcj["year"] == 2025
    assert gcj["source"] == "import:done.xlsx"

    bd = site_by_name(store, BD["name"])
    lon, lat = datum.bd09_to_wgs84([117.0125], [36.6517])
    assert bd["lon"] == pytest.approx(float(lon[0]), abs=1e-6)
    assert bd["lat"] == pytest.approx(float(lat[0]), abs=1e-6)
    assert abs(bd["lon"] - 117.0125) > 0.01  # BD-09 is further off than GCJ-02
    assert bd["location_precision"] == "exact"

    stored = store.read_sites()
    village = stored[(stored["name"] == "土屋村") & stored["id"].str.startswith("imp-")]
    assert len(village) == 1, "added beside the seeded 土屋村 (v-370103021210)"
    village = village.iloc[0].to_dict()
    seat = SUBDISTRICTS.set_index("code").loc["370103021"]
    assert village["unit_code"] == "370103021210"
    assert village["subdistrict_code"] == "370103021"
    assert (village["lon"], village["lat"]) == pytest.approx(
        (seat["seat_lon"], seat["seat_lat"]), abs=1e-9
    )
    assert village["location_precision"] == "subdistrict"
    assert village["kind"] == "village" and village["programs"] == "cross_village"

    dms = site_by_name(store, DMS["name"])
    assert dms["lon"] == pytest.approx(117.0027778, abs=1e-6)
    assert dms["lat"] == pytest.approx(36.655, abs=1e-9)
    assert dms["location_precision"] == "exact"
    assert dms["programs"] == "service_center;red_property"

    wgs = site_by_name(store, WGS["name"])
    assert (wgs["lon"], wgs["lat"]) == (117.0001, 36.6607)
    assert wgs["location_precision"] == "exact" and wgs["subdistrict_code"] == "370103014"

    audit = store.audit_log(100_000)
    new = audit[audit["id"] > before["audit"]["id"].max()]
    assert len(new) == 5
    assert set(new["action"]) == {"import"} and set(new["user"]) == {"alice"}
    assert set(new["entity"]) == {"sites"}
    assert set(new["before"].isna()) == {True}
    after = {r["name"]: r for r in map(json.loads, new["after"])}
    assert after[GCJ["name"]]["lon"] == pytest.approx(gcj["lon"])
    stored = store.read_sites()
    imported = stored[stored["source"] == "import:done.xlsx"]
    assert set(imported["version"]) == {1} and set(imported["updated_by"]) == {"alice"}


def test_numbers_typed_into_excel_cells_are_read(tmp_path, store, lookups):
    row = dict(GOOD_SITE, year=2025, lon=SEATS["杆石桥街道"][0], lat=SEATS["杆石桥街道"][1])
    path = write_xlsx(tmp_path / "numbers.xlsx", sites=[row])
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, result.issues
    stored = site_by_name(store, "好点")
    assert stored["year"] == 2025
    assert (stored["lon"], stored["lat"]) == pytest.approx(SEATS["杆石桥街道"])


def test_dry_run_reports_but_writes_nothing(tmp_path, store, lookups):
    path = write_xlsx(tmp_path / "done.xlsx", sites=DONE_WHEN)
    before = snapshot(store)
    result = import_file(path, store, "tester", dry_run=True, lookups=lookups)
    assert result.ok and not result.applied
    assert result.added == {"sites": 5}
    assert result.summary("en") == "5 would be added, 0 would be changed, 0 unchanged"
    assert_unchanged(store, before)


def test_progress_reports_rows_checked_then_records_written(tmp_path, store, lookups):
    rows = [dict(GOOD_SITE, id=f"p-{i}", name=f"点{i}") for i in range(450)]
    path = write_xlsx(tmp_path / "many.xlsx", sites=rows)
    calls = []
    result = import_file(
        path, store, "tester", progress=lambda d, t: calls.append((d, t)), lookups=lookups
    )
    assert result.ok
    checked = [(200, 450), (400, 450), (450, 450)]
    assert calls == checked + checked


# --- bad input: the whole file is rejected --------------------------------------------------

#: name -> (changes to GOOD_SITE on row 4, expected (column, value, key) of the error)
BAD_SITES = {
    "unknown kind": ({"kind": "城堡"}, ("类型", "城堡", "unknown_kind")),
    "unknown subdistrict": (
        {"subdistrict": "火星街道"},
        ("街道", "火星街道", "unknown_subdistrict"),
    ),
    "unknown village name": (
        {"unit": "不存在村", "subdistrict": "", "lon": "", "lat": "", "datum": ""},
        ("村/社区", "不存在村", "unknown_unit"),
    ),
    "unknown village with coordinates": (
        {"unit": "不存在村"},
        ("村/社区", "不存在村", "unknown_unit"),
    ),
    "unknown program": (
        {"programs": "新就业群体党建;不存在项目"},
        ("项目", "不存在项目", "unknown_program"),
    ),
    "no program": ({"programs": ""}, ("项目", "", "unknown_program")),
    "year in words": ({"year": "二〇二五"}, ("年份", "二〇二五", "not_year")),
    "year too early": ({"year": "1800"}, ("年份", "1800", "not_year")),
    "lon without lat": ({"lat": ""}, ("纬度", "", "lonlat_pair")),
    "lat without lon": ({"lon": ""}, ("经度", "", "lonlat_pair")),
    "non-numeric lon": (
        {"lon": "东经一百一十七度"},
        ("经度", "东经一百一十七度", "not_coordinate"),
    ),
    "non-numeric lat": ({"lat": "36.6x"}, ("纬度", "36.6x", "not_coordinate")),
    "coordinates without datum": ({"datum": ""}, ("坐标系", "", "datum_required")),
    "unknown datum": ({"datum": "XYZ-99"}, ("坐标系", "XYZ-99", "unknown_datum")),
    "outside the district": (
        {"lon": "120.0", "lat": "30.0"},
        ("经度", "120.0, 30.0", "outside_district"),
    ),
    "no location and no place": (
        {"lon": "", "lat": "", "datum": "", "subdistrict": ""},
        ("经度", "", "no_location"),
    ),
    "bad version text": ({"id": "x-1", "version": "v2"}, ("版本", "v2", "not_version")),
    "empty name": ({"name": ""}, ("名称", "", "empty")),
    "unknown precision": (
        {"location_precision": "很准"},
        ("位置精度", "很准", "unknown_precision"),
    ),
    "inferred neither yes nor no": ({"inferred": "也许"}, ("推断", "也许", "not_yes_no")),
}


@pytest.mark.parametrize("case", list(BAD_SITES))
def test_bad_site_rejects_the_whole_file(tmp_path, store, lookups, case):
    patch, (column, value, key) = BAD_SITES[case]
    rows = [
        dict(GOOD_SITE, name="好点一"),
        {**GOOD_SITE, "name": "坏点", **patch},
        dict(GOOD_SITE, name="好点三"),
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", sites=rows)
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=lookups)
    assert not result.ok and not result.applied
    assert (SITES_LABEL, 4, column, value, key) in cells(result), [
        i.describe() for i in result.issues
    ]
    assert {i.row for i in result.errors} == {4}, "the good rows 3 and 5 have no error"
    assert_unchanged(store, before)
    names = set(store.read_sites()["name"])
    assert not names & {"好点一", "坏点", "好点三"}
    for issue in result.errors:
        assert issue.key in labels.MESSAGES
        zh = issue.describe("zh")
        assert zh.startswith(f"{SITES_LABEL} 第4行「{issue.column}」")
        assert CJK.search(labels.message(issue.key, "zh")), issue.key
        assert labels.message(issue.key, "zh") in zh and zh.endswith("（错误）")
        assert labels.message(issue.key, "en") in issue.describe("en")


def test_bad_site_in_an_english_csv_names_the_english_header(tmp_path, store, lookups):
    header = ["id", "Name", "KIND", "subdistrict", "programs", "year", "lon", "lat", "datum"]
    lon, lat = SEATS["杆石桥街道"]
    rows = [
        ["", "好点一", "station", "370103003", "new_employment", "2025", lon, lat, "wgs84"],
        ["", "坏点", "castle", "370103003", "new_employment", "2025", lon, lat, "wgs84"],
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(header, rows, "utf-8"))
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=lookups)
    assert cells(result) == {(SITES_LABEL, 3, "KIND", "castle", "unknown_kind")}
    assert_unchanged(store, before)


def test_duplicate_id_within_the_file(tmp_path, store, lookups):
    rows = [
        dict(GOOD_SITE, id="dup-1", name="甲"),
        dict(GOOD_SITE, id="ok-2", name="乙"),
        dict(GOOD_SITE, id="dup-1", name="丙"),
    ]
    path = write_xlsx(tmp_path / "dup.xlsx", sites=rows)
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=lookups)
    assert cells(result) == {
        (SITES_LABEL, 3, "编号", "dup-1", "duplicate"),
        (SITES_LABEL, 5, "编号", "dup-1", "duplicate"),
    }
    assert_unchanged(store, before)


def test_every_bad_row_is_reported_at_once(tmp_path, store, lookups):
    rows = [
        dict(GOOD_SITE, kind="城堡"),
        dict(GOOD_SITE, name="好"),
        dict(GOOD_SITE, name="坏", datum="XYZ"),
        dict(GOOD_SITE, name="坏2", year="20x5"),
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", sites=rows)
    result = import_file(path, store, "tester", lookups=lookups)
    assert {(i.row, i.key) for i in result.errors} == {
        (3, "unknown_kind"),
        (5, "unknown_datum"),
        (6, "not_year"),
    }


def test_ambiguous_unit_name_in_a_gazetteer_with_two_of_them(tmp_path, store, data_copy):
    """units.csv has no duplicate short name, so one is added to a copy of data/."""
    units_csv = data_copy / "units.csv"
    with units_csv.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(
            [
                "370103022299",
                "土屋村村民委员会",
                "土屋村",
                "village",
                "村委会",
                "370103022",
                "",
                "test",
            ]
        )
    twin = Lookups.load(data_copy)
    assert twin.units["土屋村"] == ["370103021210", "370103022299"]
    row = dict(GOOD_SITE, unit="土屋村", subdistrict="", lon="", lat="", datum="")
    path = write_xlsx(tmp_path / "f.xlsx", sites=[row])
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=twin)
    assert (SITES_LABEL, 3, "村/社区", "土屋村", "ambiguous_unit") in cells(result)
    assert "有多个同名村/社区" in result.errors[0].describe("zh")
    assert_unchanged(store, before)
    # naming the subdistrict resolves it
    path = write_xlsx(tmp_path / "g.xlsx", sites=[dict(row, subdistrict="陡沟街道")])
    result = import_file(path, store, "tester", dry_run=True, lookups=twin)
    assert result.ok, result.issues
    assert result.changes[0].record["unit_code"] == "370103022299"


BAD_METRICS = {
    "non-numeric value": ({"value": "十二"}, ("数值", "十二", "not_number")),
    "empty unit": ({"unit": ""}, ("单位", "", "no_unit")),
    "unknown scope": (
        {"scope_type": "街道", "scope": "火星街道"},
        ("范围", "火星街道", "unknown_scope"),
    ),
    "unknown site scope": (
        {"scope_type": "点位", "scope": "no-such-site"},
        ("范围", "no-such-site", "unknown_scope"),
    ),
    "unknown scope type": ({"scope_type": "宇宙"}, ("范围类型", "宇宙", "unknown_scope_type")),
    "unknown program": ({"program": "不存在项目"}, ("项目", "不存在项目", "unknown_program")),
    "unknown qualifier": ({"qualifier": "大概"}, ("限定", "大概", "unknown_qualifier")),
    "unknown period": ({"period": "月度"}, ("时间口径", "月度", "unknown_period")),
    "to date without a year": ({"period": "截至", "year": ""}, ("年份", "", "period_needs_year")),
}


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("截至", "to_date"),
        ("累计", "to_date"),
        ("to_date", "to_date"),
        ("年度", "year"),
        ("", "year"),
    ],
)
def test_metric_period_is_imported(tmp_path, store, lookups, written, stored):
    path = write_xlsx(tmp_path / "m.xlsx", metrics=[dict(GOOD_METRIC, period=written)])
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    metrics = store.read_metrics()
    assert metrics.loc[metrics["name_zh"] == "新建暖心驿站", "period"].tolist() == [stored]


@pytest.mark.parametrize(
    ("written", "stored"), [("是", True), ("否", False), ("", False), ("true", True)]
)
def test_site_inferred_is_imported(tmp_path, store, lookups, written, stored):
    path = write_xlsx(tmp_path / "s.xlsx", sites=[dict(GOOD_SITE, inferred=written)])
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    assert site_by_name(store, "好点")["inferred"] is stored


def test_export_writes_period_and_inferred_in_chinese(tmp_path, store):
    book = load_workbook(export_xlsx(store, tmp_path / "out.xlsx"))
    sites = {r[0].value: r for r in book["站点"].iter_rows(min_row=3)}
    inferred = [c.key for c in sheets.SITE_COLUMNS].index("inferred")
    assert sites["v-370103021209"][inferred].value == "是"
    assert sites["v-370103021210"][inferred].value == "否"
    metrics = {r[0].value: r for r in book["指标"].iter_rows(min_row=3)}
    period = [c.key for c in sheets.METRIC_COLUMNS].index("period")
    assert metrics["m-fs-projects"][period].value == "截至"
    assert metrics["m-secondment"][period].value == "年度"


@pytest.mark.parametrize("case", list(BAD_METRICS))
def test_bad_metric_rejects_the_whole_file(tmp_path, store, lookups, case):
    patch, (column, value, key) = BAD_METRICS[case]
    metrics = [GOOD_METRIC, dict(GOOD_METRIC, name_zh="坏指标", **patch)]
    path = write_xlsx(tmp_path / "bad.xlsx", sites=[GOOD_SITE], metrics=metrics)
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=lookups)
    assert (METRICS_LABEL, 4, column, value, key) in cells(result), [
        i.describe() for i in result.issues
    ]
    assert {(i.file, i.row) for i in result.errors} == {(METRICS_LABEL, 4)}
    assert_unchanged(store, before)
    assert "好点" not in set(store.read_sites()["name"])
    assert CJK.search(labels.message(key, "zh"))


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"members": "土屋村;不存在村"}, ("成员", "不存在村", "unknown_unit")),
        ({"kind": "俱乐部"}, ("类型", "俱乐部", "unknown_alliance_kind")),
        ({"subdistrict": "火星街道"}, ("街道", "火星街道", "unknown_subdistrict")),
    ],
    ids=["unknown member", "unknown kind", "unknown subdistrict"],
)
def test_bad_alliance_rejects_the_whole_file(tmp_path, store, lookups, patch, expected):
    alliances = [GOOD_ALLIANCE, dict(GOOD_ALLIANCE, name="坏联建", **patch)]
    path = write_xlsx(
        tmp_path / "bad.xlsx", sites=[GOOD_SITE], metrics=[GOOD_METRIC], alliances=alliances
    )
    before = snapshot(store)
    result = import_file(path, store, "tester", lookups=lookups)
    assert (ALLIANCES_LABEL, 4, *expected) in cells(result), [i.describe() for i in result.issues]
    assert {(i.file, i.row) for i in result.errors} == {(ALLIANCES_LABEL, 4)}
    assert_unchanged(store, before)


@pytest.mark.parametrize("case", ["inferred not member", "unit not in subdistrict"])
def test_errors_after_lookup_quote_the_value_as_written(tmp_path, store, lookups, case):
    if case == "inferred not member":
        alliance = dict(GOOD_ALLIANCE, inferred="相家庄村")
        path = write_xlsx(tmp_path / "bad.xlsx", alliances=[alliance])
        expected = (ALLIANCES_LABEL, 3, "推断成员", "相家庄村", "inferred_not_member")
    else:
        path = write_xlsx(tmp_path / "bad.xlsx", sites=[dict(GOOD_SITE, unit="土屋村")])
        expected = (SITES_LABEL, 3, "村/社区", "土屋村", "unit_not_in_subdistrict")
    result = import_file(path, store, "tester", lookups=lookups)
    assert {i.key for i in result.errors} == {expected[-1]}
    assert expected in cells(result)


def test_unreadable_and_unsupported_files(tmp_path, store, lookups):
    before = snapshot(store)
    missing = import_file(tmp_path / "missing.csv", store, "t", lookups=lookups)
    assert [(i.file, i.key) for i in missing.errors] == [("missing.csv", "unreadable_file")]
    other = tmp_path / "notes.docx"
    other.write_bytes(b"x")
    result = import_file(other, store, "t", lookups=lookups)
    assert [(i.file, i.value, i.key) for i in result.errors] == [
        ("notes.docx", ".docx", "unsupported_file")
    ]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = import_file(empty, store, "t", lookups=lookups)
    assert [i.key for i in result.errors] == ["empty_file"]
    assert_unchanged(store, before)


def test_a_non_workbook_named_xlsx_is_reported_not_raised(tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes("编号,名称\n1,某点\n".encode("gbk"))
    plan = plan_file(path, Lookups.load())
    assert plan.sheets == []
    assert [(i.file, i.key) for i in plan.issues] == [("renamed.xlsx", "unreadable_file")]


# --- CSV in the encodings officials use ------------------------------------------------------

ZH_HEADER = ["编号", "名称", "类型", "街道", "村/社区", "项目", "年份", "说明", "来源"]
ZH_HEADER += ["经度", "纬度", "坐标系"]
EN_HEADER = "id,name,kind,subdistrict,unit,programs,year,description,source,lon,lat,datum"
EN_HEADER = EN_HEADER.split(",")
SEAT = [str(v) for v in SEATS["杆石桥街道"]]
CSV_ROWS = [
    ["enc-1", "“红·新·埠”驿站", "暖心驿站", "杆石桥街道", "", "新就业群体党建", "2025"]
    + ["说明：含逗号，和“引号”", "区委组织部台账", *SEAT, "WGS-84"],
    ["", "土屋村", "村", "", "土屋村", "跨村联建", "2024", "", "", "", "", ""],
    ["enc-3", "高德点", "党群服务中心", "四里村街道", "", "党群服务中心;红色物业", "2025"]
    + ["", "", "117.006", "36.6483", "GCJ-02"],
    ["enc-4", "度分秒点", "示范点", "泺源街道", "", "两新组织党建示范点", "2024"]
    + ["", "", "117°0′2″", "36°39′38″", "WGS-84"],
]
#: The same rows in codes and English names.
CSV_ROWS_EN = [
    ["enc-1", "“红·新·埠”驿站", "station", "370103003", "", "new_employment", "2025"]
    + ["说明：含逗号，和“引号”", "区委组织部台账", *SEAT, "wgs84"],
    ["", "土屋村", "Village", "", "370103021210", "cross_village", "2024", "", "", "", "", ""],
    ["enc-3", "高德点", "service_center", "四里村", "", "service_center;Red property management"]
    + ["2025", "", "", "117.006", "36.6483", "gcj02"],
    ["enc-4", "度分秒点", "demo_site", "泺源", "", "two_new_demo", "2024"]
    + ["", "", "E117°0'2\"", "N36°39'38\"", "WGS84"],
]
CSV_VARIANTS = {
    "zh utf-8": (ZH_HEADER, CSV_ROWS, "utf-8"),
    "zh utf-8 bom": (ZH_HEADER, CSV_ROWS, "utf-8-sig"),
    "zh gbk": (ZH_HEADER, CSV_ROWS, "gbk"),
    "zh gb18030": (ZH_HEADER, CSV_ROWS, "gb18030"),
    "en headers utf-8": (EN_HEADER, CSV_ROWS, "utf-8"),
    "en headers gbk": (EN_HEADER, CSV_ROWS, "gbk"),
    "en headers, codes and English names": (EN_HEADER, CSV_ROWS_EN, "utf-8-sig"),
}


def _import_csv(tmp_path: Path, variant: str, lookups: Lookups) -> pd.DataFrame:
    header, rows, encoding = CSV_VARIANTS[variant]
    folder = tmp_path / re.sub(r"\W+", "_", variant)
    folder.mkdir()
    path = folder / "sites.csv"  # the same name everywhere: it is the default source
    path.write_bytes(csv_bytes(header, rows, encoding))
    if encoding in ("gbk", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    store = Store.open(f"sqlite:///{folder}/s.sqlite")
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, [i.describe() for i in result.issues]
    assert result.added == {"sites": 4}
    sites = store.read_sites()
    imported = sites[~sites["id"].isin(io.load_sites()["id"])]
    return imported.drop(columns=["updated_at"]).reset_index(drop=True)


def test_csv_encodings_and_header_languages_store_the_same_records(tmp_path, lookups):
    results = {variant: _import_csv(tmp_path, variant, lookups) for variant in CSV_VARIANTS}
    reference = results["zh utf-8"]
    assert len(reference) == 4
    by_id = reference.set_index("id")
    assert by_id.at["enc-1", "name"] == "“红·新·埠”驿站"
    assert by_id.at["enc-1", "description"] == "说明：含逗号，和“引号”"
    assert by_id.at["enc-1", "source"] == "区委组织部台账"
    assert by_id.at["enc-3", "programs"] == "service_center;red_property"
    assert by_id.at["enc-3", "source"] == "import:sites.csv"
    village = reference[reference["name"] == "土屋村"].iloc[0]
    assert village["id"].startswith("imp-") and village["location_precision"] == "subdistrict"
    assert by_id.at["enc-4", "lon"] == pytest.approx(117 + 2 / 3600)
    for variant, frame in results.items():
        pd.testing.assert_frame_equal(frame, reference, obj=variant)


def test_gb18030_characters_outside_gbk_survive(tmp_path, store, lookups):
    name = "𠀀㐀驿站"  # CJK extensions B and A: in GB18030, not in GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    row = [name, "暖心驿站", "杆石桥街道", "新就业群体党建", "2025", *SEAT, "WGS-84"]
    path = tmp_path / "ext.csv"
    header = ["名称", "类型", "街道", "项目", "年份", "经度", "纬度", "坐标系"]
    path.write_bytes(csv_bytes(header, [row], "gb18030"))
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, result.issues
    assert site_by_name(store, name)["kind"] == "station"


def test_csv_explanation_and_example_rows_are_skipped(tmp_path, store, lookups):
    header = [c.header for c in sheets.SITE_COLUMNS]
    note = [("【说明】" if i == 0 else "") + c.note for i, c in enumerate(sheets.SITE_COLUMNS)]
    example = [c.example for c in sheets.SITE_COLUMNS]
    good = [GOOD_SITE.get(c.key, "") for c in sheets.SITE_COLUMNS]
    path = tmp_path / "with_notes.csv"
    path.write_bytes(csv_bytes(header, [note, example, good], "gbk"))
    result = import_file(path, store, "tester", lookups=lookups)
    assert result.ok, result.issues
    assert result.added == {"sites": 1}
    bad = [GOOD_SITE.get(c.key, "") for c in sheets.SITE_COLUMNS]
    bad[2] = "城堡"
    path.write_bytes(csv_bytes(header, [note, example, good, bad], "gbk"))
    result = import_file(path, store, "tester", lookups=lookups)
    assert cells(result) == {(SITES_LABEL, 5, "类型", "城堡", "unknown_kind")}


# --- idempotency -----------------------------------------------------------------------------


def test_importing_twice_changes_nothing_the_second_time(tmp_path, store, lookups):
    path = write_xlsx(tmp_path / "done.xlsx", sites=DONE_WHEN)
    first = import_file(path, store, "alice", lookups=lookups)
    assert first.added == {"sites": 5}
    ids_first = {c.record["name"]: c.record["id"] for c in first.changes}
    assert all(i.startswith("imp-") for i in ids_first.values())  # none of the rows has an id
    after_first = snapshot(store)
    second = import_file(path, store, "alice", lookups=lookups)
    assert second.ok and second.added == {} and second.changed == {}
    assert second.unchanged == {"sites": 5}
    assert second.changes == [] and not second.applied
    assert_unchanged(store, after_first)


def test_a_no_op_import_is_not_summarised_as_a_dry_run(tmp_path, store, lookups):
    path = write_xlsx(tmp_path / "done.xlsx", sites=[WGS])
    import_file(path, store, "alice", lookups=lookups)
    second = import_file(path, store, "alice", lookups=lookups)
    assert "would be" not in second.summary(), second.summary()
    assert "将" not in second.summary("zh"), second.summary("zh")


def test_rows_without_id_get_the_same_stable_id_in_any_store(tmp_path, lookups):
    path = write_xlsx(tmp_path / "done.xlsx", sites=DONE_WHEN)
    ids = []
    for name in ("a", "b"):
        store = Store.open(f"sqlite:///{tmp_path}/{name}.sqlite")
        result = import_file(path, store, "tester", lookups=lookups)
        ids.append(sorted(c.record["id"] for c in result.changes))
    assert ids[0] == ids[1] and len(set(ids[0])) == 5


def test_a_corrected_row_without_id_updates_its_record(tmp_path, store, lookups):
    import_file(write_xlsx(tmp_path / "a.xlsx", sites=[WGS]), store, "alice", lookups=lookups)
    moved = dict(WGS, lon="117.0002", description="坐标已更正")
    result = import_file(
        write_xlsx(tmp_path / "b.xlsx", sites=[moved]), store, "alice", lookups=lookups
    )
    assert result.added == {} and result.changed == {"sites": 1}
    stored = site_by_name(store, WGS["name"])
    assert stored["lon"] == 117.0002 and stored["version"] == 2


# --- export -> edit -> import ----------------------------------------------------------------


def test_export_then_import_is_unchanged(tmp_path, store, lookups):
    import_file(write_xlsx(tmp_path / "done.xlsx", sites=DONE_WHEN), store, "a", lookups=lookups)
    exported = export_xlsx(store, tmp_path / "export.xlsx")
    before = snapshot(store)
    result = import_file(exported, store, "bob", lookups=lookups)
    assert result.ok and result.issues == []
    assert result.added == {} and result.changed == {}
    assert result.unchanged == {"sites": 25, "metrics": 16, "alliances": 2}
    assert_unchanged(store, before)


def test_export_edit_one_name_import_changes_exactly_that_record(tmp_path, store, lookups):
    exported = export_xlsx(store, tmp_path / "export.xlsx")
    book = load_workbook(exported)
    ws = book["站点"]
    target = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "c-370103003001")
    version = [c.key for c in sheets.SITE_COLUMNS].index("version")
    assert target[1].value == "春元里社区" and target[version].value == "1"
    target[1].value = "春元里社区（新名）"
    book.save(tmp_path / "edited.xlsx")
    before_version = store.data_version()
    result = import_file(tmp_path / "edited.xlsx", store, "bob", lookups=lookups)
    assert result.ok, result.issues
    assert result.added == {} and result.changed == {"sites": 1}
    assert sum(result.unchanged.values()) == 20 + 16 + 2 - 1
    record = store.get("sites", "c-370103003001")
    assert record["name"] == "春元里社区（新名）"
    assert record["version"] == 2 and record["updated_by"] == "bob"
    assert store.data_version() == before_version + 1
    entry = store.audit_log(1).iloc[0]
    assert (entry["action"], entry["user"], entry["entity"], entry["record_id"]) == (
        "import",
        "bob",
        "sites",
        "c-370103003001",
    )
    before, after = json.loads(entry["before"]), json.loads(entry["after"])
    assert before["name"] == "春元里社区" and after["name"] == "春元里社区（新名）"
    assert {k for k in before if before[k] != after[k]} == {"name"}


def test_stale_export_cannot_overwrite_a_newer_change(tmp_path, store, lookups):
    exported = export_xlsx(store, tmp_path / "old.xlsx")
    record = store.get("sites", "v-370103021210")
    newer = {k: record[k] for k in io.SITE_COLUMNS} | {"name": "土屋村（他人已改）"}
    assert store.save("sites", newer, "carol", expected_version=1) == 2
    book = load_workbook(exported)
    row = next(r for r in book["站点"].iter_rows(min_row=3) if r[0].value == "v-370103021210")
    description = [column.key for column in sheets.SITE_COLUMNS].index("description")
    row[description].value = "旧副本上的修改"
    book.save(tmp_path / "old_edited.xlsx")
    before = snapshot(store)
    result = import_file(tmp_path / "old_edited.xlsx", store, "bob", lookups=lookups)
    assert not result.ok and not result.applied
    assert [(i.file, i.row, i.column, i.value, i.key) for i in result.errors] == [
        (SITES_LABEL, row[0].row, "版本", "1", "stale_version")
    ]
    assert "重新导出" in result.errors[0].describe("zh")
    assert_unchanged(store, before)
    assert store.get("sites", "v-370103021210")["name"] == "土屋村（他人已改）"


def test_a_save_between_checking_and_writing_is_a_conflict(tmp_path, store, lookups):
    """Another editor saves while the import is checking: the import's write conflicts."""
    exported = export_xlsx(store, tmp_path / "export.xlsx")
    book = load_workbook(exported)
    row = next(r for r in book["站点"].iter_rows(min_row=3) if r[0].value == "c-370103003001")
    row[1].value = "导入方的名称"
    book.save(tmp_path / "edited.xlsx")
    other = Store(store.url)

    def other_editor_saves(done, total):
        if done == total and other.get("sites", "c-370103003001")["version"] == 1:
            record = other.get("sites", "c-370103003001")
            changed = {k: record[k] for k in io.SITE_COLUMNS} | {"name": "另一位编辑的名称"}
            other.save("sites", changed, "carol", expected_version=1)

    with pytest.raises(ConflictError, match="changed"):
        import_file(
            tmp_path / "edited.xlsx", store, "bob", progress=other_editor_saves, lookups=lookups
        )
    assert store.get("sites", "c-370103003001")["name"] == "另一位编辑的名称"
    assert "import" not in set(store.audit_log(100_000)["action"])


# --- two editors, audit, revert --------------------------------------------------------------


def test_second_editor_saving_a_stale_copy_gets_a_conflict(store):
    alice_store, bob_store = Store(store.url), Store(store.url)
    alice = alice_store.get("sites", "c-370103003001")
    bob = bob_store.get("sites", "c-370103003001")
    assert alice["version"] == bob["version"] == 1
    alice_record = {k: alice[k] for k in io.SITE_COLUMNS} | {"name": "爱丽丝的名称"}
    bob_record = {k: bob[k] for k in io.SITE_COLUMNS} | {"description": "鲍勃的说明"}
    assert alice_store.save("sites", alice_record, "alice", expected_version=1) == 2
    before = snapshot(store)
    with pytest.raises(ConflictError) as caught:
        bob_store.save("sites", bob_record, "bob", expected_version=1)
    message = str(caught.value)
    assert "changed since it was read" in message and "version 2" in message
    assert "c-370103003001" in message
    assert_unchanged(store, before)
    stored = store.get("sites", "c-370103003001")
    assert stored["name"] == "爱丽丝的名称" and stored["description"] != "鲍勃的说明"
    assert "bob" not in set(store.audit_log(100_000)["user"])


def test_a_conflict_in_a_batch_writes_none_of_it(store):
    good = store.get("sites", "c-370103003004") | {"name": "改名"}
    stale = store.get("sites", "c-370103003001") | {"name": "也改名"}
    store.save("sites", {k: stale[k] for k in io.SITE_COLUMNS}, "alice", expected_version=1)
    before = snapshot(store)
    changes = [
        Change("sites", "update", {k: good[k] for k in io.SITE_COLUMNS}, 1),
        Change("sites", "update", {k: stale[k] for k in io.SITE_COLUMNS}, 1),
    ]
    with pytest.raises(ConflictError):
        store.apply(changes, "bob", action="import")
    assert_unchanged(store, before)


def _import_rename(tmp_path: Path, store: Store, lookups: Lookups, name: str) -> int:
    exported = export_xlsx(store, tmp_path / f"export-{name}.xlsx")
    book = load_workbook(exported)
    row = next(r for r in book["站点"].iter_rows(min_row=3) if r[0].value == "c-370103003001")
    row[1].value = name
    book.save(tmp_path / f"edit-{name}.xlsx")
    result = import_file(tmp_path / f"edit-{name}.xlsx", store, "bob", lookups=lookups)
    assert result.changed == {"sites": 1}, result.issues
    return int(store.audit_log(1).iloc[0]["id"])


def test_revert_an_imported_change(tmp_path, store, lookups):
    audit_id = _import_rename(tmp_path, store, lookups, "新名称")
    version = store.data_version()
    store.revert(audit_id, "admin")
    record = store.get("sites", "c-370103003001")
    assert record["name"] == "春元里社区" and record["version"] == 3
    assert store.data_version() == version + 1
    entry = store.audit_log(1).iloc[0]
    assert (entry["action"], entry["user"], entry["record_id"]) == (
        "revert",
        "admin",
        "c-370103003001",
    )
    assert json.loads(entry["before"])["name"] == "新名称"
    assert json.loads(entry["after"])["name"] == "春元里社区"


def test_revert_an_imported_insert_deletes_it(tmp_path, store, lookups):
    import_file(write_xlsx(tmp_path / "a.xlsx", sites=[WGS]), store, "alice", lookups=lookups)
    record = site_by_name(store, WGS["name"])
    entry = store.audit_log(1).iloc[0]
    assert entry["action"] == "import" and entry["record_id"] == record["id"]
    store.revert(int(entry["id"]), "admin")
    assert store.get("sites", record["id"]) is None
    assert len(store.read_sites()) == 20
    last = store.audit_log(1).iloc[0]
    assert last["action"] == "revert" and last["after"] is None
    assert json.loads(last["before"])["name"] == WGS["name"]


def test_revert_an_older_change_under_a_newer_one_is_a_conflict(tmp_path, store, lookups):
    older = _import_rename(tmp_path, store, lookups, "第一次改名")
    newer = _import_rename(tmp_path, store, lookups, "第二次改名")
    before = snapshot(store)
    with pytest.raises(ConflictError, match="revert the later changes first"):
        store.revert(older, "admin")
    assert_unchanged(store, before)
    store.revert(newer, "admin")
    store.revert(older, "admin")
    assert store.get("sites", "c-370103003001")["name"] == "春元里社区"
    with pytest.raises(KeyError):
        store.revert(10**9, "admin")


# --- coordinates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("117.003", 117.003),
        (" 36.655 ", 36.655),
        ("-12.5", -12.5),
        ("117°0′10″", 117 + 10 / 3600),
        ("36°39′18″", 36.655),
        ("117°0'10\"", 117 + 10 / 3600),
        ("36°39'18''", 36.655),
        ("36度39分18秒", 36.655),
        ("36度39分", 36.65),
        ("117°", 117.0),
        ("36°39.5′", 36 + 39.5 / 60),
        ("116°58′30.5″E", 116 + 58 / 60 + 30.5 / 3600),
        ("117° 0′ 10″ E", 117 + 10 / 3600),
        ("N36°39′18″", 36.655),
        ("36°39′18″S", -36.655),
        ("S36°39′18″", -36.655),
        ("W117°0′10″", -(117 + 10 / 3600)),
        ("117°0′10″W", -(117 + 10 / 3600)),
        ("南36度39分18秒", -36.655),
        ("西117度", -117.0),
        ("东117度", 117.0),
    ],
)
def test_parse_coordinate(text, expected):
    assert parse_coordinate(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "text", ["", "abc", "东经一百一十七度", "117 0 10", "36.6x", "°", "117°0′10″X", "1,5"]
)
def test_parse_coordinate_garbage_is_none(text):
    assert parse_coordinate(text) is None


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity"])
def test_parse_coordinate_rejects_nan_and_infinity(text):
    assert parse_coordinate(text) is None


def test_lookups_cover_chinese_english_and_codes(lookups):
    assert lookups.kinds["暖心驿站"] == lookups.kinds["station"] == "station"
    assert lookups.programs["跨村联建"] == lookups.programs["cross_village"] == "cross_village"
    assert lookups.programs["cross-village alliance"] == "cross_village"
    assert lookups.subdistricts["党家街道"] == lookups.subdistricts["党家"] == "370103021"
    assert lookups.subdistricts["370103021000"] == "370103021"
    assert lookups.units["土屋村"] == lookups.units["370103021210"] == ["370103021210"]
    assert lookups.unit_parent["370103021210"] == "370103021"
    seat = SUBDISTRICTS.set_index("code").loc["370103021"]
    assert lookups.seats["370103021"] == (seat["seat_lon"], seat["seat_lat"])
