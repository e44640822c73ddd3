"""数据 Records: the filtered records as people read them (headers and names in their language,
readable citations, the codes in columns of their own at the end), and the same table as CSV,
Excel and GeoJSON; the current map as one offline HTML file."""

import streamlit as st

from geo.data.tables import sites_for_people
from geo.reports import export
from geo.text.labels import field_label, t
from ui import layout, manage, widgets
from ui.context import get_context
from ui.settings import editing_enabled

ctx = get_context()
lang, data = ctx.lang, ctx.data
table = sites_for_people(
    ctx.sites, data.subdistricts, data.units, data.programs, data.sources, lang
)

layout.page_header(ctx, t("page_records", lang))
st.caption(t("records_caption", lang, n=len(ctx.sites)))
# As tall as its rows (35 px each, and the header), at most 480 px: a few records leave no
# empty grid below them.
st.dataframe(table, hide_index=True, width="stretch", height=min(480, 35 * (len(table) + 1) + 3))

# Files are made when a button is clicked (callables), not on every run of the page; a
# download changes nothing on the page, so it does not rerun it (on_click="ignore"): the next
# button is ready at once.
columns = st.columns(4)
columns[0].download_button(
    t("download_csv", lang),
    lambda: export.records_to_csv(table),
    "shizhong-sites.csv",
    "text/csv",
    on_click="ignore",
)
columns[1].download_button(
    t("download_xlsx", lang),
    lambda: export.records_to_xlsx(table, sheet=t("sheet_sites", lang)),
    "shizhong-sites.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)
columns[2].download_button(
    t("download_geojson", lang),
    lambda: export.records_to_geojson(
        table, lon=field_label("lon", lang), lat=field_label("lat", lang)
    ),
    "shizhong-sites.geojson",
    "application/geo+json",
    on_click="ignore",
)
columns[3].download_button(
    t("download_map", lang),
    lambda: widgets.map_html(ctx),
    "shizhong-map.html",
    "text/html",
    on_click="ignore",
)
st.caption(t("downloads_note", lang))

# How completely the records are placed, and what is still to place (links to 管理 › 定位).
st.divider()
manage.completeness(ctx, links=editing_enabled())
