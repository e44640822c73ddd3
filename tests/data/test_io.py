"""geo.data.io: the data files hold what the issue requires; areas load from official files."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.config import DATA_DIR, AreasSource
from geo.data import datum, io
from geo.intake.boundaries import load_configured_areas
from geo.text import vocab

SCHEMATIC = DATA_DIR / "subdistrict_areas_schematic.geojson"
DANGJIA = "370103021"


@pytest.fixture(scope="module")
def schematic_areas():
    return load_configured_areas(AreasSource(SCHEMATIC))


# --- the gazetteer ---------------------------------------------------------------------------


def test_seventeen_subdistricts(subdistricts):
    assert len(subdistricts) == 17
    assert subdistricts["code"].is_unique
    assert all(re.fullmatch(r"370103\d{3}", code) for code in subdistricts["code"])
    assert (subdistricts["code_12"] == subdistricts["code"] + "000").all()
    assert subdistricts["name"].str.endswith("街道").all()
    assert subdistricts.set_index("code").at[DANGJIA, "name"] == "党家街道"


def test_216_units_with_nbs_2023_split(units):
    assert len(units) == 216
    assert units["code"].is_unique
    counts = units["unit_type"].value_counts().to_dict()
    # NBS 2023: 139 居委会 (communities) and 77 村委会 (villages)
    assert counts == {"community": 139, "village": 77}
    assert set(units["unit_type"]) <= set(vocab.UNIT_TYPES)


def test_units_belong_to_their_subdistrict(units, subdistricts):
    assert set(units["subdistrict_code"]) == set(subdistricts["code"])
    assert units["code"].str.fullmatch(r"\d{12}").all()
    assert (units["code"].str[:9] == units["subdistrict_code"]).all()


def test_subdistrict_unit_counts_match_units_file(units, subdistricts):
    per_street = units.groupby(["subdistrict_code", "unit_type"]).size().unstack(fill_value=0)
    table = subdistricts.set_index("code")
    for code, row in table.iterrows():
        assert per_street.at[code, "community"] == row["n_communities"], code
        assert per_street.at[code, "village"] == row["n_villages"], code


def test_subdistrict_seats_are_inside_the_outline(subdistricts):
    outline = io.load_outline().geometry.union_all()
    seats = shapely.points(subdistricts["seat_lon"].to_numpy(), subdistricts["seat_lat"].to_numpy())
    assert shapely.within(seats, outline).all()


# --- programs, sites, alliances --------------------------------------------------------------


def test_twelve_programs_with_unique_colours(programs):
    assert len(programs) == 12
    assert programs["key"].is_unique
    colours = programs["color"].str.upper()
    assert colours.is_unique
    assert colours.str.fullmatch(r"#[0-9A-F]{6}").all()


def test_sites_have_sources_and_known_vocabulary(sites, subdistricts, units, programs):
    assert len(sites) == 20
    assert sites["id"].is_unique
    assert (sites["source"].str.strip() != "").all()
    assert set(sites["kind"]) <= set(vocab.KINDS)
    assert set(sites["location_precision"]) <= set(vocab.PRECISIONS)
    keys = set(programs["key"])
    assert all(set(io.split_list(value)) <= keys for value in sites["programs"])
    assert set(sites["subdistrict_code"]) - {""} <= set(subdistricts["code"])
    assert set(sites["unit_code"]) - {""} <= set(units["code"])


def test_sites_coordinates_are_numbers_in_the_district(sites):
    assert sites["lon"].dtype.kind == "f" and sites["lat"].dtype.kind == "f"
    assert str(sites["year"].dtype) == "Int64"
    points = io.sites_to_geodataframe(sites)
    assert points.crs.to_epsg() == 4326
    assert points.within(io.load_outline().geometry.union_all()).all()


def test_metrics_and_alliances_have_sources(metrics, alliances):
    assert len(metrics) == 16 and len(alliances) == 2
    assert (metrics["source"].str.strip() != "").all()
    assert (alliances["source"].str.strip() != "").all()
    assert pd.api.types.is_numeric_dtype(metrics["value"])
    assert metrics["value"].notna().all()


def test_yufuquanyuan_villages_are_in_dangjia(alliances, units):
    alliance = alliances.set_index("id").loc["al-yufuquanyuan"]
    assert alliance["subdistrict_code"] == DANGJIA
    members = io.split_list(alliance["member_codes"])
    assert len(members) == 5
    parent = dict(zip(units["code"], units["subdistrict_code"], strict=True))
    unit_type = dict(zip(units["code"], units["unit_type"], strict=True))
    assert {parent[code] for code in members} == {DANGJIA}
    assert {unit_type[code] for code in members} == {"village"}
    # the four villages the article names, plus the inferred 西渴马东村 (geodata.md §1)
    names = set(units.set_index("code").loc[members, "short_name"])
    assert {"土屋村", "相家庄村", "寨而头村", "宅科村", "西渴马东村"} == names
    assert set(io.split_list(alliance["inferred_codes"])) == {"370103021209"}


def test_inferred_is_a_boolean_column(sites):
    assert sites["inferred"].dtype == bool
    assert set(sites.loc[sites["inferred"], "id"]) == {"v-370103021209", "demo-sddi"}


def test_metrics_have_a_period(metrics):
    assert set(metrics["period"]) <= set(vocab.PERIODS)
    assert metrics["period"].ne("").all()


def test_files_from_before_the_new_columns_load_with_their_defaults(data_copy, drop_column):
    drop_column(data_copy / "sites.csv", "inferred")
    drop_column(data_copy / "metrics.csv", "period")
    sites = io.load_sites(data_copy / "sites.csv")
    metrics = io.load_metrics(data_copy / "metrics.csv")
    assert sites["inferred"].dtype == bool and not sites["inferred"].any()
    assert set(metrics["period"]) == {"year"}


@pytest.mark.parametrize(
    "text, expected", [("true", True), ("True", True), ("false", False), ("", False)]
)
def test_parse_flag(text, expected):
    assert io.parse_flag(text) is expected


def test_details_and_sources_load_with_their_columns(data_copy):
    details = io.load_details()
    assert list(details.columns) == io.DETAIL_COLUMNS and details["id"].is_unique
    assert set(details["kind"]) <= set(vocab.DETAIL_KINDS)
    sources = io.load_sources()
    assert list(sources.columns) == io.SOURCE_COLUMNS
    pd.DataFrame({"key": ["x"], "citation": ["y"]}).to_csv(data_copy / "sources.csv", index=False)
    old = io.load_sources(data_copy)
    assert set(io.SOURCE_COLUMNS) <= set(old.columns) and old.at[0, "short_zh"] == ""


@pytest.mark.parametrize(
    "value, expected",
    [
        ("a;b; c", ["a", "b", "c"]),
        ("", []),
        (";;", []),
        ("one", ["one"]),
    ],
)
def test_split_list(value, expected):
    assert io.split_list(value) == expected


# --- outline and areas -----------------------------------------------------------------------


def test_outline_is_one_wgs84_polygon_over_the_district():
    outline = io.load_outline()
    assert outline.crs.to_epsg() == 4326
    assert len(outline) == 1
    assert shapely.get_num_geometries(outline.geometry.iloc[0]) == 1
    west, south, east, north = outline.total_bounds
    assert west == pytest.approx(116.81, abs=0.01) and east == pytest.approx(117.16, abs=0.01)
    assert south == pytest.approx(36.48, abs=0.01) and north == pytest.approx(36.67, abs=0.01)


def test_schematic_areas_cover_the_outline(schematic_areas, subdistricts):
    areas = schematic_areas
    assert areas.crs.to_epsg() == 4326
    assert len(areas) == 17
    assert list(areas.columns) == ["code", "name", "schematic", "geometry"]
    assert areas["schematic"].all()
    assert set(areas["code"]) == set(subdistricts["code"])
    outline = io.load_outline().geometry.union_all()
    union = areas.geometry.union_all()
    assert union.area == pytest.approx(outline.area, rel=1e-3)
    assert union.symmetric_difference(outline).area < 1e-3 * outline.area
    # cells do not overlap each other
    assert shapely.area(areas.geometry.to_numpy()).sum() == pytest.approx(union.area, rel=1e-3)


def test_each_seat_lies_in_its_own_schematic_area(schematic_areas, subdistricts):
    by_code = dict(zip(schematic_areas["code"], schematic_areas.geometry, strict=True))
    for row in subdistricts.itertuples():
        assert by_code[row.code].covers(shapely.Point(row.seat_lon, row.seat_lat)), row.name


def test_load_areas_defaults_to_the_schematic_file(schematic_areas):
    default = load_configured_areas()
    assert list(default["code"]) == list(schematic_areas["code"])
    assert default["schematic"].all()


# --- official areas files --------------------------------------------------------------------


def _as_official(areas, code_field: str = "ADCODE"):
    """An "official" frame: 12-digit codes in ``code_field``, no schematic property."""
    frame = areas.drop(columns=["schematic"]).rename(columns={"code": code_field})
    frame[code_field] = frame[code_field] + "000"
    return frame


def _centroids(frame) -> tuple[np.ndarray, np.ndarray]:
    """Centroids in degrees (what the tolerances below are stated in)."""
    points = shapely.centroid(frame.geometry.to_numpy())
    return shapely.get_x(points), shapely.get_y(points)


def _assert_same_areas(loaded, reference, tolerance_deg: float):
    assert loaded.crs.to_epsg() == 4326
    assert list(loaded.columns) == ["code", "name", "schematic", "geometry"]
    assert list(loaded["code"]) == list(reference["code"])
    assert loaded["code"].str.fullmatch(r"\d{9}").all()
    assert not loaded["schematic"].any()
    assert list(loaded["name"]) == list(reference["name"])
    (x, y), (ref_x, ref_y) = _centroids(loaded), _centroids(reference)
    np.testing.assert_allclose(x, ref_x, rtol=0, atol=tolerance_deg)
    np.testing.assert_allclose(y, ref_y, rtol=0, atol=tolerance_deg)


def test_load_areas_gcj02_geojson_comes_back_in_wgs84(tmp_path, schematic_areas):
    official = _as_official(schematic_areas)
    official = official.set_geometry(
        datum.transform_geometry(official.geometry.to_numpy(), datum.wgs84_to_gcj02)
    )
    path = tmp_path / "streets_gcj02.geojson"
    official.to_file(path, driver="GeoJSON")

    loaded = load_configured_areas(
        AreasSource(path, crs="GCJ-02", code_field="ADCODE", schematic=False)
    )

    _assert_same_areas(loaded, schematic_areas, tolerance_deg=1e-6)
    # without the conversion it would be ~0.0057 deg east
    raw_shift = _centroids(official)[0] - _centroids(schematic_areas)[0]
    assert raw_shift.min() > 0.005


def test_load_areas_bd09_geojson_comes_back_in_wgs84(tmp_path, schematic_areas):
    official = _as_official(schematic_areas)
    official = official.set_geometry(
        datum.transform_geometry(official.geometry.to_numpy(), datum.wgs84_to_bd09)
    )
    path = tmp_path / "streets_bd09.geojson"
    official.to_file(path, driver="GeoJSON")
    loaded = load_configured_areas(
        AreasSource(path, crs="百度", code_field="ADCODE", schematic=False)
    )
    _assert_same_areas(loaded, schematic_areas, tolerance_deg=1e-5)


@pytest.mark.parametrize("suffix, driver", [(".shp", "ESRI Shapefile"), (".gpkg", "GPKG")])
@pytest.mark.parametrize("code_dtype", ["str", "int64"])
def test_load_areas_cgcs2000_files(tmp_path, schematic_areas, suffix, driver, code_dtype):
    official = _as_official(schematic_areas).set_crs("EPSG:4490", allow_override=True)
    official["ADCODE"] = official["ADCODE"].astype(code_dtype)
    path = tmp_path / f"streets{suffix}"
    official.to_file(path, driver=driver)

    loaded = load_configured_areas(
        AreasSource(path, crs="EPSG:4490", code_field="ADCODE", schematic=False)
    )

    _assert_same_areas(loaded, schematic_areas, tolerance_deg=1e-6)


def test_load_areas_from_the_environment(monkeypatch, official_areas, schematic_areas):
    monkeypatch.setenv("SHIZHONG_AREAS_FILE", str(official_areas.path))
    monkeypatch.setenv("SHIZHONG_AREAS_CRS", "EPSG:4490")
    monkeypatch.setenv("SHIZHONG_AREAS_CODE_FIELD", "ADCODE")
    _assert_same_areas(load_configured_areas(), schematic_areas, tolerance_deg=1e-6)


def test_load_areas_missing_code_field_names_the_column(official_areas):
    source = AreasSource(
        official_areas.path, crs="EPSG:4490", code_field="GB_CODE", schematic=False
    )
    with pytest.raises(ValueError, match="GB_CODE") as error:
        load_configured_areas(source)
    assert "ADCODE" in str(error.value)  # the columns that do exist are listed


def test_load_areas_schematic_file_without_the_named_code_field_names_it(schematic_areas):
    source = AreasSource(DATA_DIR / "subdistrict_areas_schematic.geojson", code_field="GB_CODE")
    with pytest.raises(ValueError, match="'GB_CODE'") as error:
        load_configured_areas(source)
    assert "code, name, schematic" in str(error.value)  # the fields that do exist
