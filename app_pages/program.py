"""项目 Program profile: what it is, its sites on the map, its figures and its timeline."""

import streamlit as st

from geo.data.citations import cite
from geo.data.gazetteer import code_names
from geo.data.profiles import program_profile
from geo.reports import charts
from geo.text.labels import localized, t
from ui import layout, report, sitelist, widgets
from ui.context import get_context
from ui.text import md_escape

ctx = get_context()
lang, data = ctx.lang, ctx.data
names = code_names(data.programs, localized("name", lang), key="key")
current = ctx.filter.programs[0] if len(ctx.filter.programs) == 1 else None
key = widgets.choose_one(
    ctx,
    t("choose_program", lang),
    list(names),
    names.get,
    current,
    "programs",
    key="profile_program",
)
profile = program_profile(
    key, data.programs, data.sites, data.metrics, data.units, data.alliances, data.events, lang
)

layout.page_header(ctx, profile.name)
st.markdown(f"**{t('what_it_is', lang)}**: {md_escape(profile.description)}")
st.caption(f"{t('source', lang)}: {md_escape(cite(profile.source, data.sources, lang))}")
report.report_buttons(ctx, program=key)
widgets.reported_kpis(ctx, profile.metrics)
widgets.district_map(ctx, key="program_map")
listed, details = st.columns([3, 2])  # the map as text
with listed:
    sitelist.site_list(ctx, "program_map")
with details:
    sitelist.site_panel(ctx, "program_map")
if not profile.timeline.empty:
    st.plotly_chart(charts.timeline_figure(profile.timeline, lang), width="stretch")
st.subheader(t("sites_here", lang) + f" ({len(profile.sites)})")
widgets.sites_table(ctx, profile.sites)
