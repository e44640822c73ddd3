"""The frame: page config, shared filter panel and language, navigation over pages/."""

# The screens live in app_pages/, not pages/: a pages/ folder switches Streamlit into its legacy
# multipage mode on a fresh process (the first request after a restart, and every AppTest run),
# where a deep link runs the page file alone, without this frame.

import streamlit as st

from geo.labels import t
from ui import context
from ui.auth import editing_enabled

st.set_page_config(
    page_title="市中区党建引领基层治理地图", layout="wide", initial_sidebar_state="expanded"
)

ctx = context.setup()
pages = [
    st.Page(
        "app_pages/overview.py",
        title=t("page_overview", ctx.lang),
        url_path="overview",
        default=True,
    ),
    st.Page(
        "app_pages/subdistrict.py", title=t("page_subdistrict", ctx.lang), url_path="subdistrict"
    ),
    st.Page("app_pages/program.py", title=t("page_program", ctx.lang), url_path="program"),
    st.Page("app_pages/records.py", title=t("page_records", ctx.lang), url_path="records"),
]
if editing_enabled():
    pages.append(
        st.Page("app_pages/manage.py", title=t("page_manage", ctx.lang), url_path="manage")
    )
st.navigation(pages, position="top").run()
