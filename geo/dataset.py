"""The dataset contract: everything the pages, maps and reports show for one store version."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import io
from geo.config import DATA_DIR
from geo.sitelayer import SiteTable, prepare_sites
from geo.store import Store

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
#: The records read from the store (they change with every edit or import).
RECORDS = ("sites", "metrics", "alliances")


@dataclass(frozen=True)
class Dataset:
    """Everything shown for one store ``version``.

    Geometries (``outline``, ``areas``) and site coordinates are WGS-84 (EPSG:4326, degrees);
    ``site_table`` holds the per-site arrays of the map, prepared once per version.
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


def load_reference(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """The reference tables of ``data_dir``, keyed as in :data:`REFERENCE`."""
    return {
        "programs": io.load_programs(data_dir),
        "sources": io.load_sources(data_dir),
        "subdistricts": io.load_subdistricts(data_dir),
        "units": io.load_units(data_dir),
        "outline": io.load_outline(data_dir),
        "areas": io.load_areas(),
        "events": io.load_events(data_dir),
        "five_models": io.load_five_models(data_dir),
    }


def load_records(store: Store) -> dict[str, pd.DataFrame]:
    """The store's current records, keyed as in :data:`RECORDS`."""
    return {entity: store.read(entity) for entity in RECORDS}


def build_dataset(
    version: int,
    reference: dict[str, pd.DataFrame],
    records: dict[str, pd.DataFrame],
    site_table: SiteTable | None = None,
) -> Dataset:
    """A :class:`Dataset` from its parts; ``site_table`` is prepared here if not given.

    Raises
    ------
    ValueError
        If a table of :data:`REFERENCE` or :data:`RECORDS` is missing (named in the message).
    """
    missing = [name for name in REFERENCE if name not in reference] + [
        name for name in RECORDS if name not in records
    ]
    if missing:
        raise ValueError(f"dataset tables missing: {', '.join(missing)}")
    if site_table is None:
        site_table = prepare_sites(
            records["sites"], reference["subdistricts"], reference["programs"]
        )
    parts = {name: reference[name] for name in REFERENCE} | {n: records[n] for n in RECORDS}
    return Dataset(version=version, site_table=site_table, **parts)


def load_dataset(store: Store, data_dir: Path = DATA_DIR) -> Dataset:
    """The current dataset, uncached (command line, reports, benchmarks; the dashboard caches
    the same parts per store version in ``ui.data``)."""
    version = store.data_version()
    return build_dataset(version, load_reference(data_dir), load_records(store))
