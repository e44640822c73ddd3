"""数据 Records: the filtered records with every field, and downloads (CSV, Excel, GeoJSON, map)."""

import streamlit as st

from geo import export
from geo.citations import with_citations
from geo.labels import t
from ui import manage, widgets
from ui.context import get_context
from ui.settings import editing_enabled

ctx = get_context()
lang, data = ctx.lang, ctx.data

st.title(t("page_records", lang))
st.caption(t("records_caption", lang, n=len(ctx.sites)))
st.dataframe(
    with_citations(ctx.sites, data.sources, lang), hide_index=True, width="stretch", height=480
)

# Files are made when a button is clicked (callables), not on every run of the page.
columns = st.columns(4)
columns[0].download_button(
    t("download_csv", lang),
    lambda: export.records_to_csv(ctx.sites),
    "shizhong-sites.csv",
    "text/csv",
)
columns[1].download_button(
    t("download_xlsx", lang),
    lambda: export.records_to_xlsx(ctx.sites),
    "shizhong-sites.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
columns[2].download_button(
    t("download_geojson", lang),
    lambda: export.records_to_geojson(ctx.sites),
    "shizhong-sites.geojson",
    "application/geo+json",
)
columns[3].download_button(
    t("download_map", lang),
    lambda: widgets.map_html(ctx),
    "shizhong-map.html",
    "text/html",
)

# How completely the records are placed, and what is still to place (links to 管理 › 定位).
st.divider()
manage.completeness(ctx, links=editing_enabled())
