"""geo.map.basemaps: choices, configuration, fallbacks to offline, datum per provider."""

from __future__ import annotations

import pytest
from streamlit_folium import _get_map_string

from geo import config
from geo.data import datum, io
from geo.intake.boundaries import load_configured_areas
from geo.map import basemaps
from geo.map import leaflet as maps

TOKEN = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(
    ("key", "settings", "notice"),
    [
        ("tianditu_vec", config.BasemapSettings(), "basemap_no_token"),
        ("tianditu_img", config.BasemapSettings(tianditu_token="not-a-key"), "basemap_no_token"),
        ("custom", config.BasemapSettings(), "basemap_no_url"),
        ("google", config.BasemapSettings(), "basemap_unknown"),
    ],
)
def test_unusable_choices_fall_back_to_offline_with_a_reason(key, settings, notice):
    basemap, reason = basemaps.resolve(key, settings)
    assert basemap.is_offline and basemap.key == basemaps.NONE
    assert reason == notice


@pytest.mark.parametrize(
    ("key", "expected_datum", "host"),
    [
        ("amap_road", datum.GCJ02, "autonavi.com"),
        ("amap_satellite", datum.GCJ02, "autonavi.com"),
        ("osm", datum.WGS84, "openstreetmap.org"),
        ("tianditu_vec", datum.WGS84, "tianditu.gov.cn"),
        ("tianditu_img", datum.WGS84, "tianditu.gov.cn"),
    ],
)
def test_online_choices_name_their_datum(key, expected_datum, host):
    basemap, reason = basemaps.resolve(key, config.BasemapSettings(tianditu_token=TOKEN))
    assert reason is None and not basemap.is_offline
    assert basemap.datum == expected_datum
    assert all(host in tile.build_url() for tile in basemap.tiles)


def test_tianditu_has_a_label_layer_and_carries_the_token():
    basemap, _ = basemaps.resolve("tianditu_vec", config.BasemapSettings(tianditu_token=TOKEN))
    urls = [tile.build_url() for tile in basemap.tiles]
    assert "LAYER=vec" in urls[0] and "LAYER=cva" in urls[1]
    assert all(f"tk={TOKEN}" in u for u in urls)


def test_custom_intranet_server_with_its_datum():
    settings = config.BasemapSettings(
        custom_url="http://10.1.2.3/tiles/{z}/{x}/{y}.png", custom_datum="gcj02"
    )
    basemap, reason = basemaps.resolve("custom", settings)
    assert reason is None and basemap.datum == datum.GCJ02
    assert basemap.tiles[0].build_url() == "http://10.1.2.3/tiles/{z}/{x}/{y}.png"


def test_settings_from_environment_and_secrets_override():
    env = {"SHIZHONG_BASEMAP": "osm", "SHIZHONG_TIANDITU_TOKEN": TOKEN}
    settings = config.basemap_settings(environ=env)
    assert settings.default == "osm" and settings.tianditu_token == TOKEN
    merged = config.basemap_settings({"default": "amap_road"}, environ=env)
    assert merged.default == "amap_road" and merged.tianditu_token == TOKEN


@pytest.mark.parametrize(
    ("env", "table", "expected"),
    [
        ({}, None, False),
        ({"SHIZHONG_READ_ONLY": "1"}, None, True),
        ({"SHIZHONG_READ_ONLY": "0"}, {"read_only": True}, True),
        ({}, {"read_only": "false"}, False),
    ],
)
def test_read_only_from_environment_or_secrets(env, table, expected):
    assert config.read_only(table, environ=env) is expected


@pytest.fixture(scope="module")
def data():
    return (io.load_outline(), load_configured_areas(), io.load_subdistricts(), io.load_programs())


def test_offline_map_has_no_tiles_and_online_map_has_fallback(data):
    offline = _get_map_string(maps.build_base_map(*data))
    assert "L.tileLayer" not in offline and "tileerror" not in offline
    amap, _ = basemaps.resolve("amap_road", config.BasemapSettings())
    online = _get_map_string(maps.build_base_map(*data, basemap=amap))
    assert "L.tileLayer" in online and "autonavi.com" in online
    assert "tileerror" in online  # tiles that cannot load are dropped, with a notice


def test_amap_base_map_outline_is_shifted_by_the_gcj02_offset(data):
    """The outline's vertices are drawn converted on AMap, as stored everywhere else."""
    amap, _ = basemaps.resolve("amap_road", config.BasemapSettings())
    x, y = data[0].geometry.iloc[0].geoms[0].exterior.coords[0]
    gx, gy = (float(v[0]) for v in datum.wgs84_to_gcj02([x], [y]))
    plain = _get_map_string(maps.build_base_map(*data))
    shifted = _get_map_string(maps.build_base_map(*data, basemap=amap))
    assert f"[{x}, {y}]" in plain and f"[{gx}, {gy}]" not in plain
    assert f"[{gx}, {gy}]" in shifted and f"[{x}, {y}]" not in shifted
    assert 0.005 < gx - x < 0.0065
