"""The pages' frame of mind: a compact top (title and when the data last changed), the map as
the hero of the overview, aligned figure cards, and a layout that works on a phone.

Only our own static CSS goes through ``unsafe_allow_html`` here; record text never does.
"""

from __future__ import annotations

import html

import streamlit as st

from geo.data.freshness import freshness_line
from ui.context import Context
from ui.data import last_changed

#: Key of the container whose map fills the rest of the first screen (the overview's).
MAP_FILL_KEY = "sz_map_fill"
#: Keys of the figure rows (their cards get one height) and of the counted figures.
CARDS_KEY, COUNTED_KEY = "sz_cards", "sz_counted"

# The top bar (navigation) is about 3.75rem; the first screen below it belongs to the title,
# one row of figures and the map, which starts about 22.2rem down and ends just above the
# screen's bottom edge (its legend, bottom right, whole on the first screen). Heights: the map
# keeps at least 360 px, and on a phone it takes most of the screen under the headline figures.
# Captions: Streamlit fades them to 60 % of the text colour (3.9:1 on white); at 70 % they are a
# shade darker, for the 4.5:1 of WCAG 1.4.3 (5.2:1 on white, 5.0:1 on the filter panel's grey).
# A multiselect's text box keeps at least 24 px beside its chosen chips (WCAG 2.5.8, target size).
_CSS = f"""
<style>
.block-container {{ padding-top: 3.9rem !important; padding-left: 1.5rem !important;
  padding-right: 1.5rem !important; padding-bottom: 2rem !important; }}
h1 {{ font-size: 1.75rem !important; padding: 0 !important; line-height: 1.3 !important; }}
.sz-fresh {{ color: #5f6b76; font-size: .85rem; margin: 0; }}
.stMarkdown [data-testid="stCaptionContainer"] {{ opacity: .7; }}
[data-testid="stMultiSelect"] input {{ min-width: 24px !important; }}
.st-key-{MAP_FILL_KEY} iframe {{ height: max(360px, calc(100vh - 23rem)) !important; }}
.st-key-{CARDS_KEY} [data-testid="stMetric"], [class*="st-key-szc-"] [data-testid="stMetric"] {{
  padding: .35rem .6rem !important; }}
[class*="st-key-szc-"] [data-testid="stMetricLabel"] p {{ white-space: normal !important;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
  line-height: 1.3; font-size: .85rem; }}
[class*="st-key-szc-"] {{ min-width: 9.5rem; flex: 1 1 0; }}
[class*="st-key-szc-"] [data-testid="stMetricValue"] {{ font-size: 1.55rem !important; }}
.st-key-{COUNTED_KEY} [data-testid="stMetricValue"] {{ font-size: 1.35rem !important; }}
.st-key-{COUNTED_KEY} [data-testid="stMetric"] {{ padding: 0 !important; }}
.st-key-{COUNTED_KEY} > div:has([data-testid="stPopover"]) {{ margin-left: auto; }}
html, body, [data-testid="stAppViewContainer"] {{ overflow-x: hidden; }}
@media (max-width: 640px) {{
  .block-container {{ padding-left: .75rem !important; padding-right: .75rem !important; }}
  h1 {{ font-size: 1.3rem !important; }}
  .st-key-{MAP_FILL_KEY} iframe {{ height: 62vh !important; }}
  .st-key-{CARDS_KEY} > div:nth-child(n+3) {{ display: none; }}
  [class*="st-key-szc-"] {{ min-width: 9rem; }}
  .st-key-{COUNTED_KEY} [data-testid="stMetricLabel"] p {{ font-size: .8rem !important; }}
  .st-key-{COUNTED_KEY} {{ gap: .6rem !important; }}
}}
</style>
"""


def page_style() -> None:
    """The light pages' shared CSS (once per run)."""
    st.markdown(_CSS, unsafe_allow_html=True)


def page_header(context: Context, title: str) -> None:
    """A page's title and the data-freshness line under it (数据更新于 2026-12-01 09:30)."""
    page_style()
    st.title(title)
    st.markdown(
        f'<p class="sz-fresh">{html.escape(freshness(context))}</p>', unsafe_allow_html=True
    )


def freshness(context: Context) -> str:
    """When the data last changed, in the officials' local time."""
    return freshness_line(last_changed(context.data.version), context.lang)
