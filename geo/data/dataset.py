"""The dataset contract: everything the pages, maps and reports show for one store version."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.data.areas import display_areas, in_force
from geo.data.sitetable import SiteTable, prepare_sites

#: The reference tables read from the data folder (they change with a release, not an edit).
REFERENCE = (
    "programs",
    "sources",
    "subdistricts",
    "units",
    "outline",
    "areas",
    "events",
    "five_models",
)
#: The records read from the store (they change with every edit or import): the sites,
#: figures and alliances, the official areas loaded (``official_areas``, may be empty) and the
#: placed villages/communities (``unit_locations``, may be empty).
RECORDS = ("sites", "metrics", "alliances", "official_areas", "unit_locations")
#: How a site's point on the map was found (``placement``): its own coordinates, its
#: village's/community's placed position, or only its subdistrict's (or the district's) seat.
PLACEMENTS = ("own", "unit", "seat")
_SEAT_PRECISIONS = ("subdistrict", "district")


@dataclass(frozen=True)
class Dataset:
    """Everything shown for one store ``version``.

    Geometries (``outline``, ``areas``) and coordinates are WGS-84 (EPSG:4326, degrees).
    ``areas`` are the areas in force (official where loaded, ``schematic`` elsewhere), the
    official ones simplified for drawing (within about 1 m, see
    ``geo.intake.boundaries.display_areas``);
    ``units`` carry their placed position (``lon``, ``lat``, ``location_precision``,
    ``location_source``; NaN/empty if not placed); ``sites`` carry the point drawn for them
    (``lon``, ``lat``, ``location_precision``, ``placement``) beside the stored one
    (``own_lon``, ``own_lat``, ``own_precision``). ``site_table`` holds the map's per-site
    arrays, prepared once per version.
    """

    version: int
    programs: pd.DataFrame
    sources: pd.DataFrame
    subdistricts: pd.DataFrame
    units: pd.DataFrame
    outline: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    sites: pd.DataFrame
    metrics: pd.DataFrame
    alliances: pd.DataFrame
    events: pd.DataFrame
    five_models: pd.DataFrame
    site_table: SiteTable


def locate_units(units: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """The gazetteer's units with their placed positions.

    Parameters
    ----------
    units
        The gazetteer (:func:`geo.data.io.load_units`), 12-digit ``code``.
    locations
        The store's ``units`` records: ``id`` (the 12-digit code), ``lon``, ``lat`` (WGS-84,
        EPSG:4326, degrees), ``location_precision``, ``source``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``units`` with ``lon``, ``lat`` (float, WGS-84 degrees),
        ``location_precision`` and ``location_source``; unplaced units get NaN and ``""``.
    """
    placed = locations.set_index("id") if len(locations) else None
    out = units.copy()
    if placed is None:
        out["lon"], out["lat"] = np.nan, np.nan
        out["location_precision"], out["location_source"] = "", ""
        return out
    codes = out["code"]
    out["lon"] = codes.map(placed["lon"]).astype(float)
    out["lat"] = codes.map(placed["lat"]).astype(float)
    out["location_precision"] = codes.map(placed["location_precision"]).fillna("")
    out["location_source"] = codes.map(placed["source"]).fillna("")
    return out


def with_verifications(sites: pd.DataFrame, verifications: pd.DataFrame | None) -> pd.DataFrame:
    """``sites`` with their last verification: ``verified_on`` (``YYYY-MM-DD``) and
    ``verified_by``, empty for a site never verified.

    Parameters
    ----------
    sites
        The sites (``id``).
    verifications
        The store's ``verifications`` records (``id`` = the site's, ``verified_on``,
        ``verified_by``), or None for none.

    Returns
    -------
    pandas.DataFrame
        A copy of ``sites`` with the two columns, in the same order.
    """
    out = sites.copy()
    found = (
        verifications.set_index("id")
        if verifications is not None and not verifications.empty
        else pd.DataFrame(columns=["verified_on", "verified_by"])
    )
    for column in ("verified_on", "verified_by"):
        # object first: with no site verified the lookup is all NaN (float), which pandas will
        # no longer fill with a string
        out[column] = out["id"].map(found[column]).astype(object).fillna("").astype(str)
    return out


def place_sites(sites: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The point drawn for each site.

    A site with coordinates of its own keeps them (``placement`` ``own``). A site known only
    to its subdistrict or the district (stored at that seat) that names a placed village or
    community is drawn at that unit's position with precision ``unit`` (``placement``
    ``unit``); otherwise it stays at the seat (``seat``).

    Parameters
    ----------
    sites
        The stored sites: ``lon``, ``lat`` (WGS-84, EPSG:4326, degrees),
        ``location_precision``, ``unit_code``.
    units
        The units with their positions (:func:`locate_units`; ``lon`` NaN where not placed).

    Returns
    -------
    pandas.DataFrame
        A copy of ``sites`` with ``lon``, ``lat`` and ``location_precision`` as drawn, the
        stored point kept as ``own_lon``, ``own_lat`` and ``own_precision``, and
        ``placement`` (one of :data:`PLACEMENTS`).
    """
    out = sites.copy()
    out["own_lon"], out["own_lat"] = out["lon"], out["lat"]
    out["own_precision"] = out["location_precision"]
    at_seat = out["location_precision"].isin(_SEAT_PRECISIONS).to_numpy()
    placed = units.dropna(subset=["lon", "lat"]).set_index("code")
    unit_lon = out["unit_code"].map(placed["lon"]).to_numpy(dtype=float)
    unit_lat = out["unit_code"].map(placed["lat"]).to_numpy(dtype=float)
    by_unit = at_seat & ~np.isnan(unit_lon)
    out.loc[by_unit, "lon"] = unit_lon[by_unit]
    out.loc[by_unit, "lat"] = unit_lat[by_unit]
    out.loc[by_unit, "location_precision"] = "unit"
    out["placement"] = np.where(by_unit, "unit", np.where(at_seat, "seat", "own"))
    return out


def build_dataset(
    version: int,
    reference: dict[str, pd.DataFrame],
    records: dict[str, pd.DataFrame],
    site_table: SiteTable | None = None,
) -> Dataset:
    """A :class:`Dataset` from its parts.

    Parameters
    ----------
    version
        The store's data version these records are of.
    reference
        The tables of :func:`load_reference`.
    records
        The tables of :func:`load_records`.
    site_table
        The map's per-site arrays for these records, if already prepared; None to prepare
        them here (:func:`geo.map.sitelayer.prepare_sites`).

    Returns
    -------
    Dataset
        Units located, sites placed, areas merged (official where loaded, unless
        ``SHIZHONG_AREAS_FILE`` is set) and simplified for drawing; WGS-84 (EPSG:4326,
        degrees) throughout.

    Raises
    ------
    ValueError
        If a table of :data:`REFERENCE` or :data:`RECORDS` is missing (named in the message),
        or the records exceed what the map's site table holds (see
        :func:`geo.map.sitelayer.prepare_sites`).
    """
    missing = [name for name in REFERENCE if name not in reference] + [
        name for name in RECORDS if name not in records
    ]
    if missing:
        raise ValueError(f"dataset tables missing: {', '.join(missing)}")
    units = locate_units(reference["units"], records["unit_locations"])
    sites = with_verifications(place_sites(records["sites"], units), records.get("verifications"))
    if site_table is None:
        site_table = prepare_sites(sites, reference["subdistricts"], reference["programs"])
    # official where loaded, unless $SHIZHONG_AREAS_FILE names an official file; a bureau's
    # boundary simplified, light enough for every map
    areas = display_areas(in_force(reference["areas"], records["official_areas"]))
    parts = {name: reference[name] for name in REFERENCE} | {
        "metrics": records["metrics"],
        "alliances": records["alliances"],
        "units": units,
        "sites": sites,
        "areas": areas,
    }
    return Dataset(version=version, site_table=site_table, **parts)
