"""The big screen (大屏): dark, large type, a tour through programs or subdistricts.

The tour runs in a fragment on a timer, so only the stage reruns: the map keeps one base and
swaps its layers (no reload, no flicker). Everything shown from records is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import time

import streamlit as st

from geo.config import STATIC_DIR
from geo.data import citations
from geo.map import leaflet as maps
from geo.reports import charts, present
from geo.text.labels import join_list, localized, t
from ui import layout, widgets
from ui.context import Context

# Static styling of this page only (our own CSS, static/ui/present.css; no record text).
_CSS = f"\n<style>\n{(STATIC_DIR / 'ui' / 'present.css').read_text(encoding='utf-8')}</style>\n"

_INDEX, _RUNNING, _LAST, _HOLD = "tour_index", "tour_running", "tour_last", "tour_hold_until"
_CLICK = "tour_last_click"
HOLD_S = 120  # a manual step holds the tour this long, then it goes on by itself


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118


def _step(delta: int, total: int) -> None:
    st.session_state[_INDEX] = (st.session_state[_INDEX] + delta) % total
    st.session_state[_LAST] = time.monotonic()
    st.session_state[_HOLD] = time.monotonic() + HOLD_S


def _toggle() -> None:
    st.session_state[_RUNNING] = not st.session_state[_RUNNING]
    st.session_state[_LAST] = time.monotonic()
    st.session_state[_HOLD] = 0.0


def render(context: Context) -> None:
    """Draw the big screen for ``context`` (language, data and the configured basemap)."""
    lang, data = context.lang, context.data
    settings = present.tour_settings(_params())
    official = data.areas.loc[~data.areas["schematic"].astype(bool), "code"]
    items = present.tour_items(
        settings.by,
        data.programs,
        data.subdistricts,
        data.units,
        lang,
        official=set(official),
        sites=data.sites,
        metrics=data.metrics,
    )
    if _INDEX not in st.session_state:
        st.session_state[_INDEX] = present.start_index(items, settings.start)
        st.session_state[_RUNNING] = settings.running
        st.session_state[_LAST] = time.monotonic()
        st.session_state[_HOLD] = 0.0
    st.markdown(_CSS, unsafe_allow_html=True)
    _ticker(context)
    interval = settings.interval_s if st.session_state[_RUNNING] else None

    @st.fragment(run_every=interval)
    def stage() -> None:
        now = time.monotonic()
        due = now - st.session_state[_LAST] >= settings.interval_s * 0.95
        if st.session_state[_RUNNING] and due and now >= st.session_state[_HOLD]:
            st.session_state[_INDEX] = (st.session_state[_INDEX] + 1) % len(items)
            st.session_state[_LAST] = now
        _header(context, items, settings)
        _stage(context, items, settings)

    stage()


def _header(context: Context, items: list, settings: present.TourSettings) -> None:
    lang = context.lang
    kind = t("kind_street" if settings.by == present.BY_STREET else "kind_program", lang)
    if items[st.session_state[_INDEX]].kind == present.OVERVIEW:
        kind = t("present_overview_kind", lang)
    elif items[st.session_state[_INDEX]].kind == present.YEARS:
        kind = t("tour_trend_title", lang)
    step = t("present_step", lang, kind=kind, n=st.session_state[_INDEX] + 1, total=len(items))
    state = (
        t("present_every", lang, s=settings.interval_s)
        if st.session_state[_RUNNING]
        else t("present_paused", lang)
    )
    title = html.escape(t("present_title", lang))
    fresh = html.escape(layout.freshness(context))
    st.markdown(
        f'<div class="sz-head"><span class="sz-title">{title}</span>'
        f'<span class="sz-date">{dt.date.today():%Y-%m-%d}</span>'
        f'<span class="sz-fresh">{fresh}</span>'
        f'<span class="sz-step">{html.escape(step)} · {html.escape(state)}</span></div>',
        unsafe_allow_html=True,
    )


def _ticker(context: Context) -> None:
    """The programs' dated events, scrolling along the bottom (drawn once, outside the
    stage, so its motion does not restart at every step)."""
    lang, events = context.lang, context.data.events
    if events.empty:
        return
    ordered = events.assign(date=events["date"].astype(str)).sort_values("date", kind="stable")
    items = "".join(
        f'<span class="sz-event"><b>{html.escape(date)}</b>{html.escape(title)}</span>'
        for date, title in zip(ordered["date"], ordered[localized("title", lang)], strict=True)
    )
    # the events twice in a row, moved by half their width: a seamless loop from the start
    st.markdown(
        f'<div class="sz-ticker"><span class="sz-tag">{html.escape(t("present_ticker", lang))}'
        f'</span><div class="sz-lane"><span class="sz-track">{items}{items}</span></div></div>',
        unsafe_allow_html=True,
    )


def _stage(context: Context, items: list, settings: present.TourSettings) -> None:
    lang, data = context.lang, context.data
    item = items[st.session_state[_INDEX]]
    step = present.step_for(
        item,
        data.sites,
        data.metrics,
        data.units,
        data.alliances,
        programs=data.programs,
        events=data.events,
        sources=data.sources,
        lang=lang,
    )
    left, right = st.columns([13, 8])
    with left:
        selected = (item.key,) if item.kind == present.BY_STREET else ()
        scope = ()
        if step.district_scope:  # a program the sources describe district-wide
            label = t("present_scope_layer", lang)
            scope = (
                maps.build_scope_layer(data.outline, step.colour, label, context.basemap.datum),
            )
        clicked = widgets.show_map(
            context,
            "present_map",
            sites=step.sites,
            alliances=context.alliances.iloc[0:0],
            selected=selected,
            height=900,
            returned=("last_clicked",),
            theme="dark",
            layer_control=None,
            extra=scope,
        )
        point = (clicked or {}).get("last_clicked")
        if point and point != st.session_state.get(_CLICK):  # someone is using the map
            st.session_state[_CLICK] = point
            st.session_state[_HOLD] = time.monotonic() + HOLD_S
    with right:
        controls = st.columns(3)
        controls[0].button(
            t("present_prev", lang),
            on_click=_step,
            args=(-1, len(items)),
            width="stretch",
            key="tour_prev",
        )
        controls[1].button(
            t("present_next", lang),
            on_click=_step,
            args=(1, len(items)),
            width="stretch",
            key="tour_next",
        )
        label = "present_pause" if st.session_state[_RUNNING] else "present_resume"
        controls[2].button(t(label, lang), on_click=_toggle, key="tour_toggle", width="stretch")
        _spotlight(lang, step, data.sources)
        if item.kind == present.YEARS:
            _years(lang, step)
        elif step.chart:  # only over sites: a step without any has no (empty) chart
            by = present.BY_PROGRAM if item.kind == present.BY_PROGRAM else present.BY_STREET
            st.plotly_chart(
                charts.step_chart(
                    step.sites, by, data.subdistricts, data.programs, lang, height=260
                ),
                width="stretch",
                config={"displayModeBar": False, "staticPlot": True},
                key="present_chart",
            )
        elif len(step.events):  # its dated events instead
            rows = "".join(
                f"<li><b>{html.escape(d)}</b>{html.escape(title)}</li>"
                for d, title in zip(step.events["date"], step.events["title"], strict=True)
            )
            st.markdown(
                f'<div class="sz-spot"><p>{html.escape(t("present_timeline", lang))}</p>'
                f'<ul class="sz-events">{rows}</ul></div>',
                unsafe_allow_html=True,
            )


def _years(lang: str, step: present.Step) -> None:
    """The 历年变化 slide's figures period by period, then its chart of the sites standing each
    year (the list first: a screen too low for charts hides the chart, not the figures)."""
    if step.trends:
        st.markdown(present.trends_html(step.trends, lang), unsafe_allow_html=True)
    if step.years is not None:
        st.plotly_chart(
            charts.years_chart(step.years, lang, height=230),
            width="stretch",
            config={"displayModeBar": False, "staticPlot": True},
            key="present_years_chart",
        )


def _spotlight(lang: str, step: present.Step, sources) -> None:
    item = step.item
    names = present.site_names(step)
    sites = join_list(names, lang) if names else t("present_none", lang)
    # every site: the map and the chart say it better
    line = (
        ""
        if item.kind in (present.OVERVIEW, present.YEARS)
        else f'<div class="sz-sites">{html.escape(t("present_sites", lang))}: '
        f"{html.escape(sites)}</div>"
    )
    source = (
        f'<div class="sz-src">{html.escape(t("source", lang))}: '
        f"{html.escape(citations.cite(item.source, sources, lang))}</div>"
        if item.source  # the 历年变化 slide has none of its own: each figure says its own
        else ""
    )
    tiles = [
        present.kpi_tile_html(tile.value, tile.label, tile.note, counted=tile.counted)
        for tile in step.tiles
    ]
    st.markdown(
        f'<div class="sz-spot"><h2>{html.escape(item.title)}</h2>'
        f"<p>{html.escape(item.description)}</p>"
        f"{source}"
        f"{line}"
        f'</div><div class="sz-tiles">{"".join(tiles)}</div>',
        unsafe_allow_html=True,
    )
