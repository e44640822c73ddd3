"""Reading an office's file into plain tables, in a child process with limits.

The reading itself is :mod:`geo.intake.sheetfile`; here it runs where a crash or a runaway costs
only
that import (:mod:`geo.isolation`): a file that kills its reader, or would take more memory or
time than :class:`geo.config.ParseLimits` allows, becomes a :class:`ReadError` with a message
for people, and the server and every session on it stay up.
"""

from __future__ import annotations

from pathlib import Path

from geo import isolation
from geo.config import child_environment, parse_limits
from geo.intake.sheetfile import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    SUFFIXES,
    ReadError,
    Table,
    cell_text,
    check_file,
    decode_text,
)
from geo.isolation import ParseLimits

__all__ = [
    "CSV_SUFFIXES",
    "EXCEL_SUFFIXES",
    "SUFFIXES",
    "ReadError",
    "Table",
    "cell_text",
    "decode_text",
    "read_tables",
]


def read_tables(path: Path, limits: ParseLimits | None = None) -> list[Table]:
    """The tables of ``path`` (see :func:`geo.intake.sheetfile.read_tables`), read in a child
    process.

    Parameters
    ----------
    path
        A ``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``, ``.csv`` or ``.txt`` file.
    limits
        What reading it may cost (:func:`geo.config.parse_limits` by default).

    Returns
    -------
    list of Table
        One table per visible worksheet, merged cells filled; one for a CSV.

    Raises
    ------
    ReadError
        ``unsupported_file``, ``unreadable_file``; ``file_too_large`` when a cheap check
        (:func:`geo.intake.sheetfile.check_file`), a row or cell cap, or the child's memory refuses
        it; ``file_timeout`` when it takes longer than allowed; ``file_crashed`` when the
        reader died on it.
    """
    limits = limits or parse_limits()
    if path.suffix.lower() not in SUFFIXES:
        raise ReadError("unsupported_file", path.suffix.lower() or path.name)
    if not path.is_file():
        raise ReadError("unreadable_file", path.name)
    check_file(path, limits)
    try:
        found = isolation.run(
            "geo.intake.sheetfile:tables_as_json", [str(path)], limits, child_environment()
        )
    except isolation.IsolatedError as error:
        # a crash's own words (a Rust backtrace) are for the log, not for an official
        shown = "" if error.values.get("died") else error.detail
        raise ReadError(error.key, shown) from error
    return [Table(t["name"], t["rows"], t["first_row"]) for t in found]
