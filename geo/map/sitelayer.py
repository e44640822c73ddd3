"""Site markers at any scale: one compact binary payload per kind, drawn in the browser.

Every site becomes one 21-byte record (longitude and latitude as integers of 1e-5 degree,
row, program bits, source, subdistrict, precision, year), base64-encoded: about 28 bytes per
site against hundreds for a GeoJSON feature. In the browser, ``static/sitelayer.js`` decodes
the records into typed arrays with a k-d tree and draws every kind on one canvas, with
tooltips and popups built as text nodes (record text is never parsed as HTML). Names and ids
travel too while the data is small (``FULL_DETAIL_LIMIT``); above that the tooltip shows what
the record's codes say and a click asks the server for the rest.

The per-site arrays are computed once per data version (:func:`prepare_sites`); a filter then
only slices them.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geo.data import citations, datum
from geo.data.sitetable import RECORD, SiteTable, prepare_sites
from geo.map.model import KIND_COLOURS, Transform
from geo.text import vocab
from geo.text.labels import kind_label, localized, precision_label, t

#: Up to this many sites in the data, names and ids are sent with the markers.
FULL_DETAIL_LIMIT = 3000
#: Above this many sites in view, the browser draws each kind as one circle per subdistrict
#: (with its count) instead of one mark per site: beyond it single marks are not readable.
#: Zooming in (or filtering, or clicking a circle) shows the sites themselves.
AGGREGATE_ABOVE = 20_000


def json_for_script(value) -> str:
    """JSON safe to embed in a ``<script>``: no ``<``, ``>`` or ``&`` survives literally.

    Parameters
    ----------
    value
        Anything ``json.dumps`` writes.

    Returns
    -------
    str
        Compact JSON (non-ASCII kept), ``<``, ``>`` and ``&`` written as ``\\u003c``,
        ``\\u003e`` and ``\\u0026``.
    """
    import json

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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
    """What the browser needs to draw ``rows`` of one kind (see the module docstring).

    Parameters
    ----------
    table
        The prepared sites.
    rows
        The rows to draw.
    kind
        Their kind (its label names the layer).
    lookups
        The shared vocabulary tables (:func:`lookups_for`).
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).
    version
        The data version (the browser asks the server for details of that version).
    transform
        ``(lon, lat) -> (lon, lat)`` from WGS-84 to the basemap's datum, or None for WGS-84.

    Returns
    -------
    dict
        ``kind``, ``n``, ``v``, ``rec`` (the base64 binary records: lon/lat as integers of
        1e-5 degree in the basemap's datum), ``sources`` and the lookups; ``id`` and ``name``
        as well while the table holds at most :data:`FULL_DETAIL_LIMIT` sites.
    """
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
    """Vocabulary tables shared by every payload (index -> label).

    Parameters
    ----------
    subdistricts
        The gazetteer (``name``), in the order of the records' subdistrict index.
    programs
        The program vocabulary (``name_zh``/``name_en``, ``color``), in the order of the bits.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).

    Returns
    -------
    dict
        ``streets`` (names, then ``—`` for none), ``programs``, ``colors``, ``precisions``
        (labels in the order of :data:`geo.text.vocab.PRECISIONS`), ``f`` (field labels) and
        ``hint``.
    """
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
        """The script text as it was given (no template pass).

        Parameters
        ----------
        **kwargs
            Render arguments from the parent element; ignored.

        Returns
        -------
        str
            The text.
        """
        return self._text


#: One kind's sites: the payload, turned into a layer by static/sitelayer.js (``L.szSites``).
_SITE_LAYER = """
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.payload }}, group = {{ this._parent.get_name() }};
  group.addLayer(L.szSites(d));
})();
{% endmacro %}
"""

#: A kind with no site in the selection: an empty layer, so every kind is always on the map.
_NO_SITES = """
{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.addLayer(L.szSites(null));
{% endmacro %}
"""


class RawRender(MacroElement):
    """A ``MacroElement`` whose rendered header, html and script are added to the figure as
    they are.

    branca's ``MacroElement.render`` compiles each rendered part as a new Jinja template and
    renders it once more. That was most of the map's server time (the areas' GeoJSON lexed
    twice per rerun), and record text reaching a script (an alliance's or an area's name)
    was evaluated as a template: ``{{ 7*7 }}`` came out as 49, and worse expressions ran
    Python on the server. Put this class after the folium class in the bases, so that the
    folium class's own ``render`` runs first and its final ``super().render()`` lands here.
    """

    def get_name(self) -> str:
        """The element's JavaScript name, as branca makes it, made once per name and id.

        branca turns the class name into snake case on every call, and a map's layers ask
        for their own and their parents' names a few hundred times per rerun.

        Returns
        -------
        str
            ``<snake_case_name>_<id>``, the same string ``branca.element.Element.get_name``
            returns.
        """
        key = (self._name, self._id)
        cached = self.__dict__.get("_name_cache")
        if cached is None or cached[0] != key:
            cached = self._name_cache = (key, super().get_name())
        return cached[1]

    def render(self, **kwargs) -> None:
        """Add the rendered header, html and script to the figure as they are, then the children.

        Parameters
        ----------
        **kwargs
            Render arguments, passed to this element's macros (as ``kwargs``) and to every
            child's ``render``.
        """
        _render_raw(self, kwargs)


def _render_raw(element: MacroElement, kwargs: dict) -> None:
    """``element``'s macros added to its figure as they render, then its children: each
    plain ``MacroElement`` among them (one that keeps branca's ``render``, such as the
    ``ElementAddToElement`` folium adds to every layer) the same way, any other by its own
    ``render``."""
    figure = element.get_root()
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        if macros.get(part) is not None:
            getattr(figure, part).add_child(
                RawScript(macros[part](element, kwargs)), name=element.get_name()
            )
    for child in element._children.values():
        if type(child).render is MacroElement.render:
            _render_raw(child, kwargs)
        else:
            child.render(**kwargs)


class SiteLayer(RawRender):
    """One kind's sites as a compact payload, drawn in the browser by ``L.szSites``."""

    _template = Template(_SITE_LAYER)

    def __init__(self, payload: dict | None) -> None:
        super().__init__()
        self._name = "SiteLayer"
        if payload is None:
            self._template = Template(_NO_SITES)
        else:
            self.payload = json_for_script(payload)


class RawFeatureGroup(folium.FeatureGroup, RawRender):
    """``folium.FeatureGroup`` without branca's second Jinja pass (see :class:`RawRender`)."""


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
    """One feature group per kind, holding that kind's ``sites``.

    Always all of ``kinds``, empty ones included, so the layer control stays the same. Every
    site is sent, however many: above :data:`AGGREGATE_ABOVE` sites in view the browser draws
    one circle per subdistrict and kind instead, and the sites again once zoomed in.

    Parameters
    ----------
    sites
        The sites to draw: ``lon``/``lat`` in WGS-84 (EPSG:4326, degrees); with ``table``, a
        filtered subset of the frame it was made from.
    subdistricts, programs
        The gazetteer and the program vocabulary.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).
    basemap_datum
        The datum of the basemap drawn under the layers (positions are converted to it); any
        name :func:`geo.data.datum.normalise_datum` accepts.
    kinds
        The kinds, in layer order; each one of :data:`geo.text.vocab.KINDS`.
    table
        The prepared table of all sites (:func:`prepare_sites`, cached by the caller per data
        version); None to prepare it from ``sites``.
    version
        The data version, sent with the payloads.
    sources
        The documents of sources.csv: each source reference is shown as a readable citation
        in the tooltips and popups (None: as stored).

    Returns
    -------
    list of folium.FeatureGroup
        One group per kind, named ``<kind label> (<count>)``.

    Raises
    ------
    ValueError
        If a kind is not one of :data:`geo.text.vocab.KINDS`, ``basemap_datum`` names no datum, or
        the data exceed what the binary records hold (:func:`prepare_sites`).
    """
    unknown = [kind for kind in kinds if kind not in KIND_COLOURS]
    if unknown:
        raise ValueError(f"kinds must be among {', '.join(vocab.KINDS)}; got {unknown}")
    if table is None:
        table = prepare_sites(sites, subdistricts, programs)
    target = datum.normalise_datum(basemap_datum)
    transform = (
        None if target == datum.WGS84 else (lambda lon, lat: datum.from_wgs84(lon, lat, target))
    )
    rows = table.rows_of(sites)
    lookups = lookups_for(subdistricts, programs, lang)
    seats = seat_positions(subdistricts, transform)
    if sources is not None:
        lookups["cited"] = _citations(table.sources, sources, lang, version)
    groups = []
    kind_of_row = table.kind_index[rows]
    for index, kind in enumerate(kinds):
        chosen = rows[kind_of_row == vocab.KINDS.index(kind)]
        group = RawFeatureGroup(name=f"{kind_label(kind, lang)} ({len(chosen):,})")
        if len(chosen):
            payload = site_payload(table, chosen, kind, lookups, lang, version, transform)
            payload["agg"] = {
                "above": AGGREGATE_ABOVE,
                "seats": seats,
                "codes": [*subdistricts["code"].tolist(), ""],
                "kind": index,
                "kinds": len(vocab.KINDS),
                "color": KIND_COLOURS[kind],
                "unit": t("aggregate_unit", lang),
                "hint": t("aggregate_hint", lang),
            }
            group.add_child(SiteLayer(payload))
        else:
            group.add_child(SiteLayer(None))
        groups.append(group)
    return groups


#: The sources' citations per (data version, language, source keys, source table): the same
#: on every rerun of one data version (whose source table is the same cached object), and
#: reading the source list costs a few milliseconds each time. Each entry holds its table, so
#: that its ``id`` cannot be reused by another table while the entry is kept.
_CITED: dict[tuple, tuple[pd.DataFrame, dict[str, str]]] = {}


def _citations(
    keys: tuple[str, ...], sources: pd.DataFrame, lang: str, version: int | None
) -> dict[str, str]:
    """Source key -> the citation people read, kept per data version (see :data:`_CITED`)."""
    key = (version, lang, keys, id(sources))
    kept = _CITED.get(key)
    if version is not None and kept is not None and kept[0] is sources:
        return kept[1]
    cited = citations.cite_column(pd.Series(keys, dtype=object), sources, lang)
    made = dict(zip(keys, cited, strict=True))
    if version is not None:
        if len(_CITED) >= 8:  # a few versions and both languages
            _CITED.clear()
        _CITED[key] = (sources, made)
    return made


def seat_positions(
    subdistricts: pd.DataFrame, transform: Transform | None = None
) -> list[list[float]]:
    """Each subdistrict's estimated seat, where the browser puts that subdistrict's circles.

    Parameters
    ----------
    subdistricts
        The gazetteer with ``seat_lon``, ``seat_lat`` (WGS-84 degrees).
    transform
        ``(lon, lat) -> (lon, lat)`` to the basemap's datum, or None for WGS-84.

    Returns
    -------
    list of [float, float]
        ``[lat, lon]`` (Leaflet's order) per subdistrict, rounded to 1e-6 degree, then
        ``[0, 0]`` for "no subdistrict".
    """
    lon = subdistricts["seat_lon"].to_numpy(float)
    lat = subdistricts["seat_lat"].to_numpy(float)
    if transform is not None and len(lon):
        lon, lat = transform(lon, lat)
    return [
        [round(float(y), 6), round(float(x), 6)]
        for x, y in zip(np.atleast_1d(lon), np.atleast_1d(lat), strict=True)
    ] + [[0.0, 0.0]]


def decode_records(payload: dict) -> np.ndarray:
    """The structured records of a payload (for tests and tools).

    Parameters
    ----------
    payload
        A payload of :func:`site_payload`.

    Returns
    -------
    numpy.ndarray
        Records of dtype :data:`RECORD` (lon/lat as integers of 1e-5 degree).
    """
    return np.frombuffer(base64.b64decode(payload["rec"]), dtype=RECORD)
