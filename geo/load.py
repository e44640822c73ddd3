"""The dataset as the dashboard, the command line and the reports load it, and the data
folder checked as a whole: the reference tables of the data folder, the areas in force (an
official boundary file through the boundary check), the store's records.

Above the packages it joins: the data contract (:mod:`geo.data`) imports neither the store
nor the intake.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.config import DATA_DIR, DISTRICT_CODE, AreasSource, areas_source
from geo.data import io
from geo.data.dataset import Dataset, build_dataset
from geo.data.validate import (
    PROGRAM_COLUMNS,
    References,
    Report,
    check_locations,
    missing_columns,
    read_raw,
    validate_alliances,
    validate_details,
    validate_metrics,
    validate_programs,
    validate_references,
    validate_sites,
)
from geo.intake.boundaries import load_configured_areas
from geo.store.records import Store


def load_reference(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """The reference tables of ``data_dir`` (they change with a release, not an edit).

    Parameters
    ----------
    data_dir
        The data folder; :data:`geo.config.DATA_DIR` by default. The areas come from
        :func:`geo.config.areas_source`, not from this folder.

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed as in :data:`REFERENCE`; ``outline`` and ``areas`` are GeoDataFrames in WGS-84
        (EPSG:4326, degrees).
    """
    return {
        "programs": io.load_programs(data_dir),
        "sources": io.load_sources(data_dir),
        "subdistricts": io.load_subdistricts(data_dir),
        "units": io.load_units(data_dir),
        "outline": io.load_outline(data_dir),
        "areas": load_configured_areas(),
        "events": io.load_events(data_dir),
        "five_models": io.load_five_models(data_dir),
    }


def load_records(store: Store) -> dict[str, pd.DataFrame]:
    """The store's current records.

    Parameters
    ----------
    store
        The store to read.

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed as in :data:`RECORDS`: ``sites``, ``metrics``, ``alliances``,
        ``official_areas`` (a GeoDataFrame, WGS-84, EPSG:4326; empty if none was loaded) and
        ``unit_locations`` (the store's ``units`` records: placed villages/communities, ``lon``,
        ``lat`` in WGS-84 degrees), and ``verifications`` (each site's last verification).
    """
    return {
        "verifications": store.read("verifications"),
        "sites": store.read("sites"),
        "metrics": store.read("metrics"),
        "alliances": store.read("alliances"),
        "official_areas": store.read_areas(),
        "unit_locations": store.read("units"),
    }


def load_dataset(store: Store, data_dir: Path = DATA_DIR) -> Dataset:
    """The current dataset, uncached.

    For the command line, reports and benchmarks; the dashboard caches the same parts per
    store version in ``ui.data``.

    Parameters
    ----------
    store
        The store to read the records from.
    data_dir
        The data folder of the reference tables; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    Dataset
        The dataset of the store's current version (:func:`build_dataset`).
    """
    version = store.data_version()
    return build_dataset(version, load_reference(data_dir), load_records(store))


def validate_dataset(data_dir: Path = DATA_DIR, areas: AreasSource | None = None) -> Report:
    """Validate every data file in ``data_dir`` and the rules across them.

    A file missing a column is reported as such, and the other rules are then skipped (they
    would only repeat the same problem); positions are checked only if no coordinate is
    malformed.

    Parameters
    ----------
    data_dir
        The data folder (``programs.csv``, ``sites.csv``, ``metrics.csv``, ``alliances.csv``;
        ``details.csv`` and ``events.csv`` if present; the gazetteer and sources).
    areas
        The subdistrict areas to check positions against; None for the configured source
        (the schematic file of ``data_dir`` unless ``SHIZHONG_AREAS_FILE`` is set).

    Returns
    -------
    Report
        The issues and the record counts (per kind of site, and per table).

    Raises
    ------
    ValueError
        If an official areas file is configured and cannot be loaded (see
        :func:`geo.data.io.load_areas`).
    """
    report = Report()
    raws = {
        name: read_raw(data_dir / name)
        for name in ("programs.csv", "sites.csv", "metrics.csv", "alliances.csv")
    }
    optional = {  # files a data folder may go without (older folders, synthetic cities)
        name: read_raw(data_dir / name)
        for name in ("details.csv", "events.csv")
        if (data_dir / name).exists()
    }
    for name, required in (
        ("programs.csv", PROGRAM_COLUMNS),
        ("sites.csv", io.SITE_COLUMNS),
        ("metrics.csv", io.METRIC_COLUMNS),
        ("alliances.csv", io.ALLIANCE_COLUMNS),
        ("details.csv", io.DETAIL_COLUMNS),
    ):
        if name in raws or name in optional:
            report.issues += missing_columns({**raws, **optional}[name], required, name)
    if report.issues:
        return report
    programs_raw = raws["programs.csv"]
    report.issues += validate_programs(programs_raw)
    gazetteer = References.from_frames(
        io.load_subdistricts(data_dir), io.load_units(data_dir), programs_raw
    )
    sites_raw, alliances_raw = raws["sites.csv"], raws["alliances.csv"]
    report.issues += validate_sites(sites_raw, gazetteer)
    report.issues += validate_alliances(alliances_raw, gazetteer)
    scopes = {
        "district": {DISTRICT_CODE},
        "subdistrict": set(gazetteer.subdistricts),
        "unit": set(gazetteer.unit_parent),
        "site": set(sites_raw.get("id", [])),
        "alliance": set(alliances_raw.get("id", [])),
    }
    metrics_raw = raws["metrics.csv"]
    report.issues += validate_metrics(metrics_raw, gazetteer, scopes)
    if "details.csv" in optional:
        report.issues += validate_details(optional["details.csv"], gazetteer)
    report.issues += validate_references({**raws, **optional}, io.load_sources(data_dir))
    if not any(i.column in ("lon", "lat") for i in report.errors):
        areas_frame = load_configured_areas(areas or _areas_for(data_dir))
        report.issues += check_locations(
            io.load_sites(data_dir / "sites.csv"), io.load_outline(data_dir), areas_frame
        )
    report.counts = {
        f"sites:{kind}": int(n) for kind, n in sites_raw["kind"].value_counts().items()
    }
    report.counts.update(
        sites=len(sites_raw),
        metrics=len(metrics_raw),
        alliances=len(alliances_raw),
        subdistricts=len(gazetteer.subdistricts),
        units=len(gazetteer.unit_parent),
        programs=len(gazetteer.programs),
    )
    return report


def _areas_for(data_dir: Path) -> AreasSource:
    configured = areas_source()
    if configured.schematic:  # the default file, taken from the directory being validated
        return AreasSource(data_dir / configured.path.name)
    return configured
