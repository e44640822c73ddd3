"""The map's model, free of folium: the colours of areas, selections and kinds, the datum
the positions are drawn in, the alliances' outlines, the 城区 core and the zoom that fits an
area. The Leaflet rendering (:mod:`geo.map.leaflet`) and the picture (:mod:`geo.map.image`)
draw the same model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.data import datum, io
from geo.data.sitetable import SiteTable, display_positions
from geo.text import vocab

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def display_transform(target_datum: str) -> Transform | None:
    """Coordinate transform from stored WGS-84 to the basemap's datum (None if the same).

    Parameters
    ----------
    target_datum
        The basemap's datum, any name :func:`geo.data.datum.normalise_datum` accepts
        (``"WGS-84"``, ``"GCJ-02"`` for AMap, ``"BD-09"`` ...).

    Returns
    -------
    Transform or None
        ``(lon, lat) -> (lon, lat)`` on arrays, from WGS-84 (EPSG:4326, degrees) to the
        target datum (degrees); None if the target is WGS-84 (CGCS2000 counts as such).

    Raises
    ------
    ValueError
        If ``target_datum`` names no known datum.
    """
    target = datum.normalise_datum(target_datum)
    if target == datum.WGS84:
        return None
    return lambda lon, lat: datum.from_wgs84(lon, lat, target)


#: theme -> (area line, area fill, district outline) colours.
AREA_COLOURS = {
    "light": ("#78909c", "#cfd8dc", "#c62828"),
    "dark": ("#6d8bb0", "#1e3a5f", "#ff5252"),
}


#: The outline of the selected subdistricts.
SELECTION_COLOUR = "#b71c1c"


#: Subdistricts of at most this area (km²) make the dense urban core (the 城区 view).
CORE_MAX_KM2 = 6.0


def area_km2(areas: gpd.GeoDataFrame) -> np.ndarray:
    """Approximate areas (km²) of EPSG:4326 polygons: degrees² scaled at each one's latitude
    (within about 1 % at the district's size; enough to tell a crowded core from the rest).

    Parameters
    ----------
    areas
        Polygons in longitude/latitude degrees (EPSG:4326; the base map passes them in the
        basemap's datum, e.g. GCJ-02, whose offset of a few hundred metres does not matter
        here).

    Returns
    -------
    numpy.ndarray
        One area per row of ``areas``, in km².
    """
    shapes = np.asarray(areas.geometry.values)
    lat = np.radians(shapely.get_y(shapely.point_on_surface(shapes)))
    return shapely.area(shapes) * 111.32**2 * np.cos(lat)


class _AllianceRow(NamedTuple):
    id: str
    name: str
    member_codes: str
    inferred_codes: str


@dataclass(frozen=True)
class AllianceOutline:
    """An alliance as drawn: the dashed hull (or line) joining its members' shown positions."""

    alliance: _AllianceRow  # what is drawn of the alliance's row: id, name, member codes
    shape: BaseGeometry  # in the positions' coordinates (WGS-84 unless transformed)
    members: int
    inferred: int


def alliance_outlines(
    alliances: pd.DataFrame,
    sites: pd.DataFrame,
    table: SiteTable | None = None,
    transform: Transform | None = None,
) -> list[AllianceOutline]:
    """Each alliance with two or more members on the map, outlined where their villages'
    markers are (the same fanned-out positions: ``table`` is the sites' prepared table);
    ``transform`` converts the positions to the basemap's datum first.

    Parameters
    ----------
    alliances
        Alliances with ``member_codes`` and ``inferred_codes`` (``;``-separated unit codes).
    sites
        Site records; the village/community records (``kind``) whose ``unit_code`` is a
        member give the members' positions. Pass all sites, so that members filtered out of
        view still place their alliance.
    table
        The prepared table (:func:`geo.map.sitelayer.prepare_sites`) holding ``sites``, or
        None to compute the positions from ``sites`` (:func:`display_positions`).
    transform
        WGS-84 -> basemap datum (:func:`display_transform`), or None to stay in WGS-84.

    Returns
    -------
    list of AllianceOutline
        One per alliance with at least two placed members, in ``alliances``' order: the
        convex hull of three or more positions buffered by 0.0015 degree (about 150 m), or
        the line between two; in WGS-84 degrees or the transform's datum.
    """
    if alliances.empty:
        return []
    members_all = {c for v in alliances["member_codes"] for c in io.split_list(v)}
    # each member unit is drawn where its village/community record's marker is (only the
    # columns needed are read: taking whole rows of a large frame costs more than the rest)
    unit_codes = sites["unit_code"].to_numpy()
    places = (
        sites["kind"].isin(("village", "community")).to_numpy()
        & sites["unit_code"].isin(members_all).to_numpy()
    )
    if table is None:
        lon, lat = display_positions(sites)
        lon, lat = lon[places], lat[places]
    else:
        rows = table.index.get_indexer(sites.index[places])
        lon, lat = table.lon[rows], table.lat[rows]
    if transform is not None and len(lon):
        lon, lat = transform(lon, lat)
    position = dict(zip(unit_codes[places], zip(lon, lat, strict=True), strict=True))
    outlines = []
    columns = ["id", "name", "member_codes", "inferred_codes"]
    rows_of_alliances = zip(*(alliances[c].tolist() for c in columns), strict=True)
    for alliance in (_AllianceRow(*values) for values in rows_of_alliances):
        members = io.split_list(alliance.member_codes)
        points = [position[c] for c in members if c in position]
        if len(points) < 2:
            continue
        hull = gpd.GeoSeries(gpd.points_from_xy(*zip(*points, strict=True))).union_all()
        shape = hull.convex_hull.buffer(0.0015) if len(points) >= 3 else hull.convex_hull
        inferred = len(io.split_list(alliance.inferred_codes))
        outlines.append(AllianceOutline(alliance, shape, len(members), inferred))
    return outlines


def zoom_for_bounds(
    bounds: tuple[float, float, float, float], width_px: int = 700, height_px: int = 600
) -> int:
    """The largest Web-Mercator zoom at which ``bounds`` (west, south, east, north) fits.

    Parameters
    ----------
    bounds
        ``(west, south, east, north)`` in degrees (WGS-84, EPSG:4326, as the callers pass
        an area's ``total_bounds``); an empty span counts as a tiny one.
    width_px, height_px
        The map's size in pixels (256-pixel tiles).

    Returns
    -------
    int
        The zoom level, clamped to 9..17.
    """
    west, south, east, north = bounds
    span_x = max(east - west, 1e-6) / 360
    merc = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    span_y = max(merc(north) - merc(south), 1e-6) / (2 * np.pi)
    zoom = np.floor(np.log2(min(width_px / 256 / span_x, height_px / 256 / span_y)))
    return int(np.clip(zoom, 9, 17))


#: One colour per kind for the subdistrict circles (a kind's most common program's colour would
#: not mean anything there).
KIND_COLOURS = dict(
    zip(
        vocab.KINDS,
        ("#117733", "#EE3377", "#332288", "#33BBEE", "#0077BB", "#999933"),
        strict=True,
    )
)
