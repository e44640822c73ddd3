"""The subdistrict areas in force, in one place: the configured areas (the shipped schematic
ones, or an official file named by ``SHIZHONG_AREAS_FILE``), each subdistrict with an official
area in the store replaced by it, and official shapes simplified for drawing."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.config import AreasSource, areas_source
from geo.data import io


def in_force(
    reference: gpd.GeoDataFrame, official: gpd.GeoDataFrame, source: AreasSource | None = None
) -> gpd.GeoDataFrame:
    """The areas in force: ``reference`` (the configured areas), where ``source`` is the
    shipped schematic file each subdistrict that ``official`` (the store's) covers replaced by
    its official area; an official file named by ``SHIZHONG_AREAS_FILE`` wins over the store.

    Parameters
    ----------
    reference
        The configured areas (:func:`geo.intake.boundaries.load_configured_areas`): ``code``,
        ``name``, ``schematic``, geometry; EPSG:4326.
    official
        The official areas loaded into the store (``Store.read_areas``), same columns.
    source
        Where ``reference`` came from; None for :func:`geo.config.areas_source`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code``, ``name``, ``schematic``, ``geometry`` (EPSG:4326, degrees), exact (not
        simplified: see :func:`display_areas` for drawing).
    """
    if (source or areas_source()).schematic:
        return merge_areas(reference, official)
    return reference


def merge_areas(reference: gpd.GeoDataFrame, official: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``reference`` areas with each subdistrict that ``official`` covers replaced by its
    official area (``schematic`` False there). Both EPSG:4326 with ``code``/``name``.

    Parameters
    ----------
    reference : geopandas.GeoDataFrame
        The areas in force otherwise (e.g. the shipped schematic ones): ``code``, ``name``,
        ``schematic``, geometry; EPSG:4326.
    official : geopandas.GeoDataFrame
        Official areas (:meth:`Store.read_areas`), same columns; EPSG:4326.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code``, ``name``, ``schematic``, ``geometry`` (EPSG:4326) in the order of
        ``reference``'s codes, codes it lacks last; ``reference`` itself if ``official`` is
        empty.
    """
    if official.empty:
        return reference
    kept = reference[~reference["code"].isin(official["code"])]
    columns = ["code", "name", "schematic", "geometry"]
    merged = pd.concat([kept[columns], official[columns]], ignore_index=True)
    order = {code: i for i, code in enumerate(reference["code"])}
    merged = merged.sort_values("code", key=lambda c: c.map(order).fillna(len(order)))
    return gpd.GeoDataFrame(merged.reset_index(drop=True), geometry="geometry", crs=io.CRS)


#: How far (degrees) a drawn official boundary may stray from the stored one: about 1 m.
DISPLAY_TOLERANCE_DEG = 1e-5


def display_areas(
    areas: gpd.GeoDataFrame, tolerance_deg: float = DISPLAY_TOLERANCE_DEG
) -> gpd.GeoDataFrame:
    """``areas`` with each official (non-``schematic``) shape simplified for drawing.

    A bureau's boundary has a vertex every metre or so (250,000 for the district), several MB
    in every map; within ``tolerance_deg`` the map looks the same. Topology is kept per shape;
    the stored geometry stays exact.

    Parameters
    ----------
    areas
        Subdistrict areas, WGS-84 (EPSG:4326, degrees), with ``schematic``.
    tolerance_deg
        How far a simplified boundary may stray, in degrees (1e-5, the default, is about 1 m,
        under two pixels at zoom 18).

    Returns
    -------
    geopandas.GeoDataFrame
        The areas, official shapes simplified; ``areas`` itself if all are schematic.
    """
    official = ~areas["schematic"].astype(bool).to_numpy()
    if not official.any():
        return areas
    geometry = areas.geometry.to_numpy().copy()
    geometry[official] = shapely.simplify(geometry[official], tolerance_deg, preserve_topology=True)
    return areas.set_geometry(gpd.GeoSeries(geometry, index=areas.index, crs=areas.crs))
