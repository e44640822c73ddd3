"""Site markers at any scale: one compact binary payload per kind, drawn in the browser.

Every site becomes one 21-byte record (longitude and latitude as integers of 1e-5 degree,
row, program bits, source, subdistrict, precision, year), base64-encoded: about 28 bytes per
site against hundreds for a GeoJSON feature. The browser turns the records into canvas
circle markers with tooltips and popups built as text nodes (record text is never parsed as
HTML). Names and ids travel too while the data is small (``FULL_DETAIL_LIMIT``); above that
the tooltip shows what the record's codes say and a click asks the server for the rest.

The per-site arrays are computed once per data version (:func:`prepare_sites`); a filter then
only slices them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geo import citations, datum, vocab
from geo.labels import kind_label, localized, precision_label, t

#: Up to this many sites in the data, names and ids are sent with the markers.
FULL_DETAIL_LIMIT = 3000
#: Above this many sites in one map, each kind is drawn as one circle per subdistrict (with its
#: count) instead of one marker per site: beyond it single markers are neither readable nor
#: quick to pan. Filtering to a subdistrict (or clicking its circle) shows the sites again.
AGGREGATE_ABOVE = 20_000
#: Points sharing a position are fanned out about this far apart (degrees, ~200 m).
SPREAD_STEP_DEG = 0.002

RECORD = np.dtype(
    [
        ("lon", "<i4"),
        ("lat", "<i4"),
        ("row", "<u4"),
        ("prog", "<u4"),
        ("src", "<u2"),
        ("street", "u1"),
        ("prec", "u1"),
        ("year", "u1"),
    ]
)
YEAR_BASE = 1900  # year byte = year - 1900 (0: unknown)

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def json_for_script(value) -> str:
    """JSON safe to embed in a ``<script>``: no ``<``, ``>`` or ``&`` survives literally."""
    import json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def spread_positions(
    lon: np.ndarray,
    lat: np.ndarray,
    spread: np.ndarray,
    step_deg: float = SPREAD_STEP_DEG,
    max_group: int = 400,
) -> tuple[np.ndarray, np.ndarray]:
    """Fan out points that share a position so each stays visible (display only).

    Points flagged in ``spread`` (indicative positions) that share exactly the same
    coordinates are placed on a sunflower spiral around it, about ``step_deg`` apart; groups
    larger than ``max_group`` stay stacked. Positions are not data: popups say so.
    """
    lon, lat = lon.astype(float).copy(), lat.astype(float).copy()
    if not spread.any():
        return lon, lat
    frame = pd.DataFrame({"lon": lon, "lat": lat})[spread]
    golden = np.pi * (3 - np.sqrt(5))
    for _, index in frame.groupby(["lon", "lat"]).indices.items():
        positions = frame.index.to_numpy()[index]
        n = len(positions)
        if n < 2 or n > max_group:
            continue
        i = np.arange(n)
        radius = step_deg * np.sqrt(i + 0.5)
        lon[positions] += radius * np.cos(i * golden) / np.cos(np.radians(lat[positions]))
        lat[positions] += radius * np.sin(i * golden)
    return lon, lat


def display_positions(sites: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where each site is drawn (WGS-84): its point, fanned out if only indicative."""
    precision = sites["location_precision"].map({p: i for i, p in enumerate(vocab.PRECISIONS)})
    indicative = precision.fillna(0).to_numpy() >= 2
    return spread_positions(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float), indicative)


@dataclass(frozen=True)
class SiteTable:
    """Per-site arrays for every site of one data version (row = position in ``ids``)."""

    ids: np.ndarray
    names: np.ndarray
    kinds: np.ndarray
    lon: np.ndarray  # display positions, WGS-84, fanned out where indicative
    lat: np.ndarray
    prog: np.ndarray  # bit i set: program i of the vocabulary
    src: np.ndarray
    street: np.ndarray
    prec: np.ndarray
    year: np.ndarray
    sources: tuple[str, ...]
    index: pd.Index  # the sites frame's index labels, to find rows of a filtered frame

    def rows_of(self, sites: pd.DataFrame) -> np.ndarray:
        """Rows of this table for ``sites`` (a subset of the frame it was prepared from)."""
        return self.index.get_indexer(sites.index)


def prepare_sites(
    sites: pd.DataFrame, subdistricts: pd.DataFrame, programs: pd.DataFrame
) -> SiteTable:
    """Vectorised per-site arrays for ``sites`` (run once per data version)."""
    keys = programs["key"].tolist()
    padded = ";" + sites["programs"].fillna("").astype(str).str.replace(" ", "") + ";"
    bits = np.zeros(len(sites), dtype=np.uint32)
    for i, key in enumerate(keys[:32]):
        bits |= padded.str.contains(f";{key};", regex=False).to_numpy(dtype=bool).astype(
            np.uint32
        ) << np.uint32(i)
    street_codes = {c: i for i, c in enumerate(subdistricts["code"])}
    street = sites["subdistrict_code"].map(street_codes).fillna(len(street_codes))
    precision = (
        sites["location_precision"].map({p: i for i, p in enumerate(vocab.PRECISIONS)}).fillna(0)
    )
    src_codes, sources = pd.factorize(sites["source"].astype(str))
    years = sites["year"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    year = np.where(np.isfinite(years), np.clip(years - YEAR_BASE, 1, 255), 0)
    lon, lat = display_positions(sites)
    return SiteTable(
        ids=sites["id"].to_numpy(dtype=object),
        names=sites["name"].to_numpy(dtype=object),
        kinds=sites["kind"].to_numpy(dtype=object),
        lon=lon,
        lat=lat,
        prog=bits,
        src=src_codes.astype(np.uint16),
        street=street.to_numpy().astype(np.uint8),
        prec=precision.to_numpy().astype(np.uint8),
        year=year.astype(np.uint8),
        sources=tuple(sources),
        index=sites.index,
    )


def _encode(table: SiteTable, rows: np.ndarray, transform: Transform | None) -> str:
    lon, lat = table.lon[rows], table.lat[rows]
    if transform is not None:
        lon, lat = transform(lon, lat)
    records = np.zeros(len(rows), dtype=RECORD)
    records["lon"] = np.round(np.asarray(lon) * 1e5)
    records["lat"] = np.round(np.asarray(lat) * 1e5)
    records["row"], records["prog"], records["src"] = rows, table.prog[rows], table.src[rows]
    records["street"], records["prec"] = table.street[rows], table.prec[rows]
    records["year"] = table.year[rows]
    return base64.b64encode(records.tobytes()).decode("ascii")


def site_payload(
    table: SiteTable,
    rows: np.ndarray,
    kind: str,
    lookups: dict,
    lang: str,
    version: int = 0,
    transform: Transform | None = None,
) -> dict:
    """What the browser needs to draw ``rows`` of one kind (see the module docstring)."""
    payload = {
        "kind": kind_label(kind, lang),
        "n": len(rows),
        "v": version,
        "rec": _encode(table, rows, transform),
        "sources": [lookups.get("cited", {}).get(s, s) for s in table.sources],
        **{k: lookups[k] for k in ("streets", "programs", "colors", "precisions", "f", "hint")},
    }
    if len(table.ids) <= FULL_DETAIL_LIMIT:
        payload["id"] = table.ids[rows].tolist()
        payload["name"] = table.names[rows].tolist()
    return payload


def lookups_for(subdistricts: pd.DataFrame, programs: pd.DataFrame, lang: str) -> dict:
    """Vocabulary tables shared by every payload (index -> label)."""
    name_col = localized("name", lang)
    return {
        "streets": [*subdistricts["name"].tolist(), "—"],
        "programs": programs[name_col].tolist(),
        "colors": programs["color"].tolist(),
        "precisions": [precision_label(p, lang) for p in vocab.PRECISIONS],
        "f": {k: t(f"field_{k}", lang) for k in ("kind", "subdistrict", "programs", "precision")}
        | {"year": t("year", lang), "source": t("source", lang)},
        "hint": t("click_for_details", lang),
    }


class RawScript(Element):
    """Script text added to the figure as it is (branca would compile it as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


_SITE_LAYER = """
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.payload }}, group = {{ this._parent.get_name() }};
  var raw = atob(d.rec), bytes = new Uint8Array(raw.length);
  for (var b = 0; b < raw.length; b++) bytes[b] = raw.charCodeAt(b);
  var view = new DataView(bytes.buffer), size = 21, full = !!d.name;
  function programsOf(bits) {
    var out = [];
    for (var k = 0; k < d.programs.length; k++) if (bits & (1 << k)) out.push(k);
    return out.length ? out : [0];
  }
  function line(div, label, value, cls) {
    if (value === null || value === undefined || value === "") return;
    var row = document.createElement("div");
    if (cls) row.className = cls;
    if (label) { var s = document.createElement("span"); s.textContent = label + ": ";
      row.appendChild(s); }
    row.appendChild(document.createTextNode(String(value)));
    div.appendChild(row);
  }
  function content(i, r) {
    var div = document.createElement("div"), title = document.createElement("b");
    div.className = "sz-tip";
    title.textContent = full ? d.name[i] : d.kind; div.appendChild(title);
    if (full) line(div, d.f.kind, d.kind);
    line(div, d.f.subdistrict, d.streets[r.street]);
    line(div, d.f.programs, programsOf(r.prog).map(function (k) { return d.programs[k]; })
      .join("、"));
    line(div, d.f.year, r.year ? 1900 + r.year : "");
    line(div, d.f.precision, d.precisions[r.prec], r.prec > 0 ? "sz-approx" : "");
    line(div, d.f.source, d.sources[r.src]);
    if (!full) line(div, "", d.hint, "sz-hint");
    return div;
  }
  for (var i = 0; i < d.n; i++) {
    var o = i * size, r = {
      lon: view.getInt32(o, true) / 1e5, lat: view.getInt32(o + 4, true) / 1e5,
      row: view.getUint32(o + 8, true), prog: view.getUint32(o + 12, true),
      src: view.getUint16(o + 16, true), street: view.getUint8(o + 18),
      prec: view.getUint8(o + 19), year: view.getUint8(o + 20)
    };
    var exact = r.prec === 0, colour = d.colors[programsOf(r.prog)[0]];
    var marker = L.circleMarker([r.lat, r.lon], {
      radius: exact ? 7 : 8, color: exact ? "#ffffff" : colour, weight: exact ? 1.5 : 2.5,
      dashArray: exact ? null : "3 3", fillColor: colour, fillOpacity: exact ? 0.95 : 0.45
    });
    var properties = {layer: "site", row: r.row, v: d.v};
    if (full) properties.id = d.id[i];
    marker.feature = {type: "Feature", geometry: {type: "Point", coordinates: [r.lon, r.lat]},
                      properties: properties};
    marker.bindTooltip(content.bind(null, i, r));
    marker.bindPopup(content.bind(null, i, r));
    group.addLayer(marker);
  }
})();
{% endmacro %}
"""


_AGGREGATE_LAYER = """
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.payload }}, group = {{ this._parent.get_name() }};
  d.cells.forEach(function (c) {
    var circle = L.circleMarker([c[0], c[1]], {
      radius: 8 + 4 * Math.sqrt(c[2] / d.scale), color: "#ffffff", weight: 1.5,
      fillColor: d.color, fillOpacity: 0.75
    });
    circle.feature = {type: "Feature", geometry: {type: "Point", coordinates: [c[1], c[0]]},
                      properties: {layer: "aggregate", code: d.codes[c[3]], count: c[2]}};
    circle.bindTooltip(function () {
      var div = document.createElement("div"), b = document.createElement("b");
      b.textContent = d.streets[c[3]] + " · " + d.kind;
      div.appendChild(b);
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(c[2].toLocaleString() + " " + d.unit));
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(d.hint));
      return div;
    });
    group.addLayer(circle);
  });
})();
{% endmacro %}
"""


class SiteLayer(MacroElement):
    """Sites of one kind as a compact payload, turned into canvas circle markers in the
    browser."""

    _template = Template(_SITE_LAYER)

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._name = "SiteLayer"
        self.payload = json_for_script(payload)

    def render(self, **kwargs) -> None:
        # Same as MacroElement.render, minus branca compiling the (large) script as a template.
        script = self._template.module.script(self, kwargs)
        self.get_root().script.add_child(RawScript(script), name=self.get_name())


def build_site_layers(
    sites: pd.DataFrame,
    subdistricts: pd.DataFrame,
    programs: pd.DataFrame,
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
    kinds: Sequence[str] = vocab.KINDS,
    table: SiteTable | None = None,
    version: int = 0,
    sources: pd.DataFrame | None = None,
) -> list[folium.FeatureGroup]:
    """One feature group per kind (always all kinds, empty ones included, so the layer
    control stays the same), holding that kind's ``sites``.

    ``table`` is the prepared table of all sites (:func:`prepare_sites`, cached by the caller
    per data version); ``sites`` is then a filtered subset of the frame it was made from.
    ``sources`` (the documents of sources.csv) turns each source reference into a readable
    citation in the tooltips and popups.
    """
    if table is None:
        table = prepare_sites(sites, subdistricts, programs)
    target = datum.normalise_datum(basemap_datum)
    transform = (
        None if target == datum.WGS84 else (lambda lon, lat: datum.from_wgs84(lon, lat, target))
    )
    rows = table.rows_of(sites)
    lookups = lookups_for(subdistricts, programs, lang)
    if sources is not None:
        cited = citations.cite_column(pd.Series(table.sources, dtype=object), sources, lang)
        lookups["cited"] = dict(zip(table.sources, cited, strict=True))
    aggregate = len(rows) > AGGREGATE_ABOVE
    groups = []
    for index, kind in enumerate(kinds):
        chosen = rows[table.kinds[rows] == kind]
        suffix = t("aggregate_tag", lang) if aggregate else ""
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(chosen):,}){suffix}")
        if len(chosen) and aggregate:
            group.add_child(
                AggregateLayer(
                    aggregate_payload(table, chosen, kind, subdistricts, index, lang, transform)
                )
            )
        elif len(chosen):
            group.add_child(
                SiteLayer(site_payload(table, chosen, kind, lookups, lang, version, transform))
            )
        groups.append(group)
    return groups


class AggregateLayer(SiteLayer):
    """One circle per subdistrict for one kind, sized by its number of sites."""

    _template = Template(_AGGREGATE_LAYER)


def aggregate_payload(
    table: SiteTable,
    rows: np.ndarray,
    kind: str,
    subdistricts: pd.DataFrame,
    index: int,
    lang: str,
    transform: Transform | None = None,
) -> dict:
    """Counts of ``rows`` per subdistrict, placed around each subdistrict's seat (one offset
    per kind, so the kinds' circles sit side by side)."""
    counts = np.bincount(table.street[rows], minlength=len(subdistricts) + 1)
    cells = np.flatnonzero(counts[: len(subdistricts)])
    angle = 2 * np.pi * index / len(vocab.KINDS)
    lon = subdistricts["seat_lon"].to_numpy(float)[cells] + 0.004 * np.cos(angle)
    lat = subdistricts["seat_lat"].to_numpy(float)[cells] + 0.003 * np.sin(angle)
    if transform is not None and len(cells):
        lon, lat = transform(lon, lat)
    colours = {  # the kind's most common program's colour is not meaningful: one per kind
        k: c
        for k, c in zip(
            vocab.KINDS,
            ("#117733", "#EE3377", "#332288", "#33BBEE", "#0077BB", "#999933"),
            strict=True,
        )
    }
    return {
        "kind": kind_label(kind, lang),
        "color": colours[kind],
        "scale": 100,
        "cells": [
            [round(float(y), 6), round(float(x), 6), int(counts[c]), int(c)]
            for x, y, c in zip(np.atleast_1d(lon), np.atleast_1d(lat), cells, strict=True)
        ],
        "streets": [*subdistricts["name"].tolist(), "—"],
        "codes": [*subdistricts["code"].tolist(), ""],
        "unit": t("aggregate_unit", lang),
        "hint": t("aggregate_hint", lang),
    }


def decode_records(payload: dict) -> np.ndarray:
    """The structured records of a payload (for tests and tools)."""
    return np.frombuffer(base64.b64decode(payload["rec"]), dtype=RECORD)
