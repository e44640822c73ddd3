"""Folium maps: a stable base map (outline, areas, labels, legend) and per-filter layers.

The base map is built identically for the same data and language, so streamlit-folium keeps
one Leaflet map and only swaps the feature groups passed through ``feature_group_to_add``
(no flicker, view kept). Sites are sent as compact arrays and drawn in the browser on one
canvas from a spatial index (static/sitelayer.js), one layer per kind; tooltips are built with
``textContent``, so record text is never parsed as HTML. The base map's own layers and
controls (labels, areas, outline, legend, ...) are code in static/map/ as well, each called by
one small element with its map's values as JSON data; its style is static/map/map.css. Every
element renders without branca's second Jinja pass (:class:`RawRender`), so record text is
never a template either. All assets are served by the app (offline first, see OfflineMap).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from jinja2 import Template

from geo.config import STATIC_DIR
from geo.data import datum
from geo.data.sitetable import SiteTable, prepare_sites
from geo.map import basemaps
from geo.map.basemaps import Basemap
from geo.map.model import (
    AREA_COLOURS,
    CORE_MAX_KM2,
    SELECTION_COLOUR,
    Transform,
    alliance_outlines,
    area_km2,
    display_transform,
)
from geo.map.sitelayer import (
    RawFeatureGroup,
    RawRender,
    RawScript,
    build_site_layers,
    json_for_script,
)
from geo.text.labels import check_lang, localized, precision_label, t

if TYPE_CHECKING:  # the contract only; importing it here would load the store
    from geo.data.dataset import Dataset

LEAFLET_DIR = "vendor/leaflet-1.9.4"
KDBUSH_DIR = "vendor/kdbush-4.1.0"
#: URL prefix of Streamlit's static serving (server.enableStaticServing).
STATIC_URL = "/app/static"
#: The code of the map's own layers and controls (files under static/), the map's first element
#: (:class:`_MapCode`); each element of this module calls it with its map's values, passed as
#: JSON data. In the map's script, not linked: four more requests before the first paint cost
#: 0.15-0.2 s of the paint after the frame at 10,000 sites (python -m bench); and
#: streamlit-folium runs no inline script of the head.
MAP_SCRIPTS = {
    "sz_labels": "map/labels.js",
    "sz_areas": "map/areas.js",
    "sz_controls": "map/controls.js",
    "sz_units": "map/units.js",
}


class OfflineMap(folium.Map, RawRender):
    """A ``folium.Map`` that loads only Leaflet and the site layer, from the app's own static
    folder.

    folium's defaults pull Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs; this
    map draws with core Leaflet (GeoJSON, DivIcon labels), KDBush, the project's site layer and
    the code of its own layers and controls (:data:`MAP_SCRIPTS`).
    """

    default_js = [
        ("leaflet", f"{STATIC_URL}/{LEAFLET_DIR}/leaflet.js"),
        ("kdbush", f"{STATIC_URL}/{KDBUSH_DIR}/kdbush.min.js"),
        ("sitelayer", f"{STATIC_URL}/sitelayer.js"),
    ]
    default_css = [("leaflet_css", f"{STATIC_URL}/{LEAFLET_DIR}/leaflet.css")]

    def render(self, **kwargs) -> None:
        """Render as folium does, but with a viewport that lets the viewer zoom.

        folium's map header forbids zooming (``maximum-scale=1.0, user-scalable=no``), which
        WCAG 1.4.4 (resize text) does not allow; its meta is replaced by :data:`_VIEWPORT`.

        Parameters
        ----------
        **kwargs
            Render arguments, passed on to ``folium.Map.render``.
        """
        super().render(**kwargs)
        header = self.get_root().header._children.get(self.get_name())
        if isinstance(header, RawScript):
            header._text = _VIEWPORT_META.sub(_VIEWPORT, header._text)


#: The map frame's viewport: no maximum scale, zooming allowed (see OfflineMap.render).
_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
_VIEWPORT_META = re.compile(r'<meta name="viewport"[^>]*>')


class _GeoJson(folium.GeoJson, RawRender):
    """``folium.GeoJson`` without branca's second Jinja pass over its data (names in it)."""


class _GeoJsonTooltip(folium.GeoJsonTooltip, RawRender):
    """``folium.GeoJsonTooltip`` without branca's second Jinja pass, and with its table style
    compiled once: folium compiles that style as a new template on every render (about 3 ms a
    tooltip, every rerun). It skips folium's checks that the fields exist and that no feature
    is a GeometryCollection: this module's tooltips show the ``label`` it sets on every
    feature, of polygons and lines only."""

    _TABLE_STYLE = Template(
        """<style>
        .{{ this.class_name }} { {{ this.style }} }
        .{{ this.class_name }} table { margin: auto; }
        .{{ this.class_name }} tr { text-align: left; }
        .{{ this.class_name }} th { padding: 2px; padding-right: 8px; }
    </style>"""
    )

    def render(self, **kwargs) -> None:
        """Add the table style (once per tooltip), then the tooltip's script as it is.

        Parameters
        ----------
        **kwargs
            Render arguments, passed on to :meth:`RawRender.render`.
        """
        self.get_root().header.add_child(
            RawScript(self._TABLE_STYLE.render(this=self)), name=self.get_name() + "tablestyle"
        )
        RawRender.render(self, **kwargs)


@functools.cache
def static_text(name: str) -> str:
    """The text of a file of the app's static folder, read once.

    Parameters
    ----------
    name
        The file's path under :data:`geo.config.STATIC_DIR` (``map/map.css``).

    Returns
    -------
    str
        The file's text (UTF-8), kept for the life of the process.
    """
    return (STATIC_DIR / name).read_text(encoding="utf-8")


@functools.cache
def _map_code() -> str:
    """The code of :data:`MAP_SCRIPTS`, one file after the other."""
    return "\n".join(static_text(path) for path in MAP_SCRIPTS.values())


def _style_tag(name: str) -> str:
    """A stylesheet of the static folder as a ``<style>`` element (inlined in the map's head)."""
    return f"\n<style>\n{static_text(name)}</style>\n"


def _script(call: str) -> Template:
    """A template whose script is ``call``: a line or two calling the code of static/map/."""
    return Template("{% macro script(this, kwargs) %}\n" + call + "\n{% endmacro %}\n")


class _Feature(RawRender):
    """One of the map's own layers or controls: a short script (its ``_template``) calling the
    feature's code in static/map/ (:data:`MAP_SCRIPTS`) with ``values``, JSON made safe for a
    ``<script>`` (record text reaches the code as data, never as markup or a template)."""

    def __init__(self, **values: str) -> None:
        super().__init__()
        for key, value in values.items():
            setattr(self, key, value)


def _transform_frame(frame: gpd.GeoDataFrame, transform: Transform | None) -> gpd.GeoDataFrame:
    if transform is None:
        return frame
    out = frame.copy()
    out.geometry = datum.transform_geometry(frame.geometry.values, transform)
    return out


def _geojson_for_script(value) -> str:
    """GeoJSON (or a style) as JSON safe in a ``<script>``, coordinates at full precision."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _MapCode(_Feature):
    """The code of the map's own layers and controls (:data:`MAP_SCRIPTS`), the map's first
    element: it defines ``L.szLabels``, ``L.szAreas`` ... before the elements after it call them.
    Printed as it is (``code`` is the project's own files, no record text)."""

    _template = _script("{{ this.code }}")


class _Labels(_Feature):
    """The subdistricts' names (static/map/labels.js): ``points``, [lat, lon, name] each, placed
    so that no two overlap (small, crowded areas first); names are set as textContent."""

    _template = _script("L.szLabels({{ this._parent.get_name() }}, {{ this.points }});")


class _CoreView(_Feature):
    """A button that fits the view to the dense urban core (``core``, bounds) and back to the
    whole district (``all``); ``labels``: its text in each view and its title
    (static/map/controls.js)."""

    _template = _script(
        "L.szCoreView({{ this._parent.get_name() }}, {{ this.core }}, {{ this.all }},"
        " {{ this.labels }});"
    )


class _Areas(_Feature):
    """The subdistrict areas (static/map/areas.js): ``data`` GeoJSON, schematic areas drawn in
    ``style``, official ones in ``official``; a click returns an area's feature (its ``code``),
    its tooltip is its name as text."""

    _template = _script(
        "L.szAreas({{ this._parent.get_name() }}, {{ this.data }}, {{ this.style }},"
        " {{ this.official }});"
    )


class _Outline(_Feature):
    """The district's outline, ``data`` GeoJSON drawn in ``style``, not interactive
    (static/map/areas.js)."""

    _template = _script(
        "L.szOutline({{ this._parent.get_name() }}, {{ this.data }}, {{ this.style }});"
    )


class _Legend(_Feature):
    """The legend, its markup ``content`` (made and escaped here) as a JSON string
    (static/map/controls.js)."""

    _template = _script("L.szLegend({{ this._parent.get_name() }}, {{ this.content }});")


class _Narrow(_Feature):
    """On a small map, the layer list and the legend's colours start folded
    (static/map/controls.js)."""

    _template = _script("L.szNarrow({{ this._parent.get_name() }});")


class _TileFallback(_Feature):
    """Tile layers that cannot load are dropped, with the notice ``message``
    (static/map/controls.js): the map's tile layers report each tile to the fallback."""

    _template = _script(
        """(function (map) {
  var fallback = L.szTileFallback(map, {{ this.message }});
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) {
      layer.on("tileerror", fallback.error).on("tileload", fallback.load);
    }
  });
})({{ this._parent.get_name() }});"""
    )


#: The areas' layer name and legend note when all are schematic, some are, or none.
_AREA_LAYER_NAMES = {
    "schematic": "map_areas",
    "mixed": "map_areas_mixed",
    "official": "map_areas_official",
}
_AREA_NOTES = {"schematic": "schematic_note", "mixed": "schematic_note_mixed", "official": None}


#: The big screen's dark map (static/map/dark.css), after :data:`_MAP_CSS`.
_DARK_CSS = _style_tag("map/dark.css")

#: A map that fills its frame, whatever height the page gives the frame (the overview's).
_FILL_CSS = "<style>.folium-map, #map_div { height: 100vh !important; }</style>"

#: Every map's own style (static/map/map.css), inlined: the labels are measured in its fonts.
_MAP_CSS = _style_tag("map/map.css")


def _legend_html(programs: pd.DataFrame, lang: str, note: str | None) -> str:
    name_col = localized("name", lang)
    rows = [
        f"<details open><summary>{html.escape(t('legend_programs', lang))}</summary>"
        '<div class="grid">'
    ]
    rows += [
        f'<div><i style="background:{html.escape(c)}"></i>{html.escape(n)}</div>'
        for n, c in zip(programs[name_col], programs["color"], strict=True)
    ]
    rows.append(f"</div></details><b>{html.escape(t('legend_precision', lang))}</b>")
    rows.append(f'<div><i class="dot"></i>{html.escape(precision_label("exact", lang))}</div>')
    rows.append(
        f'<div><i class="ring"></i>{html.escape(precision_label("subdistrict", lang))}</div>'
    )
    if note:
        rows.append(f"<div><small>{html.escape(t(note, lang))}</small></div>")
    return "".join(rows)


def build_base_map(
    outline: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    subdistricts: pd.DataFrame,
    programs: pd.DataFrame,
    lang: str = "zh",
    basemap: Basemap | None = None,
    height: str = "100%",
    theme: str = "light",
    fill: bool = False,
) -> OfflineMap:
    """The static part of every map: basemap tiles (if any), outline, subdistrict areas, their
    names and the legend.

    Identical inputs give an identical map (so the browser keeps it across reruns). Areas carry
    ``code`` in their GeoJSON properties, which a click returns. Overlays are converted to the
    basemap's datum (GCJ-02 on AMap). If the tiles cannot load (no network, a rejected key),
    the browser drops them and says so, and the map stays as it is offline.

    Parameters
    ----------
    outline
        The district outline, WGS-84 (EPSG:4326, degrees); the map is fitted to its bounds.
    areas
        Subdistrict areas, WGS-84 (EPSG:4326, degrees), with ``code``, ``name`` and
        ``schematic`` (schematic areas are dashed and tagged 示意).
    subdistricts
        The gazetteer: ``code``, ``short_name`` (the label) and its seat ``seat_lon``/
        ``seat_lat`` (WGS-84, degrees), where the label is placed.
    programs
        The program vocabulary (``name_zh``/``name_en``, ``color``), for the legend.
    lang
        ``"zh"`` or ``"en"``.
    basemap
        The resolved basemap, or None for no tiles (WGS-84).
    height
        The map's CSS height.
    theme
        ``"light"`` (pages) or ``"dark"`` (the big screen: dark ground, full-height map).
    fill
        Make the map fill its frame's height (set by the page's CSS).

    Returns
    -------
    OfflineMap
        The map, its overlays in the basemap's datum.

    Raises
    ------
    ValueError
        If ``theme`` or ``lang`` is not supported, or the basemap's datum is unknown.
    """
    if theme not in AREA_COLOURS:
        raise ValueError(f"theme must be one of {tuple(AREA_COLOURS)}, got {theme!r}")
    check_lang(lang)
    basemap = basemap or Basemap(basemaps.NONE)
    transform = display_transform(basemap.datum)
    outline_d = _transform_frame(outline, transform)
    areas_d = _transform_frame(areas, transform)
    west, south, east, north = outline_d.total_bounds
    fmap = OfflineMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=11,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        height=height,
        min_zoom=9,
        max_zoom=18,
        zoom_snap=0.25,  # fitting the district (or the core) fills the frame, not the zoom below
    )
    _MapCode(code=_map_code()).add_to(fmap)
    fmap.get_root().header.add_child(RawScript(_MAP_CSS))
    if fill:  # the page sizes the frame (CSS); the map follows it
        fmap.get_root().header.add_child(RawScript(_FILL_CSS))
    if theme == "dark":  # the big screen: dark ground, the map fills its frame
        fmap.get_root().header.add_child(RawScript(_DARK_CSS))
    for index, provider in enumerate(basemap.tiles):
        folium.TileLayer(
            tiles=provider.build_url(),
            attr=provider.html_attribution,
            name=provider.name,
            overlay=index > 0,
            control=False,
            max_zoom=provider.get("max_zoom", 18),
            subdomains=provider.get("subdomains", "abc"),
        ).add_to(fmap)
    if basemap.tiles:
        fmap.add_child(_TileFallback(message=json_for_script(t("basemap_failed", lang))))
    # official areas (loaded from a boundary file) drop the 示意 label and the dashed line;
    # with some of each, every area says what it is and the layer and legend say "partly"
    flags = areas["schematic"].astype(bool)
    kind = "schematic" if flags.all() else "mixed" if flags.any() else "official"
    areas_name = t(_AREA_LAYER_NAMES[kind], lang)
    tag = t("paren_note", lang, note=t("schematic_tag", lang))
    area_features = [
        {
            "type": "Feature",
            "properties": {
                "code": code,
                "label": name + (tag if flag else ""),
                "schematic": bool(flag),
            },
            "geometry": geometry.__geo_interface__,
        }
        for code, name, flag, geometry in zip(
            areas_d["code"], areas_d["name"], areas_d["schematic"], areas_d.geometry, strict=True
        )
    ]
    line, fill, outline = AREA_COLOURS[theme]
    area_group = RawFeatureGroup(name=areas_name, overlay=True, control=True)
    area_group.add_child(
        _Areas(
            data=_geojson_for_script({"type": "FeatureCollection", "features": area_features}),
            # schematic areas dashed and thin, official ones solid
            style=_geojson_for_script(
                {
                    "color": line,
                    "weight": 1,
                    "dashArray": "4 3",
                    "fillColor": fill,
                    "fillOpacity": 0.25,
                }  # fmt: skip
            ),
            official=_geojson_for_script(
                {
                    "color": line,
                    "weight": 1.5,
                    "dashArray": None,
                    "fillColor": fill,
                    "fillOpacity": 0.25,
                }  # fmt: skip
            ),
        )
    )
    area_group.add_to(fmap)
    outline_group = RawFeatureGroup(name=t("map_outline", lang))
    outline_group.add_child(
        _Outline(
            data=_geojson_for_script(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "properties": {}, "geometry": g.__geo_interface__}
                        for g in outline_d.geometry
                    ],
                }
            ),
            style=_geojson_for_script({"color": outline, "weight": 3, "fill": False}),
        )
    )
    outline_group.add_to(fmap)
    labels = RawFeatureGroup(name=t("map_labels", lang))
    seat_lon, seat_lat = subdistricts["seat_lon"].to_numpy(), subdistricts["seat_lat"].to_numpy()
    if transform is not None:
        seat_lon, seat_lat = transform(seat_lon, seat_lat)
    # the small (crowded) areas' names are placed first, so they keep the spots near their seat
    size = dict(zip(areas_d["code"], area_km2(areas_d), strict=True))
    order = sorted(
        range(len(subdistricts)), key=lambda i: size.get(subdistricts["code"].iloc[i], 0)
    )
    points = [
        [
            round(float(seat_lat[i]), 6),
            round(float(seat_lon[i]), 6),
            subdistricts["short_name"].iloc[i],
        ]
        for i in order
    ]
    labels.add_child(_Labels(points=json_for_script(points)))
    labels.add_to(fmap)
    core = areas_d[areas_d["code"].map(size) <= CORE_MAX_KM2]
    if len(core):
        cw, cs, ce, cn = core.total_bounds
        fmap.add_child(
            _CoreView(
                core=json_for_script([[cs, cw], [cn, ce]]),
                all=json_for_script([[south, west], [north, east]]),
                labels=json_for_script(
                    [t(k, lang) for k in ("map_core", "map_all", "map_core_hint")]
                ),
            )
        )
    fmap.add_child(
        _Legend(content=json_for_script(_legend_html(programs, lang, _AREA_NOTES[kind])))
    )
    fmap.add_child(_Narrow())
    # The district fitted at once, not animated from zoom_start: an animated first zoom ends
    # on a timer that a busy or throttled page may run late, and until it ends the site
    # canvas keeps its first drawing, scaled, and the areas are hit-tested where they were.
    fit = folium.FitBounds([[south, west], [north, east]])
    fit.options["animate"] = False
    fmap.add_child(fit)
    return fmap


def build_alliance_layer(
    alliances: pd.DataFrame,
    sites: pd.DataFrame,
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
    table: SiteTable | None = None,
) -> folium.FeatureGroup:
    """Each alliance as a dashed hull (or line) joining its member villages' shown positions
    (the same fanned-out positions as their markers: ``table`` is the sites' prepared table).

    Parameters
    ----------
    alliances
        The alliances to draw (``id``, ``name``, ``member_codes``, ``inferred_codes``).
    sites
        All site records (members filtered out of view still place their alliance).
    lang
        ``"zh"`` or ``"en"``: layer name and tooltips.
    basemap_datum
        The basemap's datum; the shapes are converted to it (GCJ-02 on AMap).
    table
        The prepared table of ``sites``, or None (positions computed here).

    Returns
    -------
    folium.FeatureGroup
        One dashed GeoJSON feature per outlined alliance (see :func:`alliance_outlines`),
        its tooltip the alliance's name, member count (and how many of them are inferred)
        and the schematic note, as escaped text.
    """
    transform = display_transform(basemap_datum)
    group = RawFeatureGroup(name=t("map_alliances_schematic", lang))
    for outline in alliance_outlines(alliances, sites, table, transform):
        alliance, inferred = outline.alliance, outline.inferred
        label = html.escape(
            f"{alliance.name} · {t('field_members', lang)} {outline.members}"
            + (
                t("paren_note", lang, note=t("alliance_inferred_count", lang, n=inferred))
                if inferred
                else ""
            )
            + f" · {t('alliance_schematic', lang)}"
        )
        _GeoJson(
            {
                "type": "Feature",
                "properties": {"id": alliance.id, "layer": "alliance", "label": label},
                "geometry": outline.shape.__geo_interface__,
            },
            style_function=lambda _f: {
                "color": "#009988",
                "weight": 2.5,
                "dashArray": "6 4",
                "fillOpacity": 0.08,
            },
            tooltip=_GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(group)
    return group


class _Units(_Feature):
    """Placed villages (squares) and communities (diamonds), ``points`` [lat, lon, name, unit
    type] each; names as tooltips, shown on the map from zoom 15 on, set as textContent
    (static/map/units.js)."""

    _template = _script("L.szUnits({{ this._parent.get_name() }}, {{ this.points }});")


def build_unit_layer(
    units: pd.DataFrame, lang: str = "zh", basemap_datum: str = datum.WGS84
) -> folium.FeatureGroup:
    """The placed villages and communities: one marker each (villages square, communities
    diamond) with its name; ``units`` with ``lon``/``lat`` in WGS-84 (NaN: not placed).

    Parameters
    ----------
    units
        Villages/communities with ``short_name``, ``unit_type`` (``village`` or
        ``community``) and ``lon``/``lat`` (WGS-84, EPSG:4326, degrees).
    lang
        ``"zh"`` or ``"en"``: the layer's name.
    basemap_datum
        The basemap's datum; positions are converted to it (GCJ-02 on AMap).

    Returns
    -------
    folium.FeatureGroup
        The layer; empty if no unit is placed. Names show as tooltips, permanently from
        zoom 15.
    """
    group = RawFeatureGroup(name=t("map_units", lang))
    placed = units.dropna(subset=["lon", "lat"])
    if placed.empty:
        return group
    lon, lat = placed["lon"].to_numpy(float), placed["lat"].to_numpy(float)
    transform = display_transform(basemap_datum)
    if transform is not None:
        lon, lat = transform(lon, lat)
    points = [
        [round(float(y), 6), round(float(x), 6), name, kind]
        for x, y, name, kind in zip(
            lon, lat, placed["short_name"], placed["unit_type"], strict=True
        )
    ]
    group.add_child(_Units(points=json_for_script(points)))
    return group


def build_selection_layer(
    areas: gpd.GeoDataFrame,
    codes: Sequence[str],
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
) -> folium.FeatureGroup:
    """Outline of the selected subdistricts (drawn over the base map's areas).

    Parameters
    ----------
    areas
        Subdistrict areas (``code``), WGS-84 (EPSG:4326, degrees).
    codes
        The selected subdistrict codes.
    lang
        ``"zh"`` or ``"en"``: the layer's name.
    basemap_datum
        The basemap's datum; the outline is converted to it (GCJ-02 on AMap).

    Returns
    -------
    folium.FeatureGroup
        A group kept out of the layer control: the selected areas outlined in
        :data:`SELECTION_COLOUR`, not interactive; empty if no code matches.
    """
    group = RawFeatureGroup(name=t("filter_street", lang), control=False)
    chosen = _transform_frame(areas[areas["code"].isin(codes)], display_transform(basemap_datum))
    if len(chosen):
        _GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": g.__geo_interface__}
                    for g in chosen.geometry
                ],
            },
            style_function=lambda _f: {"color": SELECTION_COLOUR, "weight": 3, "fillOpacity": 0.05},
            interactive=False,
        ).add_to(group)
    return group


#: Class of the ring drawn around the site chosen from the list (or clicked).
HIGHLIGHT_CLASS = "sz-highlight"
_HIGHLIGHT_PX = 30
_HIGHLIGHT_HTML = (
    f'<div style="width:{_HIGHLIGHT_PX}px;height:{_HIGHLIGHT_PX}px;box-sizing:border-box;'
    f"border:4px solid {SELECTION_COLOUR};border-radius:50%;"
    'box-shadow:0 0 0 2px #fff,inset 0 0 0 2px #fff"></div>'
)


def build_highlight_layer(
    table: SiteTable,
    site_id: str | None,
    basemap_datum: str = datum.WGS84,
) -> folium.FeatureGroup:
    """A ring around one site, where the site layer draws it (its display position).

    Parameters
    ----------
    table
        The prepared table of every site (:func:`prepare_sites`).
    site_id
        The chosen site's id; None (or an id the table does not hold) draws nothing.
    basemap_datum
        The basemap's datum; the point is converted to it (GCJ-02 on AMap).

    Returns
    -------
    folium.FeatureGroup
        A group kept out of the layer control: a ring (class :data:`HIGHLIGHT_CLASS`, in the
        marker pane, above the sites' canvas) that takes neither clicks nor focus; empty if
        nothing is chosen. No record text is written into it.
    """
    group = RawFeatureGroup(name=HIGHLIGHT_CLASS, control=False)
    rows = np.flatnonzero(np.asarray(table.ids) == site_id) if site_id else []
    if len(rows):
        lon, lat = np.array([table.lon[rows[0]]]), np.array([table.lat[rows[0]]])
        transform = display_transform(basemap_datum)
        if transform is not None:
            lon, lat = transform(lon, lat)
        folium.Marker(
            (float(lat[0]), float(lon[0])),
            icon=folium.DivIcon(
                html=_HIGHLIGHT_HTML,
                class_name=HIGHLIGHT_CLASS,
                icon_size=(_HIGHLIGHT_PX, _HIGHLIGHT_PX),
                icon_anchor=(_HIGHLIGHT_PX // 2, _HIGHLIGHT_PX // 2),
            ),
            interactive=False,
            keyboard=False,
            z_index_offset=1000,
        ).add_to(group)
    return group


def build_scope_layer(
    outline: gpd.GeoDataFrame,
    colour: str,
    label: str,
    basemap_datum: str = datum.WGS84,
) -> folium.FeatureGroup:
    """The whole district shaded in ``colour`` (a ``#RRGGBB`` program colour): the scope of a
    program that the sources describe district-wide, without single sites.

    Parameters
    ----------
    outline
        The district outline, WGS-84 (EPSG:4326, degrees).
    colour
        The program's colour, ``#RRGGBB``.
    label
        The layer's name and tooltip (escaped: shown as text).
    basemap_datum
        The basemap's datum; the outline is converted to it (GCJ-02 on AMap).

    Returns
    -------
    folium.FeatureGroup
        A group kept out of the layer control, holding the shaded outline.

    Raises
    ------
    ValueError
        If ``colour`` is not ``#RRGGBB`` (it is written into the style).
    """
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
        raise ValueError(f"colour must be #RRGGBB, got {colour!r} ({type(colour).__name__})")
    group = RawFeatureGroup(name=label, control=False)
    shapes = _transform_frame(outline, display_transform(basemap_datum))
    _GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"label": html.escape(label)}, "geometry": g}
                for g in (shape.__geo_interface__ for shape in shapes.geometry)
            ],
        },
        style_function=lambda _f: {
            "color": colour,
            "weight": 3,
            "fillColor": colour,
            "fillOpacity": 0.35,
        },
        tooltip=_GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(group)
    return group


def overlay_layers(
    data: Dataset,
    sites: pd.DataFrame,
    alliances: pd.DataFrame,
    selected: Sequence[str] = (),
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
    table: SiteTable | None = None,
    version: int = 0,
) -> list[folium.FeatureGroup]:
    """Every per-filter layer, in drawing order: the selected areas' outline, one layer per
    kind of site, the alliances, the placed villages/communities (of the selected areas).

    ``data`` has ``areas``, ``subdistricts``, ``programs``, ``units`` and ``sites`` (all
    sites, to place alliance members even when filtered out); ``sites`` is a filtered subset
    of ``data.sites``, ``table`` their prepared table (cache it per version).

    Parameters
    ----------
    data
        The dataset (WGS-84, EPSG:4326).
    sites
        The sites to draw, a subset of ``data.sites``.
    alliances
        The alliances to outline.
    selected
        Selected subdistrict codes: their areas are outlined and only their
        villages/communities drawn (all of them if none is selected).
    lang
        ``"zh"`` or ``"en"``.
    basemap_datum
        The basemap's datum; every layer is converted to it (GCJ-02 on AMap).
    table
        The prepared table of ``data.sites`` (:func:`prepare_sites`), or None to prepare
        it here.
    version
        The data version, sent with the sites (the browser asks for details of it).

    Returns
    -------
    list of folium.FeatureGroup
        Selection outline, the site layers (one per kind), alliances, villages/communities.
    """
    table = (
        table if table is not None else prepare_sites(data.sites, data.subdistricts, data.programs)
    )
    return [
        build_selection_layer(data.areas, selected, lang, basemap_datum),
        *build_site_layers(
            sites,
            data.subdistricts,
            data.programs,
            lang,
            basemap_datum,
            table=table,
            version=version,
            sources=data.sources,
        ),
        build_alliance_layer(alliances, data.sites, lang, basemap_datum, table=table),
        build_unit_layer(
            data.units[data.units["subdistrict_code"].isin(selected)] if selected else data.units,
            lang,
            basemap_datum,
        ),
    ]


def assemble_map(
    data: Dataset,
    sites: pd.DataFrame,
    alliances: pd.DataFrame | None = None,
    selected: Sequence[str] = (),
    lang: str = "zh",
    basemap: Basemap | None = None,
    theme: str = "light",
    fill: bool = False,
) -> tuple[OfflineMap, list[folium.FeatureGroup]]:
    """Every map of the dashboard: the stable base map and the layers of one view.

    Parameters
    ----------
    data
        The dataset (its outline, areas, vocabularies and map table are used).
    sites
        The sites to draw: a subset of ``data.sites`` (WGS-84 ``lon``/``lat``).
    alliances
        The alliances to outline, or None to draw the sites only (no selection or
        alliance layer), as the map for placing one site does.
    selected
        Subdistrict codes whose areas are outlined.
    lang
        ``zh`` or ``en``.
    basemap
        The resolved basemap (None: no tiles); every overlay is drawn in its datum.
    theme
        ``light`` (pages) or ``dark`` (the big screen).
    fill
        The map fills its frame's height, which the page sets (the overview's hero map).

    Returns
    -------
    tuple
        The base map (identical for identical data, language, basemap and theme, so the
        browser keeps it across reruns) and the feature groups to pass beside it.
    """
    basemap = basemap or Basemap(basemaps.NONE)
    base = build_base_map(
        data.outline,
        data.areas,
        data.subdistricts,
        data.programs,
        lang,
        basemap,
        theme=theme,
        fill=fill,
    )
    if alliances is None:
        layers = build_site_layers(
            sites,
            data.subdistricts,
            data.programs,
            lang,
            basemap.datum,
            table=data.site_table,
            version=data.version,
            sources=data.sources,
        )
    else:
        layers = overlay_layers(
            data,
            sites,
            alliances,
            selected,
            lang,
            basemap.datum,
            table=data.site_table,
            version=data.version,
        )
    return base, layers


def standalone_html(fmap: folium.Map, groups: Sequence[folium.FeatureGroup]) -> str:
    """A self-contained HTML file of ``fmap`` with ``groups``: Leaflet inlined, opens offline.

    Parameters
    ----------
    fmap
        The base map (:func:`build_base_map`); the groups and an open layer control are
        added to it (it is modified).
    groups
        The feature groups to draw on it (:func:`overlay_layers`).

    Returns
    -------
    str
        The rendered page, every script and stylesheet the map names (``default_js``,
        ``default_css``: app static files) inlined.
    """
    for group in groups:
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    page = fmap.get_root().render()
    for _, url in fmap.default_js:  # every asset the map names is one of the app's files
        js = asset_path(url).read_text(encoding="utf-8")
        page = page.replace(f'<script src="{url}"></script>', f"<script>{js}</script>")
    for _, url in fmap.default_css:
        css = asset_path(url).read_text(encoding="utf-8")
        page = page.replace(f'<link rel="stylesheet" href="{url}"/>', f"<style>{css}</style>")
    return page


def asset_path(url: str) -> Path:
    """The file behind an app static URL (for tests and exports).

    Parameters
    ----------
    url
        A URL under :data:`STATIC_URL` (``/app/static/...``); one without that prefix is
        taken as relative to the static folder.

    Returns
    -------
    pathlib.Path
        The path under :data:`geo.config.STATIC_DIR` (not checked to exist).
    """
    return STATIC_DIR / url.removeprefix(f"{STATIC_URL}/")
