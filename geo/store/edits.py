"""Single-record edits made on the map (the Manage page's "fix a location")."""

from __future__ import annotations

from geo.data import datum


def relocated(record: dict, lon: float, lat: float, clicked_datum: str) -> dict:
    """``record`` moved to a point clicked on a basemap drawn in ``clicked_datum``.

    Parameters
    ----------
    record
        A site record (a mapping of its fields); it is not changed.
    lon, lat
        The clicked point, degrees in ``clicked_datum``.
    clicked_datum
        The datum of the basemap clicked on (a click on AMap is GCJ-02), any name
        :func:`geo.data.datum.normalise_datum` accepts.

    Returns
    -------
    dict
        A copy of ``record`` with ``lon``, ``lat`` in WGS-84 (EPSG:4326, the stored datum),
        rounded to 1e-7 degree (about 1 cm), and ``location_precision`` ``exact``.

    Raises
    ------
    ValueError
        If ``clicked_datum`` names no known datum.
    """
    x, y = datum.to_wgs84([lon], [lat], clicked_datum)
    return {
        **record,
        "lon": round(float(x[0]), 7),
        "lat": round(float(y[0]), 7),
        "location_precision": "exact",
    }
