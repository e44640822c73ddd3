"""Folium maps: a stable base map (outline, areas, labels, legend) and per-filter layers.

The base map is built identically for the same data and language, so streamlit-folium keeps
one Leaflet map and only swaps the feature groups passed through ``feature_group_to_add``
(no flicker, view kept). Sites are sent as compact arrays and drawn in the browser as canvas
circle markers, one layer per kind; tooltips are built with ``textContent``, so record text is
never parsed as HTML. All assets are served by the app (offline first, see OfflineMap).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from geo import basemaps, datum, io, vocab
from geo.basemaps import Basemap
from geo.config import STATIC_DIR
from geo.labels import kind_label, precision_label, t

LEAFLET_DIR = "vendor/leaflet-1.9.4"
#: URL prefix of Streamlit's static serving (server.enableStaticServing).
STATIC_URL = "/app/static"

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class OfflineMap(folium.Map):
    """A ``folium.Map`` that loads only Leaflet, from the app's own static folder.

    folium's defaults pull Leaflet, jQuery, Bootstrap and Font Awesome from public CDNs; this
    map draws with core Leaflet only (canvas circle markers, GeoJSON, DivIcon labels).
    """

    default_js = [("leaflet", f"{STATIC_URL}/{LEAFLET_DIR}/leaflet.js")]
    default_css = [("leaflet_css", f"{STATIC_URL}/{LEAFLET_DIR}/leaflet.css")]


def json_for_script(value) -> str:
    """JSON safe to embed in a ``<script>``: no ``<``, ``>`` or ``&`` survives literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def display_transform(target_datum: str) -> Transform | None:
    """Coordinate transform from stored WGS-84 to the basemap's datum (None if the same)."""
    target = datum.normalise_datum(target_datum)
    if target == datum.WGS84:
        return None
    return lambda lon, lat: datum.from_wgs84(lon, lat, target)


def spread_positions(
    lon: np.ndarray,
    lat: np.ndarray,
    spread: np.ndarray,
    step_deg: float = 0.002,
    max_group: int = 400,
) -> tuple[np.ndarray, np.ndarray]:
    """Fan out points that share a position so each stays visible (display only).

    Points flagged in ``spread`` (indicative positions) that share exactly the same coordinates
    are placed on a sunflower spiral around it, about ``step_deg`` (~200 m) apart; groups larger
    than ``max_group`` stay stacked. Positions are not data: popups say they are indicative.
    """
    lon, lat = lon.astype(float).copy(), lat.astype(float).copy()
    if not spread.any():
        return lon, lat
    frame = pd.DataFrame({"lon": lon, "lat": lat})[spread]
    golden = np.pi * (3 - np.sqrt(5))
    for _, index in frame.groupby(["lon", "lat"]).groups.items():
        n = len(index)
        if n < 2 or n > max_group:
            continue
        i = np.arange(n)
        radius = step_deg * np.sqrt(i + 0.5)
        lon[index] += radius * np.cos(i * golden) / np.cos(np.radians(lat[index]))
        lat[index] += radius * np.sin(i * golden)
    return lon, lat


def _transform_frame(frame: gpd.GeoDataFrame, transform: Transform | None) -> gpd.GeoDataFrame:
    if transform is None:
        return frame
    out = frame.copy()
    out.geometry = datum.transform_geometry(frame.geometry.values, transform)
    return out


def _style(template: str, **values) -> MacroElement:
    element = MacroElement()
    element._template = Template(template)
    for key, value in values.items():
        setattr(element, key, value)
    return element


_LEGEND = """
{% macro script(this, kwargs) %}
(function () {
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "sz-legend");
    div.innerHTML = {{ this.content }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""

_TILE_FALLBACK = """
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, errors = 0, loads = 0, dropped = false;
  function drop() {
    if (dropped || loads > 0 || ++errors < 4) return;
    dropped = true;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) map.removeLayer(layer); });
    var notice = L.control({position: "topleft"});
    notice.onAdd = function () {
      var div = L.DomUtil.create("div", "sz-notice");
      div.textContent = {{ this.message }};
      return div;
    };
    notice.addTo(map);
  }
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) {
      layer.on("tileerror", drop);
      layer.on("tileload", function () { loads++; });
    }
  });
})();
{% endmacro %}
"""

#: theme -> (area line, area fill, district outline) colours.
_AREA_COLOURS = {
    "light": ("#78909c", "#cfd8dc", "#c62828"),
    "dark": ("#6d8bb0", "#1e3a5f", "#ff5252"),
}

_DARK_CSS = """
<style>
html, body { background: #07121f; }
.folium-map, #map_div { height: 100vh !important; }
.leaflet-container { background: #07121f; }
.sz-label { color: #e3ecf5; font-size: clamp(13px, 1.7vh, 36px);
  text-shadow: 0 0 4px #000, 0 0 4px #000; }
.sz-legend { background: rgba(10,25,41,.85); color: #e3ecf5; font-size: clamp(11px, 1.4vh, 30px); }
.sz-legend i { width: 1em; height: 1em; }
.leaflet-control-layers { background: rgba(10,25,41,.85); color: #e3ecf5; }
</style>
"""

_MAP_CSS = """
<style>
.leaflet-container { background: #eef1f4; font-family: "Noto Sans CJK SC", "Microsoft YaHei",
  "PingFang SC", sans-serif; }
.sz-legend { background: rgba(255,255,255,.92); padding: 5px 8px; border-radius: 4px;
  font-size: 11px; line-height: 1.45; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 300px; }
.sz-legend summary { cursor: pointer; font-weight: 600; }
.sz-legend .grid { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8px; }
.sz-legend i { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 5px; vertical-align: -1px; }
.sz-legend .ring { background: transparent !important; border: 2px dashed #444; width: 8px;
  height: 8px; }
.sz-legend .dot { background: #444; }
.sz-label { font-size: 12px; font-weight: 600; color: #37474f; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; pointer-events: none; }
.sz-notice { background: #fff3e0; color: #8a3b00; padding: 4px 8px; border-radius: 4px;
  font-size: 12px; max-width: 260px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.sz-tip b { font-size: 13px; } .sz-tip .sz-approx { color: #b5472b; }
</style>
"""


def _legend_html(programs: pd.DataFrame, lang: str, schematic: bool) -> str:
    name_col = "name_en" if lang == "en" else "name_zh"
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
    if schematic:
        rows.append(f"<div><small>{html.escape(t('schematic_note', lang))}</small></div>")
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
) -> OfflineMap:
    """The static part of every map: basemap tiles (if any), outline, subdistrict areas, their
    names and the legend.

    Identical inputs give an identical map (so the browser keeps it across reruns). Areas carry
    ``code`` in their GeoJSON properties, which a click returns. Overlays are converted to the
    basemap's datum (GCJ-02 on AMap). If the tiles cannot load (no network, a rejected key),
    the browser drops them and says so, and the map stays as it is offline.
    """
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
    )
    fmap.get_root().header.add_child(Element(_MAP_CSS))
    if theme == "dark":  # the big screen: dark ground, the map fills its frame
        fmap.get_root().header.add_child(Element(_DARK_CSS))
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
        fmap.add_child(_style(_TILE_FALLBACK, message=json_for_script(t("basemap_failed", lang))))
    schematic = bool(areas["schematic"].any())
    areas_name = t("map_areas" if schematic else "map_areas_official", lang)
    tag = f"（{t('schematic_tag', lang)}）" if lang == "zh" else f" ({t('schematic_tag', lang)})"
    area_features = [
        {
            "type": "Feature",
            "properties": {"code": code, "label": html.escape(name + (tag if flag else ""))},
            "geometry": geometry.__geo_interface__,
        }
        for code, name, flag, geometry in zip(
            areas_d["code"], areas_d["name"], areas_d["schematic"], areas_d.geometry, strict=True
        )
    ]
    area_group = folium.FeatureGroup(name=areas_name, overlay=True, control=True)
    line, fill, outline = _AREA_COLOURS[theme]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": area_features},
        style_function=lambda _f: {
            "color": line,
            "weight": 1,
            "dashArray": "4 3",
            "fillColor": fill,
            "fillOpacity": 0.25,
        },
        highlight_function=lambda _f: {"weight": 2.5, "fillOpacity": 0.4},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        name=areas_name,
    ).add_to(area_group)
    area_group.add_to(fmap)
    outline_group = folium.FeatureGroup(name=t("map_outline", lang))
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {}, "geometry": g.__geo_interface__}
                for g in outline_d.geometry
            ],
        },
        style_function=lambda _f: {"color": outline, "weight": 3, "fill": False},
        interactive=False,
    ).add_to(outline_group)
    outline_group.add_to(fmap)
    labels = folium.FeatureGroup(name=t("map_labels", lang))
    seat_lon, seat_lat = subdistricts["seat_lon"].to_numpy(), subdistricts["seat_lat"].to_numpy()
    if transform is not None:
        seat_lon, seat_lat = transform(seat_lon, seat_lat)
    for name, x, y in zip(subdistricts["short_name"], seat_lon, seat_lat, strict=True):
        folium.Marker(
            [y, x],
            icon=folium.DivIcon(
                html=f'<div class="sz-label">{html.escape(name)}</div>',
                icon_size=(80, 16),
                icon_anchor=(40, -6),
            ),
            interactive=False,
        ).add_to(labels)
    labels.add_to(fmap)
    fmap.add_child(
        _style(_LEGEND, content=json_for_script(_legend_html(programs, lang, schematic)))
    )
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


_SITE_LAYER = """
{% macro script(this, kwargs) %}
(function () {
  var d = {{ this.payload }}, group = {{ this._parent.get_name() }};
  function line(div, label, value, cls) {
    if (value === null || value === undefined || value === "") return;
    var row = document.createElement("div");
    if (cls) row.className = cls;
    if (label) { var b = document.createElement("span"); b.textContent = label + ": ";
      row.appendChild(b); }
    row.appendChild(document.createTextNode(String(value)));
    div.appendChild(row);
  }
  function content(i) {
    var div = document.createElement("div"), title = document.createElement("b");
    div.className = "sz-tip";
    title.textContent = d.name[i]; div.appendChild(title);
    line(div, d.f.kind, d.kind);
    line(div, d.f.subdistrict, d.streets[d.street[i]]);
    line(div, d.f.programs, d.prog[i].map(function (k) { return d.programs[k]; }).join("、"));
    line(div, d.f.year, d.year[i]);
    line(div, d.f.precision, d.precisions[d.prec[i]], d.prec[i] > 0 ? "sz-approx" : "");
    line(div, d.f.source, d.sources[d.src[i]]);
    return div;
  }
  for (var i = 0; i < d.id.length; i++) {
    var exact = d.prec[i] === 0, lat = d.xy[2 * i + 1] / 1e5, lon = d.xy[2 * i] / 1e5;
    var marker = L.circleMarker([lat, lon], {
      radius: exact ? 7 : 8, color: exact ? "#ffffff" : d.colors[d.prog[i][0]],
      weight: exact ? 1.5 : 2.5, dashArray: exact ? null : "3 3",
      fillColor: d.colors[d.prog[i][0]], fillOpacity: exact ? 0.95 : 0.45
    });
    marker.feature = {type: "Feature", geometry: {type: "Point", coordinates: [lon, lat]},
                      properties: {id: d.id[i], layer: "site"}};
    marker.bindTooltip(content.bind(null, i), {sticky: false});
    marker.bindPopup(content.bind(null, i));
    group.addLayer(marker);
  }
})();
{% endmacro %}
"""


class SiteLayer(MacroElement):
    """Sites of one kind as compact arrays, turned into canvas circle markers in the browser."""

    _template = Template(_SITE_LAYER)

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._name = "SiteLayer"
        self.payload = json_for_script(payload)


def site_payload(
    sites: pd.DataFrame, kind: str, lookups: dict, lang: str, transform: Transform | None = None
) -> dict:
    """Compact arrays for one kind: coordinates as integers of 1e-5 degree (about 1 m)."""
    lon, lat = sites["lon"].to_numpy(float), sites["lat"].to_numpy(float)
    precision = sites["location_precision"].map(lookups["precision_index"]).fillna(0)
    lon, lat = spread_positions(lon, lat, (precision >= 2).to_numpy())
    if transform is not None:
        lon, lat = transform(lon, lat)
    xy = np.column_stack([np.round(lon * 1e5), np.round(lat * 1e5)]).astype(np.int64).ravel()
    program_index = lookups["program_index"]
    street_index = lookups["street_index"]
    sources = list(dict.fromkeys(sites["source"]))
    source_index = {s: i for i, s in enumerate(sources)}
    years = sites["year"].astype("Float64")
    return {
        "kind": kind_label(kind, lang),
        "id": sites["id"].tolist(),
        "name": sites["name"].tolist(),
        "xy": xy.tolist(),
        "street": [
            street_index.get(c, len(lookups["streets"]) - 1) for c in sites["subdistrict_code"]
        ],
        "prog": [
            [program_index[p] for p in io.split_list(v) if p in program_index] or [0]
            for v in sites["programs"]
        ],
        "year": [None if pd.isna(y) else int(y) for y in years],
        "prec": precision.astype(int).tolist(),
        "src": [source_index[s] for s in sites["source"]],
        "sources": sources,
        "streets": lookups["streets"],
        "programs": lookups["programs"],
        "colors": lookups["colors"],
        "precisions": lookups["precisions"],
        "f": lookups["fields"],
    }


def lookups_for(subdistricts: pd.DataFrame, programs: pd.DataFrame, lang: str) -> dict:
    """Vocabulary tables shared by every site payload (index -> label)."""
    name_col = "name_en" if lang == "en" else "name_zh"
    unknown = "—"
    return {
        "streets": [*subdistricts["name"].tolist(), unknown],
        "street_index": {c: i for i, c in enumerate(subdistricts["code"])},
        "programs": programs[name_col].tolist(),
        "program_index": {k: i for i, k in enumerate(programs["key"])},
        "colors": programs["color"].tolist(),
        "precisions": [precision_label(p, lang) for p in vocab.PRECISIONS],
        "precision_index": {p: i for i, p in enumerate(vocab.PRECISIONS)},
        "fields": {
            k: t(f"field_{k}", lang) for k in ("kind", "subdistrict", "programs", "precision")
        }
        | {"year": t("year", lang), "source": t("source", lang)},
    }


def build_site_layers(
    sites: pd.DataFrame,
    subdistricts: pd.DataFrame,
    programs: pd.DataFrame,
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
    kinds: Sequence[str] = vocab.KINDS,
) -> list[folium.FeatureGroup]:
    """One feature group per kind (always all kinds, empty ones included, so the layer
    control stays the same), holding that kind's filtered sites."""
    transform = display_transform(basemap_datum)
    lookups = lookups_for(subdistricts, programs, lang)
    groups = []
    for kind in kinds:
        rows = sites[sites["kind"] == kind]
        group = folium.FeatureGroup(name=f"{kind_label(kind, lang)} ({len(rows)})")
        if len(rows):
            group.add_child(SiteLayer(site_payload(rows, kind, lookups, lang, transform)))
        groups.append(group)
    return groups


def build_alliance_layer(
    alliances: pd.DataFrame, sites: pd.DataFrame, lang: str = "zh", basemap_datum: str = datum.WGS84
) -> folium.FeatureGroup:
    """Each alliance as a dashed hull (or line) joining its member villages' shown positions."""
    transform = display_transform(basemap_datum)
    group = folium.FeatureGroup(name=t("map_alliances", lang))
    precision_index = {p: i for i, p in enumerate(vocab.PRECISIONS)}
    spread = sites["location_precision"].map(precision_index).fillna(0).to_numpy() >= 2
    lon, lat = spread_positions(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float), spread)
    if transform is not None:
        lon, lat = transform(lon, lat)
    position = dict(zip(sites["unit_code"], zip(lon, lat, strict=True), strict=True))
    for alliance in alliances.itertuples(index=False):
        members = io.split_list(alliance.member_codes)
        points = [position[c] for c in members if c in position]
        if len(points) < 2:
            continue
        inferred = len(io.split_list(alliance.inferred_codes))
        label = html.escape(
            f"{alliance.name} · {t('field_members', lang)} {len(members)}"
            + (
                f"（{inferred} 推断）"
                if lang == "zh" and inferred
                else f" ({inferred} inferred)"
                if inferred
                else ""
            )
        )
        hull = gpd.GeoSeries(gpd.points_from_xy(*zip(*points, strict=True))).union_all()
        shape = hull.convex_hull.buffer(0.0015) if len(points) >= 3 else hull.convex_hull
        folium.GeoJson(
            {
                "type": "Feature",
                "properties": {"id": alliance.id, "layer": "alliance", "label": label},
                "geometry": shape.__geo_interface__,
            },
            style_function=lambda _f: {
                "color": "#009988",
                "weight": 2.5,
                "dashArray": "6 4",
                "fillOpacity": 0.08,
            },
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        ).add_to(group)
    return group


def zoom_for_bounds(
    bounds: tuple[float, float, float, float], width_px: int = 700, height_px: int = 600
) -> int:
    """The largest Web-Mercator zoom at which ``bounds`` (west, south, east, north) fits."""
    west, south, east, north = bounds
    span_x = max(east - west, 1e-6) / 360
    merc = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731
    span_y = max(merc(north) - merc(south), 1e-6) / (2 * np.pi)
    zoom = np.floor(np.log2(min(width_px / 256 / span_x, height_px / 256 / span_y)))
    return int(np.clip(zoom, 9, 17))


def build_selection_layer(
    areas: gpd.GeoDataFrame,
    codes: Sequence[str],
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
) -> folium.FeatureGroup:
    """Outline of the selected subdistricts (drawn over the base map's areas)."""
    group = folium.FeatureGroup(name=t("filter_street", lang), control=False)
    chosen = _transform_frame(areas[areas["code"].isin(codes)], display_transform(basemap_datum))
    if len(chosen):
        folium.GeoJson(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": g.__geo_interface__}
                    for g in chosen.geometry
                ],
            },
            style_function=lambda _f: {"color": "#b71c1c", "weight": 3, "fillOpacity": 0.05},
            interactive=False,
        ).add_to(group)
    return group


def overlay_layers(
    data,
    sites: pd.DataFrame,
    alliances: pd.DataFrame,
    selected: Sequence[str] = (),
    lang: str = "zh",
    basemap_datum: str = datum.WGS84,
) -> list[folium.FeatureGroup]:
    """Every per-filter layer, in drawing order: the selected areas' outline, one layer per
    kind of site, the alliances. ``data`` has ``areas``, ``subdistricts``, ``programs`` and
    ``sites`` (all sites, to place alliance members even when filtered out)."""
    return [
        build_selection_layer(data.areas, selected, lang, basemap_datum),
        *build_site_layers(sites, data.subdistricts, data.programs, lang, basemap_datum),
        build_alliance_layer(alliances, data.sites, lang, basemap_datum),
    ]


def standalone_html(fmap: folium.Map, groups: Sequence[folium.FeatureGroup]) -> str:
    """A self-contained HTML file of ``fmap`` with ``groups``: Leaflet inlined, opens offline."""
    for group in groups:
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    page = fmap.get_root().render()
    leaflet = STATIC_DIR / LEAFLET_DIR
    js = (leaflet / "leaflet.js").read_text(encoding="utf-8")
    css = (leaflet / "leaflet.css").read_text(encoding="utf-8")
    page = page.replace(
        f'<script src="{STATIC_URL}/{LEAFLET_DIR}/leaflet.js"></script>', f"<script>{js}</script>"
    )
    page = page.replace(
        f'<link rel="stylesheet" href="{STATIC_URL}/{LEAFLET_DIR}/leaflet.css"/>',
        f"<style>{css}</style>",
    )
    return page


def asset_path(url: str) -> Path:
    """The file behind an app static URL (for tests and exports)."""
    return STATIC_DIR / url.removeprefix(f"{STATIC_URL}/")
