"""The benchmark's floor for the page itself: a bare Streamlit page with one empty
streamlit-folium map (Leaflet from the app's static folder, no tiles, no layer), served by a
second ``streamlit run`` beside the app in the same run (bench/browser.py). What the overview
takes beyond this page's frame and paint is the page's own cost, not Streamlit's shell.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.map.leaflet import LEAFLET_DIR, STATIC_URL

#: The key of the map; the browser measures finds its frame as it finds the overview's.
KEY = "bare_map"


class BareMap(folium.Map):
    """An empty map loading only Leaflet, from the app's static folder (no CDN)."""

    default_js = [("leaflet", f"{STATIC_URL}/{LEAFLET_DIR}/leaflet.js")]
    default_css = [("leaflet_css", f"{STATIC_URL}/{LEAFLET_DIR}/leaflet.css")]


st.set_page_config(page_title="bare", layout="wide")
st_folium(
    BareMap(location=[36.62, 116.98], zoom_start=11, tiles=None),
    key=KEY,
    height=620,
    use_container_width=True,
    returned_objects=[],
)
