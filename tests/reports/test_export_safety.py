"""Exports safe to open in Excel and WPS (OWASP CSV/formula injection): text that starts like a
formula gets a leading ``'`` in a CSV and is a text cell (never a formula) in an .xlsx, for the
Records downloads, ``python -m geo export`` and the template; numbers stay numbers, and the
importer reads its own workbook back unchanged. Real files, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io as stdio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from geo import config
from geo.data import io
from geo.data.tables import sites_for_people
from geo.intake.ledger import import_file
from geo.reports import export, sheets
from geo.store.records import Store

PROJECT_DIR = Path(__file__).resolve().parents[2]

#: Texts a spreadsheet would run as formulas (OWASP: =, +, -, @, tab, carriage return).
DANGEROUS = [
    '=HYPERLINK("http://x","点击")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\tx",
    "\rx",
]
SAFE = "某某社区党群服务站"
#: The ones the importer keeps as they are (it strips leading white space such as \t and \r).
KEPT_BY_IMPORT = [v for v in DANGEROUS if not v[0].isspace()]


def people_frame() -> pd.DataFrame:
    """Names, addresses and notes of every dangerous text and a safe one; real numbers; a
    negative number held as text."""
    texts = [*DANGEROUS, SAFE]
    return pd.DataFrame(
        {
            "名称": texts,
            "地址": list(reversed(texts)),
            "备注": texts,
            "数值": [-3.5] * len(texts),
            "整数": [-2] * len(texts),
            "文本数": ["-5"] * len(texts),
        }
    )


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(stdio.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_csv_neutralised(rows: list[list[str]], column: str, originals: list[str]) -> None:
    index = rows[0].index(column)
    for cell, original in zip([r[index] for r in rows[1:]], originals, strict=True):
        if original in DANGEROUS:
            assert cell == "'" + original, (cell, original)
        else:
            assert cell == original, (cell, original)


def assert_no_formula(path: Path) -> list:
    """Every sheet's cells (data_only=False): none is a formula; returns the workbook."""
    book = load_workbook(path, data_only=False)
    formulas = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    return book


def column_values(sheet, header: str, first_row: int = 2) -> list:
    headers = [c.value for c in sheet[1]]
    col = headers.index(header) + 1
    return [sheet.cell(row=r, column=col) for r in range(first_row, sheet.max_row + 1)]


# --- the Records downloads (geo.reports.export) ---------------------------------------------------


def test_csv_prefixes_formula_text_and_keeps_numbers():
    frame = people_frame()
    rows = csv_rows(export.records_to_csv(frame))
    assert rows[0] == list(frame.columns)
    for column in ("名称", "地址", "备注"):
        assert_csv_neutralised(rows, column, frame[column].tolist())
    assert {r[3] for r in rows[1:]} == {"-3.5"}  # real numbers: no prefix
    assert {r[4] for r in rows[1:]} == {"-2"}
    assert {r[5] for r in rows[1:]} == {"'-5"}  # a negative number held as text is text
    assert export.safe_cell(-7) == -7 and export.safe_cell(-7.5) == -7.5
    assert export.safe_cell(None) is None and export.safe_cell(SAFE) == SAFE


def test_xlsx_stores_formula_text_as_text(tmp_path):
    frame = people_frame()
    path = tmp_path / "records.xlsx"
    path.write_bytes(export.records_to_xlsx(frame, sheet="站点"))
    sheet = assert_no_formula(path)["站点"]
    for column in ("名称", "地址", "备注"):
        cells = column_values(sheet, column)
        assert [c.value for c in cells] == frame[column].tolist()  # exactly, no ' added
        assert {c.data_type for c in cells} == {"s"}
    numbers = column_values(sheet, "数值") + column_values(sheet, "整数")
    assert {(c.data_type, c.value) for c in numbers} == {("n", -3.5), ("n", -2)}
    assert {(c.data_type, c.value) for c in column_values(sheet, "文本数")} == {("s", "-5")}


def test_records_page_table_downloads_are_safe(tmp_path):
    """The Records page's table (sites_for_people) with dangerous site names and notes."""
    sites = io.load_sites().head(len(DANGEROUS) + 1).copy()
    texts = [*DANGEROUS, SAFE]
    sites["name"] = texts
    sites["description"] = texts
    table = sites_for_people(
        sites, io.load_subdistricts(), io.load_units(), io.load_programs(), io.load_sources()
    )
    rows = csv_rows(export.records_to_csv(table))
    assert_csv_neutralised(rows, "名称", texts)
    lon = rows[0].index("经度")
    assert [float(r[lon]) for r in rows[1:]] == table["经度"].tolist()
    path = tmp_path / "records.xlsx"
    path.write_bytes(export.records_to_xlsx(table, sheet="站点"))
    sheet = assert_no_formula(path)["站点"]
    assert [c.value for c in column_values(sheet, "名称")] == texts
    assert {c.data_type for c in column_values(sheet, "经度")} == {"n"}


# --- the template workbook (geo.reports.sheets) ---------------------------------------------------


def test_template_workbook_writes_formula_text_as_text(tmp_path):
    programs = io.load_programs()
    programs.loc[0, "name_zh"] = "=1+1"  # a drop-down list value, on the hidden lists sheet
    rows = {
        "sites": [{"id": f"s-{i}", "name": v, "description": v} for i, v in enumerate(DANGEROUS)],
        "metrics": [{"id": "m-1", "name_zh": "@SUM(A1)", "value": "-3"}],
        "alliances": [{"id": "a-1", "name": "-1+2", "membership_note": "+1"}],
    }
    path = sheets.write_workbook(tmp_path / "t.xlsx", programs, io.load_subdistricts(), rows)
    book = assert_no_formula(path)
    site_sheet = book["站点"]
    assert [c.value for c in column_values(site_sheet, "名称", first_row=3)] == DANGEROUS
    assert [c.value for c in column_values(site_sheet, "说明", first_row=3)] == DANGEROUS
    assert [c.value for c in column_values(book["指标"], "数值", first_row=3)] == ["-3"]
    assert book["联建"]["A3"].value == "a-1" and book["联建"]["B3"].value == "-1+2"
    assert book["lists"].cell(row=2, column=2).value == "=1+1"


# --- python -m geo template|export|import ----------------------------------------------------


def geo_env(state: Path, data_dir: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in config.REDIRECTING}
    env["SHIZHONG_STATE_DIR"] = str(state)
    env["PYTHONIOENCODING"] = "utf-8"
    if data_dir is not None:
        env["SHIZHONG_DATA_DIR"] = str(data_dir)
    return env


def run_geo(env: dict[str, str], *commands: tuple) -> list[subprocess.CompletedProcess]:
    """``python -m geo`` commands, run at the same time (each one starts slowly)."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "geo", *map(str, args)],
            cwd=PROJECT_DIR,
            env=env,
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
    for result in results:
        assert result.returncode == 0, result.stderr[-800:]
    return results


def test_cli_template_lists_stay_text(tmp_path, data_copy, edit_cell):
    edit_cell(data_copy / "programs.csv", "first_secretary", "name_zh", DANGEROUS[0])
    path = tmp_path / "template.xlsx"
    run_geo(geo_env(tmp_path / "state", data_copy), ("template", path))
    book = assert_no_formula(path)
    programs = [c.value for c in book["lists"]["B"]]
    assert programs[0] == "programs" and DANGEROUS[0] in programs


def test_cli_export_xlsx_and_csv_are_safe(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    store = Store.open(f"sqlite:///{state / 'shizhong.sqlite'}")
    base = store.read_sites().iloc[0].to_dict()
    texts = [*DANGEROUS, SAFE]
    for i, text in enumerate(texts):
        record = {**base, "id": f"danger-{i}", "name": text, "description": text, "source": text}
        record["lon"] = -117.003 if text == SAFE else record["lon"]  # a real negative number
        store.save("sites", record, "test")
    store.engine.dispose()
    xlsx, csv_path = tmp_path / "out.xlsx", tmp_path / "out.csv"
    run_geo(geo_env(state), ("export", xlsx), ("export", csv_path))

    rows = [r for r in csv_rows(csv_path.read_bytes()) if r[0].startswith("danger-")]
    rows.sort(key=lambda r: int(r[0].split("-")[1]))
    header = csv_rows(csv_path.read_bytes())[0]
    for column in ("name", "description", "source"):
        assert_csv_neutralised([header, *rows], column, texts)
    assert rows[-1][header.index("lon")] == "-117.003"  # a number: no prefix

    sheet = assert_no_formula(xlsx)["站点"]
    ids = [c.value for c in column_values(sheet, "编号", first_row=3)]
    order = [ids.index(f"danger-{i}") for i in range(len(texts))]
    for header_zh in ("名称", "说明", "来源"):
        cells = column_values(sheet, header_zh, first_row=3)
        assert [cells[i].value for i in order] == texts
        assert {cells[i].data_type for i in order} == {"s"}
    assert column_values(sheet, "经度", first_row=3)[order[-1]].value == "-117.003"


def text_workbook(path: Path, rows: list[dict]) -> Path:
    """The template with ``rows`` on the 站点 sheet, each cell a text cell (as typed in Excel
    after a '), written here without geo.reports.export so that the seed does not depend on it."""
    sheets.write_workbook(path, io.load_programs(), io.load_subdistricts())
    book = load_workbook(path)
    keys = [c.key for c in sheets.SITE_COLUMNS]
    for offset, row in enumerate(rows):
        for col, key in enumerate(keys, start=1):
            cell = book["站点"].cell(row=3 + offset, column=col, value=row.get(key, ""))
            cell.data_type = "s"
    book.save(path)
    return path


def test_cli_export_imports_back_unchanged(tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    rows = [
        {
            # a name that reads like a formula is refused on import
            # (tests/intake/test_ledger_values.py);
            # free text keeps it, neutralised on export
            "name": f"驿站{i}",
            "kind": "暖心驿站",
            "subdistrict": "杆石桥街道",
            "programs": "新就业群体党建",
            "year": "2025",
            "description": text,
            "lon": f"{117.0 + i / 1000:.4f}",
            "lat": "36.655",
            "datum": "WGS-84",
        }
        for i, text in enumerate([*KEPT_BY_IMPORT, SAFE])
    ]
    store = Store.open(f"sqlite:///{state / 'shizhong.sqlite'}")
    seeded = import_file(text_workbook(tmp_path / "seed.xlsx", rows), store, "cli:seed")
    assert seeded.applied, seeded.issues
    total = sum(len(store.read(e)) for e in ("sites", "metrics", "alliances"))
    store.engine.dispose()

    def stored() -> tuple:
        with sqlite3.connect(state / "shizhong.sqlite") as conn:
            names = sorted(conn.execute("select name, description, version from sites"))
            version = conn.execute("select value from meta where key = 'data_version'").fetchone()
        return names, version

    before = stored()
    assert {(r["name"], r["description"]) for r in rows} <= {n[:2] for n in before[0]}
    env = geo_env(state)
    run_geo(env, ("export", tmp_path / "out.xlsx"))
    assert_no_formula(tmp_path / "out.xlsx")
    (again,) = run_geo(env, ("import", tmp_path / "out.xlsx"))
    assert f"未变 {total} 条" in again.stdout and "新增 0 条" in again.stdout, again.stdout
    assert stored() == before
