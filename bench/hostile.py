"""Hostile ledgers at full size: ``python -m bench.hostile [--json]``.

Builds, in a temporary folder, the files that once took the server down or ate its memory, at
the sizes they were seen at, and imports each with ``python -m geo import FILE --dry-run`` on a
store of its own, as an editor would. For each it prints the outcome (the message an official
reads), the wall time, and the peak memory of the command's own process and of the child that
parsed the file (``ru_maxrss``), against the floor of the same command on a good 1,000-row
ledger measured in the same run. The limits are the defaults of
:class:`geo.isolation.ParseLimits` (1 GiB and 120 s for the child).

Targets (issue "No file can harm the server or the data"): each refused with a clear message and
no traceback, peak memory under 1 GiB, under 60 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.intake import ledger_rows, write_csv, write_xlsx

PROJECT_DIR = Path(__file__).resolve().parents[1]
#: Run as the command: its own peak and its children's (the parser), in MiB, on stderr's last line.
_MEASURED = (
    "import resource, sys\n"
    "from geo.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "sys.stderr.write(f'\\nRSS {own:.0f} {child:.0f}\\n')\n"
    "sys.exit(code)\n"
)


_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_BOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_BOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_HEAD = (
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main">'
)


def hostile_xlsx(path: Path, rows, dimension: str | None = None, padding: int = 0) -> Path:
    """A minimal .xlsx whose one sheet's rows come from ``rows`` (an iterable of XML strings,
    streamed into the zip), with an optional ``<dimension>`` and ``padding`` bytes of spaces
    (which deflate compresses about a thousand to one)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CT)
        book.writestr("_rels/.rels", _RELS)
        book.writestr("xl/workbook.xml", _BOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for row in rows:
                sheet.write(row.encode())
            chunk = b" " * (1 << 20)
            for _ in range(padding // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def cell(row: int, column: str, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def corner_rows():
    """Cells only at A1 and XFD1048576: 1.6 KB, a whole sheet's range."""
    yield f'<row r="1">{cell(1, "A", "名称")}</row>'
    yield f'<row r="1048576">{cell(1048576, "XFD", "x")}</row>'


def many_rows(n: int):
    yield f'<row r="1">{cell(1, "A", "站点名称")}{cell(1, "B", "项目")}</row>'
    for r in range(2, n + 2):
        yield f'<row r="{r}">{cell(r, "A", f"站{r}")}{cell(r, "B", "新就业群体")}</row>'


def build(folder: Path) -> dict[str, Path]:
    """The hostile files, and a good 1,000-row ledger for the floor."""
    files = {
        "good 1,000-row ledger (floor)": write_xlsx(folder / "good.xlsx", ledger_rows(1_000)),
        "1.6 KB: cells at A1 and XFD1048576": hostile_xlsx(folder / "corner.xlsx", corner_rows()),
        "the same, declaring its range": hostile_xlsx(
            folder / "corner-dim.xlsx", corner_rows(), dimension="A1:XFD1048576"
        ),
        "4.5 MB that unpacks to 2.2 GB": hostile_xlsx(
            folder / "bomb.xlsx", many_rows(1), padding=2200 << 20
        ),
        "a whole sheet, 1,048,575 rows (declared)": hostile_xlsx(
            folder / "whole.xlsx", many_rows(1_048_574), dimension="A1:B1048575"
        ),
        "a whole sheet, 1,048,575 rows (undeclared)": hostile_xlsx(
            folder / "whole-nodim.xlsx", many_rows(1_048_574)
        ),
        "a CSV of 1,048,575 rows": write_csv(folder / "whole.csv", ledger_rows(1_000) * 1_049),
    }
    return files


def run_one(path: Path, state: Path) -> dict:
    env = {**os.environ, "SHIZHONG_STATE_DIR": str(state), "PYTHONIOENCODING": "utf-8"}
    for name in ("DATABASE_URL", "SHIZHONG_AREAS_FILE"):
        env.pop(name, None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "import", str(path), "--dry-run"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    seconds = time.perf_counter() - started
    *messages, last = done.stderr.strip().splitlines() or [""]
    own, child = (float(v) for v in last.split()[1:3]) if last.startswith("RSS") else (0, 0)
    shown = [m for m in messages if m.strip() and "%" not in m]
    return {
        "bytes": path.stat().st_size,
        "exit": done.returncode,
        "seconds": seconds,
        "own_mb": own,
        "child_mb": child,
        "traceback": "Traceback" in done.stderr,
        "message": shown[0] if shown else done.stdout.strip().splitlines()[-1],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="shizhong-hostile-") as tmp:
        folder = Path(tmp)
        print("building the files ...", file=sys.stderr)
        files = build(folder)
        for number, (name, path) in enumerate(files.items()):
            print(f"importing: {name}", file=sys.stderr)
            results[name] = run_one(path, folder / f"state-{number}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    floor = next(iter(results.values()))
    print("| file | size | exit | time | ÷ floor | command's peak | parser's peak | message |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} | {r['bytes'] / 1024:,.1f} KB | {r['exit']} | {r['seconds']:.1f} s "
            f"| {r['seconds'] / floor['seconds']:.1f}× | {r['own_mb']:.0f} MB "
            f"| {r['child_mb']:.0f} MB | {r['message'][:70]} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
