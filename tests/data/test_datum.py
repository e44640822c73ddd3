"""geo.data.datum: WGS-84 <-> GCJ-02 <-> BD-09, checked against the independent package prcoords."""

from __future__ import annotations

import numpy as np
import prcoords
import pytest
import shapely
from shapely.geometry import Polygon

from geo.data import datum

#: District centroid in WGS-84 (shared/notes/geodata.md §1).
CENTROID = (116.9658, 36.5783)
#: District bbox in WGS-84 (geodata.md §1).
WEST, EAST, SOUTH, NORTH = 116.812, 117.156, 36.484, 36.669


def _grid(n_lon: int = 13, n_lat: int = 9) -> tuple[np.ndarray, np.ndarray]:
    return np.meshgrid(np.linspace(WEST, EAST, n_lon), np.linspace(SOUTH, NORTH, n_lat))


def _metres(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Distance in metres between nearby points (equirectangular, fine below a kilometre)."""
    lat = np.radians((np.asarray(lat1) + np.asarray(lat2)) / 2)
    dx = np.radians(np.asarray(lon1) - np.asarray(lon2)) * np.cos(lat) * 6_371_000
    dy = np.radians(np.asarray(lat1) - np.asarray(lat2)) * 6_371_000
    return np.hypot(dx, dy)


# --- forward ---------------------------------------------------------------------------------


def test_gcj02_offset_at_district_centroid():
    lon, lat = datum.wgs84_to_gcj02(*CENTROID)
    d_lon, d_lat = float(lon) - CENTROID[0], float(lat) - CENTROID[1]
    # geodata.md §4: (+0.0057, +0.0001) at the centroid, ~0.5 km east
    assert d_lon == pytest.approx(0.0057, abs=0.0001)
    assert d_lat == pytest.approx(0.0001, abs=0.00005)
    assert 450 < _metres(lon, lat, *CENTROID) < 560


def test_gcj02_offset_range_across_district():
    lon, lat = _grid(25, 17)
    g_lon, g_lat = datum.wgs84_to_gcj02(lon, lat)
    d_lon, d_lat = g_lon - lon, g_lat - lat
    # geodata.md §4: +0.00553..+0.00613 lon, -0.00003..+0.00046 lat (a little slack for rounding)
    assert d_lon.min() >= 0.00553 - 0.00001 and d_lon.max() <= 0.00613 + 0.00001
    assert d_lat.min() >= -0.00003 - 0.00001 and d_lat.max() <= 0.00046 + 0.00001
    # the district is big enough to see the offset vary
    assert d_lon.max() - d_lon.min() > 0.0003


def test_wgs84_to_gcj02_matches_prcoords_on_district_grid():
    lon, lat = _grid()
    g_lon, g_lat = datum.wgs84_to_gcj02(lon, lat)
    for x, y, gx, gy in zip(lon.ravel(), lat.ravel(), g_lon.ravel(), g_lat.ravel(), strict=True):
        expected = prcoords.wgs_gcj(prcoords.Coords(y, x))
        assert gx == pytest.approx(expected.lon, abs=1e-6)
        assert gy == pytest.approx(expected.lat, abs=1e-6)


def test_wgs84_to_bd09_matches_prcoords_on_district_grid():
    lon, lat = _grid(7, 5)
    b_lon, b_lat = datum.wgs84_to_bd09(lon, lat)
    for x, y, bx, by in zip(lon.ravel(), lat.ravel(), b_lon.ravel(), b_lat.ravel(), strict=True):
        expected = prcoords.wgs_bd(prcoords.Coords(y, x))
        assert bx == pytest.approx(expected.lon, abs=1e-6)
        assert by == pytest.approx(expected.lat, abs=1e-6)


def _china_grid() -> tuple[np.ndarray, np.ndarray]:
    """A coarse grid over all of China's box (the formulas' sines run through many periods)."""
    return np.meshgrid(np.linspace(74.0, 135.0, 23), np.linspace(4.0, 53.5, 19))


def test_wgs84_to_gcj02_matches_prcoords_across_china():
    lon, lat = _china_grid()
    g_lon, g_lat = datum.wgs84_to_gcj02(lon, lat)
    for x, y, gx, gy in zip(lon.ravel(), lat.ravel(), g_lon.ravel(), g_lat.ravel(), strict=True):
        expected = prcoords.wgs_gcj(prcoords.Coords(y, x))
        assert gx == pytest.approx(expected.lon, abs=1e-9)
        assert gy == pytest.approx(expected.lat, abs=1e-9)


def test_wgs84_to_bd09_matches_prcoords_across_china():
    lon, lat = _china_grid()
    b_lon, b_lat = datum.wgs84_to_bd09(lon, lat)
    for x, y, bx, by in zip(lon.ravel(), lat.ravel(), b_lon.ravel(), b_lat.ravel(), strict=True):
        expected = prcoords.wgs_bd(prcoords.Coords(y, x))
        assert bx == pytest.approx(expected.lon, abs=1e-9)
        assert by == pytest.approx(expected.lat, abs=1e-9)


def test_points_outside_china_are_left_where_they_are():
    # Seoul, Tokyo, Greenwich, below the box's south edge; one Jinan point among them
    lon = np.array([126.98, 139.69, 0.0, 110.0, 117.0])
    lat = np.array([37.57, 35.69, 51.48, 2.0, 36.6])
    g_lon, g_lat = datum.wgs84_to_gcj02(lon, lat)
    np.testing.assert_array_equal(g_lon[1:4], lon[1:4])
    np.testing.assert_array_equal(g_lat[1:4], lat[1:4])
    assert g_lon[4] - lon[4] > 0.005  # the one inside still moves
    w_lon, w_lat = datum.gcj02_to_wgs84(lon[1:4], lat[1:4])
    np.testing.assert_array_equal(w_lon, lon[1:4])
    np.testing.assert_array_equal(w_lat, lat[1:4])


def test_no_compiled_datum_package_is_needed():
    """coordTransform (x86-64 only, no CPython 3.13 wheels) was replaced by numpy (issue 24)."""
    from pathlib import Path

    source = Path(datum.__file__).read_text(encoding="utf-8")
    assert "import coordTransform" not in source


# --- inverse and round trips -----------------------------------------------------------------


def test_gcj02_round_trip_within_a_centimetre():
    lon, lat = _grid()
    back_lon, back_lat = datum.gcj02_to_wgs84(*datum.wgs84_to_gcj02(lon, lat))
    assert _metres(back_lon, back_lat, lon, lat).max() < 0.01


def test_gcj02_inverse_agrees_with_prcoords_iterative_inverse():
    g_lon, g_lat = _grid(5, 4)
    w_lon, w_lat = datum.gcj02_to_wgs84(g_lon, g_lat)
    for gx, gy, wx, wy in zip(
        g_lon.ravel(), g_lat.ravel(), w_lon.ravel(), w_lat.ravel(), strict=True
    ):
        expected = prcoords.gcj_wgs_bored(prcoords.Coords(gy, gx))
        assert _metres(wx, wy, expected.lon, expected.lat) < 0.01


def test_bd09_inverse_agrees_with_prcoords_iterative_inverse():
    b_lon, b_lat = _grid(5, 4)
    w_lon, w_lat = datum.bd09_to_wgs84(b_lon, b_lat)
    for bx, by, wx, wy in zip(
        b_lon.ravel(), b_lat.ravel(), w_lon.ravel(), w_lat.ravel(), strict=True
    ):
        expected = prcoords.bd_wgs_bored(prcoords.Coords(by, bx))
        assert _metres(wx, wy, expected.lon, expected.lat) < 0.01


def test_bd09_round_trip_within_half_a_metre():
    """Regression guard for the BD-09 path; the exact bound is tested below."""
    lon, lat = _grid()
    back_lon, back_lat = datum.bd09_to_wgs84(*datum.wgs84_to_bd09(lon, lat))
    assert _metres(back_lon, back_lat, lon, lat).max() < 0.5


def test_bd09_round_trip_within_a_centimetre():
    lon, lat = _grid()
    back_lon, back_lat = datum.bd09_to_wgs84(*datum.wgs84_to_bd09(lon, lat))
    assert _metres(back_lon, back_lat, lon, lat).max() < 0.01


@pytest.mark.parametrize("name", ["GCJ-02", "BD-09"])
def test_to_wgs84_inverts_from_wgs84(name):
    lon, lat = _grid(5, 4)
    back_lon, back_lat = datum.to_wgs84(*datum.from_wgs84(lon, lat, name), name)
    assert _metres(back_lon, back_lat, lon, lat).max() < 0.5
    # and it really moved the points on the way
    moved_lon, _ = datum.from_wgs84(lon, lat, name)
    assert np.abs(moved_lon - lon).min() > 0.005


# --- shapes ----------------------------------------------------------------------------------

CONVERSIONS = [datum.wgs84_to_gcj02, datum.gcj02_to_wgs84, datum.wgs84_to_bd09, datum.bd09_to_wgs84]


@pytest.mark.parametrize("convert", CONVERSIONS, ids=lambda f: f.__name__)
def test_two_dimensional_arrays_keep_their_shape(convert):
    lon, lat = _grid(4, 3)
    out_lon, out_lat = convert(lon, lat)
    assert out_lon.shape == out_lat.shape == (3, 4)
    # element (i, j) is the conversion of element (i, j)
    one_lon, one_lat = convert(lon[2, 1:2], lat[2, 1:2])
    assert out_lon[2, 1] == pytest.approx(one_lon[0], abs=1e-12)
    assert out_lat[2, 1] == pytest.approx(one_lat[0], abs=1e-12)


@pytest.mark.parametrize("convert", CONVERSIONS, ids=lambda f: f.__name__)
def test_large_arrays_are_converted_as_small_ones(convert):
    """Above 8192 points the formulas run block by block: the same values, the same shape."""
    lon, lat = _grid(150, 130)  # 19,500 points: two whole blocks and a part
    big_lon, big_lat = convert(lon, lat)
    assert big_lon.shape == big_lat.shape == (130, 150)
    for row in (0, 54, 55, 129):  # rows on both sides of the block edges (8192 = 54*150 + 92)
        small_lon, small_lat = convert(lon[row], lat[row])
        np.testing.assert_allclose(big_lon[row], small_lon, rtol=0, atol=1e-12)
        np.testing.assert_allclose(big_lat[row], small_lat, rtol=0, atol=1e-12)


@pytest.mark.parametrize("convert", CONVERSIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(0,), (0, 2)])
def test_empty_arrays(convert, shape):
    out_lon, out_lat = convert(np.empty(shape), np.empty(shape))
    assert out_lon.shape == out_lat.shape == shape


@pytest.mark.parametrize("convert", CONVERSIONS, ids=lambda f: f.__name__)
def test_scalars_and_lists(convert):
    scalar_lon, scalar_lat = convert(*CENTROID)
    list_lon, list_lat = convert([CENTROID[0]], [CENTROID[1]])
    assert np.shape(scalar_lon) == () and np.shape(list_lon) == (1,)
    assert float(scalar_lon) == pytest.approx(list_lon[0], abs=1e-12)
    assert float(scalar_lat) == pytest.approx(list_lat[0], abs=1e-12)


@pytest.mark.parametrize("convert", CONVERSIONS, ids=lambda f: f.__name__)
def test_a_scalar_beside_an_array_is_broadcast(convert):
    lon = np.linspace(WEST, EAST, 10_000)  # above one block
    out_lon, out_lat = convert(lon, CENTROID[1])
    expected_lon, expected_lat = convert(lon, np.full_like(lon, CENTROID[1]))
    np.testing.assert_array_equal(out_lon, expected_lon)
    np.testing.assert_array_equal(out_lat, expected_lat)
    with pytest.raises(ValueError, match="broadcast"):
        convert([117.0, 117.1, 117.2], [36.6, 36.7])


def test_input_arrays_are_not_modified():
    lon, lat = _grid(3, 2)
    lon_before, lat_before = lon.copy(), lat.copy()
    datum.gcj02_to_wgs84(lon, lat)
    datum.bd09_to_wgs84(lon, lat)
    np.testing.assert_array_equal(lon, lon_before)
    np.testing.assert_array_equal(lat, lat_before)


# --- datum names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alias, expected",
    [
        ("WGS-84", datum.WGS84),
        ("wgs84", datum.WGS84),
        ("EPSG:4326", datum.WGS84),
        ("epsg:4490", datum.WGS84),
        ("CGCS2000", datum.WGS84),
        (" wgs 84 ", datum.WGS84),
        ("GCJ-02", datum.GCJ02),
        ("gcj02", datum.GCJ02),
        ("AMap", datum.GCJ02),
        ("高德", datum.GCJ02),
        ("火星坐标", datum.GCJ02),
        ("BD-09", datum.BD09),
        ("bd09", datum.BD09),
        ("Baidu", datum.BD09),
        ("百度", datum.BD09),
    ],
)
def test_normalise_datum_aliases(alias, expected):
    assert datum.normalise_datum(alias) == expected


@pytest.mark.parametrize("name", ["EPSG:3857", "mars", "", "gcj-03"])
def test_normalise_datum_rejects_unknown(name):
    with pytest.raises(ValueError, match="unknown datum"):
        datum.normalise_datum(name)


@pytest.mark.parametrize("func", [datum.to_wgs84, datum.from_wgs84])
def test_unknown_datum_raises_in_conversions(func):
    with pytest.raises(ValueError, match="EPSG:3857"):
        func([117.0], [36.6], "EPSG:3857")


@pytest.mark.parametrize("name", ["WGS-84", "EPSG:4326", "EPSG:4490", "cgcs2000"])
@pytest.mark.parametrize("func", [datum.to_wgs84, datum.from_wgs84])
def test_wgs84_conversions_are_identity(func, name):
    lon, lat = _grid(3, 2)
    out_lon, out_lat = func(lon, lat, name)
    assert isinstance(out_lon, np.ndarray) and isinstance(out_lat, np.ndarray)
    np.testing.assert_array_equal(out_lon, lon)
    np.testing.assert_array_equal(out_lat, lat)


@pytest.mark.parametrize(
    "name, forward", [("gcj02", datum.wgs84_to_gcj02), ("百度", datum.wgs84_to_bd09)]
)
def test_from_wgs84_dispatches_on_alias(name, forward):
    lon, lat = _grid(3, 2)
    out = datum.from_wgs84(lon, lat, name)
    expected = forward(lon, lat)
    np.testing.assert_allclose(out[0], expected[0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(out[1], expected[1], rtol=0, atol=1e-12)


# --- geometries ------------------------------------------------------------------------------


def test_transform_geometry_polygon():
    ring = [(116.90, 36.57), (116.93, 36.57), (116.93, 36.60), (116.90, 36.60), (116.90, 36.57)]
    hole = [(116.91, 36.58), (116.92, 36.58), (116.92, 36.59), (116.91, 36.58)]
    polygon = Polygon(ring, [hole])
    moved = datum.transform_geometry(polygon, datum.wgs84_to_gcj02)

    assert moved.geom_type == "Polygon" and len(moved.interiors) == 1
    coords = np.asarray(polygon.exterior.coords)
    moved_coords = np.asarray(moved.exterior.coords)
    assert moved_coords.shape == coords.shape
    expected_lon, expected_lat = datum.wgs84_to_gcj02(coords[:, 0], coords[:, 1])
    np.testing.assert_allclose(moved_coords[:, 0], expected_lon, rtol=0, atol=1e-12)
    np.testing.assert_allclose(moved_coords[:, 1], expected_lat, rtol=0, atol=1e-12)
    hole_lon, _ = datum.wgs84_to_gcj02(*np.asarray(hole).T)
    np.testing.assert_allclose(np.asarray(moved.interiors[0].coords)[:, 0], hole_lon, atol=1e-12)
    # GCJ-02 is a shift with a slight stretch: the area changes by well under 1 %
    assert moved.area == pytest.approx(polygon.area, rel=1e-2)

    back = datum.transform_geometry(moved, datum.gcj02_to_wgs84)
    np.testing.assert_allclose(np.asarray(back.exterior.coords), coords, rtol=0, atol=1e-8)


def test_transform_geometry_on_an_array_of_geometries():
    geometries = np.array([shapely.Point(116.95, 36.60), shapely.Point(117.0, 36.65)])
    moved = datum.transform_geometry(geometries, datum.wgs84_to_gcj02)
    assert len(moved) == 2
    for before, after in zip(geometries, moved, strict=True):
        lon, lat = datum.wgs84_to_gcj02(before.x, before.y)
        assert (after.x, after.y) == pytest.approx((float(lon), float(lat)), abs=1e-12)


# --- the benchmark -----------------------------------------------------------------------------


def test_benchmark_times_every_conversion():
    """``python -m bench.datum`` runs (small here); with coordTransform it compares both."""
    from bench import datum as bench_datum

    rows = bench_datum.run(points=1_000, repeat=1)
    assert [row["name"] for row in rows] == [
        "wgs84_to_gcj02",
        "gcj02_to_wgs84",
        "wgs84_to_bd09",
        "bd09_to_wgs84",
    ]
    assert all(row["new_s"] > 0 for row in rows)
    for row in rows:
        if row["old_s"] is not None:  # the replaced implementation is installed
            assert row["max_diff_deg"] < 1e-9, row
    assert len(bench_datum.table_lines(rows)) == 5
