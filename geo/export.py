"""Exports of records: CSV (UTF-8 with BOM for Excel), Excel (.xlsx), GeoJSON."""

from __future__ import annotations

import io as _io
import json

import pandas as pd


def records_to_csv(records: pd.DataFrame) -> bytes:
    """CSV bytes in UTF-8 with a BOM, so Excel on a Chinese Windows opens it correctly.

    Parameters
    ----------
    records : pandas.DataFrame
        The rows to write, headers as they are (e.g. :func:`geo.tables.sites_for_people`);
        the index is not written.

    Returns
    -------
    bytes
        The CSV text encoded as ``utf-8-sig``.
    """
    return records.to_csv(index=False).encode("utf-8-sig")


def records_to_xlsx(records: pd.DataFrame, sheet: str = "sites") -> bytes:
    """An .xlsx workbook (openpyxl) with one sheet of ``records``.

    Parameters
    ----------
    records : pandas.DataFrame
        The rows to write, headers as they are; the index is not written.
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
