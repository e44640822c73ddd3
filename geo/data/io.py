"""Loading the data files into (Geo)DataFrames with explicit CRS (EPSG:4326, degrees)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.config import DATA_DIR, AreasSource, areas_source

CRS = "EPSG:4326"

SITE_COLUMNS = [
    "id",
    "name",
    "kind",
    "subdistrict_code",
    "unit_code",
    "programs",
    "year",
    "description",
    "source",
    "lon",
    "lat",
    "location_precision",
    "inferred",
    "end_year",
]
METRIC_COLUMNS = [
    "id",
    "name_zh",
    "name_en",
    "value",
    "unit",
    "qualifier",
    "scope_type",
    "scope_code",
    "program",
    "year",
    "period",
    "source",
    "quarter",
    "target",
    "target_source",
    "better",
]
ALLIANCE_COLUMNS = [
    "id",
    "name",
    "kind",
    "subdistrict_code",
    "member_codes",
    "inferred_codes",
    "programs",
    "year",
    "description",
    "membership_note",
    "source",
]
DETAIL_COLUMNS = [
    "id",
    "program",
    "kind",
    "name_zh",
    "name_en",
    "detail_zh",
    "detail_en",
    "source",
]
SOURCE_COLUMNS = [
    "key",
    "title",
    "subtitle",
    "authors",
    "dateline",
    "date",
    "sections",
    "short_zh",
    "short_en",
    "citation",
    "citation_en",
    "licence",
    "note",
]
#: Official subdistrict areas as stored (``geometry``: GeoJSON, WGS-84); ``id`` is the code.
AREA_COLUMNS = ["id", "code", "name", "geometry", "schematic", "source"]
#: A village's or community's position as stored; ``id`` is its 12-digit code.
UNIT_LOCATION_COLUMNS = ["id", "lon", "lat", "location_precision", "source"]
#: A ledger's remembered column mapping: ``id`` names its header set, both fields are JSON.
MAPPING_COLUMNS = ["id", "headers", "mapping"]
#: A site's last verification on the spot: ``id`` is the site's, ``verified_on`` a date
#: (YYYY-MM-DD), ``verified_by`` who went.
VERIFICATION_COLUMNS = ["id", "verified_on", "verified_by", "note"]
_TEXT = {"dtype": str, "keep_default_na": False, "encoding": "utf-8"}


def _read_table(path: Path, numeric: tuple[str, ...] = (), integer: tuple[str, ...] = ()):
    frame = pd.read_csv(path, **_TEXT)
    for column in frame.columns:  # validation ignores padding, so loading drops it too
        frame[column] = frame[column].str.strip()
    for column in numeric:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].str.strip(), errors="coerce")
    for column in integer:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].str.strip(), errors="coerce").astype(
                "Int64"
            )
    return frame


def load_programs(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The program vocabulary (``programs.csv``).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        One row per program: ``key``, ``name_zh``, ``name_en``, ``description_zh``,
        ``description_en``, ``color``, ``source``; text, stripped, ``""`` where empty.
    """
    return _read_table(data_dir / "programs.csv")


def load_sources(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The documents records cite, by ``key`` (``sources.csv``; see :mod:`geo.data.citations`).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        One row per source with every column of :data:`SOURCE_COLUMNS` (``""`` where the file
        lacks a column or a value).
    """
    frame = _read_table(data_dir / "sources.csv")
    for column in SOURCE_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


def load_subdistricts(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The subdistricts (``subdistricts.csv``) with their estimated seats.

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        One row per subdistrict (17 in the shipped data): 9-digit ``code``, ``code_12``, names,
        ``n_communities`` and ``n_villages`` (Int64), ``seat_lon``, ``seat_lat`` (float, WGS-84,
        EPSG:4326, degrees; NaN if unreadable), ``seat_precision``, ``source``.
    """
    return _read_table(
        data_dir / "subdistricts.csv",
        numeric=("seat_lon", "seat_lat"),
        integer=("n_communities", "n_villages"),
    )


def load_units(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The villages and communities (``units.csv``).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        One row per unit: 12-digit ``code``, names, ``unit_type`` (and ``unit_type_zh``), its
        parent's 9-digit ``subdistrict_code``, ``source`` (text; no coordinates: a unit's
        position is a store record, see :func:`geo.data.dataset.locate_units`).
    """
    return _read_table(data_dir / "units.csv")


def parse_flag(value: object) -> bool:
    """A boolean as the data files write it.

    Parameters
    ----------
    value
        A cell: ``"true"`` in any case (surrounding spaces ignored) or ``True``.

    Returns
    -------
    bool
        True for those; False for anything else (``"false"``, ``""``, ``"1"``).
    """
    return str(value).strip().lower() == "true"


def load_sites(path: Path = DATA_DIR / "sites.csv") -> pd.DataFrame:
    """Site records (``sites.csv`` or another file of the same columns).

    Parameters
    ----------
    path
        The CSV file; ``sites.csv`` of :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of the file (:data:`SITE_COLUMNS`): ``lon``, ``lat`` float (WGS-84,
        EPSG:4326, degrees; NaN if empty), ``year`` Int64, ``programs`` ``;``-separated keys,
        ``inferred`` bool (the record's identity or placement is inferred, not stated; False
        for a file from before that column); other columns text, ``""`` where empty.
    """
    frame = _read_table(path, numeric=("lon", "lat"), integer=("year", "end_year"))
    frame["inferred"] = (
        frame["inferred"].map(parse_flag).astype(bool) if "inferred" in frame else False
    )
    if "end_year" not in frame:  # a file from before end years (0007)
        frame["end_year"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    return frame


def load_metrics(path: Path = DATA_DIR / "metrics.csv") -> pd.DataFrame:
    """Reported metrics (``metrics.csv`` or another file of the same columns).

    Parameters
    ----------
    path
        The CSV file; ``metrics.csv`` of :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`METRIC_COLUMNS`: numeric ``value`` (NaN if unreadable) with its
        ``unit`` and ``qualifier``, scope, ``program``, ``year`` (Int64), ``source``, and
        ``period``: ``year`` (the value of ``year``) or ``to_date`` (as of ``year``, 截至); a
        file from before that column, or an empty cell, means ``year``.
    """
    frame = _read_table(path, numeric=("value", "target"), integer=("year", "quarter"))
    frame["period"] = frame["period"].replace("", "year") if "period" in frame else "year"
    for column, dtype in (("quarter", "Int64"), ("target", "float64")):
        if column not in frame:  # a file from before periods and targets (0007)
            frame[column] = pd.Series(pd.NA if dtype == "Int64" else np.nan, index=frame.index)
            frame[column] = frame[column].astype(dtype)
    frame["target_source"] = frame.get("target_source", pd.Series("", index=frame.index))
    frame["better"] = frame.get("better", pd.Series("", index=frame.index)).replace("", "up")
    return frame


def load_alliances(path: Path = DATA_DIR / "alliances.csv") -> pd.DataFrame:
    """Alliances (``alliances.csv`` or another file of the same columns).

    Parameters
    ----------
    path
        The CSV file; ``alliances.csv`` of :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`ALLIANCE_COLUMNS`: ``member_codes`` ``;``-separated 12-digit unit
        codes (``inferred_codes`` the subset inferred, not stated), ``year`` Int64, the rest
        text.
    """
    return _read_table(path, integer=("year",))


def load_outline(data_dir: Path = DATA_DIR) -> gpd.GeoDataFrame:
    """The district outline (``district_outline.geojson``).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    geopandas.GeoDataFrame
        The outline, WGS-84 (EPSG:4326, degrees), with the file's properties (``code``,
        ``name``, ``datum``, ``source``).
    """
    return gpd.read_file(data_dir / "district_outline.geojson", encoding="utf-8").to_crs(CRS)


def load_areas(source: AreasSource | None = None) -> gpd.GeoDataFrame:
    """Subdistrict areas from a file in the project's own form, WGS-84 (EPSG:4326, degrees).

    ``source`` defaults to :func:`geo.config.areas_source`'s schematic areas shipped in
    ``data/``. An official boundary file (``SHIZHONG_AREAS_FILE``) is read through the
    boundary check, by :func:`geo.intake.boundaries.load_configured_areas`. Each file is read
    once per change of its modification time (a copy is returned).

    Parameters
    ----------
    source
        Where the areas come from; None for the configured source.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code`` (9-digit), ``name``, ``schematic`` (bool: True unless the file says
        otherwise) and ``geometry``.

    Raises
    ------
    ValueError
        If ``source`` is an official file (read by the boundary check, not here), or the file
        lacks the code field ``source`` names (the message lists the fields it has).
    """
    source = source or areas_source()
    if not source.schematic:
        raise ValueError(
            f"{source.path}: an official boundary file is read by "
            "geo.intake.boundaries.load_configured_areas"
        )
    mtime = source.path.stat().st_mtime_ns
    return _project_areas(source.path, source.code_field or "code", mtime).copy()


@functools.lru_cache(maxsize=8)
def _project_areas(path: Path, code_field: str, mtime_ns: int) -> gpd.GeoDataFrame:
    """The areas of a file in the project's form (code, name, schematic), read once per
    modification time ``mtime_ns``."""
    frame = gpd.read_file(path, encoding="utf-8").to_crs(CRS)
    if code_field not in frame:
        fields = ", ".join(map(str, frame.columns.drop(frame.geometry.name)))
        raise ValueError(f"{path}: no code field {code_field!r}; the file's fields: {fields}")
    codes = frame[code_field].astype(str).str.strip().str[:9]
    names = frame["name"].astype(str) if "name" in frame else codes
    schematic = frame["schematic"].astype(bool) if "schematic" in frame else True
    return gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "name": names.to_numpy(),
            "schematic": np.broadcast_to(schematic, len(frame)).copy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=CRS,
    )


def sites_to_geodataframe(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """Sites as points.

    Parameters
    ----------
    sites
        A sites frame with ``lon``, ``lat`` in WGS-84 degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        ``sites`` with a point ``geometry`` at (lon, lat), CRS EPSG:4326 (``POINT (NaN NaN)``
        where the coordinates are NaN).
    """
    return gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["lon"], sites["lat"]), crs=CRS)


def split_list(value: str) -> list[str]:
    """The parts of a ``;``-separated cell.

    Parameters
    ----------
    value
        A cell such as ``"a;b; c"`` (converted with ``str``).

    Returns
    -------
    list of str
        ``["a", "b", "c"]``: parts stripped, empty parts dropped.
    """
    return [part.strip() for part in str(value).split(";") if part.strip()]


def program_lists(values: pd.Series) -> pd.Series:
    """Each cell's program keys as a list: :func:`split_list` for a whole column at once.

    Parameters
    ----------
    values
        A ``programs`` column: ``;``-separated program keys (spaces ignored; empty or missing:
        no program).

    Returns
    -------
    pandas.Series
        A list of keys per cell (empty strings included where a cell has ``;;``: drop them
        after ``explode``), same index.
    """
    return values.fillna("").astype(str).str.replace(" ", "", regex=False).str.split(";")


def program_masks(values: pd.Series, keys: Iterable[str]) -> dict[str, np.ndarray]:
    """For each of ``keys``, whether each cell of a ``programs`` column names it (the column is
    prepared once for all keys).

    Parameters
    ----------
    values
        A ``programs`` column (``;``-separated program keys, spaces ignored).
    keys
        Program keys.

    Returns
    -------
    dict of str to numpy.ndarray
        Key -> one bool per cell.
    """
    padded = ";" + values.fillna("").astype(str).str.replace(" ", "", regex=False) + ";"
    return {key: padded.str.contains(f";{key};", regex=False).to_numpy(dtype=bool) for key in keys}


def has_program(values: pd.Series, keys: Iterable[str]) -> np.ndarray:
    """Whether each cell of a ``programs`` column names any of ``keys``.

    Parameters
    ----------
    values
        A ``programs`` column (``;``-separated program keys, spaces ignored).
    keys
        Program keys.

    Returns
    -------
    numpy.ndarray
        One bool per cell.
    """
    mask = np.zeros(len(values), dtype=bool)
    for found in program_masks(values, keys).values():
        mask |= found
    return mask


def load_events(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Dated items named by the sources (``events.csv``), per program.

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``date`` (``YYYY`` or ``YYYY-MM``, text), ``program``, ``title_zh``,
        ``title_en``, ``source``.
    """
    return _read_table(data_dir / "events.csv")


def load_details(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Named items of the sources that are neither sites, metrics nor events (``details.csv``).

    Brands, structures, principles, landmarks, unreadable OCR, per ``program`` (``""`` for
    none).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`DETAIL_COLUMNS`; an empty frame with those columns if the
        folder has no ``details.csv``.
    """
    path = data_dir / "details.csv"
    if not path.exists():
        return pd.DataFrame({column: pd.Series(dtype=str) for column in DETAIL_COLUMNS})
    return _read_table(path)


def load_five_models(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The five collective-economy models the article names (``five_models.csv``; no figures).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        ``key``, ``name_zh``, ``name_en``, ``how_zh``, ``how_en``, ``source``.
    """
    return _read_table(data_dir / "five_models.csv")


def stable_id(prefix: str, *parts: str) -> str:
    """An id derived from the row's identifying fields, the same every time it is imported.

    Parameters
    ----------
    prefix
        The id's prefix (``imp``, ``imp-m``, ``imp-a``).
    *parts
        The identifying fields' values.

    Returns
    -------
    str
        ``prefix-`` and the first 12 hex digits of a SHA-1 of the parts joined by ``|``.
    """
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"
