"""Official boundary files as bureaus hand them out: every format, encoding, CRS and field
variant loads with its names at the right place; every bad file gets a clear Chinese report
and leaves the store as it was; the command line and the Manage page store them (one
transaction, audited, revertible) and the map then draws them without the 示意 label.

The "official" polygons are the shipped schematic areas, written out by the tests themselves
(geopandas/pyogrio) in each CRS and format, then broken where a test needs it (the .cpg
deleted, the .prj swapped, a sidecar removed, the .dbf re-encoded).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest
from streamlit_folium import _get_map_string

from geo import config
from geo.auth import hash_password
from geo.config import DATA_DIR, AreasSource
from geo.data import io
from geo.intake import boundaries
from geo.intake.boundaries import load_configured_areas
from geo.intake.boundary_load import load_boundary_file
from geo.load import load_dataset
from geo.map import leaflet as maps
from geo.reports import present
from geo.store.records import Store
from geo.text.labels import precision_label
from tests.accounts import secrets_with

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCHEMATIC = DATA_DIR / "subdistrict_areas_schematic.geojson"
SUBDISTRICTS = io.load_subdistricts()
OUTLINE = io.load_outline()
NAMES = dict(zip(SUBDISTRICTS["code"], SUBDISTRICTS["name"], strict=True))
#: A metric CRS for comparing positions: CGCS2000 Gauss-Kruger, central meridian 117°E.
METRIC = "EPSG:4548"


@pytest.fixture(scope="module")
def reference() -> gpd.GeoDataFrame:
    """The "official" polygons: the shipped areas (EPSG:4326 ≈ CGCS2000), in code order."""
    return load_configured_areas(AreasSource(SCHEMATIC))


def official(
    reference: gpd.GeoDataFrame,
    code: str | None = "XZQDM",
    name: str | None = "XZQMC",
    digits: int = 9,
    crs: str = "EPSG:4490",
) -> gpd.GeoDataFrame:
    """The reference areas as a bureau's table: ``code``/``name`` columns (None: left out),
    9- or 12-digit codes, reprojected to ``crs``."""
    columns = {}
    if code:
        columns[code] = [c + "000" if digits == 12 else c for c in reference["code"]]
    if name:
        columns[name] = list(reference["name"])
    frame = gpd.GeoDataFrame(
        columns, geometry=reference.geometry.to_numpy(), crs="EPSG:4490"
    )  # the shipped degrees read as CGCS2000 (the same as WGS-84 to centimetres)
    return frame.to_crs(crs)


def write(frame: gpd.GeoDataFrame, path: Path, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_file(path, **kwargs)
    return path


def shapefile_parts(shp: Path) -> list[Path]:
    return sorted(p for p in shp.parent.iterdir() if p.stem == shp.stem)


class _GbkMember(zipfile.ZipInfo):
    """A member whose name is written in GBK without the UTF-8 flag (as Windows' own zip
    tool and WinRAR do on a Chinese system); Python's zipfile would write UTF-8."""

    def _encodeFilenameFlags(self):  # noqa: N802 (zipfile's name)
        return self.filename.encode("gbk"), self.flag_bits


def zip_like_windows(parts: list[Path], archive: Path, folder: str = "") -> Path:
    """A .zip as a Chinese Windows makes it: member names in GBK, without the UTF-8 flag."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for part in parts:
            name = f"{folder}/{part.name}" if folder else part.name
            bundle.writestr(_GbkMember(name), part.read_bytes())
    with zipfile.ZipFile(archive) as bundle:
        assert not any(m.flag_bits & 0x800 for m in bundle.infolist())
    return archive


def check(path: Path, **kwargs) -> boundaries.BoundaryReport:
    return boundaries.check_boundary_file(path, SUBDISTRICTS, OUTLINE, **kwargs)


def assert_in_place(report: boundaries.BoundaryReport, reference: gpd.GeoDataFrame, tol_m=1.0):
    """Every subdistrict found, under its official name, within ``tol_m`` metres of the
    source polygon (Hausdorff distance after both are projected to metres)."""
    assert report.ok, [f.describe() for f in report.findings]
    assert list(report.areas["code"]) == list(reference["code"])
    assert list(report.areas["name"]) == [NAMES[c] for c in reference["code"]]
    assert report.areas.crs.to_epsg() == 4326
    got = report.areas.to_crs(METRIC).geometry.to_numpy()
    want = reference.set_crs("EPSG:4490", allow_override=True).to_crs(METRIC).geometry.to_numpy()
    distance = shapely.hausdorff_distance(got, want)
    assert distance.max() < tol_m, distance.max()


def keys(report: boundaries.BoundaryReport, severity: str | None = None) -> list[str]:
    return [f.key for f in report.findings if severity is None or f.severity == severity]


# --- formats, encodings and fields -----------------------------------------------------------


def test_shapefile_in_gbk_without_cpg_shows_names_not_mojibake(tmp_path, reference):
    shp = write(official(reference), tmp_path / "街道.shp", encoding="gbk")
    (tmp_path / "街道.cpg").unlink()
    raw = (tmp_path / "街道.dbf").read_bytes()
    assert "大观园街道".encode("gbk") in raw and "大观园".encode() not in raw
    report = check(shp)
    assert_in_place(report, reference)
    assert report.encoding == "GB18030"
    assert "bnd_encoding_detected" in keys(report, "warning")
    assert list(report.features["file_name"]) == list(reference["name"])  # decoded, not ´ó¹Û
    assert report.code_field == "XZQDM" and report.name_field == "XZQMC"
    lines = "\n".join(report.lines())
    assert "大观园街道" in lines and "GB18030" in lines and "´" not in lines


def test_shapefile_in_utf8_with_cpg(tmp_path, reference):
    shp = write(official(reference, "code", "name", crs="EPSG:4326"), tmp_path / "a.shp")
    assert (tmp_path / "a.cpg").read_text().strip().upper() == "UTF-8"
    report = check(shp)
    assert_in_place(report, reference)
    assert report.encoding == "UTF-8" and not report.warnings
    assert (report.code_field, report.name_field) == ("code", "name")


def test_shapefile_whose_cpg_lies_is_read_in_the_encoding_that_fits(tmp_path, reference):
    shp = write(official(reference), tmp_path / "a.shp", encoding="gbk")
    (tmp_path / "a.cpg").write_text("UTF-8")  # a GBK table that claims UTF-8
    report = check(shp)
    assert_in_place(report, reference)
    assert "bnd_encoding_mismatch" in keys(report, "warning")
    assert report.features["file_name"].iloc[0] == "大观园街道"


@pytest.mark.filterwarnings("ignore:Could not decode error message:RuntimeWarning")
def test_utf8_shapefile_whose_chinese_field_names_were_cut_mid_character(tmp_path, reference):
    """A .dbf field name holds 10 bytes: 行政区代码 in UTF-8 (15 bytes) is cut inside a
    character, which made the reader raise UnicodeDecodeError; the content still tells."""
    frame = official(reference, "行政区代码", "行政区名称")
    shp = write(frame, tmp_path / "cut.shp", encoding="utf-8")
    report = check(shp)
    assert_in_place(report, reference)
    assert report.code_field.startswith("行政区") and report.name_field.startswith("行政区")


def test_zip_as_emailed_with_gbk_member_names_and_a_12_digit_gbk_shapefile(tmp_path, reference):
    frame = official(reference, "行政区代码", "行政区名称", digits=12, crs="EPSG:4527")
    shp = write(frame, tmp_path / "src" / "市中区街道边界.shp", encoding="gbk")
    (shp.with_suffix(".cpg")).unlink()
    archive = zip_like_windows(shapefile_parts(shp), tmp_path / "边界.zip", folder="成果")
    report = check(archive)
    assert_in_place(report, reference)
    assert (report.code_field, report.name_field) == ("行政区代码", "行政区名称")
    assert report.layer == "边界.zip → 市中区街道边界.shp"
    assert report.crs_used.to_epsg() == 4527 and report.crs_how == "declared"
    assert set(report.features["file_code"].str.len()) == {12}


def test_geopackage_in_the_cm_zone(tmp_path, reference):
    frame = official(reference, "行政区代码", "行政区名称", crs="EPSG:4548")
    report = check(write(frame, tmp_path / "streets.gpkg", driver="GPKG", layer="街道"))
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == 4548
    crs_line = next(line for line in report.lines() if line.startswith("坐标系"))
    assert crs_line == (
        "坐标系：CGCS2000 3度带高斯-克吕格投影 中央经线 117°E，横坐标不含带号（EPSG:4548）"
        "（按文件声明）"
    )


@pytest.mark.parametrize("suffix", [".geojson", ".json"])
def test_geojson_in_cgcs2000_with_12_digit_codes(tmp_path, reference, suffix):
    frame = official(reference, "code", "name", digits=12)
    path = write(frame, tmp_path / f"streets{suffix}", driver="GeoJSON")
    assert "4490" in path.read_text(encoding="utf-8")  # the file names its CRS
    report = check(path)
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == 4490


def test_geojson_saved_in_gbk_is_read_and_said(tmp_path, reference):
    utf8 = write(official(reference, "code", "name"), tmp_path / "u.geojson", driver="GeoJSON")
    path = tmp_path / "gbk.geojson"
    path.write_bytes(utf8.read_text(encoding="utf-8").encode("gbk"))  # as some tools save it
    report = check(path)
    assert_in_place(report, reference)
    assert report.encoding == "GB18030" and "bnd_encoding_not_utf8" in keys(report, "warning")
    assert report.features["file_name"].iloc[1] == "杆石桥街道"


def test_kmz_is_read_like_a_zip(tmp_path, reference):
    frame = official(reference, None, "Name", crs="EPSG:4326")
    kml = write(frame, tmp_path / "doc.kml", driver="KML")
    with zipfile.ZipFile(tmp_path / "streets.kmz", "w") as bundle:
        bundle.write(kml, "doc.kml")
    report = check(tmp_path / "streets.kmz")
    assert_in_place(report, reference)
    assert report.layer == "streets.kmz → doc.kml"


def test_kml_with_names_and_codes_in_extended_data(tmp_path, reference):
    frame = official(reference, "XZQDM", "Name", crs="EPSG:4326")
    report = check(write(frame, tmp_path / "streets.kml", driver="KML"))
    assert_in_place(report, reference)
    assert report.code_field == "XZQDM" and report.name_field == "Name"


def test_kml_with_names_only_matches_by_name_with_any_suffix(tmp_path, reference):
    names = [
        f"市中区{n}" if i % 3 == 0 else n.replace("街道", "街道办事处") if i % 3 == 1 else n
        for i, n in enumerate(reference["name"])
    ]
    names[list(reference["code"]).index("370103008")] = "二七新村街道"  # the MCA name
    frame = official(reference, None, "Name", crs="EPSG:4326").assign(Name=names)
    report = check(write(frame, tmp_path / "names.kml", driver="KML"))
    assert_in_place(report, reference)
    assert set(report.features["matched_by"]) == {"name"}
    assert "二七新村街道" in set(report.features["file_name"])


def test_fields_found_by_content_whatever_their_names(tmp_path, reference):
    frame = official(reference, "QHDM", "JDMC_1", crs="EPSG:4326")
    frame["OBJECTID"] = range(1, 18)
    frame["SHAPE_AREA"] = 1.5
    frame["BZ"] = "2023年"
    report = check(write(frame, tmp_path / "odd.geojson", driver="GeoJSON"))
    assert_in_place(report, reference)
    assert (report.code_field, report.name_field) == ("QHDM", "JDMC_1")


@pytest.mark.parametrize("dtype", ["int64", "float64"])
def test_codes_stored_as_numbers(tmp_path, reference, dtype):
    frame = official(reference, "XZQDM", None, digits=12)
    frame["XZQDM"] = frame["XZQDM"].astype(dtype)
    report = check(write(frame, tmp_path / "numbers.shp"))
    assert_in_place(report, reference)
    assert set(report.features["matched_by"]) == {"code"}


def test_fields_named_by_the_caller(tmp_path, reference):
    frame = official(reference, "DM", "MC", crs="EPSG:4326")
    frame["DM2"] = [c[:6] + "9" + c[7:] for c in frame["DM"]]  # a decoy column of codes
    path = write(frame, tmp_path / "named.gpkg", driver="GPKG")
    report = check(path, code_field="dm", name_field="MC")
    assert_in_place(report, reference)
    assert (report.code_field, report.name_field) == ("DM", "MC")


def test_a_subdistrict_in_several_features_is_merged(tmp_path, reference):
    frame = official(reference, crs="EPSG:4326").explode(index_parts=False)
    big = frame["XZQDM"] == "370103021"
    halves = frame[big].geometry.iloc[0]
    west, south, east, north = halves.bounds
    middle = (west + east) / 2
    parts = [
        halves.intersection(shapely.box(west, south, middle, north)),
        halves.difference(shapely.box(west, south, middle, north)),
    ]
    split = gpd.GeoDataFrame(
        {"XZQDM": ["370103021"] * 2, "XZQMC": ["党家街道"] * 2}, geometry=parts, crs=frame.crs
    )
    frame = pd.concat([frame[~big], split], ignore_index=True)
    report = check(write(frame, tmp_path / "split.geojson", driver="GeoJSON"))
    assert "bnd_merged_parts" in keys(report)
    assert_in_place(report, reference, tol_m=1.0)


# --- CRS -------------------------------------------------------------------------------------


def test_gauss_kruger_zone_39_with_the_zone_number(tmp_path, reference):
    frame = official(reference, crs="EPSG:4527")
    assert frame.total_bounds[0] > 39_000_000
    report = check(write(frame, tmp_path / "z39.shp"))
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == 4527 and report.crs_how == "declared"


def test_gauss_kruger_cm_117e_without_the_zone_number(tmp_path, reference):
    frame = official(reference, crs="EPSG:4548")
    assert 400_000 < frame.total_bounds[0] < 600_000
    report = check(write(frame, tmp_path / "cm117.shp"))
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == 4548 and report.crs_how == "declared"


def test_cm_prj_with_zone_numbered_eastings_is_corrected(tmp_path, reference):
    write(official(reference, crs="EPSG:4548"), tmp_path / "cm" / "a.shp")
    shp = write(official(reference, crs="EPSG:4527"), tmp_path / "a.shp")
    shutil.copy(tmp_path / "cm" / "a.prj", tmp_path / "a.prj")  # the .prj says CM 117E
    report = check(shp)
    assert report.crs_declared.to_epsg(min_confidence=70) == 4548
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == 4527 and report.crs_how == "corrected"
    note = next(f for f in report.findings if f.key == "bnd_zone_removed")
    assert "带号 39" in note.describe() and "EPSG:4527" in note.describe()


def test_zone_prj_with_eastings_lacking_the_zone_number_is_corrected(tmp_path, reference):
    write(official(reference, crs="EPSG:4527"), tmp_path / "z" / "a.shp")
    shp = write(official(reference, crs="EPSG:4548"), tmp_path / "a.shp")
    shutil.copy(tmp_path / "z" / "a.prj", tmp_path / "a.prj")
    report = check(shp)
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == 4548 and "bnd_zone_added" in keys(report)


@pytest.mark.parametrize(
    "crs, inferred",
    [("EPSG:4548", 4548), ("EPSG:4527", 4527), ("EPSG:4490", 4490), ("EPSG:4498", 4498)],
)
def test_no_prj_the_crs_is_inferred_from_the_coordinates_and_said(
    tmp_path, reference, crs, inferred
):
    shp = write(official(reference, crs=crs), tmp_path / "noprj.shp")
    (tmp_path / "noprj.prj").unlink()
    report = check(shp)
    assert report.crs_declared is None
    assert_in_place(report, reference)
    assert report.crs_used.to_epsg() == inferred and report.crs_how == "inferred"
    assert "bnd_crs_inferred" in keys(report, "warning")
    assert any("文件未声明" in line and "推断" in line for line in report.lines())


def test_geojson_in_metres_without_a_crs_member_is_inferred(tmp_path, reference):
    """GeoJSON without ``crs`` means WGS-84 to GDAL; eastings of 39 million say otherwise."""
    path = write(official(reference, crs="EPSG:4527"), tmp_path / "m.geojson", driver="GeoJSON")
    text = path.read_text(encoding="utf-8")
    start = text.index('"crs"')
    path.write_text(text[:start] + text[text.index("},", text.index("}", start) + 1) + 2 :])
    report = check(path)
    assert_in_place(report, reference)
    assert "bnd_crs_contradicted_inferred" in keys(report)


def test_the_crs_given_overrides_the_declared_one(tmp_path, reference):
    frame = official(reference, crs="EPSG:4548").set_crs("EPSG:4326", allow_override=True)
    path = write(frame, tmp_path / "lying.gpkg", driver="GPKG")  # metres labelled as degrees
    report = check(path, crs="EPSG:4548")
    assert_in_place(report, reference)
    assert report.crs_how == "given"


# --- what the report says --------------------------------------------------------------------


def test_report_measures_each_area_against_the_district(tmp_path, reference):
    report = check(write(official(reference), tmp_path / "a.gpkg", driver="GPKG"))
    district = OUTLINE.to_crs("EPSG:6933").area.sum() / 1e6  # equal-area, independent check
    assert report.district_km2 == pytest.approx(district, rel=2e-3)
    areas = reference.to_crs("EPSG:6933").area.to_numpy() / 1e6
    np.testing.assert_allclose(report.areas["area_km2"], areas, rtol=2e-3)
    assert report.total_km2 == pytest.approx(report.district_km2, rel=5e-3)
    np.testing.assert_allclose(report.areas["share"].sum(), 1.0, rtol=5e-3)
    summary = next(line for line in report.lines() if line.startswith("匹配"))
    assert summary.startswith("匹配 17/17 个街道；面积合计") and "区界" in summary


def test_partial_city_file_reports_missing_and_other_districts(tmp_path, reference):
    frame = official(reference, crs="EPSG:4326").iloc[:10]
    elsewhere = frame.iloc[:3].copy()
    elsewhere["XZQDM"] = ["370102001", "370102002", "370102003"]
    elsewhere["XZQMC"] = ["解放路街道", "千佛山街道", "趵突泉街道"]
    elsewhere = elsewhere.set_geometry(elsewhere.translate(0.2, 0.1))
    report = check(
        write(pd.concat([frame, elsewhere]), tmp_path / "city.geojson", driver="GeoJSON")
    )
    assert report.ok
    assert len(report.areas) == 10 and len(report.missing) == 7
    assert list(report.missing["name"]) == [NAMES[c] for c in reference["code"].iloc[10:]]
    assert set(report.features["status"]) == {"matched", "other"}
    text = "\n".join(f.describe() for f in report.findings)
    assert "缺少 7 个街道" in text and "3 个其他区县的区域未载入（如 解放路街道" in text


def test_sites_that_would_fall_outside_their_official_area_are_listed(tmp_path, reference):
    frame = official(reference, crs="EPSG:4326")
    frame = frame.set_geometry(frame.scale(0.6, 0.6, origin="centroid"))  # shrunk areas
    sites = io.load_sites()
    report = check(write(frame, tmp_path / "small.gpkg", driver="GPKG"), sites=sites)
    outside = report.sites_outside
    assert len(outside) > 0 and "bnd_sites_outside" in keys(report, "warning")
    by_code = frame.set_index("XZQDM").geometry
    for row in outside.itertuples():
        site = sites.set_index("id").loc[row.id]
        assert not by_code[site["subdistrict_code"]].covers(shapely.Point(site.lon, site.lat))
        assert row.distance_m > 0 and row.subdistrict == NAMES[site["subdistrict_code"]]
    inside = sites[~sites["id"].isin(outside["id"]) & sites["subdistrict_code"].isin(by_code.index)]
    assert len(inside)
    for site in inside.itertuples():
        assert by_code[site.subdistrict_code].covers(shapely.Point(site.lon, site.lat))


# --- bad files: a clear report in Chinese, nothing written -----------------------------------


def _bad_files(tmp: Path, reference: gpd.GeoDataFrame) -> dict[str, tuple[Path, dict, str]]:
    """name -> (file, options, the words its report must say)."""
    good = official(reference, crs="EPSG:4326")
    files = {}

    wrong = good.copy()
    wrong["XZQDM"] = [f"370102{i:03d}" for i in range(1, 18)]
    wrong["XZQMC"] = [f"历下第{i}街道" for i in range(1, 18)]
    files["wrong district"] = (
        write(wrong, tmp / "wrong.geojson", driver="GeoJSON"),
        {},
        "文件中没有市中区（370103）的街道",
    )
    nofields = gpd.GeoDataFrame(
        {"FID_1": range(17), "AREA": 1.0}, geometry=good.geometry, crs=good.crs
    )
    files["no code or name field"] = (
        write(nofields, tmp / "nofields.gpkg", driver="GPKG"),
        {},
        "找不到街道代码字段或名称字段",
    )
    corrupt = tmp / "corrupt.zip"
    shp = write(good, tmp / "zipme" / "a.shp")
    zip_like_windows(shapefile_parts(shp), corrupt)
    corrupt.write_bytes(corrupt.read_bytes()[: corrupt.stat().st_size // 2])
    files["corrupt zip"] = (corrupt, {}, "不是有效的 zip 压缩包")
    for part in (".shx", ".dbf"):
        shp = write(good, tmp / f"no{part[1:]}" / "a.shp")
        shp.with_suffix(part).unlink()
        files[f"missing {part}"] = (shp, {}, f"缺少 {part} 文件")
    empty = write(good.iloc[0:0], tmp / "empty.gpkg", driver="GPKG")
    files["empty layer"] = (empty, {}, "没有任何要素")
    lines = good.set_geometry(good.boundary)
    files["lines, not polygons"] = (
        write(lines, tmp / "lines.shp"),
        {},
        "不是面（多边形）",
    )
    points = good.set_geometry(good.representative_point())
    files["points, not polygons"] = (
        write(points, tmp / "points.kml", driver="KML"),
        {},
        "不是面（多边形）",
    )
    sheet = tmp / "边界.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really")
    files["not a boundary file"] = (sheet, {}, "不支持的文件类型")
    garbage = tmp / "garbage.gpkg"
    garbage.write_bytes(os.urandom(4096))
    files["corrupt GeoPackage"] = (garbage, {}, "无法读取（格式不对或已损坏）")
    files["named field missing"] = (
        write(good, tmp / "named.geojson", driver="GeoJSON"),
        {"code_field": "GB_CODE"},
        "文件中没有字段“GB_CODE”。文件中的字段：XZQDM, XZQMC",
    )
    files["unknown CRS given"] = (
        write(good, tmp / "crs.geojson", driver="GeoJSON"),
        {"crs": "EPSG:99999"},
        "无法识别坐标系“EPSG:99999”",
    )
    local = good.set_geometry(good.translate(-116.8, -36.4).scale(10000, 10000, origin=(0, 0)))
    with warnings.catch_warnings():  # a shapefile without a CRS is the point here
        warnings.simplefilter("ignore", UserWarning)
        shp = write(local.set_crs(None, allow_override=True), tmp / "local.shp")
    files["no .prj, local coordinates"] = (shp, {}, "无法判断是哪种坐标系")
    moved = good.set_geometry(good.translate(-0.6, 3.3))  # in Beijing
    files["elsewhere"] = (
        write(moved, tmp / "beijing.gpkg", driver="GPKG"),
        {},
        "文件中的区域都不在市中区区界内",
    )
    villages = good.copy()
    villages["XZQDM"] = [c + "201" for c in villages["XZQDM"]]
    villages["XZQMC"] = [f"第{i}村" for i in range(17)]
    files["villages, not subdistricts"] = (
        write(villages, tmp / "villages.geojson", driver="GeoJSON"),
        {},
        "都是村/社区",
    )
    nothing = tmp / "readme.zip"
    with zipfile.ZipFile(nothing, "w") as bundle:
        bundle.writestr("说明.txt", "边界见附件")
    files["zip without a boundary file"] = (nothing, {}, "压缩包 readme.zip 中没有边界文件")
    return files


BAD = [
    "wrong district",
    "no code or name field",
    "corrupt zip",
    "missing .shx",
    "missing .dbf",
    "empty layer",
    "lines, not polygons",
    "points, not polygons",
    "not a boundary file",
    "corrupt GeoPackage",
    "named field missing",
    "unknown CRS given",
    "no .prj, local coordinates",
    "elsewhere",
    "villages, not subdistricts",
    "zip without a boundary file",
]


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory, reference):
    return _bad_files(tmp_path_factory.mktemp("bad"), reference)


@pytest.mark.parametrize("case", BAD)
def test_bad_file_gets_a_clear_chinese_report_and_nothing_is_written(case, bad_files, tmp_path):
    path, options, words = bad_files[case]
    store = Store.open(f"sqlite:///{tmp_path}/s.sqlite")
    version, audit = store.data_version(), len(store.audit_log(10_000))
    result = load_boundary_file(path, store, "editor", **options)
    errors = [f.describe("zh") for f in result.report.errors]
    assert errors and any(words in e for e in errors), errors
    assert not result.ok and not result.applied and not result.changes
    assert store.read_areas().empty
    assert (store.data_version(), len(store.audit_log(10_000))) == (version, audit)
    english = [f.describe("en") for f in result.report.errors]
    assert all(e.isascii() or "：" not in e for e in english)


def test_no_bad_file_case_is_left_untested(bad_files):
    assert sorted(bad_files) == sorted(BAD)


# --- the store, on both engines ----------------------------------------------------------------


def test_loading_stores_every_area_in_one_audited_revertible_transaction(
    store, tmp_path, reference
):
    path = write(official(reference, crs="EPSG:4527"), tmp_path / "z39.shp", encoding="gbk")
    xinglong = reference.set_index("code").geometry["370103020"]
    inside = xinglong.representative_point()  # in 兴隆's schematic and "official" area
    version = store.data_version()
    dry = load_boundary_file(path, store, "editor", dry_run=True)
    assert dry.ok and dry.inserted == 17 and not dry.applied
    assert store.read_areas().empty and store.data_version() == version

    done = load_boundary_file(path, store, "editor")
    assert done.applied and (done.inserted, done.updated, done.unchanged) == (17, 0, 0)
    assert store.data_version() == version + 1  # one transaction
    stored = store.read_areas()
    assert list(stored["code"]) == list(reference["code"])
    assert list(stored["name"]) == [NAMES[c] for c in reference["code"]]
    assert not stored["schematic"].any()
    assert (
        stored["source"].iloc[0]
        == "边界文件《z39.shp》（CGCS2000 3度带高斯-克吕格投影 第39带，横坐标含带号（EPSG:4527））"
    )
    log = store.audit_log(17)
    assert set(log["action"]) == {"areas"} and set(log["user"]) == {"editor"}
    assert store.subdistrict_at(inside.x, inside.y) == "370103020"

    again = load_boundary_file(path, store, "editor")
    assert (again.inserted, again.updated, again.unchanged, again.applied) == (0, 0, 17, False)

    for audit_id in log["id"]:
        store.revert(int(audit_id), "editor")
    assert store.read_areas().empty
    assert store.subdistrict_at(inside.x, inside.y) == "370103020"


def test_a_second_file_updates_what_the_first_loaded(store, tmp_path, reference):
    first = write(official(reference, crs="EPSG:4326"), tmp_path / "v1.geojson", driver="GeoJSON")
    assert load_boundary_file(first, store, "editor").inserted == 17
    moved = official(reference, crs="EPSG:4326").iloc[:2]
    moved = moved.set_geometry(moved.to_crs(METRIC).buffer(-50).to_crs(moved.crs))
    second = write(moved, tmp_path / "v2.geojson", driver="GeoJSON")
    result = load_boundary_file(second, store, "editor")
    assert (result.inserted, result.updated, result.unchanged) == (0, 2, 0)
    stored = store.read_areas().set_index("code")
    assert stored.loc[reference["code"].iloc[0], "version"] == 2
    assert stored.loc[reference["code"].iloc[5], "version"] == 1


# --- what everyone sees ----------------------------------------------------------------------


def test_the_dataset_and_map_show_official_areas_without_the_schematic_label(tmp_path, reference):
    store = Store.open(f"sqlite:///{tmp_path}/s.sqlite")
    before = load_dataset(store)
    assert before.areas["schematic"].all()
    half = official(reference, crs="EPSG:4326").iloc[:8]
    load_boundary_file(write(half, tmp_path / "half.gpkg", driver="GPKG"), store, "editor")
    mixed = load_dataset(store)
    assert list(mixed.areas["code"]) == list(reference["code"])
    assert list(mixed.areas["schematic"]) == [False] * 8 + [True] * 9
    assert layer_names(mixed) >= {"街道范围（部分示意）"}
    script = _get_map_string(base_map(mixed))
    assert script.count(in_geojson("（示意）")) == 9  # the nine schematic areas' tooltips
    assert in_geojson("大观园街道（示意）") not in script and in_geojson("大观园街道") in script
    assert "标有“示意”的街道范围按驻地估计位置生成" in script  # the legend says which

    everything = write(official(reference), tmp_path / "all.gpkg", driver="GPKG")
    load_boundary_file(everything, store, "editor")
    data = load_dataset(store)
    assert not data.areas["schematic"].any()
    assert list(data.areas["name"]) == [NAMES[c] for c in reference["code"]]
    assert "街道范围" in layer_names(data) and "街道范围（示意）" not in layer_names(data)
    # the sites' own precision legend keeps 仅到街道（示意位置）: it is about the sites
    script = _get_map_string(base_map(data)).replace(precision_label("subdistrict"), "")
    assert "示意" not in script and in_geojson("示意") not in script
    assert in_geojson("陡沟街道") in script
    english = _get_map_string(base_map(data, "en"))
    # no text for people says "schematic" (the areas' flag in the data and script may)
    shown = english.replace('"schematic": false', "").replace("properties.schematic", "")
    assert "schematic" not in shown


def base_map(data, lang: str = "zh"):
    return maps.build_base_map(data.outline, data.areas, data.subdistricts, data.programs, lang)


def layer_names(data) -> set[str]:
    return {
        child.layer_name
        for child in base_map(data)._children.values()
        if hasattr(child, "layer_name")
    }


def in_geojson(text: str) -> str:
    """``text`` as the map's area script writes it into its GeoJSON data (as JSON text)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


def test_areas_file_override_reads_any_bureau_file(monkeypatch, tmp_path, reference):
    shp = write(official(reference, crs="EPSG:4548"), tmp_path / "街道.shp", encoding="gbk")
    shp.with_suffix(".cpg").unlink()
    archive = zip_like_windows(shapefile_parts(shp), tmp_path / "街道.zip")
    monkeypatch.setenv("SHIZHONG_AREAS_FILE", str(archive))
    for name in ("SHIZHONG_AREAS_CRS", "SHIZHONG_AREAS_CODE_FIELD", "SHIZHONG_AREAS_NAME_FIELD"):
        monkeypatch.delenv(name, raising=False)
    areas = load_configured_areas()
    assert list(areas["name"]) == [NAMES[c] for c in reference["code"]]
    assert not areas["schematic"].any()
    got = areas.to_crs(METRIC).geometry.to_numpy()
    want = reference.to_crs(METRIC).geometry.to_numpy()
    assert shapely.hausdorff_distance(got, want).max() < 1.0
    monkeypatch.setenv("SHIZHONG_AREAS_CODE_FIELD", "GB_CODE")
    with pytest.raises(ValueError, match="GB_CODE"):
        load_configured_areas()


# --- the command line --------------------------------------------------------------------------


def run_geo(state: Path, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in config.REDIRECTING}
    env.update(SHIZHONG_STATE_DIR=str(state), PYTHONIOENCODING="utf-8")
    env.pop("SHIZHONG_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


def stored_areas(state: Path) -> tuple[int, int, int]:
    """(area records, audit entries, data_version), read with sqlite3, not the library."""
    with sqlite3.connect(state / "shizhong.sqlite") as conn:
        areas = conn.execute("select count(*) from areas").fetchone()[0]
        audit = conn.execute("select count(*) from audit").fetchone()[0]
        version = conn.execute("select value from meta where key = 'data_version'").fetchone()
    return areas, audit, int(version[0])


def test_cli_dry_run_then_load_then_revert(tmp_path, reference):
    state = tmp_path / "state"
    state.mkdir()
    Store.open(f"sqlite:///{state / 'shizhong.sqlite'}").engine.dispose()
    before = stored_areas(state)
    write(official(reference, crs="EPSG:4548"), tmp_path / "cm" / "街道.shp")
    shp = write(official(reference, crs="EPSG:4527"), tmp_path / "街道.shp", encoding="gbk")
    shutil.copy(tmp_path / "cm" / "街道.prj", tmp_path / "街道.prj")
    shp.with_suffix(".cpg").unlink()
    archive = zip_like_windows(shapefile_parts(shp), tmp_path / "市中区街道.zip")

    dry = run_geo(state, "areas", archive, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "大观园街道" in dry.stdout and "GB18030" in dry.stdout and "带号 39" in dry.stdout
    assert "匹配 17/17 个街道" in dry.stdout
    assert dry.stdout.strip().endswith(
        "试运行：将新增 17 个、修改 0 个街道范围，0 个未变；未写入。"
    )
    assert stored_areas(state) == before

    secrets = secrets_with(
        tmp_path / "secrets.toml", **{"official-1": "admin", "wang": ("street", ("370103002",))}
    )
    refused = run_geo(state, "areas", archive, "--user", "wang", "--secrets", secrets)
    assert refused.returncode == 1  # official boundaries: administrators only
    assert refused.stderr.strip().endswith("未写入：wang 无权修改全区的数据"), refused.stderr
    assert stored_areas(state) == before

    done = run_geo(state, "areas", archive, "--user", "official-1", "--secrets", secrets)
    assert done.returncode == 0, done.stderr
    assert "已载入：新增 17 个" in done.stdout
    areas, audit, version = stored_areas(state)
    assert (areas, audit, version) == (17, before[1] + 17, before[2] + 1)
    store = Store.open(f"sqlite:///{state / 'shizhong.sqlite'}")
    assert set(store.audit_log(17)["user"]) == {"official-1"}
    assert not load_dataset(store).areas["schematic"].any()

    for audit_id in store.audit_log(17)["id"]:
        store.revert(int(audit_id), "official-1")
    assert load_dataset(store).areas["schematic"].all()
    store.engine.dispose()


def test_cli_bad_file_exits_1_with_the_reason_and_writes_nothing(tmp_path, bad_files):
    state = tmp_path / "state"
    state.mkdir()
    Store.open(f"sqlite:///{state / 'shizhong.sqlite'}").engine.dispose()
    before = stored_areas(state)
    path, _options, words = bad_files["corrupt zip"]
    result = run_geo(state, "areas", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    assert result.stderr.strip().endswith("corrupt.zip：1 处错误，未写入任何数据")
    english = run_geo(state, "areas", bad_files["missing .shx"][0], "--lang", "en")
    assert english.returncode == 1 and "lacks its .shx file" in english.stderr
    assert stored_areas(state) == before


# --- the Manage page -------------------------------------------------------------------------


def boundaries_tab(password: str = "pw") -> AppTest:
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    at.secrets["editors"] = {"alice": hash_password(password)}
    at.run()
    at.switch_page("app_pages/manage.py").run()
    fields = {field.label: field for field in at.text_input}
    fields["用户名"].input("alice")
    fields["密码"].input(password)
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "街道边界" in [tab.label for tab in at.tabs]
    return at


def uploader(at: AppTest):
    return next(u for u in at.get("file_uploader") if u.label == "边界文件")


def test_manage_page_uploads_shapefile_parts_reports_then_stores_on_confirm(
    app_state, tmp_path, reference
):
    shp = write(official(reference, crs="EPSG:4548"), tmp_path / "up" / "街道.shp", encoding="gbk")
    shp.with_suffix(".cpg").unlink()
    at = boundaries_tab()
    missing = [(p.name, p.read_bytes(), "application/octet-stream") for p in shapefile_parts(shp)]
    uploader(at).set_value([m for m in missing if not m[0].endswith(".shx")]).run()
    shown = [e.value.replace("\\", "") for e in at.error]  # Markdown escapes removed
    assert any("Shapefile 街道.shp 缺少 .shx 文件" in e for e in shown), shown
    assert any("未写入任何数据" in e.value for e in at.error)
    assert not any(b.label == "确认载入边界" for b in at.button)

    uploader(at).set_value(missing).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("检查通过：将新增 17 个" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "匹配街道" in d.value.columns)
    assert list(table["文件中的名称"]) == list(reference["name"])
    assert set(table["匹配方式"]) == {"按代码"}
    assert Store.open().read_areas().empty  # only the report so far

    next(b for b in at.button if b.label == "确认载入边界").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("已载入：新增 17 个" in s.value for s in at.success)
    assert any("已经载入" in i.value for i in at.info)
    stored = Store.open().read_areas()
    assert len(stored) == 17 and set(Store.open().audit_log(17)["user"]) == {"alice"}


def test_big_screen_tour_calls_only_schematic_areas_schematic():
    streets = present.tour_items(
        "street", io.load_programs(), SUBDISTRICTS, io.load_units(), official={"370103021"}
    )
    texts = {item.key: item.description for item in streets}
    assert "示意" not in texts["370103021"] and "22 个村" in texts["370103021"]
    assert texts["370103022"].endswith("范围为示意。")


def test_a_dense_bureau_boundary_is_drawn_light_but_stored_exact(tmp_path, reference):
    """A vertex every 2 m with metre-scale wiggles (shared borders moved alike): the store
    keeps every vertex, the map draws within about a metre with far fewer."""
    frame = official(reference, crs="EPSG:4527").iloc[:6]
    dense = shapely.segmentize(frame.geometry.to_numpy(), 2.0)
    wiggle = lambda xy: xy + np.c_[1.5 * np.sin(xy[:, 1] / 9), 1.5 * np.sin(xy[:, 0] / 11)]  # noqa: E731
    frame = frame.set_geometry(shapely.transform(dense, wiggle))
    store = Store.open(f"sqlite:///{tmp_path}/s.sqlite")
    assert load_boundary_file(write(frame, tmp_path / "dense.gpkg", driver="GPKG"), store, "e").ok
    stored = store.read_areas().set_index("code").geometry
    drawn = load_dataset(store).areas.set_index("code")
    codes = list(frame["XZQDM"])
    stored_n = shapely.get_num_coordinates(stored[codes].to_numpy()).sum()
    drawn_n = shapely.get_num_coordinates(drawn.geometry[codes].to_numpy()).sum()
    assert stored_n > 10_000 and drawn_n < stored_n / 3
    moved = shapely.hausdorff_distance(
        gpd.GeoSeries(drawn.geometry[codes].to_numpy(), crs=4326).to_crs(METRIC).to_numpy(),
        gpd.GeoSeries(stored[codes].to_numpy(), crs=4326).to_crs(METRIC).to_numpy(),
    )
    assert moved.max() < 1.5
    schematic = drawn[drawn["schematic"]]
    shipped = reference.set_index("code").geometry[schematic.index]
    assert all(a.equals(b) for a, b in zip(schematic.geometry, shipped, strict=True))
    store.engine.dispose()


# --- in a real browser -------------------------------------------------------------------------


@pytest.mark.browser
def test_the_served_map_names_official_areas_plainly_and_schematic_ones_as_such(
    tmp_path, reference
):
    """A real ``streamlit run`` and Debian's Chromium: after loading the southern half of the
    district, hovering an official area shows its name alone, a schematic one says 示意."""
    from tests.browser.support import (
        CHROMIUM,
        free_port,
        hover,
        launch_browser,
        serve_app,
        wait_for_map,
    )

    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (`make chromium`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    store = Store.open(f"sqlite:///{tmp_path}/shizhong.sqlite")
    south = official(reference, crs="EPSG:4527").iloc[9:]  # 王官庄 ... 陡沟
    assert load_boundary_file(write(south, tmp_path / "south.shp"), store, "e").inserted == 8
    store.engine.dispose()
    sites = io.load_sites()
    clear = shapely.union_all(
        shapely.buffer(shapely.points(sites[["lon", "lat"]].to_numpy()), 0.01)
    )
    areas = reference.set_index("code").geometry
    with serve_app(tmp_path, free_port()) as url, sync_api.sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        page.goto(url + "/")
        state = wait_for_map(page, sites=len(sites), areas=17)
        for code, label in (("370103020", "兴隆街道"), ("370103009", "七里山街道（示意）")):
            point = areas[code].difference(clear).representative_point()
            tooltip = state.frame.locator(
                ".leaflet-tooltip", has_text=label.removesuffix("（示意）")
            )
            hover(page, state.frame, point.y, point.x, 14, tooltip)
            sync_api.expect(tooltip.first).to_have_text(label)
        state.frame.frame_element().scroll_into_view_if_needed()
        artifacts = PROJECT_DIR / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "official-areas-map.png"))
        browser.close()


def test_the_loading_benchmark_runs_and_prints_its_figures():
    """``python -m bench.boundaries`` (timings are its business, not this test's)."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.boundaries", "--spacing", "50", "--repeat", "1", "--json"],
        cwd=PROJECT_DIR,
        env={k: v for k, v in os.environ.items() if k not in config.REDIRECTING},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["spacing_m"] == 50 and figures["vertices"] > 5000
    assert figures["drawn_vertices"] <= figures["vertices"] and figures["map_mb"] < 1
    assert all(figures[k] > 0 for k in ("read_s", "check_s", "load_s", "dataset_s", "map_s"))
