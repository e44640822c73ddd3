"""Loading an official boundary file into the store, versioned, audited and revertible.

First the report (against the store's sites as drawn), then every area in one transaction,
like records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo.config import DATA_DIR
from geo.data import io
from geo.data.access import Account
from geo.data.dataset import locate_units, place_sites
from geo.intake.boundaries import BoundaryReport, check_boundary_file
from geo.isolation import ParseLimits
from geo.store.records import Change, Store
from geo.text.labels import t

#: The audit trail's action for a boundary file's areas.
ACTION = "areas"
#: Decimal places of the stored degrees: 1e-8° is about 1 mm here.
DECIMALS = 8


@dataclass(frozen=True)
class BoundaryLoad:
    """What loading a boundary file found (``report``) and did, or on a dry run would do."""

    report: BoundaryReport
    changes: tuple[Change, ...] = ()
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True if the report has no error (the areas may be, or were, stored)."""
        return self.report.ok

    def summary(self, lang: str = "zh") -> str:
        """One line: the areas added, changed and unchanged (``would be`` on a dry run).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        str
            The line in ``lang``.
        """
        key = "bnd_dry_done" if self.dry_run else "bnd_done"
        return t(key, lang, inserted=self.inserted, updated=self.updated, unchanged=self.unchanged)


def area_records(report: BoundaryReport) -> list[dict]:
    """The store's ``areas`` records for a report's areas.

    Parameters
    ----------
    report
        A report of :func:`geo.intake.boundaries.check_boundary_file`.

    Returns
    -------
    list of dict
        One record per matched subdistrict: ``id`` and ``code`` (9 digits), ``name``,
        ``geometry`` (GeoJSON MultiPolygon text, WGS-84, EPSG:4326, degrees rounded to
        :data:`DECIMALS`; the exact shape where rounding would make it invalid),
        ``schematic`` 0 and ``source`` (:meth:`geo.intake.boundaries.BoundaryReport.source`).
    """
    source = report.source()
    records = []
    for code, name, shape in zip(
        report.areas["code"], report.areas["name"], report.areas.geometry, strict=True
    ):
        rounded = shapely.transform(shape, lambda xy: np.round(xy, DECIMALS))
        if not rounded.is_valid:  # rounding may pinch a sliver: keep the exact shape then
            rounded = shape
        records.append(
            {
                "id": code,
                "code": code,
                "name": name,
                "geometry": shapely.to_geojson(rounded),
                "schematic": 0,
                "source": source,
            }
        )
    return records


def plan_changes(records: list[dict], stored: pd.DataFrame) -> tuple[list[Change], int]:
    """What storing ``records`` changes in the store.

    Parameters
    ----------
    records
        Area records (:func:`area_records`).
    stored
        The store's ``areas`` records (with ``version``).

    Returns
    -------
    tuple of (list of geo.store.records.Change, int)
        Inserts for new areas and updates (expecting the version read) for changed ones; and
        how many records are stored as they are already.
    """
    current = stored.set_index("id") if len(stored) else None
    changes, unchanged = [], 0
    for record in records:
        if current is None or record["id"] not in current.index:
            changes.append(Change("areas", "insert", record))
            continue
        row = current.loc[record["id"]]
        same = all(str(row[k]) == str(record[k]) for k in ("code", "name", "geometry", "source"))
        if same and int(row["schematic"]) == record["schematic"]:
            unchanged += 1
        else:
            changes.append(Change("areas", "update", record, int(row["version"])))
    return changes, unchanged


def drawn_sites(store: Store, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The store's sites at the point the map draws them (own, unit's or seat position).

    Parameters
    ----------
    store
        The store to read sites and placed units from.
    data_dir
        The data folder of the unit gazetteer; :data:`geo.config.DATA_DIR` by default.

    Returns
    -------
    pandas.DataFrame
        The sites placed as by :func:`geo.data.dataset.place_sites` (``lon``, ``lat`` WGS-84,
        EPSG:4326, degrees).
    """
    units = locate_units(io.load_units(data_dir), store.read("units"))
    return place_sites(store.read("sites"), units)


def load_boundary_file(
    path: Path,
    store: Store,
    user: str | Account,
    dry_run: bool = False,
    code_field: str | None = None,
    name_field: str | None = None,
    crs: str | None = None,
    lang: str = "zh",
    data_dir: Path = DATA_DIR,
    limits: ParseLimits | None = None,
) -> BoundaryLoad:
    """Check a boundary file and, unless ``dry_run`` or it has errors, store its areas.

    Parameters
    ----------
    path
        The file as handed out (see :func:`geo.intake.boundaries.check_boundary_file`).
    store
        Where the areas go: one transaction for the whole file, audited as ``areas`` under
        ``user``; a file with any error writes nothing.
    user
        Who loads it (recorded in the audit trail): an administrator (a plain name is the
        server's operator); the store refuses anyone else (``ScopeError``, nothing written).
    dry_run
        True to report what would be stored without writing.
    code_field, name_field, crs
        As for :func:`geo.intake.boundaries.check_boundary_file` (None: found automatically).
    lang
        Language of the report's labels.
    data_dir
        The reference data (subdistricts, outline, villages/communities).
    limits
        What reading the file may cost (:func:`geo.config.parse_limits` by default): the
        file is read in a child process, and a file too large, or one that kills its reader,
        is an error of the report (nothing written).

    Returns
    -------
    BoundaryLoad
        The report, the changes planned, how many areas were (or would be) inserted, updated
        or left unchanged, and whether anything was written.

    Raises
    ------
    geo.store.records.ConflictError
        If an area changed in the store while the file was being checked (nothing written).
    """
    report = check_boundary_file(
        Path(path),
        io.load_subdistricts(data_dir),
        io.load_outline(data_dir),
        sites=drawn_sites(store, data_dir),
        code_field=code_field,
        name_field=name_field,
        crs=crs,
        lang=lang,
        limits=limits,
    )
    if not report.ok:
        return BoundaryLoad(report, dry_run=dry_run)
    changes, unchanged = plan_changes(area_records(report), store.read("areas"))
    counts = {
        "inserted": sum(c.action == "insert" for c in changes),
        "updated": sum(c.action == "update" for c in changes),
        "unchanged": unchanged,
    }
    if not dry_run and changes:
        store.apply(changes, user, action=ACTION)
    return BoundaryLoad(
        report, tuple(changes), **counts, applied=not dry_run and bool(changes), dry_run=dry_run
    )
