"""Benchmark of the map dashboard on synthetic data (``python -m bench``).

Measures, side by side on the same synthetic sites (:mod:`bench.synthetic`, written to a
temporary store, never to ``data/``): the server-side time to build the overview map's
``st_folium`` payload and its size, a floor (bare JSON) and a reference (one ``folium.Marker``
per site) on the same path (:mod:`bench.measure`); AppTest first run and reruns after a filter
change, and memory after many filter changes (:mod:`bench.apptest`, fresh processes); and a
real headless Chromium against ``streamlit run`` (:mod:`bench.browser`), beside a bare
Streamlit page with one empty map (:mod:`bench.bare`, its floor for the page's frame and
paint). ``--json`` prints one
JSON object; ``--quick`` skips the AppTest, browser and memory parts.

(``bench.tour`` is a separate tool: the big screen's soak test, ``python -m bench.tour``.)
"""
