"""Server-side measurements without a Streamlit runtime: the map payload, its floor, the
``folium.Marker`` reference, and a profile of the payload path.

``st_folium_payload`` replays what ``streamlit_folium.st_folium`` does on the server for one
call (streamlit-folium 0.27: render the figure, render the map, take its html/header/script,
turn every feature group and the layer control into scripts, collect the JS/CSS links, hash
the script) and then what Streamlit does with the result (``json.dumps`` of the component's
arguments). It returns the strings sent and the time of each step.
"""

from __future__ import annotations

import cProfile
import io as _io
import json
import pstats
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import branca
import folium
import folium.elements
import pandas as pd
import streamlit_folium as stf

from geo import basemaps, maps
from geo.dataset import Dataset, build_dataset, load_records, load_reference
from geo.filters import RecordFilter, filter_records
from geo.store import Store

#: What ``ui.widgets.district_map`` passes to ``st_folium`` on the overview page.
MAP_KEY = "overview_map"
MAP_HEIGHT = 620
RETURNED = ["last_active_drawing"]
#: The strings st_folium sends that make up the payload.
PAYLOAD_PARTS = ("script", "feature_group", "layer_control", "header", "html")


def read_dataset(url: str) -> tuple[Dataset, float]:
    """The dataset of the store at ``url`` (as the app loads it, without its Streamlit caches)
    and the seconds its map table took to prepare (the app pays that once per data version)."""
    store = Store(url)
    try:
        version, records = store.data_version(), load_records(store)
    finally:
        store.engine.dispose()
    reference = load_reference()
    started = time.perf_counter()
    dataset = build_dataset(version, reference, records)
    return dataset, time.perf_counter() - started


@dataclass
class Payload:
    """The strings one ``st_folium`` call sends, and the seconds each step took."""

    parts: dict[str, str]
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return sum(len(self.parts[k].encode("utf-8")) for k in PAYLOAD_PARTS)

    @property
    def seconds(self) -> float:
        return sum(self.steps.values())


class _Clock:
    def __init__(self, steps: dict[str, float]) -> None:
        self.steps = steps
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.steps[name] = self.steps.get(name, 0.0) + now - self.last
        self.last = now


def _walk(fig):
    """streamlit-folium's own walk over the map's elements (for the JS/CSS links)."""
    if isinstance(fig, branca.colormap.ColorMap):
        yield fig
    if isinstance(fig, folium.elements.JSCSSMixin):
        yield fig
    if hasattr(fig, "_children"):
        for child in fig._children.values():
            yield from _walk(child)


def st_folium_payload(
    fmap: folium.Map,
    groups: Sequence[folium.FeatureGroup],
    layer_control: folium.LayerControl,
    key: str = MAP_KEY,
    steps: dict[str, float] | None = None,
) -> Payload:
    """The server side of ``st_folium(fmap, key=key, feature_group_to_add=groups,
    layer_control=layer_control, returned_objects=["last_active_drawing"],
    use_container_width=True, height=620)``, step by step."""
    steps = {} if steps is None else steps
    clock = _Clock(steps)
    fmap.get_root().render()
    clock.lap("root_render")
    fmap.render()
    clock.lap("map_render")
    html = stf._get_html(fmap)
    header = stf._get_header(fmap)
    clock.lap("html_header")
    leaflet = stf._get_map_string(fmap)
    clock.lap("map_string")
    m_id = stf.get_full_id(fmap)
    bounds = fmap.get_bounds()
    feature_group = ""
    for idx, group in enumerate(groups):
        feature_group += stf._get_feature_group_string(group, map=fmap, idx=idx)
    clock.lap("feature_groups")
    control = stf._get_layer_control_string(layer_control, fmap)
    clock.lap("layer_control")
    css_links: list[str] = []
    js_links: list[str] = []
    for elem in _walk(fmap):
        css_links.extend(href for _, href in getattr(elem, "default_css", []))
        js_links.extend(src for _, src in getattr(elem, "default_js", []))
    css_links = list(dict.fromkeys(css_links))
    js_links = list(dict.fromkeys(js_links))
    clock.lap("links")
    hash_key = stf.generate_js_hash(leaflet, key, False)
    clock.lap("hash")
    southwest, northeast = bounds
    default = {
        "last_active_drawing": None,
        "bounds": {
            "_southWest": {"lat": southwest[0], "lng": southwest[1]},
            "_northEast": {"lat": northeast[0], "lng": northeast[1]},
        },
    }
    args = {
        "script": leaflet,
        "header": header,
        "html": html,
        "id": m_id,
        "key": hash_key,
        "height": MAP_HEIGHT,
        "width": None,
        "returned_objects": RETURNED,
        "default": {k: v for k, v in default.items() if k in RETURNED},
        "zoom": None,
        "center": None,
        "feature_group": feature_group,
        "return_on_hover": False,
        "layer_control": control,
        "pixelated": False,
        "css_links": css_links,
        "js_links": js_links,
        "wrap_longitude": False,
    }
    json.dumps(args)  # what streamlit's component call does with them
    clock.lap("component_json")
    parts = {
        "script": leaflet,
        "feature_group": feature_group,
        "layer_control": control,
        "header": header,
        "html": html,
    }
    return Payload(parts, steps)


def overview_payload(data: Dataset, lang: str = "zh") -> Payload:
    """The unfiltered overview map, as ``ui.widgets.district_map`` builds it, through
    :func:`st_folium_payload` (``steps`` include the build)."""
    steps: dict[str, float] = {}
    clock = _Clock(steps)
    basemap = basemaps.Basemap(basemaps.NONE)
    record_filter = RecordFilter()
    sites = filter_records(data.sites, record_filter)
    alliances = filter_records(data.alliances, record_filter)
    clock.lap("filter_records")
    base = maps.build_base_map(
        data.outline, data.areas, data.subdistricts, data.programs, lang, basemap
    )
    clock.lap("build_base_map")
    groups = maps.overlay_layers(
        data,
        sites,
        alliances,
        (),
        lang,
        basemap.datum,
        table=data.site_table,
        version=data.version,
    )
    clock.lap("overlay_layers")
    return st_folium_payload(base, groups, folium.LayerControl(collapsed=False), steps=steps)


def marker_reference(data: Dataset, lang: str = "zh") -> Payload:
    """The same base map with one ``folium.Marker`` + popup per site, one feature group."""
    steps: dict[str, float] = {}
    clock = _Clock(steps)
    base = maps.build_base_map(
        data.outline, data.areas, data.subdistricts, data.programs, lang, None
    )
    clock.lap("build_base_map")
    group = folium.FeatureGroup(name="markers")
    for name, lon, lat in zip(
        data.sites["name"], data.sites["lon"], data.sites["lat"], strict=True
    ):
        folium.Marker([lat, lon], popup=name).add_to(group)
    clock.lap("markers")
    return st_folium_payload(base, [group], folium.LayerControl(collapsed=False), steps=steps)


def floor_json(sites: pd.DataFrame) -> str:
    """The least any map could send: bare ids, coordinates and kinds as JSON."""
    return json.dumps(
        {
            "id": sites["id"].tolist(),
            "lon": sites["lon"].tolist(),
            "lat": sites["lat"].tolist(),
            "kind": sites["kind"].tolist(),
        },
        separators=(",", ":"),
    )


def timed(fn: Callable[[], object], reps: int) -> tuple[float, list[float], object]:
    """Median seconds of ``reps`` calls of ``fn``, every sample, and the last result."""
    samples, result = [], None
    for _ in range(reps):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples, result


def site_field_bytes(feature_group: str) -> dict[str, int]:
    """Bytes of each array of every SiteLayer payload (``var d = {...}``) in a script."""
    decoder = json.JSONDecoder()
    totals: dict[str, int] = {}
    marker = "var d = "
    start = feature_group.find(marker)
    while start != -1:
        payload, end = decoder.raw_decode(feature_group, start + len(marker))
        for key, value in payload.items():
            text = maps.json_for_script(value)
            totals[key] = totals.get(key, 0) + len(text.encode("utf-8")) + len(key) + 4
        start = feature_group.find(marker, end)
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


# --- profiling -------------------------------------------------------------------------------

#: Functions whose cumulative time the profile summary reports (``file:function`` suffixes).
_WATCH = {
    "build_base_map": ("geo/maps.py", "build_base_map"),
    "overlay_layers": ("geo/maps.py", "overlay_layers"),
    "site_payload": ("geo/maps.py", "site_payload"),
    "spread_positions": ("geo/maps.py", "spread_positions"),
    "json_for_script": ("geo/maps.py", "json_for_script"),
    "build_alliance_layer": ("geo/maps.py", "build_alliance_layer"),
    "_get_map_string": ("streamlit_folium/__init__.py", "_get_map_string"),
    "_get_feature_group_string": ("streamlit_folium/__init__.py", "_get_feature_group_string"),
    "_get_layer_control_string": ("streamlit_folium/__init__.py", "_get_layer_control_string"),
    "generate_leaflet_string": ("streamlit_folium/__init__.py", "generate_leaflet_string"),
    "_replace_folium_vars (regex)": ("streamlit_folium/__init__.py", "_replace_folium_vars"),
    "_resolve_element_refs (regex)": ("streamlit_folium/__init__.py", "_resolve_element_refs"),
    "generate_js_hash (regex+sha256)": ("streamlit_folium/__init__.py", "generate_js_hash"),
    "_get_header (regex)": ("streamlit_folium/__init__.py", "_get_header"),
    "textwrap.dedent": ("textwrap.py", "dedent"),
    "json.dumps": ("json/__init__.py", "dumps"),
    "re.sub": ("re/__init__.py", "sub"),
}


def profile(fn: Callable[[], object], top: int = 25) -> tuple[dict[str, float], str]:
    """cProfile ``fn``: cumulative seconds of the watched functions, and a top-``top`` table."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    stats = pstats.Stats(profiler)
    summary: dict[str, float] = {"total": 0.0}
    for (filename, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        path = Path(filename).as_posix()
        for label, (suffix, name) in _WATCH.items():
            if func == name and path.endswith(suffix):
                summary[label] = summary.get(label, 0.0) + ct
    summary["total"] = max(ct for (_f, _l, _n), (_a, _b, _c, ct, _d) in stats.stats.items())
    out = _io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    out.write("\n")
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return {k: round(v, 4) for k, v in summary.items()}, out.getvalue()
