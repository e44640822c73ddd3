"""``restore_sqlite``/``restore_store`` (``geo restore``, the Manage page's restore) never lose
data: a backup is checked in a copy, the current store is kept first, and a refused backup
leaves the store's file byte for byte as it was (on PostgreSQL: every table's rows as they
were; the swap is one transaction). Real SQLite files and a real PostgreSQL, no mocks but one
injected failure."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import struct
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import shapely
import sqlalchemy as sa

from geo.config import PROJECT_DIR, state_dir
from geo.store import backup as backup_module
from geo.store import schema
from geo.store.backup import (
    RestoreError,
    backup_sqlite,
    backup_store,
    restore_sqlite,
    restore_store,
)
from geo.store.records import Store
from geo.store.schema import metadata
from tests.accounts import secrets_with

SITE = "c-370103003001"  # 春元里社区, a seeded site
RECORDS = ("sites", "metrics", "alliances")


# --- helpers ---------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quick_check(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("PRAGMA quick_check")]


def site_name(path: Path, record_id: str = SITE) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("select name from sites where id = ?", (record_id,)).fetchone()[0]


def data_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        value = conn.execute("select value from meta where key = 'data_version'").fetchone()[0]
    return int(value)


def leftovers(folder: Path) -> list[str]:
    """Temporary copies a restore left next to the store."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".restore-"))


@pytest.fixture
def live(tmp_path: Path):
    """A seeded store in its own folder (as the state folder holds it) and its file."""
    folder = tmp_path / "state"
    folder.mkdir()
    path = folder / "shizhong.sqlite"
    store = Store.open(f"sqlite:///{path}")
    yield store, path
    store.engine.dispose()


@pytest.fixture
def good_backup(live, tmp_path: Path) -> Path:
    store, _ = live
    return backup_sqlite(store, tmp_path / "good.sqlite")


def edit(store: Store, name: str = "改过的名称") -> None:
    record = store.get("sites", SITE)
    store.save("sites", {**record, "name": name}, "editor", expected_version=record["version"])


def assert_refused(store: Store, path: Path, backup: Path, words: str) -> RestoreError:
    """Restoring ``backup`` raises RestoreError saying ``words``; the file is not touched."""
    folder = path.parent
    before = sha256(path)
    with pytest.raises(RestoreError) as raised:
        restore_sqlite(store, backup, "admin")
    error = raised.value
    assert isinstance(error, ValueError)  # callers catch ValueError
    assert words in str(error) and str(error).endswith("未作任何更改"), str(error)
    assert "nothing was changed" in error.text("en")
    assert sha256(path) == before
    assert quick_check(path) == ["ok"]
    assert leftovers(folder) == []
    assert not (folder / "backups").exists()  # refused before the current store was kept
    return error


# --- (a) a good backup -------------------------------------------------------------------------


def test_a_good_backup_restores_and_the_store_before_it_is_kept(live, good_backup):
    store, path = live
    expected = {entity: store.read(entity) for entity in RECORDS}
    edit(store)
    other = Store(store.url)  # another open store on the same file, read before the restore
    assert other.get("sites", SITE)["name"] == "改过的名称"
    changed_version = store.data_version()

    kept = restore_sqlite(store, good_backup, "admin")

    for entity in RECORDS:  # the backup's records (versions and stamps included)
        assert store.read(entity).equals(expected[entity]), entity
    assert other.get("sites", SITE)["name"] == "春元里社区"  # other connections see it too
    other.engine.dispose()
    assert store.data_version() > max(changed_version, data_version(good_backup))
    last = store.audit_log(1).iloc[0]
    assert (last["user"], last["action"], last["record_id"]) == ("admin", "restore", "good.sqlite")
    # the store as it was, edit included, kept next to it under a dated name
    assert kept.parent == path.parent / "backups"
    assert kept.name.startswith("store-before-restore-") and kept.suffix == ".sqlite"
    assert site_name(kept) == "改过的名称"
    assert data_version(kept) == changed_version
    assert quick_check(kept) == ["ok"] and quick_check(path) == ["ok"]
    assert leftovers(path.parent) == []
    # a second restore in the same second keeps a second file, it does not overwrite the first
    again = restore_sqlite(store, kept, "admin")
    assert again != kept and again.exists() and site_name(kept) == "改过的名称"
    assert store.get("sites", SITE)["name"] == "改过的名称"


# --- (b) a truncated backup whose first pages pass the table check ----------------------------


def truncated(good: Path, target: Path) -> Path:
    """``good`` cut to about 60% of its pages (at least every table's root page), its header's
    page count patched so that SQLite lists the tables and reads ``meta``."""
    data = good.read_bytes()
    page_size = struct.unpack(">H", data[16:18])[0]
    pages = len(data) // page_size
    with sqlite3.connect(good) as conn:
        roots = max(r[0] for r in conn.execute("select rootpage from sqlite_master"))
    keep = max(int(pages * 0.6), roots)
    assert 100 < keep * page_size < len(data)
    cut = bytearray(data[: keep * page_size])
    cut[28:32] = struct.pack(">I", keep)
    target.write_bytes(bytes(cut))
    # what the old check looked at still reads: the table names and the data_version
    with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as conn:
        tables = {r[0] for r in conn.execute("select name from sqlite_master")}
        version = conn.execute("select value from meta where key = 'data_version'").fetchone()
    assert {"sites", "metrics", "alliances", "audit", "meta"} <= tables and version is not None
    return target


def test_b_a_truncated_backup_is_refused_and_the_store_is_untouched(live, good_backup, tmp_path):
    store, path = live
    edit(store)
    bad = truncated(good_backup, tmp_path / "truncated.sqlite")
    assert_refused(store, path, bad, "备份文件已损坏（完整性检查未通过")
    assert store.get("sites", SITE)["name"] == "改过的名称"  # and the store keeps working
    edit(store, "再改一次")
    assert site_name(path) == "再改一次"


# --- (c) same table names, other columns ------------------------------------------------------


def foreign_file(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        for table in ("sites", "metrics", "alliances", "audit"):
            conn.execute(f"create table {table} (id text primary key, foo text)")
            conn.execute(f"insert into {table} values ('x', 'y')")
        conn.execute("create table meta (key text primary key, value text)")
        conn.execute("insert into meta values ('data_version', '7')")
    return path


def test_c_a_file_with_other_columns_is_refused_and_export_still_works(run_geo, tmp_path):
    state = tmp_path / "cli-state"  # the store run_geo's commands use
    state.mkdir()
    path = state / "shizhong.sqlite"
    store = Store.open(f"sqlite:///{path}")
    error = assert_refused(
        store,
        path,
        foreign_file(tmp_path / "foreign.sqlite"),
        "备份文件不是本系统的备份（表结构不符",
    )
    assert "Traceback" not in str(error)
    store.engine.dispose()
    exported = run_geo("export", tmp_path / "out.csv")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 21  # header + 20


def test_c_a_backup_missing_a_column_after_migrating_is_refused(live, good_backup, tmp_path):
    store, path = live
    narrow = tmp_path / "narrow.sqlite"
    narrow.write_bytes(good_backup.read_bytes())
    with sqlite3.connect(narrow) as conn:
        conn.execute("alter table alliances drop column membership_note")
    error = assert_refused(store, path, narrow, "表结构不符")
    assert "alliances" in str(error) and "membership_note" in str(error)


# --- (d) records that fail the data checks ----------------------------------------------------


def test_d_a_backup_whose_records_fail_the_checks_is_refused(live, good_backup, tmp_path):
    store, path = live
    bad = tmp_path / "bad-records.sqlite"
    bad.write_bytes(good_backup.read_bytes())
    with sqlite3.connect(bad) as conn:
        conn.execute("update sites set subdistrict_code = '370103999' where id = ?", (SITE,))
        conn.execute("update metrics set program = 'no_such_program' where id = 'm-brands'")
    error = assert_refused(store, path, bad, "备份中的记录未通过数据检查")
    assert SITE in str(error) and "370103999" in str(error)
    assert "m-brands" in str(error) and "no_such_program" in str(error)
    assert "370103999" in error.text("en") and "未" not in error.text("en")


# --- (e) not a SQLite file --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("这不是备份 not a backup\n" * 200, "不是 SQLite 数据库文件"),
        (bytes(range(256)) * 64, "不是 SQLite 数据库文件"),
        (b"", "缺少表"),  # SQLite reads an empty file as an empty database
        (None, "无法读取备份文件"),  # no file at all
    ],
    ids=["text", "bytes", "empty", "missing"],
)
def test_e_a_file_that_is_not_a_backup_is_refused(live, tmp_path, content, words):
    store, path = live
    backup = tmp_path / "backup.sqlite"
    if isinstance(content, str):
        backup.write_text(content, encoding="utf-8")
    elif content is not None:
        backup.write_bytes(content)
    given = sha256(backup) if backup.exists() else None
    assert_refused(store, path, backup, words)
    assert (sha256(backup) if backup.exists() else None) == given  # the file itself untouched


# --- (f) the command line ---------------------------------------------------------------------


def test_f_the_cli_says_why_a_restore_is_refused_and_where_the_old_store_went(run_geo, tmp_path):
    state = tmp_path / "cli-state"
    state.mkdir()
    path = state / "shizhong.sqlite"
    store = Store.open(f"sqlite:///{path}")
    good = backup_sqlite(store, tmp_path / "good.sqlite")
    edit(store)
    store.engine.dispose()
    bad = truncated(good, tmp_path / "truncated.sqlite")
    before = sha256(path)

    refused = run_geo("restore", bad)
    assert refused.returncode == 1
    assert refused.stderr.startswith("未恢复：备份文件已损坏（完整性检查未通过"), refused.stderr
    assert "未作任何更改" in refused.stderr and "Traceback" not in refused.stderr
    assert sha256(path) == before

    english = run_geo("restore", foreign_file(tmp_path / "foreign.sqlite"), "--lang", "en")
    assert english.returncode == 1 and "Traceback" not in english.stderr
    assert english.stderr.startswith("not restored: the file is not a backup of this system")
    assert sha256(path) == before

    secrets = secrets_with(
        tmp_path / "secrets.toml", admin="admin", wang=("street", ("370103002",))
    )
    refused = run_geo("restore", good, "--user", "wang", "--secrets", secrets)
    assert refused.returncode == 1, refused.stdout
    assert refused.stderr.strip() == "未写入：wang 无权修改全区的数据", refused.stderr
    assert sha256(path) == before

    restored = run_geo("restore", good, "--user", "admin", "--secrets", secrets)
    assert restored.returncode == 0, restored.stderr
    kept = list((state / "backups").glob("store-before-restore-*.sqlite"))
    assert len(kept) == 1 and f"恢复前的数据已备份到 {kept[0]}" in restored.stdout
    assert site_name(kept[0]) == "改过的名称" and site_name(path) == "春元里社区"


# --- (g) PostgreSQL: the same file format, one transaction ------------------------------------

AREA_CODE = "370103009"  # 七里山街道


@contextlib.contextmanager
def engine_store(engine: str, request, folder: Path):
    """A seeded store on ``engine``: a SQLite file in ``folder``, or a fresh PostgreSQL schema
    (skipped, saying why, without ``$SHIZHONG_TEST_PG_URL``)."""
    if engine == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        store = Store.open(f"sqlite:///{folder}/shizhong.sqlite")
        yield store
        store.engine.dispose()
        return
    admin = request.getfixturevalue("pg_admin")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    store = Store.open(
        f"{os.environ['SHIZHONG_TEST_PG_URL']}?options=-csearch_path%3D{schema},public"
    )
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture
def pg(request, tmp_path: Path):
    with engine_store("postgresql", request, tmp_path / "pg") as store:
        yield store


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table (and PostGIS' areas), sorted."""
    rows = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows[table.name] = sorted(map(tuple, conn.execute(sa.select(table))), key=repr)
        if store.spatial:
            rows["subdistrict_areas"] = sorted(
                map(
                    tuple,
                    conn.execute(
                        sa.text(
                            "SELECT code, name, schematic, ST_AsText(geom) FROM subdistrict_areas"
                        )
                    ),
                )
            )
    return rows


def kept_files() -> set[Path]:
    return set((state_dir() / "backups").glob("store-before-restore-*.sqlite"))


def official_area(code: str = AREA_CODE) -> dict:
    square = shapely.box(116.85, 36.52, 116.86, 36.53)
    return {
        "id": code,
        "code": code,
        "name": "七里山街道",
        "geometry": shapely.to_geojson(shapely.MultiPolygon([square])),
        "schematic": 0,
        "source": "边界文件《测试.shp》",
    }


def enrich(store: Store) -> None:
    """Records of every kind: an official area, a placed village, a mapping, a cached geocode."""
    store.save("areas", official_area(), "editor")
    unit = {"id": "370103021213", "lon": 116.9, "lat": 36.6, "location_precision": "exact"}
    store.save("units", unit | {"source": "地图点选"}, "editor")
    store.save("mappings", {"id": "h1", "headers": "[]", "mapping": "{}"}, "editor")
    store.cache_geocode(
        "济南市市中区七里山路", {"lon": 116.99, "lat": 36.64, "level": "道路", "provider": "test"}
    )


def test_g_a_pg_backup_restores_on_pg_and_the_data_before_it_is_kept(pg, tmp_path):
    enrich(pg)
    good = backup_store(pg, tmp_path / "good.sqlite")
    assert quick_check(good) == ["ok"] and site_name(good) == "春元里社区"
    expected = {entity: pg.read(entity) for entity in schema.TABLES}
    before_areas = snapshot(pg)["subdistrict_areas"]
    edit(pg)
    pg.delete("areas", AREA_CODE, "editor", expected_version=1)
    other = Store(pg.url)  # another open store on the same database
    assert other.get("sites", SITE)["name"] == "改过的名称"
    changed_version = pg.data_version()
    earlier = kept_files()

    kept = restore_store(pg, good, "admin")

    for entity, frame in expected.items():
        assert pg.read(entity).equals(frame), entity
    assert snapshot(pg)["subdistrict_areas"] == before_areas  # PostGIS' areas remade
    assert pg.subdistrict_at(116.855, 36.525) == AREA_CODE
    assert other.get("sites", SITE)["name"] == "春元里社区"
    other.engine.dispose()
    assert pg.data_version() > max(changed_version, data_version(good))
    last = pg.audit_log(1).iloc[0]
    assert (last["user"], last["action"], last["record_id"]) == ("admin", "restore", "good.sqlite")
    # the data as it was, edit included, kept as a dated backup in the state folder
    assert kept_files() - earlier == {kept}
    assert site_name(kept) == "改过的名称" and data_version(kept) == changed_version
    assert quick_check(kept) == ["ok"]
    assert not [p for p in state_dir().iterdir() if p.name.startswith(".restore-")]
    # the store keeps working (audit ids continue past the restored ones) and the kept file
    # restores too
    edit(pg, "再改一次")
    restore_store(pg, kept, "admin")
    assert pg.get("sites", SITE)["name"] == "改过的名称"
    assert pg.read("areas").empty and pg.subdistrict_at(116.855, 36.525) != AREA_CODE


def bad_records(good: Path, target: Path) -> Path:
    target.write_bytes(good.read_bytes())
    with sqlite3.connect(target) as conn:
        conn.execute("update sites set subdistrict_code = '370103999' where id = ?", (SITE,))
    return target


REFUSED = {
    "truncated": (truncated, "备份文件已损坏（完整性检查未通过"),
    "foreign": (lambda good, target: foreign_file(target), "备份文件不是本系统的备份"),
    "records": (bad_records, "备份中的记录未通过数据检查"),
    "text": (
        lambda good, target: target.write_text("not a backup\n" * 200) and target,
        "不是 SQLite 数据库文件",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_g_a_refused_backup_leaves_the_pg_data_unchanged(pg, tmp_path, case):
    make, words = REFUSED[case]
    good = backup_store(pg, tmp_path / "good.sqlite")
    edit(pg)
    bad = make(good, tmp_path / f"{case}.sqlite")
    before, version, earlier = snapshot(pg), pg.data_version(), kept_files()
    with pytest.raises(RestoreError) as raised:
        restore_store(pg, bad, "admin")
    assert words in str(raised.value) and str(raised.value).endswith("未作任何更改")
    assert "nothing was changed" in raised.value.text("en")
    assert snapshot(pg) == before and pg.data_version() == version
    assert kept_files() == earlier  # refused before the current data was kept


def long_address(good: Path, target: Path) -> Path:
    """A row SQLite takes but PostgreSQL refuses (longer than varchar(512)); the checks do not
    read the geocoder's cache, so it fails inside the swap."""
    target.write_bytes(good.read_bytes())
    with sqlite3.connect(target) as conn:
        conn.execute(
            "insert into geocode_cache values (?, 1.0, 2.0, 'x', 'exact', 'test', 'now')",
            ("路" * 600,),
        )
    return target


def test_g_a_failure_during_the_swap_rolls_back(pg, tmp_path, monkeypatch):
    enrich(pg)
    good = backup_store(pg, tmp_path / "good.sqlite")
    edit(pg)
    before, version = snapshot(pg), pg.data_version()

    with pytest.raises(RestoreError) as raised:  # a constraint, in the last table copied
        restore_store(pg, long_address(good, tmp_path / "long.sqlite"), "admin")
    assert str(raised.value).startswith("恢复时出错") and "未更改" in str(raised.value)
    assert snapshot(pg) == before and pg.data_version() == version

    copied = []
    real = backup_module._copy_rows

    def failing(source, target, table):  # midway: some tables deleted and refilled already
        if target.dialect.name == "postgresql":  # the swap, not the backup kept before it
            if len(copied) == 4:
                raise RuntimeError("disk full")
            copied.append(table.name)
        return real(source, target, table)

    monkeypatch.setattr(backup_module, "_copy_rows", failing)
    with pytest.raises(RestoreError, match="disk full") as raised:
        restore_store(pg, good, "admin")
    assert len(copied) == 4
    assert "the data was not changed" in raised.value.text("en")
    kept = raised.value.text("en").rsplit(" ", 1)[-1]
    assert site_name(Path(kept)) == "改过的名称"  # the data from before was kept all the same
    assert snapshot(pg) == before and pg.data_version() == version
    monkeypatch.undo()
    edit(pg, "再改一次")  # and the store keeps working
    assert pg.get("sites", SITE)["name"] == "再改一次"


@pytest.mark.parametrize(
    ("source", "target"),
    [("postgresql", "sqlite"), ("sqlite", "postgresql")],
    ids=["pg-to-sqlite", "sqlite-to-pg"],
)
def test_g_a_backup_restores_on_the_other_engine(request, tmp_path, source, target):
    with (
        engine_store(source, request, tmp_path / "source") as origin,
        engine_store(target, request, tmp_path / "target") as destination,
    ):
        enrich(origin)
        edit(origin, f"来自 {source}")
        record = origin.get("sites", "v-370103021209")  # an inferred site: a boolean
        assert record["inferred"] is True or record["inferred"] == 1
        good = backup_store(origin, tmp_path / "good.sqlite")
        edit(destination, "被替换")

        restore_store(destination, good, "admin")

        for entity in schema.TABLES:
            assert destination.read(entity).equals(origin.read(entity)), entity
        assert destination.get("sites", SITE)["name"] == f"来自 {source}"
        assert destination.read_sites().set_index("id").loc["v-370103021209", "inferred"]
        assert destination.subdistrict_at(116.855, 36.525) == AREA_CODE
        assert destination.cached_geocodes(["济南市市中区七里山路"])
        audit = destination.audit_log(10_000)
        assert len(audit) == len(origin.audit_log(10_000)) + 1
        assert audit.iloc[0]["action"] == "restore"


def test_g_the_cli_backs_up_and_restores_a_pg_store(pg, tmp_path):
    env = {**os.environ, "DATABASE_URL": pg.url, "PYTHONIOENCODING": "utf-8"}
    env["SHIZHONG_STATE_DIR"] = str(tmp_path / "cli-state")

    def run_geo(*args) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "geo", *map(str, args)]
        return subprocess.run(
            command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300
        )

    made = run_geo("backup", tmp_path / "cli.sqlite")
    assert made.returncode == 0, made.stderr
    assert site_name(tmp_path / "cli.sqlite") == "春元里社区"
    edit(pg)
    before = snapshot(pg)

    refused = run_geo("restore", foreign_file(tmp_path / "foreign.sqlite"))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("未恢复：备份文件不是本系统的备份"), refused.stderr
    assert snapshot(pg) == before

    secrets = secrets_with(tmp_path / "secrets.toml", admin="admin")
    restored = run_geo("restore", tmp_path / "cli.sqlite", "--user", "admin", "--secrets", secrets)
    assert restored.returncode == 0, restored.stderr
    kept = list((tmp_path / "cli-state" / "backups").glob("store-before-restore-*.sqlite"))
    assert len(kept) == 1 and f"恢复前的数据已备份到 {kept[0]}" in restored.stdout
    assert site_name(kept[0]) == "改过的名称"
    assert pg.get("sites", SITE)["name"] == "春元里社区"
