"""Building blocks the pages share: KPI rows, the map, record details."""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Callable

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.config import STATIC_DIR
from geo.data import citations, kpi
from geo.data.gazetteer import code_names
from geo.data.tables import sites_for_people
from geo.map import leaflet as maps
from geo.map import model
from geo.text.labels import field_label, kind_label, localized, t
from ui import layout
from ui.context import PAINT_PENDING, PAINTED_AT, Context, first_look_holding, request_filter
from ui.text import md_escape

MAP_HEIGHT = 620


#: Reported figures shown as cards before the "all figures" button; the cards' height (px).
HEADLINES = 6
CARD_HEIGHT = 128
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _figure_card(row, lang: str, cited: dict[str, str], key: str) -> None:
    """One reported figure as a card: name, latest value (with its unit) and period, the
    period and the readable source on hover. A figure with an earlier period also shows its
    change (coloured by the direction good for it), its share of the target, and a trend line
    from three periods; hover gives every period's value and source."""
    name_col = localized("name", lang)
    period = kpi.format_period(row.year, row.period, lang, getattr(row, "quarter", None))
    change, since = kpi.change_parts(row, lang) if hasattr(row, "change") else ("", "")
    target = kpi.format_target(row, lang) if hasattr(row, "target_share") else ""
    label, value = md_escape(getattr(row, name_col)), md_escape(row.display)
    if not change and not target:  # one period: as the card has always been
        with st.container(key=key):
            # label, value (it holds the unit) and help are all Markdown to Streamlit: escape
            # each. The period sits right under the value (grey, no arrow: it is not a change).
            st.metric(
                label,
                value,
                delta=md_escape(period),
                delta_color="off",
                delta_arrow="off",
                border=True,
                height=CARD_HEIGHT,
                help=md_escape(f"{period} · {t('source', lang)}: {cited[row.source]}"),
            )
        return
    with st.container(key=key, border=True, gap=None):
        st.metric(
            label,
            value,
            # the sign stays first and unescaped: Streamlit's arrow follows a leading "-"
            delta=(change[:1] + md_escape(change[1:])) if change else None,
            delta_color=_delta_colour(row),
            delta_description=md_escape(since) or None,
            help=_period_sources(row, cited, lang),
        )
        if row.periods >= TREND_PERIODS:
            st.markdown(_trend_svg(row, lang), unsafe_allow_html=True)
        st.caption(md_escape(" · ".join(part for part in (period, target) if part)))


#: A trend line from this many periods.
TREND_PERIODS = 3


def _delta_colour(row) -> str:
    """Streamlit's colour for the change: it colours a rise green with ``normal``, red with
    ``inverse``; a good change is green, a bad one red, any other grey."""
    if row.tone not in ("good", "bad"):
        return "off"
    return "normal" if (row.tone == "good") == (row.change > 0) else "inverse"


#: The trend line's colour by the change's tone (each at least 3:1 on white, WCAG 1.4.11).
_TREND_COLOURS = {"good": "#1a7f37", "bad": "#c62828"}


def _trend_svg(row, lang: str) -> str:
    """A figure's values over its periods as a small line: our own SVG (Streamlit's metric
    chart has no text alternative), named for a screen reader by every period and value. Only
    numbers and escaped text go into it."""
    values = [float(v) for v in row.trend]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = 100 / (len(values) - 1)
    points = " ".join(
        f"{i * step:.1f},{32 - (v - low) / span * 28:.1f}" for i, v in enumerate(values)
    )
    named = "，".join(
        f"{kpi.format_period(year, period, lang, quarter)} {shown}"
        for year, quarter, period, shown, _source in row.history
    )
    colour = _TREND_COLOURS.get(row.tone, "#5f6b76")
    return (
        f'<svg class="sz-trend" role="img" aria-label="{html.escape(t("trend", lang))}：'
        f'{html.escape(named)}" viewBox="0 0 100 36" preserveAspectRatio="none">'
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2" '
        'vector-effect="non-scaling-stroke"/></svg>'
    )


def _period_sources(row, cited: dict[str, str], lang: str) -> str:
    """Hover text (Markdown, each line escaped): each period's value and source (latest
    first), then the target's."""
    source = t("source", lang)
    lines = [
        f"{kpi.format_period(year, period, lang, quarter)}：{shown}（{source}：{cited[ref]}）"
        for year, quarter, period, shown, ref in reversed(row.history)
    ]
    if pd.notna(row.target_share):
        target = cited[row.target_source]
        lines.append(f"{kpi.format_target(row, lang)}（{source}：{target}）")
    return "\n\n".join(md_escape(line) for line in lines)


def _citations(metrics: pd.DataFrame, sources: pd.DataFrame, lang: str) -> dict[str, str]:
    """Every source the cards cite (each period's, each target's), each read once."""
    refs = [*metrics["source"], *metrics.get("target_source", ())]
    refs += [entry[4] for history in metrics.get("history", ()) for entry in history]
    return citations.cite_each(refs, sources, lang)


def _card_colours(programs: pd.DataFrame, prefix: str) -> None:
    """Each program's colour as the left edge of its figures' cards (our own CSS)."""
    rules = [
        f'[class*="st-key-{prefix}-p{i}-"] [data-testid="stMetric"] '
        f"{{ border-left: 5px solid {colour} !important; }}"
        for i, colour in enumerate(programs["color"])
        if _COLOUR.match(str(colour))
    ]
    st.html(f"<style>{' '.join(rules)}</style>")


def reported_kpis(
    context: Context,
    metrics: pd.DataFrame | None = None,
    limit: int = HEADLINES,
    header: tuple | None = None,
) -> None:
    """Reported figures (from sources), grouped by program: the headline ones as a row of
    aligned cards (each with its period; its source on hover), every figure one click away
    (a popover listing them by program). ``header``: two containers for the section's
    caption and that button (default: a row of their own above the cards).

    Always one element of the page, however many figures the filter selects: what follows
    (the map) keeps its place, so its frame is not mounted again on a filter change.
    """
    with st.container():
        _reported_kpis(context, metrics, limit, header)


def _reported_kpis(
    context: Context,
    metrics: pd.DataFrame | None = None,
    limit: int = HEADLINES,
    header: tuple | None = None,
) -> None:
    """Reported figures (from sources), grouped by program: the headline ones as a row of
    aligned cards (each with its period; its source on hover), every figure one click away
    (a popover listing them by program). ``header``: two containers for the section's
    caption and that button (default: a row of their own above the cards)."""
    lang, data = context.lang, context.data
    if metrics is None:
        metrics = kpi.reported_metrics(
            data.metrics, context.filter, data.units, data.sites, data.alliances
        )
    if metrics.empty:
        st.caption(f"**{t('reported', lang)}** · {t('no_reported', lang)}")
        return
    ordered = kpi.headline_first(metrics, data.programs)
    cited = _citations(ordered, data.sources, lang)
    index = {key: i for i, key in enumerate(data.programs["key"])}
    _card_colours(data.programs, "szc")
    caption, more = header or st.columns([4, 1], vertical_alignment="center")
    caption.caption(f"**{t('reported', lang)}** · {t('reported_help', lang)}")
    with st.container(horizontal=True, key=layout.CARDS_KEY, gap="small"):
        for n, row in enumerate(ordered.head(limit).itertuples(index=False)):
            _figure_card(row, lang, cited, f"szc-p{index.get(row.program, 99)}-{n}")
    if len(ordered) <= limit:
        return
    names = code_names(data.programs, localized("name", lang), key="key")
    with more.popover(t("all_reported", lang, n=len(ordered)), type="tertiary"):
        if first_look_holding():  # closed, and not on the first screen: in the next run
            return
        for program, group in ordered.groupby("program", sort=False):
            st.markdown(f"**{md_escape(names.get(program, program))}**")
            with st.container(horizontal=True, gap="small"):
                for n, row in enumerate(group.itertuples(index=False)):
                    key = f"szc-p{index.get(program, 99)}-all-{n}"
                    _figure_card(row, lang, cited, key)


def counted_kpis(context: Context):
    """Counts of the visible records, labelled as counts (one compact row); returns the row
    (a page may add to its end)."""
    lang = context.lang
    counts = kpi.computed_counts(context.sites, context.alliances)
    note = t("counted_help", lang)
    row = st.container(horizontal=True, key=layout.COUNTED_KEY, vertical_alignment="center")
    with row:
        st.metric(t("count_sites", lang), counts.sites, width="content", help=note)
        st.metric(t("count_subdistricts", lang), counts.subdistricts, width="content", help=note)
        st.metric(t("count_programs", lang), counts.programs, width="content", help=note)
    by_kind = " · ".join(f"{kind_label(k, lang)} {n}" for k, n in counts.by_kind.items() if n)
    st.caption(by_kind or "—")
    if counts.sites == 0:
        st.warning(t("empty_state", lang))
    return row


def show_map(
    context: Context,
    key: str,
    sites: pd.DataFrame | None = None,
    alliances: pd.DataFrame | None = None,
    selected: tuple[str, ...] = (),
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    height: int = MAP_HEIGHT,
    returned: tuple[str, ...] = ("last_active_drawing",),
    theme: str = "light",
    layer_control: bool | None = False,
    extra: tuple = (),
    fill: bool = False,
) -> dict:
    """The one place a map is put on a page: a stable base and the layers of this view.

    ``sites`` default to the filtered records; ``alliances=None`` draws sites only. ``center``
    is (lat, lon) in WGS-84 (converted to the basemap's datum here). ``layer_control`` False
    shows it open, True folded into its button, None not at all; ``extra`` feature groups
    are drawn first (under the sites); ``fill``: the map follows its frame's height (set by
    the page's CSS). Returns what ``st_folium`` returned for ``returned`` (the only events
    that rerun the page).
    """
    basemap = context.basemap
    transform = maps.display_transform(basemap.datum)
    if center is not None and transform is not None:
        lon, lat = transform([center[1]], [center[0]])
        center = (float(lat[0]), float(lon[0]))
    base, layers = maps.assemble_map(
        context.data,
        context.sites if sites is None else sites,
        alliances,
        selected,
        context.lang,
        basemap,
        theme,
        fill,
    )
    control = None if layer_control is None else folium.LayerControl(collapsed=layer_control)
    return (
        st_folium(
            base,
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=list(returned),
            feature_group_to_add=[*extra, *layers],
            layer_control=control,
            center=center,
            zoom=zoom,
        )
        or {}
    )


def district_map(
    context: Context,
    key: str,
    selected: tuple[str, ...] = (),
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    compact: bool = False,
    fill: bool = False,
) -> dict | None:
    """The map of the filtered records, flown to the selected subdistricts; returns the
    clicked feature's properties. ``compact`` folds the layer control (narrow columns);
    ``fill`` makes the map fill the rest of the first screen (the overview's hero). The site
    chosen on this map (:func:`selected_site`: a click, or its entry in the list) is ringed
    if it is shown."""
    data = context.data
    chosen_site = selected_site(key)
    if chosen_site is not None and not context.sites["id"].eq(chosen_site).any():
        chosen_site = None
    ring = maps.build_highlight_layer(data.site_table, chosen_site, context.basemap.datum)
    chosen = selected or context.filter.subdistricts
    if center is None and chosen:  # fly to the selected subdistricts
        areas = data.areas[data.areas["code"].isin(chosen)]
        if len(areas):
            west, south, east, north = areas.total_bounds
            center, zoom = (
                ((south + north) / 2, (west + east) / 2),
                model.zoom_for_bounds((west, south, east, north)),
            )
    with st.container(key=layout.MAP_FILL_KEY if fill else None):
        result = show_map(
            context,
            key,
            alliances=context.alliances,
            selected=chosen,
            center=center,
            zoom=zoom,
            layer_control=compact,
            fill=fill,
            extra=(ring,),
        )
    drawing = result.get("last_active_drawing") or {}
    return drawing.get("properties") or None


def map_html(context: Context) -> str:
    """The current map (filters and basemap) as one self-contained HTML file."""
    base, layers = maps.assemble_map(
        context.data,
        context.sites,
        context.alliances,
        context.filter.subdistricts,
        context.lang,
        context.basemap,
    )
    return maps.standalone_html(base, layers)


def new_click(key: str, properties: dict | None) -> dict | None:
    """``properties`` if it is a click not handled yet on map ``key`` (st_folium repeats it)."""
    if not properties:
        return None
    marker = f"{key}__seen"
    if st.session_state.get(marker) == properties:
        return None
    st.session_state[marker] = properties
    return properties


def site_details(context: Context, site_id: str) -> None:
    """A record's fields as people read them (:func:`geo.data.tables.sites_for_people`), shown
    as text (never markup)."""
    lang, data = context.lang, context.data
    rows = data.sites[data.sites["id"] == site_id]
    if rows.empty:
        return
    site = rows.iloc[0]
    shown = _for_people(data, rows.iloc[:1], lang).iloc[0]
    st.markdown(f"#### {md_escape(site['name'])}")
    fields = [(field_label(column, lang), shown[field_label(column, lang)]) for column in _DETAIL]
    year = "" if pd.isna(site["year"]) else int(site["year"])
    fields[_DETAIL.index("year")] = (field_label("year", lang), year)
    inferred = t("field_inferred", lang)
    fields.insert(_DETAIL.index("source"), (inferred, shown[inferred]))
    for label, value in fields:
        st.markdown(f"**{md_escape(label)}**: {md_escape(value)}")


#: The fields of a site's details (是否推断 goes before the source) and of the sites table.
_DETAIL = ("kind", "subdistrict", "programs", "year", "location_precision", "source", "description")
_TABLE = ("name", "kind", "subdistrict", "programs", "year", "location_precision", "source")


def _for_people(data, sites: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``sites`` as people read them: the one renderer of records."""
    return sites_for_people(sites, data.subdistricts, data.units, data.programs, data.sources, lang)


def handle_map_click(context: Context, key: str, properties: dict | None) -> None:
    """A click on an area filters to that subdistrict; on a site, selects it for details."""
    clicked = new_click(key, properties)
    if clicked is None:
        return
    if clicked.get("layer") == "site":
        site_id = clicked.get("id") or site_id_of_row(context, clicked.get("row"), clicked.get("v"))
        if site_id:
            st.session_state[f"{key}__site"] = site_id
    elif clicked.get("code") in set(context.data.areas["code"]):
        request_filter(subdistricts=(clicked["code"],))


def site_id_of_row(context: Context, row, version) -> str | None:
    """The id of the marker's ``row`` (markers of big datasets carry rows, not ids), if the
    data has not changed since the map was drawn."""
    data = context.data
    if version != data.version or not isinstance(row, int) or not 0 <= row < len(data.sites):
        return None
    return str(data.sites["id"].iloc[row])


def selected_site(key: str) -> str | None:
    return st.session_state.get(f"{key}__site")


def clear_site(key: str) -> None:
    st.session_state.pop(f"{key}__site", None)


#: The place of what waits for the map: its style and script (static/ui/deferred.css, .js;
#: __KEY__: the place's key, __WAIT__: what it waits for, __SITES__: the sites the map must
#: show, or -1 for any, __VIEW__: whether the place must also come near the view).
_AFTER_MAP = (
    f"<style>\n{(STATIC_DIR / 'ui' / 'deferred.css').read_text(encoding='utf-8')}</style>\n"
    f"<script>\n{(STATIC_DIR / 'ui' / 'deferred.js').read_text(encoding='utf-8')}</script>\n"
)
#: A block as tall as what the place will hold (no jump when it comes); ``data-sz-waits`` says
#: what it waits for: "map" (its sites painted) or "view" (that too, and the place near the
#: view).
_BLOCK = '<div class="sz-after-map" data-sz-waits="{waits}" style="min-height: {height}px"></div>'


def after_map(
    key: str,
    draw: Callable[[], None],
    token: object = True,
    sites: int = -1,
    in_view: bool = False,
    height: int = 400,
) -> None:
    """``draw`` once the map above has painted (in a fragment): what must never delay it.

    The page's main thread is the map frame's too. Plotly's bundle (4.7 MB) is parsed, and
    charts drawn, in one task of a second or more; a list of hundreds of entries (buttons with
    Markdown labels) takes half a second to mount. Drawn with the map they delayed its paint,
    and right after it its first pans and zooms. So until then the place holds a block of
    ``height`` px, a script and a hidden button (static/ui/deferred.js): the script clicks it
    once the map shows ``sites`` sites (-1: any), painted (or none came within 30 s), and, if
    ``in_view``, once the place has come near the view; then only this fragment runs again,
    and draws. It waits again whenever ``token`` (what ``draw`` shows, e.g. the filter)
    changes.
    """
    _after_map(key, draw, token, sites, in_view, height)


def _ready(key: str, token: object, in_view: bool) -> None:
    st.session_state[f"{key}__ready"] = token
    if not in_view:  # the map has painted this run's sites (the year view's player waits)
        st.session_state.pop(PAINT_PENDING, None)
        st.session_state[PAINTED_AT] = time.monotonic()


@st.fragment
def _after_map(
    key: str, draw: Callable[[], None], token: object, sites: int, in_view: bool, height: int
) -> None:
    with st.container(key=key):
        if waited_for_map(key) == token:
            draw()
            return
        wait_for_map(key, token, sites, in_view, height)


def waited_for_map(key: str) -> object:
    """The ``token`` of the last wait of :func:`wait_for_map` at ``key`` that has ended (the map
    painted), or None."""
    return st.session_state.get(f"{key}__ready")


def wait_for_map(
    key: str,
    token: object,
    sites: int,
    in_view: bool = False,
    height: int = 0,
) -> None:
    """The waiting place itself (static/ui/deferred.js): a block of ``height`` px, the script
    and its hidden button, whose click makes :func:`waited_for_map` of ``key`` ``token``. In a
    fragment the click reruns the fragment; outside, the whole page."""
    script = (
        _AFTER_MAP.replace("__KEY__", key)
        .replace("__WAIT__", hashlib.sha1(repr(token).encode()).hexdigest()[:12])
        .replace("__SITES__", str(int(sites)))
        .replace("__VIEW__", "true" if in_view else "false")
    )
    block = _BLOCK.format(height=int(height), waits="view" if in_view else "map")
    st.html(block + script, unsafe_allow_javascript=True)
    st.button(
        "…",
        key=f"{key}__go",
        on_click=_ready,
        args=(key, token, in_view),
    )
    if not in_view:
        st.session_state[PAINT_PENDING] = time.monotonic()


def chart_filter(figure, key: str, field: str) -> None:
    """Show ``figure``; a click on a bar sets filter ``field`` to that bar's ``customdata``."""
    event = st.plotly_chart(
        figure,
        key=key,
        on_select="rerun",
        selection_mode="points",
        width="stretch",
        config={"displaylogo": False},
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    values = tuple(dict.fromkeys(p.get("customdata") for p in points if p.get("customdata")))
    if values and new_click(key, {"values": values}) is not None:
        request_filter(**{field: values})


def choose_one(
    context: Context,
    label: str,
    options: list[str],
    format_func,
    current: str | None,
    field: str,
    key: str,
) -> str:
    """A selectbox that makes the shared filter's ``field`` exactly the chosen value."""
    from ui.context import set_single

    if current in options:
        st.session_state[key] = current
    elif st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    choice = st.selectbox(
        label,
        options,
        format_func=format_func,
        key=key,
        on_change=lambda: set_single(field, st.session_state[key]),
    )
    if current != choice:
        set_single(field, choice)
        st.rerun()
    return choice


def units_table(context: Context, units: pd.DataFrame) -> None:
    """Villages and communities with their NBS codes."""
    lang = context.lang
    st.dataframe(
        pd.DataFrame(
            {
                t("field_name", lang): units["name"],
                t("field_kind", lang): units["unit_type_zh"],
                t("col_unit_code", lang): units["code"],  # the code last, for machines
            }
        ),
        hide_index=True,
        width="stretch",
        height=420,
    )


def sites_table(context: Context, sites: pd.DataFrame) -> None:
    """The sites as a read-only table (text shown literally), as people read them."""
    lang, data = context.lang, context.data
    people = _for_people(data, sites, lang)
    st.dataframe(
        people[[field_label(column, lang) for column in _TABLE]],
        hide_index=True,
        width="stretch",
    )
