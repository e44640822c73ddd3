"""管理 Manage: import, fix locations, export, audit trail and backups (editors only)."""

import streamlit as st

from geo.labels import t
from ui import manage
from ui.auth import login_panel
from ui.context import get_context

ctx = get_context()
lang = ctx.lang
st.title(t("page_manage", lang))
editor = login_panel(lang)
if editor:
    tabs = st.tabs(
        [t(k, lang) for k in ("tab_import", "tab_locate", "tab_export", "tab_audit", "tab_backup")]
    )
    with tabs[0]:
        manage.import_section(ctx, editor)
    with tabs[1]:
        manage.locate_section(ctx, editor)
    with tabs[2]:
        manage.export_section(ctx)
    with tabs[3]:
        manage.audit_section(ctx, editor)
    with tabs[4]:
        manage.backup_section(ctx, editor)
