"""The map as text: a list of the visible sites next to each map, usable by keyboard.

Each entry is a button (Tab reaches it, Enter or Space opens it): choosing one selects the
site exactly as a click on its marker does (:func:`ui.widgets.selected_site`), so the same
details panel shows it and the map rings it. Escape brings the focus back to the chosen entry.
The list shows ``PAGE_SIZE`` entries at a time, with 上一页 / 下一页 for the rest: every site is
reachable, and a change of the filter takes down only one page of buttons.
Record text reaches Streamlit only escaped (:func:`ui.text.md_escape`): data, never markup.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import streamlit as st

from geo.config import STATIC_DIR
from geo.data import io
from geo.data.gazetteer import code_names
from geo.map.model import SELECTION_COLOUR
from geo.text.labels import join_list, localized, precision_label, t
from ui import widgets
from ui.context import Context, set_single
from ui.text import md_escape

#: Entries on one page of the list (上一页 / 下一页 for the rest); the list's height (px).
#: A page is what a change of the filter takes down: 300 entries (a button with a Markdown
#: label each) took 0.2 s of the page's main thread, which the map's frame shares, and delayed
#: the map's new sites by as much (bench, 10,000 sites: issue 28).
PAGE_SIZE = 50
LIST_HEIGHT = 320


#: Entries read as lines of a list: text from the left (our own CSS, no record text).
_LIST_CSS = (
    "<style>[class*='st-key-sz_sitelist_'] button,"
    " [class*='st-key-sz_sitelist_'] button * { justify-content: flex-start; text-align: left; }"
    " [class*='st-key-sz_sitelist_'] button { padding: 0.125rem 0.5rem; }</style>"
)


def list_key(map_key: str) -> str:
    """Key (and ``st-key-…`` class) of the list's scrolling container for map ``map_key``."""
    return f"sz_sitelist_{map_key}"


def entry_key(map_key: str, site_id: str) -> str:
    """The entry's widget key: stable per site id and a valid CSS class name whatever the id
    holds (Streamlit puts ``st-key-<key>`` on the element)."""
    digest = hashlib.sha1(str(site_id).encode("utf-8")).hexdigest()[:16]
    return f"sz_site_{map_key}_{digest}"


def _choose(map_key: str, site_id: str) -> None:
    st.session_state[f"{map_key}__site"] = site_id


def entry_label(row, names: dict, programs: dict, lang: str) -> str:
    """One entry's text: name · subdistrict · programs · precision (escaped Markdown)."""
    program_names = join_list([programs.get(p, p) for p in io.split_list(row.programs or "")], lang)
    parts = [
        str(row.name),
        names.get(row.subdistrict_code, "—"),
        program_names or "—",
        precision_label(row.location_precision, lang),
    ]
    return " · ".join(md_escape(part) for part in parts)


def site_list(context: Context, map_key: str, sites: pd.DataFrame | None = None) -> None:
    """The visible sites (``sites``, default: the filtered ones) as focusable entries."""
    lang, data = context.lang, context.data
    sites = context.sites if sites is None else sites
    names = code_names(data.subdistricts)
    programs = code_names(data.programs, localized("name", lang), key="key")
    chosen = widgets.selected_site(map_key)
    # the chosen entry framed by CSS: a change of the button's type would mount a new button
    # and drop the keyboard focus from it
    mark = (
        f".st-key-{entry_key(map_key, chosen)} button {{ border: 2px solid {SELECTION_COLOUR}; }}"
        if chosen
        else ""
    )
    st.html(_LIST_CSS.replace("</style>", mark + "</style>"))
    st.markdown(f"##### {t('site_list', lang)}")
    st.caption(f"{t('site_list_count', lang, n=len(sites))} · {t('site_list_hint', lang)}")
    if sites.empty:
        st.caption(t("site_list_empty", lang))
        return
    page, pages = _page(map_key, sites, chosen)
    shown = sites.iloc[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    height = LIST_HEIGHT if len(shown) > 7 else "content"
    with st.container(height=height, key=list_key(map_key), gap="xxsmall"):
        for row in shown.itertuples(index=False):
            st.button(
                entry_label(row, names, programs, lang),
                key=entry_key(map_key, row.id),
                on_click=_choose,
                args=(map_key, str(row.id)),
                type="tertiary",
                width="stretch",
            )
    if pages > 1:
        _pager(map_key, page, pages, len(sites), lang)


def _page_key(map_key: str) -> str:
    return f"{list_key(map_key)}__page"


def _page(map_key: str, sites: pd.DataFrame, chosen: str | None) -> tuple[int, int]:
    """The page of the list to show and how many there are: the first for other sites (a
    filter changed), the chosen site's when another is chosen (on the map or in the list: its
    entry is there to go back to), else the one the reader turned to."""
    pages = -(-len(sites) // PAGE_SIZE)
    ids = sites["id"].astype(str)
    listed = hashlib.sha1("\n".join(ids).encode("utf-8")).hexdigest()
    state = st.session_state.get(_page_key(map_key), {})
    page = state.get("page", 0) if state.get("listed") == listed else 0
    if chosen is not None and chosen != state.get("chosen"):
        at = np.flatnonzero(ids.to_numpy() == chosen)
        if len(at):
            page = int(at[0]) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    st.session_state[_page_key(map_key)] = {"listed": listed, "chosen": chosen, "page": page}
    return page, pages


def _turn(map_key: str, step: int) -> None:
    st.session_state[_page_key(map_key)]["page"] += step


def _pager(map_key: str, page: int, pages: int, total: int, lang: str) -> None:
    """上一页 · 第 2/5 页（第 51–100 个） · 下一页 under the list."""
    first, last = page * PAGE_SIZE + 1, min((page + 1) * PAGE_SIZE, total)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.button(
            t("site_list_prev", lang),
            key=f"{list_key(map_key)}__prev",
            on_click=_turn,
            args=(map_key, -1),
            disabled=page == 0,
            icon=":material/chevron_left:",
        )
        st.caption(t("site_list_page", lang, page=page + 1, pages=pages, first=first, last=last))
        st.button(
            t("site_list_next", lang),
            key=f"{list_key(map_key)}__next",
            on_click=_turn,
            args=(map_key, 1),
            disabled=page == pages - 1,
            icon=":material/chevron_right:",
        )


def subdistrict_choices(context: Context) -> None:
    """Each subdistrict as a focusable choice (filters to it, as a click on its area does)."""
    lang, data = context.lang, context.data
    with st.expander(t("subdistrict_choices", lang)):
        with st.container(horizontal=True, gap="small"):
            for code, name in zip(
                data.subdistricts["code"], data.subdistricts["name"], strict=True
            ):
                st.button(
                    md_escape(name),
                    key=f"sz_street_{code}",
                    on_click=set_single,
                    args=("subdistricts", str(code)),
                    type="tertiary",
                )


#: Escape (anywhere on the page but in a text field, a menu or a dialog) focuses the entry
#: of the chosen site (static/ui/sitelist.js; __TARGET__: the entry's class, as JSON). Run in
#: the app's own document; its container (__KEY__) and the layout wrapper around it are hidden.
_ESCAPE_JS = (
    "<style>.st-key-__KEY__, div:has(> .st-key-__KEY__) { display: none; }</style>\n"
    f"<script>\n{(STATIC_DIR / 'ui' / 'sitelist.js').read_text(encoding='utf-8')}</script>"
)


def site_panel(context: Context, map_key: str) -> str | None:
    """The chosen site's details (the same a map click shows), a button to clear it, and the
    Escape key back to its entry; returns the chosen id."""
    lang = context.lang
    site = widgets.selected_site(map_key)
    target = "st-key-" + entry_key(map_key, site) if site else ""
    key = f"sz_escape_{map_key}"
    with st.container(key=key):
        st.html(
            _ESCAPE_JS.replace("__KEY__", key).replace("__TARGET__", json.dumps(target)),
            unsafe_allow_javascript=True,
        )
    if site:
        with st.container(border=True, key=f"sz_sitedetails_{map_key}"):
            st.markdown(f"**{t('selected_site', lang)}**")
            widgets.site_details(context, site)
            st.button(
                t("clear_selection", lang),
                key=f"sz_clear_{map_key}",
                on_click=widgets.clear_site,
                args=(map_key,),
            )
    return site
