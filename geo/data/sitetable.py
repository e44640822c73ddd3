"""The map's per-site arrays of one data version: display positions (indicative ones fanned
out around their seat) and the codes each site's binary record holds (programs as bits,
source, subdistrict, precision, year), computed once per version; a filter only slices them
(see :mod:`geo.map.sitelayer`, which draws them)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data import io
from geo.text import vocab

#: Points sharing a position are fanned out about this far apart (degrees, ~200 m).
SPREAD_STEP_DEG = 0.002


RECORD = np.dtype(
    [
        ("lon", "<i4"),
        ("lat", "<i4"),
        ("row", "<u4"),
        ("prog", "<u4"),
        ("src", "<u2"),
        ("street", "u1"),
        ("prec", "u1"),
        ("year", "u1"),
    ]
)


YEAR_BASE = 1900  # year byte = year - 1900 (0: unknown)


def spread_positions(
    lon: np.ndarray,
    lat: np.ndarray,
    spread: np.ndarray,
    step_deg: float = SPREAD_STEP_DEG,
    max_group: int = 400,
) -> tuple[np.ndarray, np.ndarray]:
    """Fan out points that share a position so each stays visible (display only).

    Points flagged in ``spread`` (indicative positions) that share exactly the same
    coordinates are placed on a sunflower spiral around it, about ``step_deg`` apart; groups
    larger than ``max_group`` stay stacked. Positions are not data: popups say so.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes, WGS-84 (EPSG:4326) degrees.
    spread
        Boolean array: True for the points that may be moved.
    step_deg
        Spacing on the spiral, degrees of latitude (0.002, about 200 m, by default; longitude
        offsets are widened by 1 / cos(lat) so that the spacing is the same on the ground).
    max_group
        Larger groups of one position are left stacked.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)``: new float arrays, degrees; points not flagged are unchanged.
    """
    lon, lat = lon.astype(float).copy(), lat.astype(float).copy()
    if not spread.any():
        return lon, lat
    frame = pd.DataFrame({"lon": lon, "lat": lat})[spread]
    golden = np.pi * (3 - np.sqrt(5))
    for _, index in frame.groupby(["lon", "lat"]).indices.items():
        positions = frame.index.to_numpy()[index]
        n = len(positions)
        if n < 2 or n > max_group:
            continue
        i = np.arange(n)
        radius = step_deg * np.sqrt(i + 0.5)
        lon[positions] += radius * np.cos(i * golden) / np.cos(np.radians(lat[positions]))
        lat[positions] += radius * np.sin(i * golden)
    return lon, lat


def display_positions(sites: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where each site is drawn: its point, fanned out if only indicative.

    Parameters
    ----------
    sites
        Sites with ``lon``, ``lat`` (WGS-84, EPSG:4326, degrees) and ``location_precision``.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in WGS-84 degrees; sites at a ``subdistrict``, ``district`` or ``unit``
        position that share it are fanned out (:func:`spread_positions`).
    """
    precision = sites["location_precision"].map({p: i for i, p in enumerate(vocab.PRECISIONS)})
    indicative = precision.fillna(0).to_numpy() >= 2
    return spread_positions(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float), indicative)


@dataclass(frozen=True)
class SiteTable:
    """Per-site arrays for every site of one data version (row = position in ``ids``)."""

    ids: np.ndarray
    names: np.ndarray
    kinds: np.ndarray
    kind_index: np.ndarray  # position of the kind in vocab.KINDS (-1: another), int8
    lon: np.ndarray  # display positions, WGS-84, fanned out where indicative
    lat: np.ndarray
    prog: np.ndarray  # bit i set: program i of the vocabulary
    src: np.ndarray
    street: np.ndarray
    prec: np.ndarray
    year: np.ndarray
    sources: tuple[str, ...]
    index: pd.Index  # the sites frame's index labels, to find rows of a filtered frame

    def __post_init__(self) -> None:
        # one table per data version, shared by every session (ui.data): its arrays refuse writes
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def rows_of(self, sites: pd.DataFrame) -> np.ndarray:
        """Rows of this table for ``sites``.

        Parameters
        ----------
        sites
            A subset of the frame the table was prepared from (matched by index label).

        Returns
        -------
        numpy.ndarray
            The row of each site, -1 for a label the table does not know.
        """
        return self.index.get_indexer(sites.index)


#: What the binary records can tell apart: program bits in a uint32, a subdistrict index in
#: a uint8 (the last value means "none"), a source index in a uint16.
MAX_PROGRAMS = 32


MAX_SUBDISTRICTS = 254


MAX_SOURCES = 65_535


def prepare_sites(
    sites: pd.DataFrame, subdistricts: pd.DataFrame, programs: pd.DataFrame
) -> SiteTable:
    """Vectorised per-site arrays for ``sites`` (run once per data version).

    Parameters
    ----------
    sites
        Sites with ``id``, ``name``, ``kind``, ``programs``, ``subdistrict_code``,
        ``location_precision``, ``source``, ``year`` and ``lon``/``lat`` (WGS-84 degrees).
    subdistricts, programs
        The gazetteer and the program vocabulary the indices refer to.

    Returns
    -------
    SiteTable
        Ids, names and kinds; display positions (WGS-84, EPSG:4326, degrees; fanned out
        where indicative, see :func:`display_positions`); program bits, source,
        subdistrict and precision indices and years as the binary records store them; the
        frame's index, to find the rows of a filtered frame.

    Raises
    ------
    ValueError
        If the vocabulary or the data exceed what a site's binary record can hold (more than
        32 programs, 254 subdistricts or 65,535 distinct sources), instead of mixing them up.
    """
    keys = programs["key"].tolist()
    for what, count, limit in (
        ("programs", len(keys), MAX_PROGRAMS),
        ("subdistricts", len(subdistricts), MAX_SUBDISTRICTS),
        ("distinct sources", int(sites["source"].astype(str).nunique()), MAX_SOURCES),
    ):
        if count > limit:
            raise ValueError(
                f"the map's site records hold at most {limit} {what}; the data has {count}"
            )
    bits = np.zeros(len(sites), dtype=np.uint32)
    masks = io.program_masks(sites["programs"], keys)  # the column prepared once
    for i, key in enumerate(keys):
        bits |= masks[key].astype(np.uint32) << np.uint32(i)
    street_codes = {c: i for i, c in enumerate(subdistricts["code"])}
    street = sites["subdistrict_code"].map(street_codes).fillna(len(street_codes))
    precision = (
        sites["location_precision"].map({p: i for i, p in enumerate(vocab.PRECISIONS)}).fillna(0)
    )
    src_codes, sources = pd.factorize(sites["source"].astype(str))
    years = sites["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    year = np.where(np.isfinite(years), np.clip(years - YEAR_BASE, 1, 255), 0)
    lon, lat = display_positions(sites)
    return SiteTable(
        ids=sites["id"].to_numpy(dtype=object),
        names=sites["name"].to_numpy(dtype=object),
        kinds=sites["kind"].to_numpy(dtype=object),
        kind_index=pd.Categorical(sites["kind"], categories=vocab.KINDS).codes.astype(np.int8),
        lon=lon,
        lat=lat,
        prog=bits,
        src=src_codes.astype(np.uint16),
        street=street.to_numpy().astype(np.uint8),
        prec=precision.to_numpy().astype(np.uint8),
        year=year.astype(np.uint8),
        sources=tuple(sources),
        index=sites.index,
    )
