"""Chinese map datums: WGS-84 <-> GCJ-02 (AMap) <-> BD-09 (Baidu), vectorised.

The forward transforms come from ``coordTransform`` (C batch). Its GCJ-02 -> WGS-84 is a
single-step approximation (errors up to ~3 m), so the inverse here iterates the exact forward
transform to a fixed point (a few iterations reach < 0.1 mm); BD-09 -> GCJ-02 likewise.
"""

from __future__ import annotations

from collections.abc import Callable

import coordTransform
import numpy as np
import shapely
from numpy.typing import ArrayLike

WGS84 = "WGS-84"
GCJ02 = "GCJ-02"
BD09 = "BD-09"
DATUMS = (WGS84, GCJ02, BD09)

_ALIASES = {
    "wgs84": WGS84,
    "wgs-84": WGS84,
    "epsg:4326": WGS84,
    "cgcs2000": WGS84,
    "epsg:4490": WGS84,
    "gcj02": GCJ02,
    "gcj-02": GCJ02,
    "amap": GCJ02,
    "高德": GCJ02,
    "火星坐标": GCJ02,
    "bd09": BD09,
    "bd-09": BD09,
    "baidu": BD09,
    "百度": BD09,
}


#: How ledgers name where their coordinates came from (``坐标来源``), by a word they contain:
#: a point picked on AMap is GCJ-02, on Baidu BD-09; Tianditu, a GPS or OvitalMap (奥维, which
#: records WGS-84) and anything CGCS2000 are WGS-84 to a dashboard's precision.
_SOURCE_WORDS = (
    (("高德", "amap", "gaode", "火星", "腾讯", "qq地图"), GCJ02),
    (("百度", "baidu"), BD09),
    (("天地图", "tianditu", "gps", "奥维", "ovital", "cgcs2000", "2000国家", "北斗"), WGS84),
)


def normalise_datum(name: str) -> str:
    """The canonical datum name for ``name``.

    Parameters
    ----------
    name
        A datum (``"gcj02"``, ``"EPSG:4326"``, ``"CGCS2000"``, any case, spaces ignored) or
        where the coordinates were picked, by a word it contains (``"高德地图拾取"`` -> GCJ-02,
        ``"百度地图拾取"`` -> BD-09, ``"天地图"``, ``"GPS"``, ``"奥维"`` -> WGS-84).

    Returns
    -------
    str
        One of :data:`DATUMS`: ``"WGS-84"``, ``"GCJ-02"`` or ``"BD-09"``. CGCS2000
        (EPSG:4490) counts as WGS-84 (they differ by centimetres).

    Raises
    ------
    ValueError
        If ``name`` names no known datum (the message shows it and the datums allowed).
    """
    key = str(name).strip().lower().replace(" ", "")
    if key in _ALIASES:
        return _ALIASES[key]
    for words, datum in _SOURCE_WORDS:
        if key and any(word in key for word in words):
            return datum
    raise ValueError(f"unknown datum {name!r}; expected one of {', '.join(DATUMS)}")


def _arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def _forward(func, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if lon.size == 0:
        return lon.copy(), lat.copy()
    out_lon, out_lat = func(lon.ravel(), lat.ravel())
    return (
        np.asarray(out_lon, dtype=float).reshape(lon.shape),
        np.asarray(out_lat, dtype=float).reshape(lat.shape),
    )


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 (EPSG:4326) -> GCJ-02 (the datum of AMap and Tencent maps).

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in WGS-84 degrees, arrays (or scalars) of the same shape.
        Points outside China's bounding box are returned unchanged.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in GCJ-02 degrees, float arrays of the input's shape.
    """
    return _forward(coordTransform.wgs84_to_gcj02, *_arrays(lon, lat))


def _invert(
    forward: Callable,
    lon: ArrayLike,
    lat: ArrayLike,
    tolerance_deg: float = 1e-10,
    max_iter: int = 30,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``forward(x) = target`` by fixed-point iteration (the offsets are small and smooth).

    Converges to ``tolerance_deg`` (1e-10 deg is about 0.01 mm) in 3-6 iterations in China.
    """
    t_lon, t_lat = _arrays(lon, lat)
    x_lon, x_lat = t_lon.copy(), t_lat.copy()
    for _ in range(max_iter):
        f_lon, f_lat = forward(x_lon, x_lat)
        d_lon, d_lat = f_lon - t_lon, f_lat - t_lat
        x_lon, x_lat = x_lon - d_lon, x_lat - d_lat
        if d_lon.size == 0 or max(np.abs(d_lon).max(), np.abs(d_lat).max()) < tolerance_deg:
            break
    return x_lon, x_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 -> WGS-84 (EPSG:4326), the precise inverse of :func:`wgs84_to_gcj02`.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in GCJ-02 degrees, arrays (or scalars) of the same shape.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in WGS-84 degrees, float arrays of the input's shape; the forward
        transform of the result reproduces the input within 1e-10 degrees (< 0.1 mm).
    """
    return _invert(wgs84_to_gcj02, lon, lat)


def _gcj02_to_bd09(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _forward(coordTransform.gcj02_to_bd09, lon, lat)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 (Baidu) -> WGS-84 (EPSG:4326), each step the precise inverse of its forward transform.

    (The closed-form BD-09 -> GCJ-02 of coordTransform is itself approximate, ~0.1 m.)

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in BD-09 degrees, arrays (or scalars) of the same shape.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in WGS-84 degrees, float arrays of the input's shape.
    """
    return gcj02_to_wgs84(*_invert(_gcj02_to_bd09, lon, lat))


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 (EPSG:4326) -> BD-09 (Baidu), through GCJ-02.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in WGS-84 degrees, arrays (or scalars) of the same shape.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in BD-09 degrees, float arrays of the input's shape.
    """
    return _forward(coordTransform.gcj02_to_bd09, *wgs84_to_gcj02(lon, lat))


def to_wgs84(lon: ArrayLike, lat: ArrayLike, datum: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert coordinates given in ``datum`` to WGS-84 (EPSG:4326).

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees of ``datum``, arrays (or scalars) of the same shape.
    datum
        The datum they are in, any name :func:`normalise_datum` accepts.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in WGS-84 degrees, float arrays of the input's shape (the input itself,
        as floats, when ``datum`` is WGS-84).

    Raises
    ------
    ValueError
        If ``datum`` names no known datum.
    """
    datum = normalise_datum(datum)
    if datum == GCJ02:
        return gcj02_to_wgs84(lon, lat)
    if datum == BD09:
        return bd09_to_wgs84(lon, lat)
    return _arrays(lon, lat)


def from_wgs84(lon: ArrayLike, lat: ArrayLike, datum: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert WGS-84 (EPSG:4326) coordinates to ``datum``.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in WGS-84 degrees, arrays (or scalars) of the same shape.
    datum
        The datum wanted, any name :func:`normalise_datum` accepts.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in degrees of ``datum``, float arrays of the input's shape.

    Raises
    ------
    ValueError
        If ``datum`` names no known datum.
    """
    datum = normalise_datum(datum)
    if datum == GCJ02:
        return wgs84_to_gcj02(lon, lat)
    if datum == BD09:
        return wgs84_to_bd09(lon, lat)
    return _arrays(lon, lat)


def transform_geometry(geometry, func: Callable[[np.ndarray, np.ndarray], tuple]):
    """Apply a ``(lon, lat) -> (lon, lat)`` array transform to every vertex of ``geometry``.

    Parameters
    ----------
    geometry
        A shapely geometry or an array of them, coordinates in (lon, lat) order, degrees.
    func
        A vectorised transform such as :func:`gcj02_to_wgs84`: arrays of longitudes and
        latitudes in, a ``(lon, lat)`` pair of arrays out.

    Returns
    -------
    shapely.Geometry or numpy.ndarray
        The geometry (or array) with every vertex transformed; z coordinates are dropped.
    """

    def _xy(coords: np.ndarray) -> np.ndarray:
        lon, lat = func(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, _xy)
