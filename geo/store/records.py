"""The store: sites, metrics and alliances with a version per record and an audit trail.

SQLAlchemy Core over SQLite by default (a file in ``$SHIZHONG_STATE_DIR``); a PostgreSQL URL
can replace it. Created and seeded from ``data/`` on first open. Every write runs in one
transaction, checks the record's version (optimistic locking), bumps the store's
``data_version`` (the dashboard's cache key) and appends to ``audit``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa

from geo.config import DATA_DIR, database_url, review_required, sqlalchemy_url
from geo.data import io
from geo.data.access import ADMIN, REVIEWER, UNREVIEWED, Account, account_of, owner_of, refused
from geo.data.areas import in_force
from geo.store.schema import (
    COLUMNS,
    INTEGER_COLUMNS,
    MIGRATION_LOCK,
    NUMBER_COLUMNS,
    audit_table,
    geocode_table,
    meta_table,
    migrate,
    sites_table,
    submissions_table,
    table_of,
)

SYSTEM_USER = "system:seed"


class ConflictError(RuntimeError):
    """A record changed (or appeared) since the caller read it; nothing was written."""


class ScopeError(PermissionError):
    """An account wrote outside its scope (another subdistrict's records, the district's, or
    anything at all for a reviewer); nothing was written.

    ``refused`` lists ``(entity, record id, owner)`` with the owner a 9-digit subdistrict code
    or ``"district"``; ``account`` is who tried.
    """

    def __init__(self, account: Account, refused: list[tuple[str, str, str]]) -> None:
        self.account = account
        self.refused = refused
        shown = "; ".join(f"{entity} {rid!r} of {owner}" for entity, rid, owner in refused[:5])
        more = f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        super().__init__(f"{account.name} ({account.role}) may not write {shown}{more}")


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

    def __init__(self, url: str | None = None, review: bool | None = None) -> None:
        self.url = sqlalchemy_url(url) if url else database_url()
        #: Whether a subdistrict editor's changes wait for a reviewer (the setting
        #: :func:`geo.config.review_required` by default).
        self.review = review_required() if review is None else review
        # pre-ping: a pooled connection is checked before use, so after a database restart each
        # instance reconnects by itself instead of failing once per stale connection
        self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        migrate(self.engine)

    @property
    def spatial(self) -> bool:
        """True on PostgreSQL/PostGIS (geometry in the database)."""
        return self.engine.dialect.name == "postgresql"

    @classmethod
    def open(
        cls, url: str | None = None, data_dir: Path = DATA_DIR, review: bool | None = None
    ) -> Store:
        """Open the store, seeding it from ``data_dir`` if it holds no record yet.

        Parameters
        ----------
        url : str, optional
            A database URL (libpq or SQLAlchemy form, see :func:`geo.config.sqlalchemy_url`);
            None for :func:`geo.config.database_url` (``$DATABASE_URL``, else SQLite in the
            state folder). The schema is migrated to the newest revision.
        data_dir : pathlib.Path
            Folder of ``sites.csv``, ``metrics.csv`` and ``alliances.csv`` for the first seed.
        review : bool, optional
            Whether subdistrict editors' changes wait for a reviewer; None for the setting
            (:func:`geo.config.review_required`).

        Returns
        -------
        Store

        Raises
        ------
        ValueError
            If the store is empty and a records file lacks a column (see :meth:`seed`).
        """
        store = cls(url, review)
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
        table = table_of(entity)
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(table).order_by(table.c.id), conn)
        for column in INTEGER_COLUMNS:
            if column in frame:
                frame[column] = frame[column].astype("Int64")
        text = [c for c in COLUMNS[entity] if c not in NUMBER_COLUMNS]
        if "inferred" in frame:  # a boolean (0003)
            frame["inferred"] = frame["inferred"].fillna(False).astype(bool)
        frame[text] = frame[text].fillna("").astype(str)
        return frame[[*COLUMNS[entity], "version", "updated_at", "updated_by"]]

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
            ``id``, ``at`` (UTC, ISO 8601), ``user`` (who wrote: for a reviewed change, who
            published it), ``action`` (``seed``, ``insert``, ``update``, ``delete``,
            ``import``, ``revert``, ``restore``, ...), ``entity``, ``record_id``, ``before``
            and ``after`` (the record as JSON, or None), ``submitted_by`` (who submitted a
            reviewed change; empty otherwise).
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
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
            if conn.execute(sa.select(sa.func.count()).select_from(sites_table)).scalar():
                return False
            frames = {
                "sites": io.load_sites(data_dir / "sites.csv"),
                "metrics": io.load_metrics(data_dir / "metrics.csv"),
                "alliances": io.load_alliances(data_dir / "alliances.csv"),
            }
            for entity, frame in frames.items():
                missing = [c for c in COLUMNS[entity] if c not in frame.columns]
                if missing:  # raised inside the transaction: nothing is written
                    raise ValueError(
                        f"{data_dir / (entity + '.csv')} lacks the column(s) "
                        f"{', '.join(missing)}; run `python -m geo validate {data_dir}`"
                    )
                records = [_clean(r) for r in frame[COLUMNS[entity]].to_dict("records")]
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
        table = table_of(entity)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.id == record_id)).first()
        return None if row is None else dict(row._mapping)

    def save(
        self, entity: str, record: dict, user: str | Account, expected_version: int | None = None
    ) -> int:
        """Insert (``expected_version=None``) or update one record; returns its new version.

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        record : dict
            The record's columns (as in :mod:`geo.data.io`), ``id`` included; other keys are
            ignored.
        user : str or geo.data.access.Account
            Who writes, stored in ``updated_by`` and the audit trail (see :meth:`apply`).
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
        ScopeError
            If the record is outside ``user``'s scope (see :meth:`apply`).
        """
        return self.save_many(entity, [(record, expected_version)], user)[0]

    def save_many(
        self, entity: str, changes: Iterable[tuple[dict, int | None]], user: str | Account
    ) -> list[int]:
        """Apply several inserts/updates of one entity in one transaction (all or nothing).

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        changes : iterable of (dict, int or None)
            ``(record, expected_version)`` pairs: None inserts, a version updates (see
            :meth:`save`).
        user : str or geo.data.access.Account
            Who writes, stored in ``updated_by`` and the audit trail (see :meth:`apply`).

        Returns
        -------
        list of int
            The new versions, in the order of ``changes``.

        Raises
        ------
        ConflictError
            If any insert or update conflicts (see :meth:`save`); nothing is written.
        ScopeError
            If a record is outside ``user``'s scope (see :meth:`apply`).
        """
        return self.apply(
            [
                Change(entity, "insert" if expected is None else "update", record, expected)
                for record, expected in changes
            ],
            user,
        )

    def delete(
        self, entity: str, record_id: str, user: str | Account, expected_version: int
    ) -> None:
        """Delete one record if it is still at ``expected_version`` (else ConflictError).

        Parameters
        ----------
        entity : str
            A key of :data:`TABLES`.
        record_id : str
            The record's ``id``.
        user : str or geo.data.access.Account
            Who deletes, stored in the audit trail (see :meth:`apply`).
        expected_version : int
            The version the caller read.

        Raises
        ------
        ConflictError
            If the record is gone or its version is not ``expected_version``.
        ScopeError
            If the record is outside ``user``'s scope (see :meth:`apply`).
        """
        self.apply([Change(entity, "delete", {"id": record_id}, expected_version)], user)

    def apply(
        self,
        changes: Sequence[Change],
        user: str | Account,
        progress: Callable[[int, int], None] | None = None,
        action: str | None = None,
        title: str = "",
    ) -> list[int]:
        """Apply inserts, updates and deletes of any entities in ONE transaction, within the
        writer's scope; a subdistrict editor's changes wait for a reviewer when review is on.

        Every update and delete checks the record's version; any conflict rolls everything
        back. Every change is checked against ``user``'s scope first (the record as stored
        and as written): one outside it writes nothing. ``progress(done, total)`` is called as
        records are written. ``action`` overrides the audit action (e.g. ``import``,
        ``revert``). An empty list writes nothing.

        Parameters
        ----------
        changes : sequence of Change
            The writes, applied in order.
        user : str or geo.data.access.Account
            Who writes, stored in ``updated_by`` and the audit trail. A plain name is the
            server's operator (an administrator: the seed, scripts, the command line without
            ``--user``).
        progress : callable, optional
            Called as ``progress(done, total)`` every 200 records and after the last.
        action : str, optional
            The audit action for every change; None for each change's own ``action``.
        title : str
            What a submission is, for its reviewer (e.g. the ledger's name); only kept when
            the changes wait for review.

        Returns
        -------
        list of int
            The new version of each record, in the order of ``changes`` (0 for a deletion).
            A change held for review keeps the version it has (0 for an insert):
            :meth:`needs_review` tells whether ``user``'s changes are held.

        Raises
        ------
        ScopeError
            If a change is outside ``user``'s scope (another subdistrict's record, the
            district's, or any change by a reviewer); nothing is written.
        ConflictError
            If an insert's id exists, or an update's or deletion's record is gone or not at
            its ``expected_version``; nothing is written.
        ValueError
            If a change names an entity not in :data:`TABLES`; nothing is written.
        """
        if not changes:
            return []
        account = account_of(user)
        with self.engine.begin() as conn:
            owners = self._check_scope(conn, account, changes)
            if not account.needs_review(self.review):
                return self._write(conn, changes, account.name, action, progress)
            held = [c for c in changes if c.entity not in UNREVIEWED]
            direct = [c for c in changes if c.entity in UNREVIEWED]
            if held:
                self._submit(conn, account, held, action or held[0].action, title, owners)
            if direct:
                self._write(conn, direct, account.name, action, None)
        return [c.expected_version or 0 for c in changes]

    def needs_review(self, user: str | Account) -> bool:
        """Whether ``user``'s changes wait for a reviewer here (a subdistrict editor, review on).

        Parameters
        ----------
        user : str or geo.data.access.Account
            Who writes (a plain name is the server's operator: never held).

        Returns
        -------
        bool
        """
        return account_of(user).needs_review(self.review)

    def _check_scope(self, conn, account: Account, changes: Sequence[Change]) -> list[str]:
        """The subdistricts ``changes`` touch (ScopeError if any is not ``account``'s)."""
        if account.role == ADMIN:
            return []
        batch = {(c.entity, str(c.record.get("id"))): c.record for c in changes}

        def lookup(entity: str, record_id: str) -> dict | None:
            found = batch.get((entity, record_id))
            if found is None:
                table = table_of(entity)
                row = conn.execute(sa.select(table).where(table.c.id == record_id)).first()
                found = None if row is None else dict(row._mapping)
            return found

        owners: list[str] = []
        out: list[tuple[str, str, str]] = []
        for change in changes:
            record_id = str(change.record["id"])
            if change.entity in UNREVIEWED and account.role != REVIEWER:
                continue
            table = table_of(change.entity)
            row = conn.execute(sa.select(table).where(table.c.id == record_id)).first()
            states = [] if row is None else [dict(row._mapping)]
            if change.action != "delete":
                states.append(change.record)
            for state in states:
                owner = owner_of(change.entity, state, lookup)
                if owner not in owners:
                    owners.append(owner)
                if refused(account, [owner]):
                    out.append((change.entity, record_id, owner))
        if out:
            raise ScopeError(account, list(dict.fromkeys(out)))
        return owners

    def _write(
        self,
        conn,
        changes: Sequence[Change],
        user: str,
        action: str | None,
        progress: Callable[[int, int], None] | None,
        submitted_by: str = "",
    ) -> list[int]:
        versions = []
        for done, change in enumerate(changes, start=1):
            versions.append(self._apply_one(conn, change, user, action, submitted_by))
            if progress is not None and (done % 200 == 0 or done == len(changes)):
                progress(done, len(changes))
        self._bump_version(conn)
        return versions

    # --- review before publishing ------------------------------------------------------------

    def _submit(
        self,
        conn,
        account: Account,
        changes: Sequence[Change],
        action: str,
        title: str,
        owners: list[str],
    ) -> None:
        held = [
            {
                "entity": c.entity,
                "action": c.action,
                "record": _clean(c.record),
                "expected_version": c.expected_version,
            }
            for c in changes
        ]
        conn.execute(
            submissions_table.insert().values(
                at=_now(),
                user=account.name,
                action=action,
                title=title,
                subdistricts=",".join(owners),
                changes=json.dumps(held, ensure_ascii=False),
                status="pending",
            )
        )
        self._bump_version(conn)  # what editors and reviewers see has changed

    def submissions(self, status: str | None = None) -> pd.DataFrame:
        """The submissions of subdistrict editors, newest first.

        Parameters
        ----------
        status : {"pending", "returned", "published"}, optional
            Only those; None for all.

        Returns
        -------
        pandas.DataFrame
            ``id``, ``at`` (UTC, ISO 8601), ``user`` (who submitted), ``action``, ``title``,
            ``subdistricts`` (list of 9-digit codes), ``changes`` (list of dicts: ``entity``,
            ``action``, ``record``, ``expected_version``), ``status``, ``reason`` (why it was
            returned), ``reviewed_by``, ``reviewed_at``.
        """
        query = sa.select(submissions_table).order_by(submissions_table.c.id.desc())
        if status is not None:
            query = query.where(submissions_table.c.status == status)
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        frame["subdistricts"] = [[c for c in v.split(",") if c] for v in frame["subdistricts"]]
        frame["changes"] = [json.loads(v) for v in frame["changes"]]
        return frame

    def count_submissions(self, status: str = "pending", user: str | None = None) -> int:
        """How many submissions are at ``status`` (without reading their changes).

        Parameters
        ----------
        status : {"pending", "returned", "published"}
            Which.
        user : str, optional
            Only those this account submitted; None for everyone's.

        Returns
        -------
        int
        """
        query = (
            sa.select(sa.func.count())
            .select_from(submissions_table)
            .where(submissions_table.c.status == status)
        )
        if user is not None:
            query = query.where(submissions_table.c.user == user)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def _reviewing(self, conn, submission_id: int, reviewer: str | Account) -> tuple:
        account = account_of(reviewer)
        if account.role not in (ADMIN, REVIEWER):
            raise ScopeError(account, [("submissions", str(submission_id), "district")])
        row = conn.execute(
            sa.select(submissions_table).where(submissions_table.c.id == int(submission_id))
        ).first()
        if row is None:
            raise KeyError(f"no submission {submission_id}")
        if row.status != "pending":
            raise ValueError(f"submission {submission_id} is {row.status}, not pending")
        return account, row

    def publish(self, submission_id: int, reviewer: str | Account) -> list[int]:
        """Apply a pending submission, audited under the reviewer with its submitter.

        Parameters
        ----------
        submission_id : int
            Its ``id`` (see :meth:`submissions`).
        reviewer : str or geo.data.access.Account
            A reviewer or an administrator (a plain name is the server's operator).

        Returns
        -------
        list of int
            The records' new versions (0 for a deletion).

        Raises
        ------
        ScopeError
            If ``reviewer`` is a subdistrict editor.
        KeyError
            If there is no such submission.
        ValueError
            If it is not pending (already published or returned).
        ConflictError
            If a record changed since it was submitted; nothing is written and the
            submission stays pending (return it with that reason).
        """
        with self.engine.begin() as conn:
            account, row = self._reviewing(conn, submission_id, reviewer)
            changes = [Change(**c) for c in json.loads(row.changes)]
            versions = self._write(conn, changes, account.name, row.action, None, row.user)
            self._close(conn, row.id, "published", account, "")
        return versions

    def return_submission(self, submission_id: int, reviewer: str | Account, reason: str) -> None:
        """Send a pending submission back to its editor with ``reason``; nothing is applied.

        Parameters
        ----------
        submission_id : int
            Its ``id``.
        reviewer : str or geo.data.access.Account
            A reviewer or an administrator.
        reason : str
            Why, for the editor (required).

        Raises
        ------
        ScopeError
            If ``reviewer`` is a subdistrict editor.
        KeyError
            If there is no such submission.
        ValueError
            If ``reason`` is empty, or the submission is not pending.
        """
        if not str(reason).strip():
            raise ValueError("a returned submission needs a reason")
        with self.engine.begin() as conn:
            account, row = self._reviewing(conn, submission_id, reviewer)
            self._close(conn, row.id, "returned", account, str(reason).strip())
            self._bump_version(conn)

    def _close(self, conn, submission_id: int, status: str, account: Account, reason: str):
        conn.execute(
            submissions_table.update()
            .where(submissions_table.c.id == submission_id)
            .values(status=status, reason=reason, reviewed_by=account.name, reviewed_at=_now())
        )

    def verify(self, site_id: str, user: str | Account, on: str, note: str = "") -> list[int]:
        """Record that a site's location and details were confirmed (核实) on ``on`` by ``user``.

        A change like any other: within ``user``'s scope, held for review for a subdistrict
        editor when review is on.

        Parameters
        ----------
        site_id : str
            The site's ``id``.
        user : str or geo.data.access.Account
            Who confirmed it (核实人).
        on : str
            The date (``YYYY-MM-DD``; 核实日期).
        note : str
            How (e.g. 实地走访).

        Returns
        -------
        list of int
            As :meth:`apply`.

        Raises
        ------
        KeyError
            If there is no such site.
        ValueError
            If ``on`` is not a date.
        ScopeError, ConflictError
            As :meth:`apply`.
        """
        if self.get("sites", site_id) is None:
            raise KeyError(f"no site {site_id!r}")
        day = datetime.strptime(str(on), "%Y-%m-%d").date().isoformat()
        current = self.get("verifications", site_id)
        record = {"id": site_id, "verified_on": day, "verified_by": str(user), "note": note}
        change = Change(
            "verifications",
            "insert" if current is None else "update",
            record,
            None if current is None else current["version"],
        )
        return self.apply([change], user, action="verify", title=site_id)

    def _apply_one(
        self, conn, change: Change, user: str, action: str | None, submitted_by: str = ""
    ) -> int:
        entity, table = change.entity, table_of(change.entity)
        record_id = change.record["id"]
        current = conn.execute(sa.select(table).where(table.c.id == record_id)).first()
        if change.action == "insert":
            if current is not None:
                raise ConflictError(f"{entity} {record_id!r} already exists")
            record = _clean({k: change.record.get(k) for k in COLUMNS[entity]})
            self._insert_many(
                conn, entity, [record], user, action=action or "insert", submitted_by=submitted_by
            )
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
        before = {k: getattr(current, k) for k in COLUMNS[entity]}
        if change.action == "delete":
            result = conn.execute(
                table.delete().where(table.c.id == record_id, table.c.version == expected)
            )
            after, new_version = None, 0
        else:
            after = _clean({k: change.record.get(k) for k in COLUMNS[entity]})
            result = conn.execute(
                table.update()
                .where(table.c.id == record_id, table.c.version == expected)
                .values(**after, version=expected + 1, updated_at=_now(), updated_by=user)
            )
            new_version = expected + 1
        if result.rowcount != 1:  # a concurrent writer got in between
            raise ConflictError(f"{entity} {record_id!r} changed while saving")
        self._audit(
            conn, user, action or change.action, entity, record_id, before, after, submitted_by
        )
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

    def revert(self, audit_id: int, user: str | Account) -> None:
        """Undo one audited change: restore its ``before`` (or delete what it inserted).

        The undo is itself a change, audited as ``revert``.

        Parameters
        ----------
        audit_id : int
            The ``id`` of the audit entry (see :meth:`audit_log`).
        user : str or geo.data.access.Account
            Who reverts, stored in ``updated_by`` and the audit trail; the undo is checked
            and held for review as any change (see :meth:`apply`).

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
        state = None if current is None else {k: current[k] for k in COLUMNS[entry.entity]}
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

    def _insert_many(
        self,
        conn,
        entity: str,
        records: list[dict],
        user: str,
        action: str,
        submitted_by: str = "",
    ) -> None:
        if not records:
            return
        stamp = _now()
        conn.execute(
            table_of(entity).insert(),
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
                    "submitted_by": submitted_by,
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
        submitted_by: str = "",
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
                submitted_by=submitted_by,
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
