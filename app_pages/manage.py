"""管理 Manage: import, place villages/communities and sites, review, official boundaries,
export, audit trail and backups (editors only; what each role may do decides its tabs)."""

import streamlit as st

from geo.data.access import ADMIN, REVIEWER, STREET
from geo.text.labels import t
from ui import layout, manage, review, upgrades
from ui.auth import login_panel
from ui.boundaries import areas_section
from ui.context import get_context
from ui.data import get_store

ctx = get_context()
lang = ctx.lang
layout.page_header(ctx, t("page_manage", lang))
account = login_panel(lang)
if account:
    upgrades.shipped_section(ctx, account)  # conflicts an upgrade left, if any
    # each role's tabs: what it may do (the store checks every write again)
    sections = {
        "tab_import": lambda: manage.import_section(ctx, account),
        "tab_locate": lambda: manage.locate_section(ctx, account),
        "tab_review": lambda: review.review_section(ctx, account),
        "tab_submissions": lambda: review.submissions_section(ctx, account),
        "tab_boundaries": lambda: areas_section(ctx, account),
        "tab_export": lambda: manage.export_section(ctx),
        "tab_audit": lambda: manage.audit_section(ctx, account),
        "tab_backup": lambda: manage.backup_section(ctx, account),
    }
    keys = {
        ADMIN: ("tab_import", "tab_locate", "tab_review", "tab_boundaries", "tab_export")
        + ("tab_audit", "tab_backup"),
        STREET: ("tab_import", "tab_locate", "tab_submissions", "tab_export", "tab_audit"),
        REVIEWER: ("tab_review", "tab_export", "tab_audit"),
    }[account.role]
    waiting = review.pending_count(get_store(), account)
    counted = t("pending_count", lang, n=waiting)
    names = {
        k: t("tab_with_count", lang, tab=t(k, lang), count=counted)
        if waiting and k in ("tab_review", "tab_submissions")
        else t(k, lang)
        for k in keys
    }
    # a to-do link (?place=unit:CODE) opens the 定位 tab on that item
    default = names["tab_locate"] if manage.place_from_link() and "tab_locate" in names else None
    tabs = st.tabs(list(names.values()), default=default)
    for key, tab in zip(keys, tabs, strict=True):
        with tab:
            sections[key]()
