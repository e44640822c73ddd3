"""The Manage page's sections: import, fix a location, export, audit trail, backup.

Every write goes through the store (one transaction, versioned, audited) under the
logged-in editor's name.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import sheets
from geo.config import state_dir
from geo.edits import relocated
from geo.intake import ImportResult, import_file
from geo.labels import t
from geo.store import ConflictError, backup_sqlite, restore_sqlite
from ui.context import Context
from ui.data import get_store
from ui.text import md_escape
from ui.widgets import show_map


def _template_bytes(context: Context, rows: dict | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = sheets.write_workbook(
            Path(tmp) / "template.xlsx", context.data.programs, context.data.subdistricts, rows
        )
        return path.read_bytes()


def _issues_table(result: ImportResult, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_sheet", lang): [i.file for i in result.issues],
            t("col_row", lang): [i.row for i in result.issues],
            t("col_column", lang): [i.column for i in result.issues],
            t("col_value", lang): [i.value for i in result.issues],
            t("col_problem", lang): [i.problem(lang) for i in result.issues],
        }
    )


def import_section(context: Context, editor: str) -> None:
    lang = context.lang
    st.download_button(
        t("template_download", lang),
        lambda: _template_bytes(context),
        "shizhong-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    upload = st.file_uploader(t("upload_file", lang), type=["xlsx", "csv"], key="import_file")
    if upload is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        with st.spinner(t("import_checking", lang)):
            check = import_file(path, get_store(), editor, dry_run=True, source_name=upload.name)
        if check.issues:
            st.dataframe(_issues_table(check, lang), hide_index=True, width="stretch")
        if not check.ok:
            st.error(t("import_errors", lang, n=len(check.errors)))
            return
        if not check.changes:
            st.info(t("import_nothing", lang) + " " + check.summary(lang))
            return
        st.success(t("import_ready", lang, summary=check.summary(lang)))
        if st.button(t("import_apply", lang), type="primary"):
            bar = st.progress(0.0)
            try:
                done = import_file(
                    path,
                    get_store(),
                    editor,
                    progress=lambda n, total: bar.progress(n / total),
                    source_name=upload.name,
                )
            except ConflictError as error:
                st.error(t("conflict", lang, error=error))
                return
            if done.ok:
                st.success(t("import_done", lang, summary=done.summary(lang)))
            else:
                st.dataframe(_issues_table(done, lang), hide_index=True, width="stretch")


def locate_section(context: Context, editor: str) -> None:
    lang, data = context.lang, context.data
    sites = data.sites
    labels = dict(zip(sites["id"], sites["name"] + " · " + sites["id"], strict=True))
    site_id = st.selectbox(
        t("locate_pick", lang), list(labels), format_func=labels.get, key="locate_site"
    )
    if site_id is None:
        return
    site = sites[sites["id"] == site_id].iloc[0]
    st.caption(t("locate_hint", lang))
    clicked = show_map(
        context,
        "locate_map",
        sites=sites[sites["id"] == site_id],
        height=520,
        returned=("last_clicked",),
        layer_control=True,
    )
    point = (clicked or {}).get("last_clicked")
    old = f"{site['lon']:.6f}, {site['lat']:.6f} ({md_escape(site['location_precision'])})"
    st.markdown(f"**{t('locate_old', lang)}**: {old}")
    if not point:
        return
    # the click is in the basemap's datum (GCJ-02 on AMap): stored as WGS-84
    record = relocated(site.to_dict(), point["lng"], point["lat"], context.basemap.datum)
    st.markdown(f"**{t('locate_new', lang)}**: {record['lon']:.6f}, {record['lat']:.6f}")
    if st.button(t("locate_save", lang), type="primary"):
        try:
            get_store().save("sites", record, editor, expected_version=int(site["version"]))
        except ConflictError as error:
            st.error(t("conflict", lang, error=error))
            return
        st.success(t("locate_saved", lang))
        st.rerun()


def export_section(context: Context) -> None:
    lang, data = context.lang, context.data
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def workbook(sites, metrics, alliances) -> bytes:  # made when its button is clicked
        rows = sheets.template_rows(
            sites, metrics, alliances, data.programs, data.subdistricts, data.units
        )
        return _template_bytes(context, rows)

    st.download_button(
        t("export_all", lang),
        lambda: workbook(data.sites, data.metrics, data.alliances),
        "shizhong-all.xlsx",
        mime,
    )
    st.download_button(
        t("export_filtered", lang),
        lambda: workbook(context.sites, data.metrics.iloc[0:0], context.alliances),
        "shizhong-filtered.xlsx",
        mime,
    )


def audit_section(context: Context, editor: str) -> None:
    lang = context.lang
    log = get_store().audit_log(500)
    st.dataframe(log, hide_index=True, width="stretch", height=360)
    if log.empty:
        return
    choices = dict(
        zip(log["id"], log["at"] + " · " + log["action"] + " · " + log["record_id"], strict=True)
    )
    audit_id = st.selectbox(
        t("audit_pick", lang), list(choices), format_func=choices.get, key="audit_pick"
    )
    if st.button(t("audit_revert", lang)):
        try:
            get_store().revert(int(audit_id), editor)
        except (ConflictError, KeyError) as error:
            st.error(t("conflict", lang, error=error))
            return
        st.success(t("audit_reverted", lang))
        st.rerun()


def backup_section(context: Context, editor: str) -> None:
    lang, store = context.lang, get_store()
    if store.engine.dialect.name != "sqlite":
        st.info(t("backup_only_sqlite", lang))
        return
    if st.button(t("backup_make", lang)):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = backup_sqlite(store, state_dir() / "backups" / f"shizhong-{stamp}.sqlite")
        st.download_button(
            t("backup_download", lang), path.read_bytes(), path.name, "application/vnd.sqlite3"
        )
    upload = st.file_uploader(t("backup_restore", lang), type=["sqlite", "db"], key="restore")
    if upload is not None and st.button(t("backup_restore", lang), type="primary"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "restore.sqlite"
            path.write_bytes(upload.getvalue())
            try:
                restore_sqlite(store, path, editor)
            except ValueError as error:
                st.error(t("conflict", lang, error=error))
                return
        st.success(t("backup_restored", lang))
        st.rerun()
