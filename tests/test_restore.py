"""``restore_sqlite`` (``geo restore``, the Manage page's restore) never loses data: a backup is
checked in a copy, the current store is kept first, and a refused backup leaves the store's
file byte for byte as it was. Real SQLite files, no mocks."""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from pathlib import Path

import pytest

from geo.store import RestoreError, Store, backup_sqlite, restore_sqlite

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

    restored = run_geo("restore", good, "--user", "admin")
    assert restored.returncode == 0, restored.stderr
    kept = list((state / "backups").glob("store-before-restore-*.sqlite"))
    assert len(kept) == 1 and f"恢复前的数据已备份到 {kept[0]}" in restored.stdout
    assert site_name(kept[0]) == "改过的名称" and site_name(path) == "春元里社区"
