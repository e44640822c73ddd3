"""总览 Overview: the map first (it fills the first screen), the counted and headline figures
above it, the rest of the figures one click away; charts that filter the map below."""

import streamlit as st

from geo.reports import charts
from geo.text.labels import t
from ui import layout, report, sitelist, widgets
from ui.context import get_context

ctx = get_context()
lang, data = ctx.lang, ctx.data
MAP_KEY = "overview_map"

title, counted = st.columns([2, 3], vertical_alignment="bottom")
with title:
    layout.page_header(ctx, t("app_title", lang))
    reported_caption = st.container()
with counted:
    counted_row = widgets.counted_kpis(ctx)  # the "all figures" button goes to its end
widgets.reported_kpis(ctx, header=(reported_caption, counted_row))

clicked = widgets.district_map(ctx, key=MAP_KEY, fill=True)
widgets.handle_map_click(ctx, MAP_KEY, clicked)
hint, profile = st.columns([3, 1])
hint.caption(t("click_hint", lang))
with hint:  # under the map: the map stays first on every screen
    report.report_buttons(ctx)
if len(ctx.filter.subdistricts) == 1:
    profile.page_link("app_pages/subdistrict.py", label=t("open_profile", lang), icon="➡️")
listed, details = st.columns([3, 2])  # the map as text, under it: the map stays first
with listed:
    sitelist.site_list(ctx, MAP_KEY)
    sitelist.subdistrict_choices(ctx)
with details:
    sitelist.site_panel(ctx, MAP_KEY)

st.caption(t("chart_click_hint", lang))
first, second = st.columns(2)
with first:
    widgets.chart_filter(
        charts.records_by_subdistrict(ctx.sites, data.subdistricts, data.programs, lang),
        "chart_streets",
        "subdistricts",
    )
with second:
    widgets.chart_filter(
        charts.records_by_program(ctx.sites, data.programs, lang), "chart_programs", "programs"
    )
st.plotly_chart(charts.five_models_figure(data.five_models, lang), width="stretch")
st.caption(t("five_models_note", lang))
