"""geo.store.edits: a location fixed by a click is stored in WGS-84 and becomes exact."""

from __future__ import annotations

import pytest

from geo.data import datum
from geo.store.edits import relocated

RECORD = {"id": "s1", "lon": 117.0, "lat": 36.6, "location_precision": "subdistrict"}


def test_a_click_on_a_wgs84_basemap_is_stored_as_clicked():
    moved = relocated(RECORD, 117.01, 36.61, datum.WGS84)
    assert (moved["lon"], moved["lat"], moved["location_precision"]) == (117.01, 36.61, "exact")
    assert RECORD["location_precision"] == "subdistrict"  # the input is not changed


def test_a_click_on_amap_is_converted_from_gcj02():
    lon, lat = 117.01, 36.61  # where the user clicked on AMap tiles (GCJ-02)
    moved = relocated(RECORD, lon, lat, datum.GCJ02)
    back = datum.wgs84_to_gcj02([moved["lon"]], [moved["lat"]])
    assert float(back[0][0]) == pytest.approx(lon, abs=1e-6)
    assert float(back[1][0]) == pytest.approx(lat, abs=1e-6)
    assert 0.005 < lon - moved["lon"] < 0.0065  # the WGS-84 point lies ~500 m west
