"""Exports of records: CSV (UTF-8 with BOM for Excel), Excel (.xlsx), GeoJSON.

Every CSV and Excel file the project writes passes its text through :func:`safe_cell` (CSV) or
:func:`text_cells` (openpyxl workbooks), so that no text becomes a formula when an official
opens the file in Excel or WPS (OWASP "CSV injection").
"""

from __future__ import annotations

import io as _io
import json

import pandas as pd

#: First characters that make Excel, WPS or LibreOffice take a cell's text as a formula
#: (OWASP CSV injection: ``=``, ``+``, ``-``, ``@``, tab, carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A CSV cell that Excel and WPS cannot run: text starting as a formula gets a leading ``'``.

    OWASP CSV (formula) injection: a text such as ``=HYPERLINK("http://x","点击")`` or
    ``=cmd|' /C calc'!A0`` written as it is runs as a formula when the CSV is opened in a
    spreadsheet. A leading ``'`` makes Excel and WPS show it as text.

    Parameters
    ----------
    value
        One cell. Only text (``str``) is changed; numbers, None and NaN are returned as they
        are (a negative number stays a number; ``"-5"`` held as text is text and is prefixed).

    Returns
    -------
    object
        ``"'" + value`` if ``value`` is text starting with one of :data:`FORMULA_STARTS`,
        else ``value``.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cells(book) -> None:
    """Make every text cell of an openpyxl workbook a text cell, never a formula (in place).

    OWASP CSV (formula) injection: openpyxl (and pandas' ``to_excel``) store any ``str``
    starting with ``=`` as a formula, which Excel and WPS run on opening. Text starting with
    one of :data:`FORMULA_STARTS` is set to a text cell (``data_type`` ``"s"``) with Excel's
    quote prefix (it stays text when edited); its value is unchanged, so the importer reads
    back exactly the text written. Numbers are left alone.

    Parameters
    ----------
    book : openpyxl.Workbook
        The workbook, before it is saved.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def _safe_frame(records: pd.DataFrame) -> pd.DataFrame:
    """``records`` with :func:`safe_cell` applied to its headers and text columns."""
    out = records.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not (
            pd.api.types.is_numeric_dtype(column.dtype)
            or pd.api.types.is_datetime64_any_dtype(column.dtype)
            or pd.api.types.is_timedelta64_dtype(column.dtype)
        ):
            out.isetitem(position, column.map(safe_cell))
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def records_to_csv(records: pd.DataFrame) -> bytes:
    """CSV bytes in UTF-8 with a BOM, so Excel on a Chinese Windows opens it correctly.

    Parameters
    ----------
    records : pandas.DataFrame
        The rows to write, headers as they are (e.g. :func:`geo.data.tables.sites_for_people`);
        the index is not written. Text that a spreadsheet would take as a formula gets a
        leading ``'`` (:func:`safe_cell`); numbers are written as they are.

    Returns
    -------
    bytes
        The CSV text encoded as ``utf-8-sig``, lines ended by CRLF (RFC 4180, as Excel writes
        them; a text holding a carriage return is then quoted, not split into two rows).
    """
    return _safe_frame(records).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def records_to_xlsx(records: pd.DataFrame, sheet: str = "sites") -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet of ``records``.

    Parameters
    ----------
    records : pandas.DataFrame
        The rows to write, headers as they are; the index is not written. Text is stored
        as text cells, never as formulas (:func:`text_cells`); numbers as numbers.
    sheet : str
        Name of the sheet.

    Returns
    -------
    bytes
        The workbook file's content.
    """
    buffer = _io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        records.to_excel(writer, sheet_name=sheet, index=False)
        text_cells(writer.book)
    return buffer.getvalue()


def records_to_geojson(records: pd.DataFrame, lon: str = "lon", lat: str = "lat") -> bytes:
    """A GeoJSON FeatureCollection (WGS-84, RFC 7946) of records whose columns ``lon`` and
    ``lat`` (e.g. 经度/纬度 in a table for people) hold the point; the rest are properties.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per point feature.
    lon, lat : str
        Names of the columns holding longitude and latitude (EPSG:4326, degrees); they become
        the Point geometry and are left out of the properties.

    Returns
    -------
    bytes
        The FeatureCollection as UTF-8 JSON (non-ASCII kept as is); missing values are
        ``null`` and numpy scalars plain JSON numbers.
    """
    properties = records.drop(columns=[lon, lat]).astype(object)
    properties = properties.where(properties.notna(), None)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {k: (v.item() if hasattr(v, "item") else v) for k, v in props.items()},
        }
        for lon, lat, props in zip(
            records[lon], records[lat], properties.to_dict("records"), strict=True
        )
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode("utf-8")
