"""街道 Subdistrict profile: its area zoomed in, its units, sites, programs and figures."""

import streamlit as st

from geo.data.gazetteer import code_names
from geo.data.profiles import subdistrict_profile
from geo.map import model
from geo.text.labels import t
from ui import layout, report, sitelist, widgets
from ui.context import get_context

ctx = get_context()
lang, data = ctx.lang, ctx.data
names = code_names(data.subdistricts)
current = ctx.filter.subdistricts[0] if len(ctx.filter.subdistricts) == 1 else None
code = widgets.choose_one(
    ctx,
    t("choose_subdistrict", lang),
    list(names),
    names.get,
    current,
    "subdistricts",
    key="profile_street",
)
profile = subdistrict_profile(
    code, data.subdistricts, data.units, data.areas, data.sites, data.metrics, data.alliances
)

layout.page_header(
    ctx, profile.name + (f"（{t('schematic_tag', lang)}）" if profile.schematic else "")
)
st.caption(t("approx_seat", lang, km=profile.seat_uncertainty_km))
report.report_buttons(ctx, subdistrict=code)
widgets.reported_kpis(ctx, profile.metrics)
left, right = st.columns([3, 2])
with left:
    widgets.district_map(
        ctx,
        key="subdistrict_map",
        selected=(code,),
        center=profile.center,
        zoom=model.zoom_for_bounds(profile.bounds),
        compact=True,
    )
    sitelist.site_list(ctx, "subdistrict_map")
    sitelist.site_panel(ctx, "subdistrict_map")
with right:
    st.subheader(t("units_table", lang) + f" ({len(profile.units)})")
    widgets.units_table(ctx, profile.units)
st.subheader(t("sites_here", lang) + f" ({len(profile.sites)})")
widgets.sites_table(ctx, profile.sites)
