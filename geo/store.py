"""The store: sites, metrics and alliances with a version per record and an audit trail.

SQLAlchemy Core over SQLite by default (a file in ``$SHIZHONG_STATE_DIR``); a PostgreSQL URL
can replace it. Created and seeded from ``data/`` on first open. Every write runs in one
transaction, checks the record's version (optimistic locking), bumps the store's
``data_version`` (the dashboard's cache key) and appends to ``audit``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo import io
from geo.config import DATA_DIR, database_url

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

TABLES = {"sites": sites_table, "metrics": metrics_table, "alliances": alliances_table}
_COLUMNS = {
    "sites": io.SITE_COLUMNS,
    "metrics": io.METRIC_COLUMNS,
    "alliances": io.ALLIANCE_COLUMNS,
}
_INTEGER = ("year",)
SYSTEM_USER = "system:seed"


class ConflictError(RuntimeError):
    """A record changed (or appeared) since the caller read it; nothing was written."""


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
        self.url = url or database_url()
        self.engine = sa.create_engine(self.url)
        metadata.create_all(self.engine)

    @classmethod
    def open(cls, url: str | None = None, data_dir: Path = DATA_DIR) -> Store:
        """Open the store, seeding it from ``data_dir`` if it holds no record yet."""
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
        """All records of ``entity`` (``sites``, ``metrics``, ``alliances``) with ``version``."""
        table = TABLES[entity]
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(table).order_by(table.c.id), conn)
        for column in _INTEGER:
            frame[column] = frame[column].astype("Int64")
        text = [c for c in _COLUMNS[entity] if c not in ("lon", "lat", "value", "year")]
        frame[text] = frame[text].fillna("").astype(str)
        return frame[[*_COLUMNS[entity], "version", "updated_at", "updated_by"]]

    def read_sites(self) -> pd.DataFrame:
        return self.read("sites")

    def read_metrics(self) -> pd.DataFrame:
        return self.read("metrics")

    def read_alliances(self) -> pd.DataFrame:
        return self.read("alliances")

    def audit_log(self, limit: int = 200) -> pd.DataFrame:
        """The newest ``limit`` audit entries, newest first."""
        with self.engine.connect() as conn:
            return pd.read_sql(
                sa.select(audit_table).order_by(audit_table.c.id.desc()).limit(limit), conn
            )

    # --- writing -----------------------------------------------------------------------------

    def seed(self, data_dir: Path = DATA_DIR) -> bool:
        """Load ``data_dir`` into an empty store. Returns False if records were already there."""
        with self.engine.begin() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(sites_table)).scalar():
                return False
            frames = {
                "sites": io.load_sites(data_dir / "sites.csv"),
                "metrics": io.load_metrics(data_dir / "metrics.csv"),
                "alliances": io.load_alliances(data_dir / "alliances.csv"),
            }
            for entity, frame in frames.items():
                records = [_clean(r) for r in frame[_COLUMNS[entity]].to_dict("records")]
                self._insert_many(conn, entity, records, SYSTEM_USER, action="seed")
            self._bump_version(conn)
        return True

    def save(
        self, entity: str, record: dict, user: str, expected_version: int | None = None
    ) -> int:
        """Insert (``expected_version=None``) or update one record; returns its new version.

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
        """Apply several inserts/updates in one transaction (all or nothing)."""
        table = TABLES[entity]
        versions: list[int] = []
        changes = list(changes)
        if not changes:
            return versions
        with self.engine.begin() as conn:
            for record, expected in changes:
                record = _clean({k: record.get(k) for k in _COLUMNS[entity]})
                current = conn.execute(sa.select(table).where(table.c.id == record["id"])).first()
                if expected is None:
                    if current is not None:
                        raise ConflictError(f"{entity} {record['id']!r} already exists")
                    self._insert_many(conn, entity, [record], user, action="insert")
                    versions.append(1)
                    continue
                if current is None or current.version != expected:
                    found = "gone" if current is None else f"at version {current.version}"
                    raise ConflictError(
                        f"{entity} {record['id']!r} changed since it was read (expected version "
                        f"{expected}, now {found}); reload and apply the change again"
                    )
                before = {k: getattr(current, k) for k in _COLUMNS[entity]}
                result = conn.execute(
                    table.update()
                    .where(table.c.id == record["id"], table.c.version == expected)
                    .values(**record, version=expected + 1, updated_at=_now(), updated_by=user)
                )
                if result.rowcount != 1:  # a concurrent writer got in between
                    raise ConflictError(f"{entity} {record['id']!r} changed while saving")
                self._audit(conn, user, "update", entity, record["id"], before, record)
                versions.append(expected + 1)
            self._bump_version(conn)
        return versions

    def _insert_many(self, conn, entity: str, records: list[dict], user: str, action: str) -> None:
        if not records:
            return
        stamp = _now()
        conn.execute(
            TABLES[entity].insert(),
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
