"""Backups and restores of a store: one SQLite file, whatever the engine (SQLite or
PostgreSQL); a restore checks the file in a copy before it replaces anything, keeps the current
data in the state folder's backups, and replaces every table in one transaction."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from geo.data import io
from geo.data.access import ADMIN, DISTRICT, Account, account_of
from geo.store.records import ScopeError, Store
from geo.store.schema import areas_table, meta_table, metadata, migrate


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
    gazetteer = validate.References.from_frames(
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
            from geo.text.labels import join_clauses, t

            shown = [
                t(
                    "restore_issue",
                    lang,
                    entity=entity,
                    at=at,
                    column=t("issue_column", lang, column=issue.column),
                    value=t("issue_value", lang, value=issue.value),
                    problem=issue.problem(lang),
                )
                for entity, at, issue in failed[:_SHOWN_ISSUES]
            ]
            more = len(failed) - _SHOWN_ISSUES
            if more > 0:
                shown.append(t("list_more", lang, n=more))
            return join_clauses(shown, lang)

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


def restore_store(store: Store, path: Path, user: str | Account) -> Path:
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
    user : str or geo.data.access.Account
        Who restores, stored in the audit trail: an administrator (a plain name is the
        server's operator).

    Returns
    -------
    pathlib.Path
        The backup of the store as it was before the restore.

    Raises
    ------
    ScopeError
        If ``user`` is not an administrator; nothing is read or written.
    RestoreError
        (a ValueError, its message in Chinese, :meth:`RestoreError.text` in English) If
        ``path`` cannot be read, is damaged, is not a backup of this system, its records fail
        the checks, or the swap failed and was rolled back; the data is unchanged.
    ValueError
        If the store is an in-memory SQLite database or another engine.
    """
    name = _administrator(user, path)
    if store.engine.dialect.name == "postgresql":
        return _restore_postgres(store, path, name)
    return restore_sqlite(store, path, name)


def _administrator(user: str | Account, path: Path) -> str:
    """``user``'s name if an administrator may restore; ScopeError otherwise."""
    account = account_of(user)
    if account.role != ADMIN:
        raise ScopeError(account, [("store", path.name, DISTRICT)])
    return account.name


def restore_sqlite(store: Store, path: Path, user: str | Account) -> Path:
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
    user : str or geo.data.access.Account
        Who restores, stored in the audit trail: an administrator.

    Returns
    -------
    pathlib.Path
        The backup of the store as it was before the restore.

    Raises
    ------
    ScopeError
        If ``user`` is not an administrator; nothing is read or written.
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
    user = _administrator(user, path)
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
