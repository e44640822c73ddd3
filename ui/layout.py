"""The pages' frame of mind: a compact top (title and when the data last changed), the map as
the hero of the overview, aligned figure cards, and a layout that works on a phone.

Our own static CSS and markup go in through ``st.html`` here (not Markdown: a style sheet parsed
as Markdown cost the first look's main thread a Markdown pass and the raw-HTML plugin's 190 KB);
record text never does, and the freshness line is escaped.
"""

from __future__ import annotations

import html

import streamlit as st

from geo.config import STATIC_DIR
from geo.data.freshness import freshness_line
from ui.context import Context
from ui.data import last_changed

#: Key of the container whose map fills the rest of the first screen (the overview's).
MAP_FILL_KEY = "sz_map_fill"
#: Keys of the figure rows (their cards get one height) and of the counted figures.
CARDS_KEY, COUNTED_KEY = "sz_cards", "sz_counted"

# Our own CSS (static/ui/page.css, which says how the first screen is shared out), with the
# containers' keys put in.
_CSS = (
    "\n<style>\n"
    + (STATIC_DIR / "ui" / "page.css")
    .read_text(encoding="utf-8")
    .replace("__MAP_FILL__", MAP_FILL_KEY)
    .replace("__CARDS__", CARDS_KEY)
    .replace("__COUNTED__", COUNTED_KEY)
    + "</style>\n"
)


def page_style() -> None:
    """The light pages' shared CSS (once per run)."""
    st.html(_CSS)  # style only: Streamlit puts it where it takes no room


def page_header(context: Context, title: str) -> None:
    """A page's title and the data-freshness line under it (数据更新于 2026-12-01 09:30)."""
    page_style()
    st.title(title)
    st.html(f'<p class="sz-fresh">{html.escape(freshness(context))}</p>')


def freshness(context: Context) -> str:
    """When the data last changed, in the officials' local time."""
    return freshness_line(last_changed(context.data.version), context.lang)
