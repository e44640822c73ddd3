"""总览 Overview: the map first (it fills the first screen), the counted and headline figures
above it, the rest of the figures one click away; the list of sites and charts that filter the
map below, drawn once the map has painted (ui.widgets.after_map: they never delay it)."""

import streamlit as st

from geo.reports import charts
from geo.text.labels import t
from ui import firstlook, layout, report, sitelist, widgets
from ui.context import get_context

ctx = get_context()
lang, data = ctx.lang, ctx.data
MAP_KEY = "overview_map"


def _header() -> None:
    """The title and the figures, above the map."""
    title, counted = st.columns([2, 3], vertical_alignment="bottom")
    with title:
        layout.page_header(ctx, t("app_title", lang))
        reported_caption = st.container()
    with counted:
        counted_row = widgets.counted_kpis(ctx)  # the "all figures" button goes to its end
    widgets.reported_kpis(ctx, header=(reported_caption, counted_row))


# The header's place is above the map. In a session's first look it is filled after the map
# (the map is the first thing the browser draws); in any other run before it (then nothing
# drawn after the map competes with its drawing the new sites). Either way the map stays the
# same element: only the header's contents move in the run.
header = st.container()
first_look = firstlook.holding()
if not first_look:
    with header:
        _header()
clicked = widgets.district_map(ctx, key=MAP_KEY, fill=True)
if first_look:
    with header:
        _header()
# a session's first look ends here; the rest once the map has painted (ui/firstlook.py)
firstlook.hold(len(ctx.sites))
widgets.handle_map_click(ctx, MAP_KEY, clicked)
hint, profile = st.columns([3, 1])
hint.caption(t("click_hint", lang))
with hint:  # under the map: the map stays first on every screen
    report.report_buttons(ctx)
if len(ctx.filter.subdistricts) == 1:
    profile.page_link("app_pages/subdistrict.py", label=t("open_profile", lang), icon="➡️")
listed, details = st.columns([3, 2])  # the map as text, under it: the map stays first
CHOSEN = "sz_overview_chosen"
st.session_state[CHOSEN] = widgets.selected_site(MAP_KEY)  # as this run of the page shows it


def _site_list() -> None:
    sitelist.site_list(ctx, MAP_KEY)
    if widgets.selected_site(MAP_KEY) != st.session_state.get(CHOSEN):
        st.rerun()  # an entry chosen: the map rings it, the details show it (the whole page)


with listed:
    # mounted once the map shows this filter's sites: its hundreds of entries never delay it
    widgets.after_map(
        "sz_overview_list",
        _site_list,
        token=(lang, ctx.filter, data.version),
        sites=len(ctx.sites),
        height=400 if len(ctx.sites) > 7 else 80 + 40 * len(ctx.sites),
    )
    sitelist.subdistrict_choices(ctx)
with details:
    sitelist.site_panel(ctx, MAP_KEY)

st.caption(t("chart_click_hint", lang))


def _charts() -> None:
    first, second = st.columns(2)
    with first:
        widgets.chart_filter(
            charts.records_by_subdistrict(ctx.sites, data.subdistricts, data.programs, lang),
            "chart_streets",
            "subdistricts",
        )
    with second:
        widgets.chart_filter(
            charts.records_by_program(ctx.sites, data.programs, lang),
            "chart_programs",
            "programs",
        )
    st.plotly_chart(charts.five_models_figure(data.five_models, lang), width="stretch")
    st.caption(t("five_models_note", lang))


# the charts once the map has painted and they come near the view: Plotly never delays it
widgets.after_map("sz_overview_charts", _charts, in_view=True, height=920)
