"""Server-side measurements without a Streamlit server: the map payload, its floor, the
``folium.Marker`` reference, and a profile of the payload path.

The payload is measured through public entry points only: ``streamlit_folium.st_folium``
itself, called outside a Streamlit run (its "bare mode": it builds and serialises every
argument of the component, then returns the default value), and the bytes it sends through
``streamlit.testing.v1.AppTest``, which records the component's JSON arguments as the browser
would receive them. If a streamlit-folium upgrade changes what it sends, :func:`payload_bytes`
fails loudly instead of measuring something else.
"""

from __future__ import annotations

import cProfile
import io as _io
import json
import logging
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import folium
import pandas as pd

from geo.data.dataset import Dataset, build_dataset
from geo.data.filters import RecordFilter, filter_records
from geo.load import load_records, load_reference
from geo.map import basemaps
from geo.map import leaflet as maps
from geo.store.records import Store

#: What ``ui.widgets.district_map`` passes to ``st_folium`` on the overview page.
MAP_KEY = "overview_map"
MAP_HEIGHT = 620
RETURNED = ["last_active_drawing"]
#: The component arguments that carry the map (what the payload is made of).
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
    """Seconds of each step of one overview map (build, then ``st_folium``)."""

    steps: dict[str, float] = field(default_factory=dict)

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


def _quiet_bare_mode() -> None:
    """Streamlit warns on every call made outside ``streamlit run``: expected here."""
    for name in ("streamlit", "streamlit.runtime"):
        logging.getLogger(name).setLevel(logging.ERROR)


def build_overview(data: Dataset, lang: str = "zh", steps: dict[str, float] | None = None):
    """The unfiltered overview map as ``ui.widgets.district_map`` builds it: (base, layers)."""
    clock = _Clock({} if steps is None else steps)
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
    return base, groups


def show_map(fmap: folium.Map, groups) -> object:
    """``st_folium`` with the overview's arguments (a stable key, only the clicked feature
    returned, the layer control), as ``ui.widgets.district_map`` calls it."""
    from streamlit_folium import st_folium

    return st_folium(
        fmap,
        key=MAP_KEY,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=RETURNED,
        feature_group_to_add=list(groups),
        layer_control=folium.LayerControl(collapsed=False),
    )


def overview_payload(data: Dataset, lang: str = "zh") -> Payload:
    """Build the unfiltered overview map and pass it to ``st_folium`` (bare mode): every step
    of the server's work for the map in one rerun, timed."""
    _quiet_bare_mode()
    steps: dict[str, float] = {}
    base, groups = build_overview(data, lang, steps)
    clock = _Clock(steps)
    show_map(base, groups)
    clock.lap("st_folium")
    return Payload(steps)


def build_markers(data: Dataset, lang: str = "zh", steps: dict[str, float] | None = None):
    """The reference: the same base map with one ``folium.Marker`` + popup per site."""
    clock = _Clock({} if steps is None else steps)
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
    return base, [group]


def marker_reference(data: Dataset, lang: str = "zh") -> Payload:
    """:func:`build_markers` passed to ``st_folium`` (bare mode), timed."""
    _quiet_bare_mode()
    steps: dict[str, float] = {}
    base, groups = build_markers(data, lang, steps)
    clock = _Clock(steps)
    show_map(base, groups)
    clock.lap("st_folium")
    return Payload(steps)


def _payload_script(store_url: str, which: str) -> None:
    """An AppTest script: the overview map (or the marker reference) of the store's data."""
    from bench import measure

    data, _ = measure.read_dataset(store_url)
    build = measure.build_markers if which == "markers" else measure.build_overview
    measure.show_map(*build(data))


def payload_bytes(store_url: str, which: str = "overview", timeout: float = 600.0) -> dict:
    """What the map component sends to the browser, from a real script run in AppTest: the
    bytes of its JSON arguments, in all and per part. Raises RuntimeError if the run shows no
    single streamlit-folium component with the arguments this benchmark knows."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(
        _payload_script, args=(store_url, which), default_timeout=timeout
    ).run()
    if at.exception:
        raise RuntimeError(f"payload script failed: {[e.message for e in at.exception]}")
    found = [c.proto for c in at.get("component_instance") if "st_folium" in c.proto.component_name]
    if len(found) != 1:
        raise RuntimeError(f"expected one st_folium component, found {len(found)}")
    text = found[0].json_args
    args = json.loads(text)
    missing = [k for k in PAYLOAD_PARTS if k not in args]
    if missing:
        raise RuntimeError(
            f"streamlit-folium no longer sends {missing} (it sends {sorted(args)}): "
            "update bench/measure.py to what it sends now"
        )
    return {
        "bytes": len(text.encode("utf-8")),
        "parts": {k: len((args[k] or "").encode("utf-8")) for k in PAYLOAD_PARTS},
        "feature_group": args["feature_group"] or "",
    }


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


def interleaved(
    fns: dict[str, Callable[[], object]], reps: int
) -> dict[str, tuple[float, list[float], object]]:
    """Like :func:`timed` for each of ``fns``, taking turns (one call of each per round), so
    that a figure and its floor are measured under the same load."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    last: dict[str, object] = {}
    for _ in range(reps):
        for name, fn in fns.items():
            start = time.perf_counter()
            last[name] = fn()
            samples[name].append(time.perf_counter() - start)
    return {name: (statistics.median(s), s, last[name]) for name, s in samples.items()}


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
    "build_base_map": ("geo/map/leaflet.py", "build_base_map"),
    "overlay_layers": ("geo/map/leaflet.py", "overlay_layers"),
    "site_payload": ("geo/map/sitelayer.py", "site_payload"),
    "json_for_script": ("geo/map/sitelayer.py", "json_for_script"),
    "build_alliance_layer": ("geo/map/leaflet.py", "build_alliance_layer"),
    "st_folium": ("streamlit_folium/__init__.py", "st_folium"),
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
    """cProfile ``fn``: cumulative seconds of the watched functions, and a top-``top`` table.

    The watched names include streamlit-folium's own functions, for reading only: one that
    an upgrade renamed is reported as ``None``, and no figure is computed from them."""
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
    for label in _WATCH:
        summary.setdefault(label, None)
    out = _io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    out.write("\n")
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return {k: None if v is None else round(v, 4) for k, v in summary.items()}, out.getvalue()
