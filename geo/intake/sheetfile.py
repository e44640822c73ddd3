"""Reading a ledger file into plain tables: every sheet of a workbook or the one table of a CSV.

Excel workbooks (.xlsx, .xlsm, .xls, .ods) are read with python-calamine, which reads the
legacy .xls format as well as the new ones, fast, and reports merged cells; a merged cell's
value is copied into every cell it covers (a 街道 cell merged over its rows names each row).
CSV files are UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's and WPS's "Unicode
text", tab-separated) or GB18030 (a superset of GBK, as Excel saves on a Chinese Windows).
Nothing here raises on a bad file: a problem becomes a :class:`ReadError` that the import
reports in the user's words.

A file from outside is read by :func:`geo.intake.read.read_tables` in a child process with
limits (:mod:`geo.isolation`); :func:`check_file` runs first, in the caller's process, and
refuses what its size and its zip directory already show to be too large (the limits of
:class:`geo.isolation.ParseLimits`). This module imports nothing heavy, so that the child starts
quickly and within its memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from geo.isolation import ParseLimits

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
    """The file cannot be read as a table; ``key`` names the message, ``detail`` the cause
    (in the user's words where a person reads it)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}")
        self.key, self.detail = key, detail


# --- cheap checks, before anything is parsed ---------------------------------------------------

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$")
#: Rows a sheet may have beyond ``max_rows`` (titles, headers, notes and sign-off rows).
_HEAD_ROWS = 50
#: Members a zip may declare (a workbook has dozens, a bureau's archive a few): parsing the
#: directory of millions of members would cost gigabytes before any other check.
MAX_MEMBERS = 10_000


def declared_members(archive: Path) -> int | None:
    """How many members a zip declares, read from its end-of-directory record (or its zip64
    record) in the file's last 64 KiB, before any directory is parsed.

    Parameters
    ----------
    archive
        The zip file (an .xlsx, .ods, .zip or .kmz).

    Returns
    -------
    int or None
        The count; None if the file has no such record (not a zip).
    """
    try:
        with archive.open("rb") as stream:
            size = stream.seek(0, 2)
            start = max(0, size - 65_557)  # the record (22 bytes) and a comment of 64 KiB
            stream.seek(start)
            tail = stream.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) < at + 22:
                return None
            count = struct.unpack_from("<H", tail, at + 10)[0]
            if count != 0xFFFF:
                return count
            locator = at - 20  # zip64: the count is in the record the locator points to
            if locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
                return None
            stream.seek(struct.unpack_from("<Q", tail, locator + 8)[0])
            record = stream.read(56)
            if len(record) < 56 or record[:4] != b"PK\x06\x06":
                return None
            return struct.unpack_from("<Q", record, 32)[0]
    except (OSError, ValueError, struct.error):
        return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.decode("ascii"):
        number = number * 26 + ord(letter) - 64
    return number


def _declared_size(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int] | None:
    """The rows and columns a worksheet's ``<dimension ref="A1:XFD1048576"/>`` declares,
    read from its first 4 KiB (the element comes before the data); None if it has none."""
    with book.open(info) as stream:
        head = stream.read(4096)
    match = _DIMENSION.search(head)
    if match is None:
        return None
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return 1, 1
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col) - _column_number(first_col) + 1
    return max(rows, 1), max(columns, 1)


def check_file(path: Path, limits: ParseLimits) -> None:
    """Refuse what a file's size and its zip directory already show to be too large.

    Cheap: nothing is unpacked but the first 4 KiB of each worksheet. A CSV or text file may
    be no larger than ``max_unpacked_mb``. An .xlsx, .xlsm or .ods is a zip: its unpacked
    size, each member's compression ratio and each worksheet's declared dimension are checked
    against ``limits``. Other files are read in the child, whose memory and time are limited.

    Parameters
    ----------
    path
        The file.
    limits
        The limits.

    Raises
    ------
    ReadError
        ``file_too_large`` (the detail, in Chinese, says which figure is over which limit).
    """
    if path.suffix.lower() in CSV_SUFFIXES:  # a text file is as large as it unpacks
        size = path.stat().st_size if path.is_file() else 0
        if size > limits.max_unpacked_mb * 1024 * 1024:
            raise ReadError(
                "file_too_large",
                f"文件 {size / 1024 / 1024:,.0f} MB，超过上限 {limits.max_unpacked_mb} MB",
            )
        return
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
        return
    members = declared_members(path)
    if members is not None and members > MAX_MEMBERS:
        raise ReadError("file_too_large", f"含 {members:,} 个部件，超过上限 {MAX_MEMBERS:,} 个")
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader says what it is not
    with book:
        infos = book.infolist()
        unpacked = sum(i.file_size for i in infos)
        if unpacked > limits.max_unpacked_mb * 1024 * 1024:
            raise ReadError(
                "file_too_large",
                f"解压后 {unpacked / 1024 / 1024:,.0f} MB，超过上限 {limits.max_unpacked_mb} MB",
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
                raise ReadError(
                    "file_too_large",
                    f"「{info.filename}」压缩比 {ratio:,.0f} 倍，超过上限 {limits.max_ratio} 倍",
                )
        cells = 0
        for info in infos:
            if not _SHEET_XML.match(info.filename):
                continue
            try:
                size = _declared_size(book, info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                continue  # a damaged member: the reader reports it
            if size is None:
                continue
            rows, columns = size
            if rows > limits.max_rows + _HEAD_ROWS:
                raise ReadError(
                    "file_too_large",
                    f"工作表声明 {rows:,} 行，超过上限 {limits.max_rows:,} 行",
                )
            cells += rows * columns
            if cells > limits.max_cells:
                raise ReadError(
                    "file_too_large",
                    f"工作表声明 {rows:,} 行 × {columns:,} 列，"
                    f"单元格超过上限 {limits.max_cells:,} 个",
                )


def _check_cells(tables: list[Table], limits: ParseLimits) -> None:
    """The cell cap on what was read (the row cap is applied while reading)."""
    cells = 0
    for table in tables:
        cells += len(table.rows) * (len(table.rows[0]) if table.rows else 0)
        if cells > limits.max_cells:
            raise ReadError("file_too_large", f"单元格超过上限 {limits.max_cells:,} 个")


def tables_as_json(path: str, limits: ParseLimits) -> list[dict]:
    """What the child process of :func:`geo.intake.read.read_tables` runs.

    Parameters
    ----------
    path
        The file.
    limits
        The row and cell caps.

    Returns
    -------
    list of dict
        Each table as ``{"name", "rows", "first_row"}``.

    Raises
    ------
    ReadError
        As :func:`read_tables`, and ``file_too_large`` over a row or cell cap.
    """
    tables = read_tables(Path(path), limits.max_rows)
    _check_cells(tables, limits)
    return [{"name": t.name, "rows": t.rows, "first_row": t.first_row} for t in tables]


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


def read_tables(path: Path, max_rows: int | None = None) -> list[Table]:
    """The tables of ``path``: every visible worksheet of a workbook, the one table of a CSV.

    Parameters
    ----------
    path
        A ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``, ``.csv`` or ``.txt`` file; a CSV may be
        UTF-8 (with or without BOM), UTF-16 with a BOM or GB18030, separated by commas,
        semicolons or tabs.
    max_rows
        Refuse a sheet of more rows than this (and 50 for titles and notes) as soon as its size
        is known, before its cells become Python objects; None: no cap.

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
        rejects (corrupt, encrypted, not really that format, a CSV with NUL bytes ...),
        ``file_too_large`` for a sheet over ``max_rows``.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError("unsupported_file", suffix or path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError("unreadable_file", error.strerror or str(error)) from error
    cap = None if max_rows is None else max_rows + _HEAD_ROWS
    if suffix in CSV_SUFFIXES:
        return [_csv_table(path.stem, data, cap)]
    return _workbook_tables(data, cap)


def _too_many_rows(name: str, rows: int, cap: int) -> ReadError:
    limit = cap - _HEAD_ROWS
    return ReadError("file_too_large", f"「{name}」有 {rows:,} 行，超过上限 {limit:,} 行")


def _workbook_tables(data: bytes, cap: int | None = None) -> list[Table]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        # hidden sheets hold drop-down lists (the template's "lists"), not records
        visible = [
            sheet.name
            for sheet in book.sheets_metadata
            if sheet.visible == python_calamine.SheetVisibleEnum.Visible
            and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        tables = [_sheet_table(book, name, cap) for name in visible]
    except ReadError:
        raise
    except Exception as error:  # calamine raises its own error types for every bad input
        raise ReadError("unreadable_file", str(error).splitlines()[0][:160]) from error
    return tables


def _sheet_table(book, name: str, cap: int | None = None) -> Table:
    sheet = book.get_sheet_by_name(name)
    # the rows the sheet's range spans from row 1 (``end`` is 0-based), before any cell is a
    # Python object
    spanned = sheet.end[0] + 1 if sheet.end else 0
    if cap is not None and spanned > cap:
        raise _too_many_rows(name, spanned, cap)
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
        The bytes: UTF-16 with a BOM (little- or big-endian: Excel's and WPS's "Unicode
        text"), UTF-8 (with or without BOM), else GB18030 (GBK as Chinese Excel and WPS save
        it).

    Returns
    -------
    str
        The text.

    Raises
    ------
    ReadError
        ``unreadable_file`` if it is none of these.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")  # the BOM gives the byte order, and is dropped
        except UnicodeDecodeError as error:
            raise ReadError("unreadable_file", "damaged UTF-16 text") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ReadError("unreadable_file", "neither UTF-8, UTF-16 nor GBK/GB18030 text") from error


def _csv_table(name: str, data: bytes, cap: int | None = None) -> Table:
    text = decode_text(data)
    if "\x00" in text:
        raise ReadError("unreadable_file", "the file holds NUL bytes: not a text (CSV) file")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = []
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append([cell.strip() for cell in row])
            if cap is not None and len(rows) > cap:
                raise _too_many_rows(name, text.count("\n") + 1, cap)
    except csv.Error as error:  # e.g. a field larger than the reader's limit
        raise ReadError("unreadable_file", str(error)) from error
    width = max((len(row) for row in rows), default=0)
    return Table(name, [row + [""] * (width - len(row)) for row in rows], first_row=1)
