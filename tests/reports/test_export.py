"""geo.reports.export: CSV with BOM for Excel, a real .xlsx read back by openpyxl, GeoJSON."""

from __future__ import annotations

import io as stdio
import json

import openpyxl
import pandas as pd

from geo.data import io
from geo.reports import export


def test_csv_starts_with_a_bom_and_round_trips():
    sites = io.load_sites()
    data = export.records_to_csv(sites)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(stdio.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["name"].tolist() == sites["name"].tolist()
    assert list(back.columns) == list(sites.columns)


def test_xlsx_is_a_workbook_with_every_record(tmp_path):
    sites = io.load_sites()
    path = tmp_path / "sites.xlsx"
    path.write_bytes(export.records_to_xlsx(sites))
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(sites.columns)
    assert len(rows) == len(sites) + 1
    names = [r[list(sites.columns).index("name")] for r in rows[1:]]
    assert names == sites["name"].tolist()


def test_geojson_points_in_wgs84_with_properties():
    sites = io.load_sites()
    collection = json.loads(export.records_to_geojson(sites))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(sites)
    first = collection["features"][0]
    assert first["geometry"]["coordinates"] == [sites["lon"].iloc[0], sites["lat"].iloc[0]]
    assert first["properties"]["id"] == sites["id"].iloc[0]
    assert first["properties"]["location_precision"] == "subdistrict"


def test_exports_of_an_empty_selection_keep_the_columns():
    none = io.load_sites().iloc[0:0]
    assert export.records_to_csv(none).decode("utf-8-sig").startswith("id,name,kind")
    assert json.loads(export.records_to_geojson(none))["features"] == []


def test_geojson_of_a_table_for_people_takes_its_point_columns():
    table = pd.DataFrame({"名称": ["甲", "乙"], "经度": [116.9, 117.0], "纬度": [36.6, 36.65]})
    collection = json.loads(export.records_to_geojson(table, lon="经度", lat="纬度"))
    assert [f["geometry"]["coordinates"] for f in collection["features"]] == [
        [116.9, 36.6],
        [117.0, 36.65],
    ]
    assert collection["features"][0]["properties"] == {"名称": "甲"}
