"""Ledger intake benchmark: ``python -m bench.intake [--rows N ...] [--json]``.

Writes SYNTHETIC ledgers shaped as offices keep them (a merged title row, a 填报 row, the
office's header wording, AMap coordinates, 合计 rows) in three formats (.xlsx, legacy .xls,
GBK .csv), and times, per format, in a temporary store:

- ``read_s``: reading the file's cells in this process (python-calamine / the CSV reader):
  the floor;
- ``isolated_s``: the same reading as an import does it, in a child process with limits
  (:mod:`geo.isolation`: a process started, its answer passed back as JSON);
- ``plan_s``: the isolated reading plus finding the header and mapping the columns;
- ``dry_run_s``: the whole check (every row normalised, validated, compared with the store);
- ``apply_s``: the import written in one transaction;

and prints each per 1,000 rows and as a ratio to the floor measured in the same run. The
synthetic names (``合成阵地…``) never reach ``data/``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import shapely
import xlwt
from openpyxl import Workbook

from geo.data import datum
from geo.data import io as geo_io
from geo.intake.ledger import Lookups, import_file, plan_file
from geo.intake.read import read_tables as read_isolated
from geo.intake.sheetfile import read_tables
from geo.store.records import Store

HEADER = ["序号", "阵地名称", "阵地类型", "所属街道", "所属村（社区）", "项目类别", "建成年份",
          "经度", "纬度", "坐标来源", "联系人", "备注"]  # fmt: skip
KINDS = ("党群服务中心", "暖心驿站", "示范点", "产业点")
PROGRAMS = ("党群服务中心", "新就业群体党建", "两新组织党建示范点", "一村一品")


def _inside(area, count: int) -> list[tuple[float, float]]:
    """``count`` points well inside ``area`` (a deterministic low-discrepancy scatter)."""
    inner = area.buffer(-0.002)
    west, south, east, north = inner.bounds
    points, step = [], 0
    while len(points) < count:
        step += 1
        x = west + (step * 0.618034 % 1.0) * (east - west)
        y = south + (step * 0.754878 % 1.0) * (north - south)
        if inner.contains(shapely.Point(x, y)):
            points.append((x, y))
    return points


def ledger_rows(n: int) -> list[list[object]]:
    """``n`` synthetic rows over the real gazetteer, AMap (GCJ-02) positions inside each row's
    subdistrict, with a 小计 row every 500 rows."""
    units = geo_io.load_units()
    streets = geo_io.load_subdistricts().set_index("code")
    areas = geo_io.load_areas().set_index("code").geometry
    inside = {code: _inside(areas[code], 64) for code in streets.index}
    rows: list[list[object]] = []
    for i in range(n):
        unit = units.iloc[i % len(units)]
        seat = streets.loc[unit["subdistrict_code"]]
        lon, lat = inside[unit["subdistrict_code"]][(i // len(units)) % 64]
        x, y = datum.from_wgs84([lon], [lat], datum.GCJ02)
        rows.append([
            i + 1, f"合成阵地{i:06d}", KINDS[i % len(KINDS)], seat["name"], unit["short_name"],
            PROGRAMS[i % len(PROGRAMS)], 2020 + i % 5, round(float(x[0]), 6),
            round(float(y[0]), 6), "高德地图拾取", "张三", "合成数据（bench）",
        ])  # fmt: skip
        if (i + 1) % 500 == 0:
            rows.append(["小计", *[""] * (len(HEADER) - 1)])
    return rows


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    ws.append(["市中区党建引领基层治理阵地台账（合成数据）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(["填报单位：区委组织部", *[""] * 7, "填报日期：2026年12月1日"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list[object]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("台账")
    ws.write_merge(0, 0, 0, len(HEADER) - 1, "市中区党建引领基层治理阵地台账（合成数据）")
    for c, text in enumerate(HEADER):
        ws.write(1, c, text)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("gbk"))
    return path


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "csv": write_csv}


def _timed(func):
    started = time.perf_counter()
    value = func()
    return time.perf_counter() - started, value


def measure(rows: int, formats: tuple[str, ...], folder: Path) -> list[dict]:
    lookups = Lookups.load()
    data = ledger_rows(rows)
    results = []
    for fmt in formats:
        if fmt == "xls" and rows > 65_000:  # the .xls format holds 65,536 rows a sheet
            continue
        path = WRITERS[fmt](folder / f"ledger-{rows}.{fmt}", data)
        store = Store.open(f"sqlite:///{folder / f'store-{fmt}-{rows}.sqlite'}")
        read_s, _ = _timed(lambda path=path: read_tables(path))
        isolated_s, _ = _timed(lambda path=path: read_isolated(path))
        plan_s, plan = _timed(lambda path=path: plan_file(path, lookups))
        dry_s, dry = _timed(lambda path=path, store=store: import_file(
            path, store, "bench", dry_run=True, lookups=lookups))  # fmt: skip
        apply_s, done = _timed(
            lambda path=path, store=store: import_file(path, store, "bench", lookups=lookups)
        )
        assert dry.ok and done.applied, [i.describe() for i in done.errors][:5]
        assert sum(done.added.values()) == rows
        store.engine.dispose()
        results.append(
            {
                "format": fmt,
                "rows": rows,
                "bytes": path.stat().st_size,
                "sheets": len(plan.sheets),
                "read_s": read_s,
                "isolated_s": isolated_s,
                "plan_s": plan_s,
                "dry_run_s": dry_s,
                "apply_s": apply_s,
            }
        )
    return results


def report(results: list[dict]) -> str:
    lines = [
        "| format | rows | read (floor) | read in a child | plan | dry run | import "
        "| import per 1,000 rows | dry run ÷ floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        per_k = r["apply_s"] / r["rows"] * 1000  # an import checks everything, then writes
        lines.append(
            f"| {r['format']} | {r['rows']:,} | {r['read_s']:.3f} s | {r['isolated_s']:.3f} s "
            f"| {r['plan_s']:.3f} s "
            f"| {r['dry_run_s']:.2f} s | {r['apply_s']:.2f} s | {per_k:.3f} s "
            f"| {r['dry_run_s'] / max(r['read_s'], 1e-9):.1f}× |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.intake", description="Time importing SYNTHETIC ledgers."
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--formats", nargs="+", choices=sorted(WRITERS), default=list(WRITERS))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="shizhong-intake-") as tmp:
        for rows in args.rows:
            results += measure(rows, tuple(args.formats), Path(tmp))
    print(json.dumps(results, indent=2) if args.json else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
