"""Large type (适老化): one switch makes every light page's text 1.25× or 1.5× its normal size.

The choice lives in the URL as ``?text=1.25`` or ``?text=1.5`` (absent: normal size) and in the
session, like the language: :func:`ui.context.setup` reads it on a session's first run, draws
the switch next to the language choice and writes it back to the URL on every run, so it is
kept on navigation and in shared links. The big screen (``/present``) keeps its own sizes.

How: Streamlit sizes its text in ``rem`` from ``html { font-size: 16px }``, so raising the
root's size scales the text, the spacing around it and the widgets with it. The root's size is
a percentage, so a reader whose browser already asks for larger text gets more, never less.
Only our own static CSS goes through ``st.html``; nothing from the data does.
"""

from __future__ import annotations

import streamlit as st

from geo.config import STATIC_DIR
from geo.text.labels import t

#: The URL parameter and the session-state key of the switch.
PARAM = "text"
KEY = "text_size"
#: The sizes offered, as they are written in the URL; the first is normal (never written).
NORMAL = "1"
SCALES = (NORMAL, "1.25", "1.5")
#: The style of large type, the root's size (a percentage) put in for __PERCENT__.
_CSS = (STATIC_DIR / "ui" / "typesize.css").read_text(encoding="utf-8")


def from_url(values: list[str]) -> tuple[str, str | None]:
    """The size a link asks for (``?text=1.25``) and the value to report as ignored, if any.

    An absent parameter is normal size; a value that is not one of :data:`SCALES` is normal
    size too, and is returned so that the filter panel's notice names it.
    """
    if not values:
        return NORMAL, None
    wanted = values[0].strip()
    if wanted in SCALES:
        return wanted, None
    return NORMAL, values[0]


def label(scale: str, lang: str) -> str:
    """The switch's option for ``scale``: 标准 / 大 / 特大 (Normal / Large / Extra large)."""
    return t(f"text_size_{scale}", lang)


def css(scale: str) -> str:
    """The style that sets the type to ``scale`` (empty for normal size)."""
    if scale not in SCALES or scale == NORMAL:
        return ""
    percent = round(float(scale) * 100)
    # our own CSS (static/ui/typesize.css, which says what each rule is for)
    return f"<style>\n{_CSS.replace('__PERCENT__', str(percent))}</style>"


def apply(scale: str) -> None:
    """Set this run's type size (nothing for normal size); once per run, before the pages."""
    style = css(scale)
    if style:
        # style only: Streamlit puts it in its event container, where it takes no room
        st.html(style)
