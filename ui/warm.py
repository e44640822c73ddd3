"""The server warm before its first visitor (issue 28).

``streamlit run app.py`` finds ``app = st.App(...)`` in app.py and serves it; before it answers
its first request (``/_stcore/health`` included) the App's lifespan runs :func:`warm` here: the
expensive imports (folium, plotly, geopandas, streamlit-folium), the data through
``ui.data``'s cached loaders (the very caches every session reads, for the store and data
folder this process serves), and one unfiltered overview map and its charts (folium's and
plotly's first-use costs); then what it loaded is frozen out of the garbage collector's later
passes (:func:`_freeze`). Every way of starting the app goes through it: ``make run``, the
instances of ``deploy/Procfile`` and anything else that runs ``streamlit run app.py``.

Warming never stops the server: a step that fails (the database is not reachable yet) is
logged, and the first session does that work as it did before.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import time
from collections.abc import AsyncIterator, Callable

from streamlit.logger import get_logger

_LOG = get_logger(__name__)

#: Modules the first session would otherwise import (about 1.5 s together).
HEAVY_MODULES = (
    "pandas",
    "geopandas",
    "shapely",
    "folium",
    "branca",
    "jinja2",
    "plotly.graph_objects",
    "plotly.io",
    "streamlit_folium",
    "sqlalchemy",
    "ui.context",
    "ui.widgets",
    "ui.report",
    "ui.sitelist",
    "ui.layout",
    "ui.boundaries",
    "geo.reports.charts",
    "geo.map.leaflet",
)

#: Seconds each step of the last :func:`warm` took in this process (None: not warmed).
last_warm: dict[str, float] | None = None


def _step(steps: dict[str, float], name: str, action: Callable[[], object]) -> object:
    started = time.perf_counter()
    try:
        return action()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # also st.stop()'s: the first session does it instead; the server
        _LOG.warning("warming: %s failed", name, exc_info=True)  # starts regardless
        return None
    finally:
        steps[name] = time.perf_counter() - started


def _imports() -> None:
    for name in HEAVY_MODULES:
        importlib.import_module(name)
    _register_components()


def _register_components() -> None:
    """Register streamlit-folium's component with the server.

    ``declare_component`` registers a component only when its module is first imported inside
    a session; imported here, before any session, it would never be, and its frame would not
    load (404). So it is registered by hand, as that import would have done.
    """
    import streamlit_folium
    from streamlit import runtime

    runtime.get_instance().component_registry.register_component(streamlit_folium._component_func)


def _overview(lang: str) -> None:
    """The unfiltered overview as the first session builds it: data, filter vocabulary, map
    (built and rendered by ``ui.widgets.show_map``, as the page does) and charts."""
    import plotly.io as pio

    from geo.data.filters import RecordFilter
    from geo.map import basemaps
    from geo.reports import charts
    from ui import context, settings, widgets
    from ui.data import load_dataset

    data = load_dataset(lang)
    context.vocabulary(data)
    chosen = settings.basemap_settings()
    default = chosen.default if chosen.default in basemaps.KEYS else basemaps.NONE
    basemap, _ = basemaps.resolve(default, chosen)
    view = context.Context(lang, data, RecordFilter(), data.sites, data.alliances, basemap)
    # outside a session st_folium renders the map and sends nothing (Streamlit's bare mode)
    widgets.show_map(view, "sz_warm", alliances=data.alliances, fill=True)
    for figure in (
        charts.records_by_subdistrict(data.sites, data.subdistricts, data.programs, lang),
        charts.records_by_program(data.sites, data.programs, lang),
        charts.five_models_figure(data.five_models, lang),
    ):
        pio.to_json(figure, validate=False)


def _freeze() -> None:
    """What warming loaded lives as long as the process: out of every later collection.

    Streamlit runs a full collection after each run of a script (``runner.postScriptGC``),
    and it holds the interpreter: nothing is sent meanwhile, not even the map's message that
    the run has just queued. A full collection walks every tracked object, the imported
    modules and the cached data included: 155 to 205 ms after each run at 100,000 sites,
    against 3 to 7 ms once these are frozen (``gc.freeze``); the map's frame came that much
    sooner. Garbage first, so that none of it is kept for good.
    """
    gc.collect()
    gc.freeze()


def warm(lang: str = "zh") -> dict[str, float]:
    """Do now what the first visitor would wait for; seconds per step.

    Safe to call more than once (the caches it fills are the sessions' own).
    """
    global last_warm
    steps: dict[str, float] = {}
    started = time.perf_counter()
    _step(steps, "imports", _imports)
    _step(steps, "overview", lambda: _overview(lang))
    _step(steps, "freeze", _freeze)
    steps["total"] = time.perf_counter() - started
    last_warm = steps
    _LOG.info("warming: done in %.2f s (%s)", steps["total"], steps)
    return steps


@contextlib.asynccontextmanager
async def lifespan(_app) -> AsyncIterator[None]:
    """``st.App``'s lifespan: warm (in a worker thread) before the server answers."""
    await asyncio.to_thread(warm)
    yield
