"""管理 Manage: import, place villages/communities and sites, official boundaries, export, audit
trail and backups (editors only)."""

import streamlit as st

from geo.text.labels import t
from ui import layout, manage
from ui.auth import login_panel
from ui.boundaries import areas_section
from ui.context import get_context

ctx = get_context()
lang = ctx.lang
layout.page_header(ctx, t("page_manage", lang))
editor = login_panel(lang)
if editor:
    keys = ("tab_import", "tab_locate", "tab_boundaries", "tab_export", "tab_audit", "tab_backup")
    names = [t(k, lang) for k in keys]
    # a to-do link (?place=unit:CODE) opens the 定位 tab on that item
    default = names[1] if manage.place_from_link() else None
    tabs = st.tabs(names, default=default)
    with tabs[0]:
        manage.import_section(ctx, editor)
    with tabs[1]:
        manage.locate_section(ctx, editor)
    with tabs[2]:
        areas_section(ctx, editor)
    with tabs[3]:
        manage.export_section(ctx)
    with tabs[4]:
        manage.audit_section(ctx, editor)
    with tabs[5]:
        manage.backup_section(ctx, editor)
