"""Shipped data corrections: bring the records of a newer ``data/`` into a store seeded before
it, without undoing what the offices edited.

The store remembers each shipped record as it was when last brought in (the ``shipped``
table, migration 0006; for a store seeded before that, the record as the seed wrote it, from
the audit trail). On an upgrade, each record of the newer ``data/`` is compared three ways,
with that remembered version and with the store's copy:

- shipped unchanged: nothing to do;
- shipped changed, store copy as it was shipped: the correction is written (audited as
  ``upgrade`` by :data:`geo.store.records.SYSTEM_USER`);
- shipped changed, store copy edited since (or deleted): the office's version stays and the
  record is a :class:`Conflict`, kept until an administrator takes one of the two versions;
- a new shipped record is added; one no longer shipped is deleted if nobody edited it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from geo.config import DATA_DIR, database_url, sqlalchemy_url
from geo.data import io
from geo.store.records import SYSTEM_USER, Change, Store
from geo.store.schema import COLUMNS, MIGRATIONS_DIR, audit_table, shipped_table
from geo.text.labels import field_label, join_list, t

#: The entities ``data/`` ships (what :meth:`Store.seed` loads).
ENTITIES = ("sites", "metrics", "alliances")
#: The audit action of a correction written by an upgrade.
UPGRADE_ACTION = "upgrade"
_LOADERS = {"sites": io.load_sites, "metrics": io.load_metrics, "alliances": io.load_alliances}


@dataclass(frozen=True)
class Conflict:
    """A shipped record an office changed: ``office`` is the store's copy (None: deleted),
    ``shipped`` the newer shipped version not brought in (None: no longer shipped),
    ``fields`` the fields where they differ."""

    entity: str
    record_id: str
    office: dict | None
    shipped: dict | None
    fields: tuple[str, ...]

    @property
    def name(self) -> str:
        """The record's name as people know it (its id when it has none)."""
        return _name(self.record_id, self.office, self.shipped)


def _name(record_id: str, *records: Mapping | None) -> str:
    for record in records:
        for key in ("name", "name_zh"):
            if record and record.get(key):
                return str(record[key])
    return record_id


@dataclass(frozen=True)
class UpgradeReport:
    """What bringing the shipped data in did: ``(entity, id, name)`` of the records corrected
    (updated to the shipped version), added and removed; the conflicts; how many were equal."""

    corrected: tuple[tuple[str, str, str], ...] = ()
    added: tuple[tuple[str, str, str], ...] = ()
    removed: tuple[tuple[str, str, str], ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    unchanged: int = 0

    @property
    def written(self) -> int:
        """How many records were written."""
        return len(self.corrected) + len(self.added) + len(self.removed)


@dataclass
class _Plan:
    changes: list[Change] = field(default_factory=list)
    remember: dict[tuple[str, str], dict | None] = field(default_factory=dict)
    pending: dict[tuple[str, str], dict | None] = field(default_factory=dict)
    clear: set[tuple[str, str]] = field(default_factory=set)
    corrected: list[tuple[str, str, str]] = field(default_factory=list)
    added: list[tuple[str, str, str]] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0


def _plain(value: object) -> object:
    """A value as compared: None for missing/NaN/empty text, numbers as rounded floats."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool):
        return float(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int | float):
        return None if math.isnan(value) else round(float(value), 9)
    text = str(value).strip()
    return text or None


def comparable(record: Mapping | None, columns: tuple[str, ...]) -> dict | None:
    """``record``'s fields as compared across the shipped data, the store and JSON.

    Parameters
    ----------
    record
        A record (a row of the store, of ``data/``, or JSON read back); None for none.
    columns
        The entity's columns (:data:`geo.store.schema.COLUMNS`).

    Returns
    -------
    dict or None
        ``{column: value}`` with missing, NaN and empty text as None, numbers and booleans as
        floats rounded to 1e-9 (about 0.1 mm in degrees); a column ``record`` lacks (a field
        added by a later migration) is left out.
    """
    if record is None:
        return None
    return {column: _plain(record.get(column)) for column in columns if column in record}


def _same(a: dict | None, b: dict | None) -> bool:
    """Equal on the fields both have (None and None are equal)."""
    if a is None or b is None:
        return a is None and b is None
    return all(a[key] == b[key] for key in a.keys() & b.keys())


def _differing(a: dict | None, b: dict | None, columns: tuple[str, ...]) -> tuple[str, ...]:
    if a is None or b is None:
        return ()
    return tuple(c for c in columns if c in a and c in b and a[c] != b[c])


def _json(record: dict | None) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def load_shipped(data_dir: Path = DATA_DIR) -> dict[str, dict[str, dict]]:
    """The records ``data_dir`` ships, by entity and id.

    Parameters
    ----------
    data_dir
        Folder of ``sites.csv``, ``metrics.csv`` and ``alliances.csv``.

    Returns
    -------
    dict
        ``{entity: {id: record}}`` with each record's columns (:data:`COLUMNS`) as plain
        Python values (missing as None).
    """
    out = {}
    for entity in ENTITIES:
        frame = _LOADERS[entity](data_dir / f"{entity}.csv")
        frame = frame[list(COLUMNS[entity])].astype(object)
        records = frame.where(frame.notna(), None).to_dict("records")
        out[entity] = {str(r["id"]): {k: _python(v) for k, v in r.items()} for r in records}
    return out


def _python(value: object) -> object:
    return value.item() if hasattr(value, "item") else value


def _remembered(conn) -> dict[tuple[str, str], dict | None]:
    """``{(entity, id): record}``: each shipped record as last brought in (None: no longer
    shipped), from the ``shipped`` table, else from the audit trail's ``seed`` entry (a store
    seeded before migration 0006, or never upgraded since its seed)."""
    out: dict[tuple[str, str], dict | None] = {}
    seeds = conn.execute(
        sa.select(audit_table.c.entity, audit_table.c.record_id, audit_table.c.after)
        .where(audit_table.c.action == "seed", audit_table.c.entity.in_(ENTITIES))
        .order_by(audit_table.c.id)
    )
    for entity, record_id, after in seeds:  # oldest first: the latest seed wins
        if after:
            out[(entity, record_id)] = json.loads(after)
    for row in conn.execute(
        sa.select(shipped_table.c.entity, shipped_table.c.record_id, shipped_table.c.record)
    ):
        out[(row.entity, row.record_id)] = json.loads(row.record) if row.record else None
    return out


def _plan(store: Store, shipped: dict[str, dict[str, dict]], remembered: dict) -> _Plan:
    """What to write and remember: each shipped or remembered record decided by :func:`_decide`."""
    plan = _Plan()
    for entity in ENTITIES:
        columns = tuple(COLUMNS[entity])
        frame = store.read(entity)
        stored = {
            str(r["id"]): r
            for r in frame.astype(object).where(frame.notna(), None).to_dict("records")
        }
        ids = set(shipped[entity]) | {rid for (e, rid) in remembered if e == entity}
        for record_id in sorted(ids):
            key = (entity, record_id)
            new = shipped[entity].get(record_id)
            base = remembered.get(key)
            office = stored.get(record_id)
            n, b, s = (comparable(r, columns) for r in (new, base, office))
            _decide(plan, entity, record_id, new, office, n, b, s, columns)
    return plan


def _decide(plan, entity, record_id, new, office, n, b, s, columns) -> None:
    key = (entity, record_id)
    named = (entity, record_id, _name(record_id, new, office))
    version = None if office is None else int(office["version"])

    def conflict() -> None:
        plan.pending[key] = new
        plan.conflicts.append(
            Conflict(entity, record_id, _fields(office, columns), new, _differing(s, n, columns))
        )

    if n is None and b is None:  # an office's own record, never shipped
        return
    if b is None:  # shipped for the first time (or shipped before any memory of it)
        if s is None:
            plan.changes.append(Change(entity, "insert", new))
            plan.added.append(named)
            plan.remember[key] = new
        elif _same(s, n):
            plan.remember[key] = new
            plan.clear.add(key)
            plan.unchanged += 1
        else:
            conflict()
    elif n is None:  # no longer shipped
        if s is None:
            plan.remember[key] = None
        elif _same(s, b):
            plan.changes.append(Change(entity, "delete", {"id": record_id}, version))
            plan.removed.append(named)
            plan.remember[key] = None
        else:
            conflict()
    elif _same(n, b):  # the shipped record did not change
        plan.remember[key] = new
        plan.unchanged += 1
    elif s is not None and _same(s, b):  # corrected, and nobody edited it: bring it in
        plan.changes.append(Change(entity, "update", new, version))
        plan.corrected.append(named)
        plan.remember[key] = new
    elif _same(s, n):  # the office made the same correction
        plan.remember[key] = new
        plan.clear.add(key)
        plan.unchanged += 1
    else:  # edited (or deleted) by an office: its version stays
        conflict()


def _fields(record: dict | None, columns: tuple[str, ...]) -> dict | None:
    return None if record is None else {c: _python(record.get(c)) for c in columns}


def _store_plan(store: Store, plan: _Plan) -> None:
    """Write what the plan remembers into the ``shipped`` table, in one transaction."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.engine.begin() as conn:
        existing = {
            (row.entity, row.record_id): row
            for row in conn.execute(sa.select(shipped_table.c.entity, shipped_table.c.record_id))
        }
        for (entity, record_id), record in plan.remember.items():
            _put(conn, existing, entity, record_id, {"record": _json_or_none(record)}, now)
            _put(conn, existing, entity, record_id, {"pending": None}, now)
        for (entity, record_id), record in plan.pending.items():
            value = json.dumps({"record": record}, ensure_ascii=False, sort_keys=True)
            _put(conn, existing, entity, record_id, {"pending": value}, now)
        for entity, record_id in plan.clear - set(plan.remember):
            _put(conn, existing, entity, record_id, {"pending": None}, now, create=False)


def _json_or_none(record: dict | None) -> str | None:
    return None if record is None else _json(record)


def _put(conn, existing, entity, record_id, values, now, create: bool = True) -> None:
    key = (entity, record_id)
    where = (shipped_table.c.entity == entity) & (shipped_table.c.record_id == record_id)
    if key in existing:
        conn.execute(shipped_table.update().where(where).values(**values, at=now))
    elif create:
        row = {"entity": entity, "record_id": record_id, "record": None, "pending": None}
        conn.execute(shipped_table.insert().values(**{**row, **values}, at=now))
        existing[key] = True


def bring_in_shipped(store: Store, data_dir: Path = DATA_DIR) -> UpgradeReport:
    """Bring the records of ``data_dir`` into ``store``: corrections where no office edited the
    record, conflicts where one did (see the module's docstring).

    The corrections are written in one transaction by :data:`SYSTEM_USER` (audit action
    ``upgrade``), then remembered as shipped. Running it again changes nothing.

    Parameters
    ----------
    store
        The store (migrated and seeded: :meth:`Store.open`).
    data_dir
        The shipped ``data/`` of the version being installed.

    Returns
    -------
    UpgradeReport
        What was corrected, added, removed, and the conflicts (with the ones left from
        earlier upgrades).

    Raises
    ------
    geo.store.records.ConflictError
        If a record changed while this ran (nothing was written; run it again).
    """
    shipped = load_shipped(data_dir)
    with store.engine.connect() as conn:
        remembered = _remembered(conn)
    plan = _plan(store, shipped, remembered)
    if plan.changes:
        store.apply(plan.changes, SYSTEM_USER, action=UPGRADE_ACTION)
    _store_plan(store, plan)
    return UpgradeReport(
        tuple(plan.corrected),
        tuple(plan.added),
        tuple(plan.removed),
        tuple(plan.conflicts),
        plan.unchanged,
    )


def shipped_conflicts(store: Store) -> list[Conflict]:
    """The conflicts left by upgrades: shipped versions not brought in because an office had
    changed the record.

    Parameters
    ----------
    store
        The store.

    Returns
    -------
    list of Conflict
        Ordered by entity and id; empty when there is none.
    """
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(shipped_table)
            .where(shipped_table.c.pending.is_not(None))
            .order_by(shipped_table.c.entity, shipped_table.c.record_id)
        ).all()
    out = []
    for row in rows:
        columns = tuple(COLUMNS[row.entity])
        office = store.get(row.entity, row.record_id)
        shipped = json.loads(row.pending)["record"]
        office_fields = _fields(office, columns)
        fields = _differing(comparable(office, columns), comparable(shipped, columns), columns)
        out.append(Conflict(row.entity, row.record_id, office_fields, shipped, fields))
    return out


def resolve_conflict(store: Store, conflict: Conflict, take_shipped: bool, user) -> None:
    """Settle a conflict: take the shipped version, or keep the office's.

    Either way the shipped version is remembered as brought in, so the next upgrade compares
    against it.

    Parameters
    ----------
    store
        The store.
    conflict
        One of :func:`shipped_conflicts`.
    take_shipped
        True to write the shipped version over the office's (as ``user``, audited); False to
        keep the office's version.
    user
        Who decides (a name or a :class:`geo.data.access.Account`; an administrator).

    Raises
    ------
    geo.store.records.ConflictError
        If the record changed since ``conflict`` was read (nothing was written).
    geo.store.records.ScopeError
        If ``user`` may not write the record.
    """
    if take_shipped:
        office = store.get(conflict.entity, conflict.record_id)
        version = None if office is None else int(office["version"])
        if conflict.shipped is None and office is not None:
            change = Change(conflict.entity, "delete", {"id": conflict.record_id}, version)
        elif conflict.shipped is not None and office is None:
            change = Change(conflict.entity, "insert", conflict.shipped)
        elif conflict.shipped is not None:
            change = Change(conflict.entity, "update", conflict.shipped, version)
        else:
            change = None
        if change is not None:
            store.apply([change], user)
    plan = _Plan(remember={(conflict.entity, conflict.record_id): conflict.shipped})
    _store_plan(store, plan)


def report_lines(report: UpgradeReport, lang: str = "zh") -> list[str]:
    """The upgrade's report as people read it: the counts, each record written, each conflict.

    Parameters
    ----------
    report
        What :func:`bring_in_shipped` did.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    list of str
        One line each; ends with what to do about conflicts when there are any.
    """
    lines = [
        t(
            "upgrade_summary",
            lang,
            corrected=len(report.corrected),
            added=len(report.added),
            removed=len(report.removed),
            unchanged=report.unchanged,
            conflicts=len(report.conflicts),
        )
    ]
    for key, pairs in (
        ("upgrade_corrected", report.corrected),
        ("upgrade_added", report.added),
        ("upgrade_removed", report.removed),
    ):
        for entity, record_id, name in pairs:
            lines.append(t(key, lang, entity=_entity(entity, lang), name=name, id=record_id))
    for conflict in report.conflicts:
        lines.append(conflict_line(conflict, lang))
    if report.conflicts:
        lines.append(t("upgrade_conflict_hint", lang))
    return lines


def _entity(entity: str, lang: str) -> str:
    return t(f"audit_entity_{entity}", lang)


def conflict_line(conflict: Conflict, lang: str = "zh") -> str:
    """One conflict in words: which record, and what differs (or that it was deleted here or
    is no longer shipped).

    Parameters
    ----------
    conflict
        A conflict of :func:`bring_in_shipped` or :func:`shipped_conflicts`.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
    """
    values = {
        "entity": _entity(conflict.entity, lang),
        "name": conflict.name,
        "id": conflict.record_id,
    }
    if conflict.office is None:
        return t("upgrade_conflict_deleted", lang, **values)
    if conflict.shipped is None:
        return t("upgrade_conflict_unshipped", lang, **values)
    fields = join_list((field_label(f, lang) or f for f in conflict.fields), lang)
    return t("upgrade_conflict", lang, fields=fields, **values)


def schema_revision(store: Store) -> str | None:
    """The store's schema revision (Alembic's ``alembic_version``), or None before any.

    Parameters
    ----------
    store
        The store.

    Returns
    -------
    str or None
    """
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def downgrade_schema(url: str | None, revision: str) -> None:
    """Take the store's schema back to ``revision`` (Alembic downgrade), keeping the data: what
    a rollback to an older version runs first, with the newer version's migrations.

    Parameters
    ----------
    url
        The store's database URL; None for :func:`geo.config.database_url`.
    revision
        The older version's newest migration (e.g. ``"0005"``).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = sa.create_engine(sqlalchemy_url(url) if url else database_url())
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
    finally:
        engine.dispose()
