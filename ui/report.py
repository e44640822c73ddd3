"""The report buttons of a page: the Word brief (导出汇报材料) and the map picture of its view.

The files are made when a button is clicked (``st.download_button`` calls the callable then),
not on every run of the page.
"""

from __future__ import annotations

import streamlit as st

from geo.map.image import DEFAULT_SIZE, FontMissingError, find_cjk_font
from geo.reports import brief, pageviews
from geo.text.labels import t
from ui.context import Context

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page_view(
    context: Context, subdistrict: str | None = None, program: str | None = None
) -> pageviews.View:
    """The view a page shows: a subdistrict's, a program's, else the overview's filter."""
    if subdistrict is not None:
        return pageviews.subdistrict_view(context.data, subdistrict, context.lang)
    if program is not None:
        return pageviews.program_view(context.data, program, context.lang)
    return pageviews.overview_view(context.data, context.filter, context.lang)


def _has_cjk_font() -> bool:
    try:
        find_cjk_font()
    except FontMissingError:
        return False
    return True


def report_buttons(
    context: Context, subdistrict: str | None = None, program: str | None = None
) -> None:
    """导出汇报材料 (.docx) and 导出地图图片 (.png) for the page's view (see :func:`page_view`)."""
    lang, data = context.lang, context.data
    words = pageviews.scope_words(data, lang, context.filter, subdistrict, program)
    stem = pageviews.file_stem(words, lang)
    font = _has_cjk_font()
    kind = "subdistrict" if subdistrict else "program" if program else "overview"

    def make_brief() -> bytes:
        view = page_view(context, subdistrict, program)
        image = pageviews.render_view_image(data, view, lang) if font else None
        return brief.build_brief(data, view, lang, image)

    def make_image() -> bytes:
        view = page_view(context, subdistrict, program)
        return pageviews.render_view_image(
            data, view, lang, DEFAULT_SIZE, layout=None, text_size=1.0
        ).png

    # one row of content-wide buttons on any screen (columns would stack on a phone)
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        t("brief_button", lang),
        make_brief,
        f"{stem}.docx",
        DOCX_MIME,
        key=f"brief_docx_{kind}",
        help=t("brief_button_help", lang),
        on_click="ignore",  # the page need not rerun (the map stays as it is)
        icon=":material/description:",
        width="content",
    )
    row.download_button(
        t("brief_image_button", lang),
        make_image,
        f"{stem}.png",
        "image/png",
        key=f"brief_png_{kind}",
        help=t("brief_image_help", lang),
        on_click="ignore",
        icon=":material/map:",
        disabled=not font,
        width="content",
    )
    if not font:
        st.caption(t("brief_no_font", lang))
