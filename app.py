"""The frame: page config, shared filter panel and language, navigation over pages/.

Each session runs this file as its script (``__main__``). ``streamlit run app.py`` first
imports it as a module, finds ``app`` (an ``st.App``) and serves that: its lifespan warms the
server (imports, data, the overview's map and charts: ui/warm.py) before the first visitor.
"""

# The screens live in app_pages/, not pages/: a pages/ folder switches Streamlit into its legacy
# multipage mode on a fresh process (the first request after a restart, and every AppTest run),
# where a deep link runs the page file alone, without this frame.

import json
from urllib.parse import urlparse

import streamlit as st

from geo.text.labels import t
from ui import context, firstlook, warm
from ui.connection import connection_watch
from ui.settings import editing_enabled

if __name__ != "__main__":  # imported by `streamlit run app.py`: the server, not a session
    from starlette.middleware import Middleware

    from ui.preload import PreloadMiddleware

    app = st.App(__file__, lifespan=warm.lifespan, middleware=[Middleware(PreloadMiddleware)])
else:
    #: The HTML ``lang`` of each of the app's languages.
    HTML_LANG = {"zh": "zh-CN", "en": "en"}

    st.set_page_config(
        # "auto": the filter panel starts open on a desktop and folded on a phone (narrow screens)
        page_title="市中区党建引领基层治理地图",
        layout="wide",
        initial_sidebar_state="auto",
    )

    lang = context.current_language()
    # The document's language (Streamlit's index.html says "en" whatever the text), for screen
    # readers and hyphenation: set in the page itself; its container and the layout wrapper
    # around it are hidden (no gap above the title).
    with st.container(key="sz_doc_lang"):
        st.html(
            "<style>.st-key-sz_doc_lang, div:has(> .st-key-sz_doc_lang) { display: none; }</style>"
            "<script>"
            f"document.documentElement.lang = {json.dumps(HTML_LANG.get(lang, lang))};</script>",
            unsafe_allow_javascript=True,
        )
    # A notice while the server is unreachable, then the view again (deploy/README.md)
    connection_watch(lang)
    pages = [
        st.Page(
            "app_pages/overview.py",
            title=t("page_overview", lang),
            url_path="overview",
            default=True,
        ),
        st.Page(
            "app_pages/subdistrict.py", title=t("page_subdistrict", lang), url_path="subdistrict"
        ),
        st.Page("app_pages/program.py", title=t("page_program", lang), url_path="program"),
        st.Page("app_pages/records.py", title=t("page_records", lang), url_path="records"),
        st.Page("app_pages/sources.py", title=t("page_sources", lang), url_path="sources"),
    ]
    if editing_enabled():
        pages.append(
            st.Page("app_pages/manage.py", title=t("page_manage", lang), url_path="manage")
        )
    pages.append(st.Page("app_pages/present.py", title=t("page_present", lang), url_path="present"))
    # The big screen draws its own frame: no navigation bar, no filter panel.
    big_screen = urlparse(st.context.url or "").path.rstrip("/").endswith("/present")
    page = st.navigation(pages, position="hidden" if big_screen else "top")
    # A session's first look at the overview: its header and map first, the rest once the map
    # has painted (ui/firstlook.py)
    first_look = firstlook.begin(holds=page is pages[0])  # the overview (default: url_path "")
    context.setup(panel=page.url_path != "present", first_look=first_look)
    page.run()
