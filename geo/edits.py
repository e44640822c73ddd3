"""Single-record edits made on the map (the Manage page's "fix a location")."""

from __future__ import annotations

from geo import datum


def relocated(record: dict, lon: float, lat: float, clicked_datum: str) -> dict:
    """``record`` moved to a point clicked on a basemap drawn in ``clicked_datum``.

    The point is converted to WGS-84 (the stored datum; a click on AMap is GCJ-02) and rounded
    to 1e-7 degree (about 1 cm); the location is then exact. The record itself is not changed.
    """
    x, y = datum.to_wgs84([lon], [lat], clicked_datum)
    return {
        **record,
        "lon": round(float(x[0]), 7),
        "lat": round(float(y[0]), 7),
        "location_precision": "exact",
    }
