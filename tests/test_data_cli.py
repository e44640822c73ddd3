"""``python -m geo template|import|export|backup|restore`` run as an official would, in a
subprocess with its own state folder (``$SHIZHONG_STATE_DIR``), including a kill mid-import."""

from __future__ import annotations

import csv
import io as _io
import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from geo import config
from geo.data import io
from geo.intake.ledger import import_file
from geo.reports import sheets
from geo.store.records import Store
from tests.accounts import secrets_with

PROJECT_DIR = Path(__file__).resolve().parents[1]
SUBDISTRICTS = io.load_subdistricts()
SITE_KEYS = [c.key for c in sheets.SITE_COLUMNS]
#: Settings that would point the commands at a store or files outside the test's control.
FOREIGN = config.REDIRECTING

GOOD_ROWS = [
    {
        "name": "高德拾取的驿站",
        "kind": "暖心驿站",
        "subdistrict": "杆石桥街道",
        "programs": "新就业群体党建",
        "year": "2025",
        "lon": "117.003",
        "lat": "36.655",
        "datum": "GCJ-02",
    },
    {
        "name": "百度拾取的示范点",
        "kind": "示范点",
        "subdistrict": "四里村街道",
        "programs": "两新组织党建示范点",
        "year": "2025",
        "lon": "117.0125",
        "lat": "36.6517",
        "datum": "BD-09",
    },
    {"name": "土屋村", "kind": "村", "unit": "土屋村", "programs": "跨村联建", "year": "2025"},
    {
        "name": "度分秒服务中心",
        "kind": "党群服务中心",
        "subdistrict": "杆石桥街道",
        "programs": "党群服务中心",
        "year": "2025",
        "lon": "117°0′10″",
        "lat": "36°39′18″",
        "datum": "WGS-84",
    },
    {
        "name": "泺源示范点",
        "kind": "示范点",
        "subdistrict": "泺源街道",
        "programs": "两新组织党建示范点",
        "year": "2024",
        "lon": "117.0001",
        "lat": "36.6607",
        "datum": "WGS-84",
    },
]


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state"


def geo_env(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
    env["SHIZHONG_STATE_DIR"] = str(state)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_geo(state: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=PROJECT_DIR,
        env=geo_env(state),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


def run_together(state: Path, *commands: tuple[str, ...]) -> list[subprocess.CompletedProcess]:
    """Commands that only read the store, run at the same time (each one starts slowly)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "geo", *map(str, args)],
            cwd=PROJECT_DIR,
            env=geo_env(state),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for args in commands
    ]
    results = []
    for args, process in zip(commands, processes, strict=True):
        out, err = process.communicate(timeout=180)
        results.append(
            subprocess.CompletedProcess(
                args, process.returncode, out.decode("utf-8"), err.decode("utf-8")
            )
        )
    return results


def database(state: Path) -> Path:
    return state / "shizhong.sqlite"


def seed(state: Path, import_rows: list[dict] | None = None, tmp: Path | None = None) -> None:
    """Create the commands' store in-process (faster than a subprocess), optionally with
    ``import_rows`` imported as the CLI would."""
    state.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{database(state)}")
    if import_rows:
        result = import_file(write_xlsx(tmp / "seed.xlsx", import_rows), store, "cli:seed")
        assert result.applied, result.issues
    store.engine.dispose()


def counts(state: Path) -> dict:
    """Rows per table, data_version and site names, read with sqlite3 (not the library)."""
    with sqlite3.connect(database(state)) as conn:
        found = {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("sites", "metrics", "alliances", "audit")
        }
        found["data_version"] = int(
            conn.execute("select value from meta where key = 'data_version'").fetchone()[0]
        )
        found["names"] = sorted(r[0] for r in conn.execute("select name from sites"))
        found["max_audit_id"] = conn.execute("select max(id) from audit").fetchone()[0]
    return found


SEEDED = {"sites": 20, "metrics": 16, "alliances": 2, "audit": 38, "data_version": 1}


def assert_seeded(found: dict) -> None:
    assert {k: found[k] for k in SEEDED} == SEEDED


def write_xlsx(path: Path, rows: list[dict]) -> Path:
    sheets.write_workbook(path, io.load_programs(), SUBDISTRICTS)
    book = load_workbook(path)
    ws = book["站点"]
    for offset, row in enumerate(rows):
        for col, key in enumerate(SITE_KEYS, start=1):
            ws.cell(row=3 + offset, column=col, value=row.get(key, ""))
    book.save(path)
    return path


def big_csv(path: Path, n: int, encoding: str = "utf-8", prefix: str = "big") -> Path:
    """``n`` valid stations at the 17 subdistricts' seats, each moved by a tiny offset."""
    seats = list(
        zip(SUBDISTRICTS["name"], SUBDISTRICTS["seat_lon"], SUBDISTRICTS["seat_lat"], strict=True)
    )
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["编号", "名称", "类型", "街道", "项目", "年份", "经度", "纬度", "坐标系"])
    for i in range(n):
        name, lon, lat = seats[i % len(seats)]
        offset = (i // len(seats)) % 100 * 1e-6
        writer.writerow(
            [
                f"{prefix}-{i:06d}",
                f"批量驿站{i}",
                "暖心驿站",
                name,
                "新就业群体党建",
                "2025",
                f"{lon + offset:.6f}",
                f"{lat + offset:.6f}",
                "WGS-84",
            ]
        )
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def progress_lines(stderr: str) -> list[tuple[int, int]]:
    return [
        (int(m.group(1)), int(m.group(2)))
        for part in re.split(r"[\r\n]", stderr)
        if (m := re.fullmatch(r"(\d+)/(\d+)", part.strip()))
    ]


# --- template and import ---------------------------------------------------------------------


def test_template_writes_the_workbook(state, tmp_path):
    path = tmp_path / "模板.xlsx"
    result = run_geo(state, "template", path)
    assert result.returncode == 0, result.stderr
    assert path.exists() and str(path) in result.stdout
    book = load_workbook(path)
    assert book.sheetnames == ["站点", "指标", "联建", "lists"]
    assert book["站点"]["A1"].value == "编号" and book["站点"]["A2"].value.startswith("【说明】")
    assert book["站点"]["A3"].value.startswith("示例")


def test_bad_file_then_dry_run_then_import_then_again(state, tmp_path):
    bad_rows = [GOOD_ROWS[0], dict(GOOD_ROWS[1], kind="城堡"), GOOD_ROWS[4] | {"year": "二五"}]
    bad = write_xlsx(tmp_path / "bad.xlsx", bad_rows)
    good = write_xlsx(tmp_path / "good.xlsx", GOOD_ROWS)
    seed(state)
    result, english, dry = run_together(
        state,
        ("import", bad),
        ("import", bad, "--lang", "en"),
        ("import", good, "--dry-run"),
    )
    assert result.returncode == 1
    assert "站点 sites 第4行「类型」“城堡”：不是已知类型" in result.stderr
    assert "站点 sites 第5行「年份」“二五”：不是有效年份" in result.stderr
    assert result.stderr.strip().splitlines()[-1] == "bad.xlsx：2 处错误，未写入任何数据"
    assert "新增" not in result.stdout
    assert_seeded(counts(state))

    assert english.returncode == 1
    assert "站点 sites:4 [类型] '城堡': not a known kind" in english.stderr
    assert english.stderr.strip().endswith("bad.xlsx: 2 error(s); nothing was written")
    assert_seeded(counts(state))

    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip().splitlines()[-1] == "试运行：将新增 5 条，将修改 0 条，未变 0 条"
    assert_seeded(counts(state))

    secrets = secrets_with(tmp_path / "secrets.toml", **{"official-1": "admin"})
    done = run_geo(state, "import", good, "--user", "official-1", "--secrets", secrets)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "已新增 5 条，已修改 0 条，未变 0 条"
    after = counts(state)
    assert after["sites"] == 25 and after["audit"] == 38 + 5
    assert after["data_version"] == 2
    with sqlite3.connect(database(state)) as conn:
        users = conn.execute("select distinct user, action from audit where id > 38").fetchall()
    assert users == [("official-1", "import")]

    again = run_geo(state, "import", good)
    assert again.returncode == 0, again.stderr
    assert "新增 0 条" in again.stdout and "修改 0 条" in again.stdout
    assert "未变 5 条" in again.stdout
    assert counts(state) == after


def test_import_of_a_file_that_is_not_a_workbook_is_reported(state, tmp_path):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes("名称,类型\n某点,村\n".encode("gbk"))
    result = run_geo(state, "import", path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-400:]
    assert "文件无法读取" in result.stderr and "未写入" in result.stderr


# --- export ----------------------------------------------------------------------------------


def test_export_xlsx_csv_geojson(state, tmp_path):
    seed(state, GOOD_ROWS, tmp_path)
    names = ("out.xlsx", "out.csv", "out.geojson")
    *results, unknown = run_together(
        state, *[("export", tmp_path / name) for name in (*names, "out.txt")]
    )
    for name, result in zip(names, results, strict=True):
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).exists() and "（25 个点位）" in result.stdout
    raw = (tmp_path / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(_io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 25 and "高德拾取的驿站" in {r["name"] for r in rows}
    collection = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 20 + 5
    feature = next(f for f in collection["features"] if f["properties"]["name"] == "泺源示范点")
    assert feature["geometry"] == {"type": "Point", "coordinates": [117.0001, 36.6607]}
    book = load_workbook(tmp_path / "out.xlsx")
    assert [c.value for c in book["站点"][1]] == [c.header for c in sheets.SITE_COLUMNS]
    assert book["站点"].max_row == 2 + 25
    # the exported workbook imports back without any change
    before = counts(state)
    again = run_geo(state, "import", tmp_path / "out.xlsx")
    assert again.returncode == 0, again.stderr
    assert "未变 43 条" in again.stdout and "新增 0 条" in again.stdout
    assert counts(state) == before
    assert unknown.returncode == 1 and "不支持的格式 .txt" in unknown.stderr
    assert not (tmp_path / "out.txt").exists()


# --- progress and a kill mid-import ----------------------------------------------------------


def test_long_import_prints_progress(state, tmp_path):
    path = big_csv(tmp_path / "3000.csv", 3000, encoding="gbk")
    result = subprocess.run(
        [sys.executable, "-m", "geo", "import", str(path)],
        cwd=PROJECT_DIR,
        env=geo_env(state),
        capture_output=True,
        timeout=180,
    )
    stderr, stdout = result.stderr.decode("utf-8"), result.stdout.decode("utf-8")
    assert result.returncode == 0, stderr[-500:]
    assert stdout.strip().splitlines()[-1] == "已新增 3000 条，已修改 0 条，未变 0 条"
    # one line on a terminal, rewritten in place: "\r200/3000" ... "\r3000/3000\n"
    assert stderr.startswith("\r200/3000\r400/3000") and "\r3000/3000\n" in stderr
    lines = progress_lines(stderr)
    steps = [(d, 3000) for d in range(200, 3000, 200)] + [(3000, 3000)]
    assert lines == steps + steps, "rows checked, then records written"
    assert counts(state)["sites"] == 3020


def test_kill_during_the_write_leaves_the_store_as_it_was(state, tmp_path):
    n = 10_000  # writing runs at several thousand rows a second: well over a second here
    path = big_csv(tmp_path / "big.csv", n)
    small = big_csv(tmp_path / "small.csv", 3, prefix="small")
    seed(state)
    before = counts(state)
    process = subprocess.Popen(
        [sys.executable, "-m", "geo", "import", str(path)],
        cwd=PROJECT_DIR,
        env=geo_env(state),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    seen, pending, phase_two = [], b"", None
    deadline = time.monotonic() + 120
    try:
        while phase_two is None and time.monotonic() < deadline:
            ready, _, _ = select.select([process.stderr], [], [], 1.0)
            if not ready:
                continue
            chunk = os.read(process.stderr.fileno(), 256)
            if not chunk:
                break  # the import ended before its write phase was seen
            pending += chunk
            *parts, pending = re.split(rb"[\r\n]", pending)
            for part in parts:
                match = re.fullmatch(rb"(\d+)/(\d+)", part.strip())
                if not match:
                    continue
                done, total = int(match.group(1)), int(match.group(2))
                if seen and seen[-1] == (n, n) and done < total:
                    phase_two = (done, total)  # counting again from the start: writing
                    break
                seen.append((done, total))
        assert phase_two is not None, f"no write progress; saw {seen[-3:]}"
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        out = process.stdout.read().decode("utf-8")
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert seen[-1] == (n, n) and phase_two[0] < n
    assert "新增" not in out, "the import finished before it was killed"
    assert Path(f"{database(state)}-journal").exists(), "killed inside the write transaction"

    assert counts(state) == before
    with sqlite3.connect(database(state)) as conn:
        assert conn.execute("select count(*) from sites where id like 'big-%'").fetchone() == (0,)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    result = run_geo(state, "import", small)
    assert result.returncode == 0, result.stderr
    assert "已新增 3 条" in result.stdout
    after = counts(state)
    assert after["sites"] == before["sites"] + 3
    assert after["data_version"] == before["data_version"] + 1


# --- backup and restore ----------------------------------------------------------------------


def test_backup_then_restore_brings_the_old_state_back(state, tmp_path):
    backups = tmp_path / "backups"
    seed(state)
    result = run_geo(state, "backup", backups / "before.sqlite")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in backups.iterdir()] == ["before.sqlite"]  # one file
    original = counts(state)
    assert_seeded(original)

    seed(state, GOOD_ROWS, tmp_path)
    with sqlite3.connect(database(state)) as conn:
        conn.execute("update sites set name = '改过的名称' where id = 'c-370103003001'")
    changed = counts(state)
    assert changed["sites"] == 25 and "改过的名称" in changed["names"]

    secrets = secrets_with(tmp_path / "secrets.toml", admin="admin")
    restored = run_geo(
        state, "restore", backups / "before.sqlite", "--user", "admin", "--secrets", secrets
    )
    assert restored.returncode == 0, restored.stderr
    assert "恢复" in restored.stdout
    now = counts(state)
    assert now["names"] == original["names"] and "春元里社区" in now["names"]
    assert (now["sites"], now["metrics"], now["alliances"]) == (20, 16, 2)
    assert now["data_version"] > changed["data_version"]  # no cache serves the newer records
    with sqlite3.connect(database(state)) as conn:
        last = conn.execute("select user, action from audit order by id desc limit 1").fetchone()
    assert last == ("admin", "restore")

    default = run_geo(state, "backup")
    assert default.returncode == 0
    written = list((state / "backups").glob("shizhong-*.sqlite"))
    assert len(written) == 1 and str(written[0]) in default.stdout


def test_restore_of_something_that_is_not_a_backup_changes_nothing(state, tmp_path):
    seed(state, GOOD_ROWS[:2], tmp_path)
    before = counts(state)
    text = tmp_path / "not-a-backup.txt"
    text.write_text("这不是备份 not a backup\n" * 50, encoding="utf-8")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
    paths = (text, other, tmp_path / "missing.sqlite")
    results = run_together(state, *[("restore", path) for path in paths])
    for path, result in zip(paths, results, strict=True):
        assert result.returncode == 1, path.name
        assert result.stderr.startswith("未恢复："), result.stderr[-300:]
        assert "Traceback" not in result.stderr
    assert counts(state) == before
