"""The store: sites, metrics and alliances with a version per record and an audit trail.

SQLAlchemy Core over SQLite by default (a file in ``$SHIZHONG_STATE_DIR``); a PostgreSQL URL
can replace it. Created and seeded from ``data/`` on first open. Every write runs in one
transaction, checks the record's version (optimistic locking), bumps the store's
``data_version`` (the dashboard's cache key) and appends to ``audit``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from geo.config import DATA_DIR, PROJECT_DIR, database_url, sqlalchemy_url
from geo.data import io
from geo.data.areas import in_force

metadata = sa.MetaData()


def _record_table(name: str, *columns: sa.Column) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(64), primary_key=True),
        *columns,
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
    )


sites_table = _record_table(
    "sites",
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subdistrict_code", sa.String(9), nullable=False),
    sa.Column("unit_code", sa.String(12), nullable=False),
    sa.Column("programs", sa.Text, nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("location_precision", sa.String(16), nullable=False),
    sa.Column("inferred", sa.Boolean, nullable=False, server_default=sa.false()),  # 0003
)
metrics_table = _record_table(
    "metrics",
    sa.Column("name_zh", sa.Text, nullable=False),
    sa.Column("name_en", sa.Text, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("qualifier", sa.String(16), nullable=False),
    sa.Column("scope_type", sa.String(16), nullable=False),
    sa.Column("scope_code", sa.String(64), nullable=False),
    sa.Column("program", sa.String(64), nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("period", sa.String(16), nullable=False, server_default="year"),  # 0003
)
alliances_table = _record_table(
    "alliances",
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subdistrict_code", sa.String(9), nullable=False),
    sa.Column("member_codes", sa.Text, nullable=False),
    sa.Column("inferred_codes", sa.Text, nullable=False),
    sa.Column("programs", sa.Text, nullable=False),
    sa.Column("year", sa.Integer),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("membership_note", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)
areas_table = _record_table(
    "areas",
    sa.Column("code", sa.String(9), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geometry", sa.Text, nullable=False),
    sa.Column("schematic", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)
units_table = _record_table(
    "unit_locations",
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("location_precision", sa.String(16), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)
mappings_table = _record_table(
    "import_mappings",
    sa.Column("headers", sa.Text, nullable=False),
    sa.Column("mapping", sa.Text, nullable=False),
)
geocode_table = sa.Table(
    "geocode_cache",
    metadata,
    sa.Column("address", sa.String(512), primary_key=True),
    sa.Column("lon", sa.Float),
    sa.Column("lat", sa.Float),
    sa.Column("level", sa.String(64), nullable=False),
    sa.Column("location_precision", sa.String(16), nullable=False),
    sa.Column("provider", sa.String(64), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
)
audit_table = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("user", sa.String(128), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("entity", sa.String(16), nullable=False),
    sa.Column("record_id", sa.String(64), nullable=False),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
)
meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

#: Every versioned, audited entity: the records, the official areas (``id`` = 9-digit code),
#: the placed villages/communities (``id`` = 12-digit code), the remembered ledger mappings.
TABLES = {
    "sites": sites_table,
    "metrics": metrics_table,
    "alliances": alliances_table,
    "areas": areas_table,
    "units": units_table,
    "mappings": mappings_table,
}
_COLUMNS = {
    "sites": io.SITE_COLUMNS,
    "metrics": io.METRIC_COLUMNS,
    "alliances": io.ALLIANCE_COLUMNS,
    "areas": io.AREA_COLUMNS,
    "units": io.UNIT_LOCATION_COLUMNS,
    "mappings": io.MAPPING_COLUMNS,
}
_INTEGER = ("year", "schematic")
_NUMBERS = ("lon", "lat", "value", "year", "schematic", "inferred")
SYSTEM_USER = "system:seed"


MIGRATIONS_DIR = PROJECT_DIR / "migrations"
#: Any number, the same for every instance: serialises schema upgrades on PostgreSQL.
_MIGRATION_LOCK = 370103


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration (Alembic), the same on SQLite and PostgreSQL.

    A store made before migrations existed (tables, no ``alembic_version``) is stamped at the
    first revision first. On PostgreSQL an advisory lock keeps instances starting together
    from upgrading at the same time.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store's database; the upgrade runs in one transaction on it.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        config.attributes["connection"] = conn
        inspector = sa.inspect(conn)
        if inspector.has_table("sites") and not inspector.has_table("alembic_version"):
            command.stamp(config, "0001")
        command.upgrade(config, "head")


def _table(entity: str) -> sa.Table:
    if entity not in TABLES:
        raise ValueError(f"entity must be one of {tuple(TABLES)}, got {entity!r}")
    return TABLES[entity]


class ConflictError(RuntimeError):
    """A record changed (or appeared) since the caller read it; nothing was written."""


@dataclass(frozen=True)
class Change:
    """One write: ``action`` is ``insert``, ``update`` or ``delete``; ``expected_version`` is
    the version the writer read (None for an insert)."""

    entity: str
    action: str
    record: dict
    expected_version: int | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean(record: dict) -> dict:
    """Plain JSON-able Python values (no numpy/pandas scalars, NA as None)."""
    out = {}
    for key, value in record.items():
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            out[key] = None
        elif hasattr(value, "item"):
            out[key] = value.item()
        else:
            out[key] = value
    return out


class Store:
    """Versioned records in a SQL database (SQLite by default)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = sqlalchemy_url(url) if url else database_url()
        # pre-ping: a pooled connection is checked before use, so after a database restart each
        # instance reconnects by itself instead of failing once per stale connection
        self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        migrate(self.engine)

    @property
    def spatial(self) -> bool:
        """True on PostgreSQL/PostGIS (geometry in the database)."""
        return self.engine.dialect.name == "postgresql"

    @classmethod
    def open(cls, url: str | None = None, data_dir: Path = DATA_DIR) -> Store:
        """Open the store, seeding it from ``data_dir`` if it holds no record yet.

        Parameters
        ----------
        url : str, optional
            A database URL (libpq or SQLAlchemy form, see :func:`geo.config.sqlalchemy_url`);
            None for :func:`geo.config.database_url` (``$DATABASE_URL``, else SQLite in the
            state folder). The schema is migrated to the newest revision.
        data_dir : pathlib.Path
            Folder of ``sites.csv``, ``metrics.csv`` and ``alliances.csv`` for the first seed.

        Returns
        -------
        Store

        Raises
        ------
        ValueError
            If the store is empty and a records file lacks a column (see :meth:`seed`).
        """
        store = cls(url)
        store.seed(data_dir)
        return store

    # --- reading -----------------------------------------------------------------------------

    def data_version(self) -> int:
        """A number that grows with every committed write (for cache keys)."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")
            ).scalar()
        return int(value or 0)

    def read(self, entity: str) -> pd.DataFrame:
        """All records of ``entity`` (a key of :data:`TABLES`) with ``version``.

        Parameters
        ----------
        entity : {"sites", "metrics", "alliances", "areas", "units", "mappings"}
            Which records.

        Returns
        -------
        pandas.DataFrame
            One row per record, ordered by ``id``: the entity's columns (as in :mod:`geo.data.io`,
            e.g. ``lon``/``lat`` in EPSG:4326 degrees), then ``version``, ``updated_at`` (UTC,
            ISO 8601) and ``updated_by``. ``year``/``schematic`` are nullable integers
            (``Int64``), ``inferred`` a bool, missing text ``""``.

        Raises
        ------
        ValueError
            If ``entity`` is not one of :data:`TABLES`.
        """
        table = _table(entity)
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(table).order_by(table.c.id), conn)
        for column in _INTEGER:
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        text = [c for c in _COLUMNS[entity] if c not in _NUMBERS]
        if "inferred" in frame:  # a boolean (0003)
            frame["inferred"] = frame["inferred"].fillna(False).astype(bool)
        frame[text] = frame[text].fillna("").astype(str)
        return frame[[*_COLUMNS[entity], "version", "updated_at", "updated_by"]]

    def read_sites(self) -> pd.DataFrame:
        """All sites: :meth:`read` of ``"sites"`` (``lon``/``lat`` in EPSG:4326, degrees)."""
        return self.read("sites")

    def read_metrics(self) -> pd.DataFrame:
        """All metrics: :meth:`read` of ``"metrics"``."""
        return self.read("metrics")

    def read_alliances(self) -> pd.DataFrame:
        """All alliances: :meth:`read` of ``"alliances"``."""
        return self.read("alliances")

    def last_changed(self) -> datetime | None:
        """When the data last changed: the time of the newest audit entry (UTC), or None."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(sa.func.max(audit_table.c.at))).scalar()
        return datetime.fromisoformat(value) if value else None

    def audit_log(self, limit: int = 200) -> pd.DataFrame:
        """The newest ``limit`` audit entries, newest first.

        Parameters
        ----------
        limit : int
            At most this many entries.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``at`` (UTC, ISO 8601), ``user``, ``action`` (``seed``, ``insert``,
            ``update``, ``delete``, ``import``, ``revert``, ``restore``, ...), ``entity``,
            ``record_id``, ``before`` and ``after`` (the record as JSON, or None).
        """
        with self.engine.connect() as conn:
            return pd.read_sql(
                sa.select(audit_table).order_by(audit_table.c.id.desc()).limit(limit), conn
            )

    # --- writing -----------------------------------------------------------------------------

    def seed(self, data_dir: Path = DATA_DIR) -> bool:
        """Load ``data_dir`` into an empty store. Returns False if records were already there.

        The records are written in one transaction, audited as ``seed`` by
        :data:`SYSTEM_USER`; on PostGIS the shipped subdistrict areas are loaded too.

        Parameters
        ----------
        data_dir : pathlib.Path
            Folder of ``sites.csv``, ``metrics.csv`` and ``alliances.csv``.

        Returns
        -------
        bool
            True if the store was seeded, False if it already held sites.

        Raises
        ------
        ValueError
            If a records file lacks a column (nothing is written).
        """
        with self.engine.begin() as conn:
            if self.spatial:  # instances starting together on an empty database seed once
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            if conn.execute(sa.select(sa.func.count()).select_from(sites_table)).scalar():
                return False
            frames = {
                "sites": io.load_sites(data_dir / "sites.csv"),
                "metrics": io.load_metrics(data_dir / "metrics.csv"),
                "alliances": io.load_alliances(data_dir / "alliances.csv"),
            }
            for entity, frame in frames.items():
                missing = [c for c in _COLUMNS[entity] if c not in frame.columns]
                if missing:  # raised inside the transaction: nothing is written
                    raise ValueError(
                        f"{data_dir / (entity + '.csv')} lacks the column(s) "
                        f"{', '.join(missing)}; run `python -m geo validate {data_dir}`"
                    )
                records = [_clean(r) for r in frame[_COLUMNS[entity]].to_dict("records")]
                self._insert_many(conn, entity, records, SYSTEM_USER, action="seed")
            if self.spatial:
                self._seed_areas(conn, io.load_areas())
            self._bump_version(conn)
        return True

    # --- geometry in the database (PostGIS), or in Python on SQLite ----------------------------

    def _sync_area(self, conn, code: str, record: dict | None) -> None:
        """Keep PostGIS's ``subdistrict_areas`` row of ``code`` equal to the stored official
        area (or, once that is deleted, the shipped schematic one)."""
        if record is None:
            shipped = io.load_areas()
            shipped = shipped[shipped["code"] == code]
            conn.execute(sa.text("DELETE FROM subdistrict_areas WHERE code = :c"), {"c": code})
            self._seed_areas(conn, shipped, replace=False)
            return
        conn.execute(sa.text("DELETE FROM subdistrict_areas WHERE code = :c"), {"c": code})
        conn.execute(
            sa.text(
                "INSERT INTO subdistrict_areas (code, name, schematic, geom) VALUES (:code, "
                ":name, :schematic, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(:geometry), 4326)))"
            ),
            {
                "code": record["code"],
                "name": record["name"],
                "schematic": bool(record["schematic"]),
                "geometry": record["geometry"],
            },
        )

    def _seed_areas(self, conn, areas, replace: bool = True) -> None:
        if replace:
            conn.execute(sa.text("DELETE FROM subdistrict_areas"))
        for code, name, schematic, geometry in zip(
            areas["code"], areas["name"], areas["schematic"], areas.geometry, strict=True
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO subdistrict_areas (code, name, schematic, geom) VALUES "
                    "(:code, :name, :schematic, ST_Multi(ST_GeomFromText(:wkt, 4326)))"
                ),
                {"code": code, "name": name, "schematic": bool(schematic), "wkt": geometry.wkt},
            )

    def read_areas(self) -> gpd.GeoDataFrame:
        """The stored official areas as a GeoDataFrame (EPSG:4326) with ``code``, ``name``,
        ``schematic``, ``source`` and ``version``; empty if none was loaded."""
        frame = self.read("areas")
        geometry = [shapely.from_geojson(text) for text in frame["geometry"]]
        return gpd.GeoDataFrame(
            {
                "code": frame["code"].to_numpy(),
                "name": frame["name"].to_numpy(),
                "schematic": frame["schematic"].fillna(0).astype(bool).to_numpy(),
                "source": frame["source"].to_numpy(),
                "version": frame["version"].to_numpy(),
            },
            geometry=geometry,
            crs=io.CRS,
        )

    def effective_areas(self, reference: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
        """The areas in force (:func:`geo.data.areas.in_force`): ``reference``, the configured
        areas, with the stored official areas where loaded.

        Parameters
        ----------
        reference
            The configured areas (:func:`geo.intake.boundaries.load_configured_areas`); None
            for the shipped schematic ones (:func:`geo.data.io.load_areas`, read once per
            change of the file).

        Returns
        -------
        geopandas.GeoDataFrame
            ``code``, ``name``, ``schematic``, ``geometry``; EPSG:4326.
        """
        return in_force(io.load_areas() if reference is None else reference, self.read_areas())

    def subdistrict_at(self, lon: float, lat: float) -> str | None:
        """The code of the subdistrict area containing (lon, lat), WGS-84 degrees.

        On PostGIS the database's ``subdistrict_areas`` answer; otherwise
        :meth:`effective_areas`. A point on a boundary counts as inside.

        Parameters
        ----------
        lon, lat : float
            The point, EPSG:4326, degrees.

        Returns
        -------
        str or None
            The 9-digit subdistrict code (the smallest if several areas cover the point), or
            None outside every area.
        """
        if self.spatial:
            with self.engine.connect() as conn:
                return conn.execute(
                    sa.text(
                        "SELECT code FROM subdistrict_areas WHERE ST_Covers(geom, "
                        "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)) ORDER BY code LIMIT 1"
                    ),
                    {"lon": lon, "lat": lat},
                ).scalar()
        areas = self.effective_areas()
        hits = areas[areas.covers(shapely.Point(lon, lat))]
        return None if hits.empty else str(hits["code"].min())

    def site_ids_in_bbox(self, west: float, south: float, east: float, north: float) -> list[str]:
        """Ids of the sites inside a WGS-84 bounding box (spatial index on PostGIS).

        Parameters
        ----------
        west, south, east, north : float
            The box's bounds, EPSG:4326, degrees; sites on its edges are included.

        Returns
        -------
        list of str
            The site ids, sorted.
        """
        if self.spatial:
            query = sa.text(
                "SELECT id FROM sites WHERE geom && ST_MakeEnvelope(:w, :s, :e, :n, 4326) "
                "ORDER BY id"
            )
            params = {"w": west, "s": south, "e": east, "n": north}
        else:
            query = sa.text(
                "SELECT id FROM sites WHERE lon BETWEEN :w AND :e AND lat BETWEEN :s AND :n "
                "ORDER BY id"
            )
            params = {"w": west, "s": south, "e": east, "n": north}
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query, params)]

    def get(self, entity: str, record_id: str) -> dict | None:
        """One record (with ``version``) or None.

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        record_id : str
            The record's ``id``.

        Returns
        -------
        dict or None
            Column -> value, including ``version``, ``updated_at`` and ``updated_by``; None if
            there is no such record.

        Raises
        ------
        ValueError
            If ``entity`` is not one of :data:`TABLES`.
        """
        table = _table(entity)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.id == record_id)).first()
        return None if row is None else dict(row._mapping)

    def save(
        self, entity: str, record: dict, user: str, expected_version: int | None = None
    ) -> int:
        """Insert (``expected_version=None``) or update one record; returns its new version.

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        record : dict
            The record's columns (as in :mod:`geo.data.io`), ``id`` included; other keys are
            ignored.
        user : str
            Who writes, stored in ``updated_by`` and the audit trail.
        expected_version : int, optional
            The version the writer read; None to insert.

        Returns
        -------
        int
            The record's new version (1 after an insert).

        Raises
        ------
        ConflictError
            On insert, if the id exists; on update, if the stored version is not
            ``expected_version`` (someone saved in between) or the record is gone.
        """
        return self.save_many(entity, [(record, expected_version)], user)[0]

    def save_many(
        self, entity: str, changes: Iterable[tuple[dict, int | None]], user: str
    ) -> list[int]:
        """Apply several inserts/updates of one entity in one transaction (all or nothing).

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        changes : iterable of (dict, int or None)
            ``(record, expected_version)`` pairs: None inserts, a version updates (see
            :meth:`save`).
        user : str
            Who writes, stored in ``updated_by`` and the audit trail.

        Returns
        -------
        list of int
            The new versions, in the order of ``changes``.

        Raises
        ------
        ConflictError
            If any insert or update conflicts (see :meth:`save`); nothing is written.
        """
        return self.apply(
            [
                Change(entity, "insert" if expected is None else "update", record, expected)
                for record, expected in changes
            ],
            user,
        )

    def delete(self, entity: str, record_id: str, user: str, expected_version: int) -> None:
        """Delete one record if it is still at ``expected_version`` (else ConflictError).

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        record_id : str
            The record's ``id``.
        user : str
            Who deletes, stored in the audit trail.
        expected_version : int
            The version the caller read.

        Raises
        ------
        ConflictError
            If the record is gone or its version is not ``expected_version``.
        """
        self.apply([Change(entity, "delete", {"id": record_id}, expected_version)], user)

    def apply(
        self,
        changes: Sequence[Change],
        user: str,
        progress: Callable[[int, int], None] | None = None,
        action: str | None = None,
    ) -> list[int]:
        """Apply inserts, updates and deletes of any entities in ONE transaction.

        Every update and delete checks the record's version; any conflict rolls everything
        back. ``progress(done, total)`` is called as records are written. ``action`` overrides
        the audit action (e.g. ``import``, ``revert``). Returns the new versions (0 for a
        deletion). An empty list writes nothing.

        Parameters
        ----------
        changes : sequence of Change
            The writes, applied in order.
        user : str
            Who writes, stored in ``updated_by`` and the audit trail.
        progress : callable, optional
            Called as ``progress(done, total)`` every 200 records and after the last.
        action : str, optional
            The audit action for every change; None for each change's own ``action``.

        Returns
        -------
        list of int
            The new version of each record, in the order of ``changes`` (0 for a deletion).

        Raises
        ------
        ConflictError
            If an insert's id exists, or an update's or deletion's record is gone or not at
            its ``expected_version``; nothing is written.
        ValueError
            If a change names an entity not in :data:`TABLES`; nothing is written.
        """
        versions: list[int] = []
        if not changes:
            return versions
        with self.engine.begin() as conn:
            for done, change in enumerate(changes, start=1):
                versions.append(self._apply_one(conn, change, user, action))
                if progress is not None and (done % 200 == 0 or done == len(changes)):
                    progress(done, len(changes))
            self._bump_version(conn)
        return versions

    def _apply_one(self, conn, change: Change, user: str, action: str | None) -> int:
        entity, table = change.entity, _table(change.entity)
        record_id = change.record["id"]
        current = conn.execute(sa.select(table).where(table.c.id == record_id)).first()
        if change.action == "insert":
            if current is not None:
                raise ConflictError(f"{entity} {record_id!r} already exists")
            record = _clean({k: change.record.get(k) for k in _COLUMNS[entity]})
            self._insert_many(conn, entity, [record], user, action=action or "insert")
            if entity == "areas" and self.spatial:
                self._sync_area(conn, record["code"], record)
            return 1
        expected = change.expected_version
        if current is None or current.version != expected:
            found = "gone" if current is None else f"at version {current.version}"
            raise ConflictError(
                f"{entity} {record_id!r} changed since it was read (expected version "
                f"{expected}, now {found}); reload and apply the change again"
            )
        before = {k: getattr(current, k) for k in _COLUMNS[entity]}
        if change.action == "delete":
            result = conn.execute(
                table.delete().where(table.c.id == record_id, table.c.version == expected)
            )
            after, new_version = None, 0
        else:
            after = _clean({k: change.record.get(k) for k in _COLUMNS[entity]})
            result = conn.execute(
                table.update()
                .where(table.c.id == record_id, table.c.version == expected)
                .values(**after, version=expected + 1, updated_at=_now(), updated_by=user)
            )
            new_version = expected + 1
        if result.rowcount != 1:  # a concurrent writer got in between
            raise ConflictError(f"{entity} {record_id!r} changed while saving")
        self._audit(conn, user, action or change.action, entity, record_id, before, after)
        if entity == "areas" and self.spatial:
            self._sync_area(conn, before["code"], after)
        return new_version

    # --- the geocoder's cache (not records: no version, no audit) ----------------------------

    def cached_geocodes(self, addresses: Iterable[str]) -> dict[str, dict]:
        """The cached answers for ``addresses``: address -> {lon, lat, level,
        location_precision, provider, at} (lon/lat None when the service found nothing).

        Parameters
        ----------
        addresses : iterable of str
            The addresses to look up (exact text; duplicates are fine).

        Returns
        -------
        dict of str to dict
            Only the addresses in the cache; each answer also holds ``address``. ``lon``,
            ``lat`` are EPSG:4326 degrees, ``at`` the UTC time it was cached (ISO 8601).
        """
        wanted = sorted(set(addresses))
        found: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                rows = conn.execute(
                    sa.select(geocode_table).where(
                        geocode_table.c.address.in_(wanted[start : start + 500])
                    )
                )
                found.update({row.address: dict(row._mapping) for row in rows})
        return found

    def cache_geocode(self, address: str, answer: dict) -> None:
        """Remember the geocoder's ``answer`` for ``address`` (replacing an older one).

        Not a record: no version, no audit entry, ``data_version`` unchanged.

        Parameters
        ----------
        address : str
            The address as asked.
        answer : dict
            :meth:`geo.intake.geocode.Geocoder.lookup`'s answer: ``lon``, ``lat`` (EPSG:4326
            degrees,
            or None when nothing was found), ``level``, ``location_precision``, ``provider``
            (missing text is stored as ``""``).
        """
        values = {
            "address": address,
            "lon": answer.get("lon"),
            "lat": answer.get("lat"),
            "level": answer.get("level") or "",
            "location_precision": answer.get("location_precision") or "",
            "provider": answer.get("provider") or "",
            "at": _now(),
        }
        with self.engine.begin() as conn:
            conn.execute(geocode_table.delete().where(geocode_table.c.address == address))
            conn.execute(geocode_table.insert().values(**values))

    def revert(self, audit_id: int, user: str) -> None:
        """Undo one audited change: restore its ``before`` (or delete what it inserted).

        The undo is itself a change, audited as ``revert``.

        Parameters
        ----------
        audit_id : int
            The ``id`` of the audit entry (see :meth:`audit_log`).
        user : str
            Who reverts, stored in ``updated_by`` and the audit trail.

        Raises
        ------
        ConflictError
            If the record has changed since that change (revert the later ones first).
        KeyError
            If there is no such audit entry.
        ValueError
            If the entry is not of a record (e.g. a ``restore`` of the whole store).
        """
        with self.engine.connect() as conn:
            entry = conn.execute(sa.select(audit_table).where(audit_table.c.id == audit_id)).first()
        if entry is None:
            raise KeyError(f"no audit entry {audit_id}")
        current = self.get(entry.entity, entry.record_id)
        after = None if entry.after is None else json.loads(entry.after)
        state = None if current is None else {k: current[k] for k in _COLUMNS[entry.entity]}
        if _clean(state or {}) != _clean(after or {}):
            raise ConflictError(
                f"{entry.entity} {entry.record_id!r} changed after audit entry {audit_id}; "
                "revert the later changes first"
            )
        before = None if entry.before is None else json.loads(entry.before)
        if before is None:
            change = Change(entry.entity, "delete", {"id": entry.record_id}, current["version"])
        elif current is None:
            change = Change(entry.entity, "insert", before, None)
        else:
            change = Change(entry.entity, "update", before, current["version"])
        self.apply([change], user, action="revert")

    def _insert_many(self, conn, entity: str, records: list[dict], user: str, action: str) -> None:
        if not records:
            return
        stamp = _now()
        conn.execute(
            _table(entity).insert(),
            [{**r, "version": 1, "updated_at": stamp, "updated_by": user} for r in records],
        )
        conn.execute(
            audit_table.insert(),
            [
                {
                    "at": stamp,
                    "user": user,
                    "action": action,
                    "entity": entity,
                    "record_id": r["id"],
                    "before": None,
                    "after": json.dumps(r, ensure_ascii=False),
                }
                for r in records
            ],
        )

    def _audit(
        self,
        conn,
        user: str,
        action: str,
        entity: str,
        record_id: str,
        before: dict | None,
        after: dict | None,
    ) -> None:
        conn.execute(
            audit_table.insert().values(
                at=_now(),
                user=user,
                action=action,
                entity=entity,
                record_id=record_id,
                before=None if before is None else json.dumps(_clean(before), ensure_ascii=False),
                after=None if after is None else json.dumps(after, ensure_ascii=False),
            )
        )

    def _bump_version(self, conn) -> None:
        updated = conn.execute(
            meta_table.update()
            .where(meta_table.c.key == "data_version")
            .values(value=sa.cast(sa.cast(meta_table.c.value, sa.Integer) + 1, sa.Text))
        )
        if updated.rowcount == 0:
            conn.execute(meta_table.insert().values(key="data_version", value="1"))


def _copy_rows(source: sa.Connection, target: sa.Connection, table: sa.Table) -> int:
    """Insert every row of ``table`` read on ``source`` into ``table`` on ``target`` (the
    schema's columns only, typed by SQLAlchemy: e.g. SQLite's 0/1 become booleans)."""
    rows = [dict(row) for row in source.execute(sa.select(table)).mappings()]
    if rows:
        target.execute(table.insert(), rows)
    return len(rows)


def _backup_postgres(store: Store, path: Path) -> Path:
    """Copy a PostgreSQL store into a new SQLite file at ``path`` (the format of
    :func:`backup_sqlite`): a fresh SQLite store at the newest schema, then every row of every
    table read in one snapshot (``REPEATABLE READ``), table by table. Geometry is stored as
    GeoJSON text on both engines (``areas.geometry``); PostGIS' derived columns and tables
    (``sites.geom``, ``subdistrict_areas``) are not copied: a restore on PostgreSQL remakes
    them. Written to a temporary file beside ``path`` and renamed over it at the end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".backup-", suffix=".sqlite", dir=path.parent)
    os.close(handle)
    temp = Path(name)
    engine = sa.create_engine(f"sqlite:///{temp}")
    try:
        migrate(engine)
        with store.engine.connect() as source, engine.begin() as target:
            source = source.execution_options(isolation_level="REPEATABLE READ")
            for table in metadata.sorted_tables:
                target.execute(table.delete())
                _copy_rows(source, target, table)
        engine.dispose()
        os.replace(temp, path)
    finally:
        engine.dispose()
        temp.unlink(missing_ok=True)
    return path


def backup_store(store: Store, path: Path) -> Path:
    """Copy the store, SQLite or PostgreSQL, into one SQLite file at ``path``.

    The file restores on either engine (:func:`restore_store`). SQLite is copied page by page
    (:func:`backup_sqlite`); PostgreSQL row by row into a new SQLite file, from one snapshot.

    Parameters
    ----------
    store : Store
        The store to copy.
    path : pathlib.Path
        The backup file; its folder is made if missing, an existing file is overwritten.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        If the store is neither SQLite nor PostgreSQL.
    """
    name = store.engine.dialect.name
    if name == "postgresql":
        return _backup_postgres(store, path)
    if name == "sqlite":
        return backup_sqlite(store, path)
    raise ValueError(f"file backups are for SQLite and PostgreSQL stores, not {name}")


def backup_sqlite(store: Store, path: Path) -> Path:
    """Copy a SQLite store into one file at ``path`` (consistent, even while in use).

    :func:`backup_store` chooses this for SQLite and writes the same format from PostgreSQL.

    Parameters
    ----------
    store : Store
        The store to copy.
    path : pathlib.Path
        The backup file; its folder is made if missing, an existing file is overwritten.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        If the store is not SQLite (:func:`backup_store` takes either engine).
    """
    if store.engine.dialect.name != "sqlite":
        raise ValueError("backup_sqlite is for the SQLite store; backup_store takes either engine")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = store.engine.raw_connection()
    try:
        with sqlite3.connect(path) as target:
            raw.driver_connection.backup(target)
    finally:
        raw.close()
    return path


class RestoreError(ValueError):
    """A backup refused by :func:`restore_store`; the store is unchanged.

    ``str(error)`` is the Chinese message for people; :meth:`text` gives it in either language.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def text(self, lang: str = "zh") -> str:
        """The message in ``lang``.

        Parameters
        ----------
        lang : str
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        str
            Why the backup was refused, ending with "nothing was changed".
        """
        from geo.text.labels import pick

        return pick((self.zh, self.en), lang)


#: The tables a backup must hold before it is migrated (later migrations add the others).
_BACKUP_TABLES = ("sites", "metrics", "alliances", "audit", "meta")
#: At most this many failed records are named in a refusal.
_SHOWN_ISSUES = 5


def _corrupt(detail: str) -> RestoreError:
    return RestoreError(
        f"备份文件已损坏（完整性检查未通过：{detail}），未作任何更改",
        f"the backup file is damaged (integrity check failed: {detail}); nothing was changed",
    )


def _foreign(zh: str, en: str) -> RestoreError:
    return RestoreError(
        f"备份文件不是本系统的备份（表结构不符：{zh}），未作任何更改",
        f"the file is not a backup of this system (tables differ: {en}); nothing was changed",
    )


def _check_file(path: Path) -> int:
    """SQLite's integrity check, the required tables and every row of every table of the
    (copied) backup at ``path``; returns its ``data_version``."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise _corrupt(str(error)) from error
    try:
        try:
            result = [row[0] for row in source.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error):
                raise RestoreError(
                    "备份文件不是 SQLite 数据库文件，未作任何更改",
                    "the backup file is not a SQLite database; nothing was changed",
                ) from error
            raise _corrupt(str(error)) from error
        if result != ["ok"]:
            raise _corrupt("; ".join(map(str, result[:3])))
        try:
            tables = [
                r[0] for r in source.execute("select name from sqlite_master where type = 'table'")
            ]
            for table in tables:  # every row of every table can be read
                quoted = table.replace('"', '""')
                for _ in source.execute(f'select * from "{quoted}"'):
                    pass
        except sqlite3.DatabaseError as error:
            raise _corrupt(str(error)) from error
        missing = [t for t in _BACKUP_TABLES if t not in tables]
        if missing:
            raise _foreign("缺少表 " + ", ".join(missing), "missing " + ", ".join(missing))
        try:
            version = source.execute("select value from meta where key = 'data_version'").fetchone()
            if version is None:
                raise _foreign("meta 中没有 data_version", "no data_version in meta")
            return int(version[0])
        except (sqlite3.DatabaseError, ValueError, TypeError) as error:
            raise _foreign(f"meta：{error}", f"meta: {error}") from error
    finally:
        source.close()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Records as the validators read files: every cell text, missing ``""``."""
    return frame.astype(object).apply(lambda c: c.map(lambda v: "" if pd.isna(v) else str(v)))


def _check_records(copy: Store) -> None:
    """The (migrated) backup's records against the schema's columns and the data checks of
    :mod:`geo.data.validate` (the reference rules, not the positions); RestoreError otherwise."""
    from geo.config import DISTRICT_CODE
    from geo.data import validate

    with copy.engine.connect() as conn:
        inspector = sa.inspect(conn)
        for name, table in metadata.tables.items():
            have = (
                {c["name"] for c in inspector.get_columns(name)}
                if inspector.has_table(name)
                else set()
            )
            lacking = [c.name for c in table.columns if c.name not in have]
            if lacking:
                raise _foreign(
                    f"{name} 缺少列 " + ", ".join(lacking), f"{name} lacks " + ", ".join(lacking)
                )
    gazetteer = validate.Gazetteer.from_frames(
        io.load_subdistricts(), io.load_units(), io.load_programs()
    )
    try:
        raws = {entity: _as_text(copy.read(entity)) for entity in ("sites", "metrics", "alliances")}
        units = copy.read("units")
    except (sa.exc.SQLAlchemyError, ValueError, TypeError) as error:
        raise RestoreError(
            f"备份中的记录无法读取：{error}，未作任何更改",
            f"the backup's records cannot be read: {error}; nothing was changed",
        ) from error
    scopes = {
        "district": {DISTRICT_CODE},
        "subdistrict": set(gazetteer.subdistricts),
        "unit": set(gazetteer.unit_parent),
        "site": set(raws["sites"]["id"]),
        "alliance": set(raws["alliances"]["id"]),
    }
    found = {
        "sites": validate.validate_sites(raws["sites"], gazetteer, "sites"),
        "metrics": validate.validate_metrics(raws["metrics"], gazetteer, scopes, "metrics"),
        "alliances": validate.validate_alliances(raws["alliances"], gazetteer, "alliances"),
    }
    failed: list[tuple[str, str, validate.Issue]] = []
    for entity, issues in found.items():
        ids = raws[entity]["id"].tolist()
        for issue in issues:
            if issue.severity == "error":
                at = ids[issue.row - 2] if issue.row is not None else ""
                failed.append((entity, at, issue))
    failed += [
        ("unit_locations", code, validate.Issue("unit_locations", None, "id", code, "unknown_unit"))
        for code in units["id"]
        if code not in gazetteer.unit_parent
    ]
    if failed:

        def describe(lang: str) -> str:
            shown = [
                f"{entity} {at}「{issue.column}」“{issue.value}”：{issue.problem(lang)}"
                if lang == "zh"
                else f"{entity} {at} [{issue.column}] {issue.value!r}: {issue.problem(lang)}"
                for entity, at, issue in failed[:_SHOWN_ISSUES]
            ]
            more = len(failed) - _SHOWN_ISSUES
            if more > 0:
                shown.append(f"另有 {more} 处" if lang == "zh" else f"{more} more")
            return ("；" if lang == "zh" else "; ").join(shown)

        raise RestoreError(
            f"备份中的记录未通过数据检查：{describe('zh')}，未作任何更改",
            f"the backup's records fail the data checks: {describe('en')}; nothing was changed",
        )


def _free_path(path: Path) -> Path:
    """``path``, or ``path`` with ``-1``, ``-2``, ... before the suffix if it exists."""
    candidate, n = path, 0
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _checked_copy(path: Path, copy_path: Path) -> tuple[Store, int]:
    """Copy the backup at ``path`` to ``copy_path`` and check it there (never in the live
    store): SQLite's ``integrity_check``, the tables, every row, the migrations, the newest
    schema's columns and the records' data checks. Returns the migrated copy as a store and
    the backup's ``data_version``; RestoreError otherwise."""
    try:
        shutil.copyfile(path, copy_path)
    except OSError as error:
        raise RestoreError(
            f"无法读取备份文件 {path}（{error.strerror or error}），未作任何更改",
            f"cannot read the backup file {path} ({error.strerror or error}); nothing was changed",
        ) from error
    backup_version = _check_file(copy_path)
    try:
        copy = Store(f"sqlite:///{copy_path}")  # migrates the copy to the newest schema
    except Exception as error:  # noqa: BLE001 - any failed migration refuses the file
        reason = getattr(error, "orig", None) or error  # the database's words, not the SQL
        raise _foreign(f"迁移失败：{reason}", f"migration failed: {reason}") from error
    try:
        _check_records(copy)
    except BaseException:
        copy.engine.dispose()
        raise
    return copy, backup_version


def _keep_current(store: Store, folder: Path) -> Path:
    """Back the store up as ``folder/store-before-restore-YYYYmmdd-HHMMSS.sqlite`` (a free
    name); RestoreError if it cannot be written."""
    kept = _free_path(folder / f"store-before-restore-{datetime.now():%Y%m%d-%H%M%S}.sqlite")
    try:
        backup_store(store, kept)
    except (OSError, sqlite3.Error, sa.exc.SQLAlchemyError) as error:
        raise RestoreError(
            f"无法保存恢复前的备份 {kept}（{error}），未作任何更改",
            f"cannot keep the current data as {kept} ({error}); nothing was changed",
        ) from error
    return kept


def _swap_failed(error: BaseException, kept: Path) -> RestoreError:
    reason = getattr(error, "orig", None) or error
    return RestoreError(
        f"恢复时出错（{reason}），当前数据未更改；恢复前的备份在 {kept}",
        f"the restore failed ({reason}); the data was not changed; "
        f"the backup from before is {kept}",
    )


def _swap_postgres(
    store: Store, source: sa.Connection, target: sa.Connection, user: str, name: str, version: int
) -> None:
    """In ``target``'s transaction on PostgreSQL: every table's rows replaced by ``source``'s,
    the audit ids continued, PostGIS' areas remade, ``data_version`` set past both and the
    restore audited. Writers wait (EXCLUSIVE locks), readers keep seeing the old rows until
    the commit."""
    tables = metadata.sorted_tables
    quote = target.dialect.identifier_preparer.quote
    names = ", ".join([*(quote(t.name) for t in tables), "subdistrict_areas"])
    target.execute(sa.text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    current = target.execute(
        sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")
    ).scalar()
    for table in reversed(tables):
        target.execute(table.delete())
    for table in tables:
        _copy_rows(source, target, table)
    target.execute(  # the next audit id follows the restored ones
        sa.text(
            "SELECT setval(pg_get_serial_sequence('audit', 'id'), "
            "COALESCE((SELECT MAX(id) FROM audit), 0) + 1, false)"
        )
    )
    store._seed_areas(target, io.load_areas())  # the shipped areas, then the stored official ones
    for area in source.execute(sa.select(areas_table)).mappings():
        store._sync_area(target, area["code"], dict(area))
    version = max(int(current or 0), version) + 1
    target.execute(meta_table.delete().where(meta_table.c.key == "data_version"))
    target.execute(meta_table.insert().values(key="data_version", value=str(version)))
    store._audit(target, user, "restore", "store", name, None, None)


def _restore_postgres(store: Store, path: Path, user: str) -> Path:
    """:func:`restore_store` on PostgreSQL: checked in a SQLite copy, the current data kept as
    ``$SHIZHONG_STATE_DIR/backups/store-before-restore-….sqlite``, then swapped in one
    transaction (:func:`_swap_postgres`)."""
    from geo.config import state_dir

    folder = state_dir()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=folder) as temp:
        copy, backup_version = _checked_copy(path, Path(temp) / "backup.sqlite")
        try:
            kept = _keep_current(store, folder / "backups")
            try:
                with copy.engine.connect() as source, store.engine.begin() as target:
                    _swap_postgres(store, source, target, user, path.name, backup_version)
            except Exception as error:  # noqa: BLE001 - rolled back: the data is unchanged
                raise _swap_failed(error, kept) from error
        finally:
            copy.engine.dispose()
    return kept


def restore_store(store: Store, path: Path, user: str) -> Path:
    """Replace the store's content, SQLite or PostgreSQL, with the backup at ``path``.

    The backup (a file of :func:`backup_store`, made from either engine) is checked in a copy
    first, the same on both engines (see :func:`restore_sqlite`); the current data is kept as
    a dated backup file; then the content is swapped in one step. On SQLite the backup file
    replaces the store's pages (:func:`restore_sqlite`). On PostgreSQL one transaction locks
    the tables against writers, deletes every row, inserts the checked copy's rows, remakes
    PostGIS' subdistrict areas, sets ``data_version`` past both and audits the restore; any
    failure rolls it back, and other connections see the old data until it commits. The
    current data is kept in ``$SHIZHONG_STATE_DIR/backups`` there.

    Parameters
    ----------
    store : Store
        The store to overwrite (SQLite: a file; or PostgreSQL).
    path : pathlib.Path
        A file made by :func:`backup_store` (any earlier schema revision: it is migrated).
    user : str
        Who restores, stored in the audit trail.

    Returns
    -------
    pathlib.Path
        The backup of the store as it was before the restore.

    Raises
    ------
    RestoreError
        (a ValueError, its message in Chinese, :meth:`RestoreError.text` in English) If
        ``path`` cannot be read, is damaged, is not a backup of this system, its records fail
        the checks, or the swap failed and was rolled back; the data is unchanged.
    ValueError
        If the store is an in-memory SQLite database or another engine.
    """
    if store.engine.dialect.name == "postgresql":
        return _restore_postgres(store, path, user)
    return restore_sqlite(store, path, user)


def restore_sqlite(store: Store, path: Path, user: str) -> Path:
    """Replace the SQLite store's content with the backup at ``path``, losing nothing.

    1. The backup is copied to a temporary file next to the store and checked there, never
       in the live file: SQLite's ``integrity_check``, the tables of this project, the
       migrations (:func:`migrate`) applied to the copy, every row of every table read, the
       columns of the newest schema, and the records' data checks (:mod:`geo.data.validate`:
       kinds, subdistricts, units, programs, years, numbers, ...; positions are not checked).
       Any failure raises :class:`RestoreError` and the store is not touched.
    2. The current store is kept as ``backups/store-before-restore-YYYYmmdd-HHMMSS.sqlite``
       next to it (:func:`backup_sqlite`).
    3. ``data_version`` is set past both the current and the backup's (so no cache serves
       stale records) and the restore is audited, both in the checked copy; the copy then
       replaces the store's content in one step through SQLite's backup API (one write
       transaction: other open connections see either the old or the new content, and an
       interrupted copy is rolled back).

    :func:`restore_store` chooses this for SQLite and one transaction for PostgreSQL.

    Parameters
    ----------
    store : Store
        The SQLite store to overwrite (a file).
    path : pathlib.Path
        A file made by :func:`backup_store` (any earlier schema revision: it is migrated).
    user : str
        Who restores, stored in the audit trail.

    Returns
    -------
    pathlib.Path
        The backup of the store as it was before the restore.

    Raises
    ------
    RestoreError
        (a ValueError, its message in Chinese, :meth:`RestoreError.text` in English) If
        ``path`` cannot be read, is damaged, is not a backup of this system or its records
        fail the checks; nothing was changed.
    ValueError
        If the store is not a SQLite file (:func:`restore_store` takes either engine).
    """
    database = store.engine.url.database
    if store.engine.dialect.name != "sqlite" or not database or database == ":memory:":
        raise ValueError("restore_sqlite takes a SQLite file store; restore_store either engine")
    live = Path(database).resolve()
    handle, name = tempfile.mkstemp(prefix=".restore-", suffix=".sqlite", dir=live.parent)
    os.close(handle)
    copy_path = Path(name)
    copy: Store | None = None
    try:
        copy, backup_version = _checked_copy(path, copy_path)
        kept = _keep_current(store, live.parent / "backups")
        version = max(store.data_version(), backup_version) + 1
        with copy.engine.begin() as conn:
            conn.execute(meta_table.delete().where(meta_table.c.key == "data_version"))
            conn.execute(meta_table.insert().values(key="data_version", value=str(version)))
            copy._audit(conn, user, "restore", "store", path.name, None, None)
        copy.engine.dispose()
        store.engine.dispose()
        raw = store.engine.raw_connection()
        try:
            source = sqlite3.connect(copy_path)
            try:
                source.backup(raw.driver_connection)  # all pages in one step
            finally:
                source.close()
        except sqlite3.Error as error:
            raise _swap_failed(error, kept) from error
        finally:
            raw.close()
        return kept
    finally:
        if copy is not None:
            copy.engine.dispose()
        for suffix in ("", "-journal", "-wal", "-shm"):
            copy_path.with_name(copy_path.name + suffix).unlink(missing_ok=True)
