"""Reading a ledger file into plain tables: every sheet of a workbook or the one table of a CSV.

Excel workbooks (.xlsx, .xlsm, .xls, .ods) are read with python-calamine, which reads the
legacy .xls format as well as the new ones, fast, and reports merged cells; a merged cell's
value is copied into every cell it covers (a 街道 cell merged over its rows names each row).
CSV files are UTF-8 (with or without BOM) or GB18030 (a superset of GBK, as Excel saves on a
Chinese Windows). Nothing here raises on a bad file: a problem becomes a :class:`ReadError`
that the import reports in the user's words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

import python_calamine

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
SUFFIXES = EXCEL_SUFFIXES + CSV_SUFFIXES


@dataclass(frozen=True)
class Table:
    """One sheet as text cells. ``rows[i]`` is the sheet's row ``first_row + i`` (1-based, as
    Excel and WPS number rows); every row has the same number of cells."""

    name: str
    rows: list[list[str]]
    first_row: int = 1

    def row_number(self, index: int) -> int:
        """The sheet's row number (1-based, as Excel and WPS number rows) of ``rows[index]``.

        Parameters
        ----------
        index
            An index into :attr:`rows`.

        Returns
        -------
        int
            ``first_row + index``.
        """
        return self.first_row + index


class ReadError(Exception):
    """The file cannot be read as a table; ``key`` names the message, ``detail`` the cause."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}")
        self.key, self.detail = key, detail


def cell_text(value: object) -> str:
    """A cell as the text a person sees.

    Parameters
    ----------
    value
        A cell as the reader returns it (None, bool, int, float, str, date, time, datetime,
        timedelta).

    Returns
    -------
    str
        ``""`` for None and non-finite numbers; 是/否 for booleans; whole numbers without
        ``.0``; dates as ISO (a datetime at midnight as its date); anything else as stripped
        text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def read_tables(path: Path) -> list[Table]:
    """The tables of ``path``: every visible worksheet of a workbook, the one table of a CSV.

    Parameters
    ----------
    path
        A ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``, ``.csv`` or ``.txt`` file; a CSV may be
        UTF-8 (with or without BOM) or GB18030, separated by commas, semicolons or tabs.

    Returns
    -------
    list of Table
        One table per visible worksheet (hidden sheets, such as the template's drop-down
        lists, are skipped), merged cells filled with their value; one table named after the
        file's stem for a CSV.

    Raises
    ------
    ReadError
        ``unsupported_file`` for another suffix, ``unreadable_file`` for a file its reader
        rejects (corrupt, encrypted, not really that format, a CSV with NUL bytes ...).
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError("unsupported_file", suffix or path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError("unreadable_file", error.strerror or str(error)) from error
    if suffix in CSV_SUFFIXES:
        return [_csv_table(path.stem, data)]
    return _workbook_tables(data)


def _workbook_tables(data: bytes) -> list[Table]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        # hidden sheets hold drop-down lists (the template's "lists"), not records
        visible = [
            sheet.name
            for sheet in book.sheets_metadata
            if sheet.visible == python_calamine.SheetVisibleEnum.Visible
            and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        tables = [_sheet_table(book, name) for name in visible]
    except Exception as error:  # calamine raises its own error types for every bad input
        raise ReadError("unreadable_file", str(error).splitlines()[0][:160]) from error
    return tables


def _sheet_table(book, name: str) -> Table:
    sheet = book.get_sheet_by_name(name)
    values = sheet.to_python(skip_empty_area=False)
    width = max((len(row) for row in values), default=0)
    rows = [[cell_text(v) for v in row] + [""] * (width - len(row)) for row in values]
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if top >= len(rows) or left >= width:
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                rows[r][c] = value
    return Table(name, rows, first_row=1)


def decode_text(data: bytes) -> str:
    """A text file's bytes as text.

    Parameters
    ----------
    data
        The bytes: UTF-8 (with or without BOM), else GB18030 (GBK as Chinese Excel and WPS
        save it).

    Returns
    -------
    str
        The text.

    Raises
    ------
    ReadError
        ``unreadable_file`` if it is neither.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ReadError("unreadable_file", "neither UTF-8 nor GBK/GB18030 text") from error


def _csv_table(name: str, data: bytes) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise ReadError("unreadable_file", "the file holds NUL bytes: not a text (CSV) file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:  # e.g. a field larger than the reader's limit
        raise ReadError("unreadable_file", str(error)) from error
    width = max((len(row) for row in rows), default=0)
    return Table(name, [row + [""] * (width - len(row)) for row in rows], first_row=1)
