"""The Manage page's 街道边界 tab: upload an official boundary file, read its report, confirm.

The file is read in a child process with limits (about a second, most of it the child's start);
its dry-run check is kept in the session for the same files, options and data version, so other
reruns of the page do not read it again. Only the confirm button writes, in one transaction under
the editor's name (see ``geo.intake.boundary_load``).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.data.access import Account
from geo.intake.boundaries import BoundaryReport
from geo.intake.boundary_load import BoundaryLoad, load_boundary_file
from geo.store.records import ConflictError
from geo.text.labels import t
from ui.context import Context
from ui.data import get_store
from ui.text import md_escape

#: What the uploader takes: one file, or a shapefile's parts selected together.
UPLOAD_TYPES = ["zip", "kmz", "shp", "shx", "dbf", "prj", "cpg", "gpkg", "geojson", "json", "kml"]
_FLASH = "bnd_flash"
#: The last dry-run check: ((files' hash, options, language, data version), its result).
_CHECKED = "bnd_checked"


def _save(uploads: list, folder: Path) -> Path:
    """The uploads written into ``folder``: the one file, or the folder holding several."""
    for upload in uploads:
        (folder / Path(upload.name).name).write_bytes(upload.getvalue())
    return folder / Path(uploads[0].name).name if len(uploads) == 1 else folder


def _features_table(report: BoundaryReport, lang: str) -> pd.DataFrame:
    features = report.features
    district = report.district_km2
    how = [
        t(f"bnd_by_{by}", lang) if by else t(f"bnd_status_{status}", lang)
        for by, status in zip(features["matched_by"], features["status"], strict=True)
    ]
    return pd.DataFrame(
        {
            t("bnd_col_feature", lang): features["feature"],
            t("bnd_col_file_code", lang): features["file_code"],
            t("bnd_col_file_name", lang): features["file_name"],
            t("bnd_col_matched", lang): features["name"],
            t("bnd_col_how", lang): how,
            t("bnd_col_km2", lang): features["area_km2"].round(2),
            t("bnd_col_share", lang): (100 * features["area_km2"] / district).round(1),
        }
    )


def _sites_table(report: BoundaryReport, lang: str) -> pd.DataFrame:
    sites = report.sites_outside
    return pd.DataFrame(
        {
            t("bnd_col_site", lang): sites["name"],
            t("bnd_col_subdistrict", lang): sites["subdistrict"],
            t("bnd_col_precision", lang): sites["precision"],
            t("bnd_col_distance", lang): sites["distance_m"].round(0),
        }
    )


def _show_report(report: BoundaryReport, lang: str) -> None:
    st.markdown("  \n".join(md_escape(line) for line in report.header_lines(lang)))
    for severity, box in (("error", st.error), ("warning", st.warning), ("info", st.info)):
        found = [f for f in report.findings if f.severity == severity]
        if found:
            box("\n".join(f"- {md_escape(f.describe(lang))}" for f in found))
    if report.features.empty:
        return
    matched, total, district = st.columns(3)
    count = len(report.areas) + len(report.missing)
    matched.metric(t("bnd_metric_matched", lang), f"{len(report.areas)}/{count}")
    total.metric(t("bnd_metric_total", lang), f"{report.total_km2:.1f} km²")
    district.metric(t("bnd_metric_district", lang), f"{report.district_km2:.1f} km²")
    st.caption(t("bnd_areas_table", lang))
    table = _features_table(report, lang)
    st.dataframe(table, hide_index=True, width="stretch", height=_rows_height(len(table)))
    if len(report.sites_outside):
        st.caption(t("bnd_sites_table", lang))
        st.dataframe(_sites_table(report, lang), hide_index=True, width="stretch")


def _rows_height(rows: int) -> int:
    """Pixels for ``rows`` rows and the header (every area of a district visible at once)."""
    return 35 * (min(rows, 40) + 1) + 3


def _counts(load: BoundaryLoad) -> dict[str, int]:
    return {"inserted": load.inserted, "updated": load.updated, "unchanged": load.unchanged}


def areas_section(context: Context, editor: Account) -> None:
    """Upload, report, confirm: the official subdistrict boundaries into the store."""
    lang = context.lang
    if _FLASH in st.session_state:
        st.success(st.session_state.pop(_FLASH))
    st.caption(t("bnd_intro", lang))
    uploads = st.file_uploader(
        t("bnd_upload", lang), type=UPLOAD_TYPES, accept_multiple_files=True, key="bnd_files"
    )
    with st.expander(t("bnd_options", lang)):
        auto = t("bnd_auto", lang)
        options = {
            "code_field": st.text_input(
                t("bnd_code_field", lang), key="bnd_code", placeholder=auto
            ),
            "name_field": st.text_input(
                t("bnd_name_field", lang), key="bnd_name", placeholder=auto
            ),
            "crs": st.text_input(t("bnd_crs_option", lang), key="bnd_crs", placeholder=auto),
        }
    options = {key: value.strip() or None for key, value in options.items()}
    if not uploads:
        return
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        path = _save(uploads, Path(tmp))
        store = get_store()
        digest = hashlib.sha256()
        for upload in uploads:
            digest.update(upload.name.encode() + b"\0" + upload.getvalue())
        key = (digest.hexdigest(), tuple(sorted(options.items())), lang, store.data_version())
        kept = st.session_state.get(_CHECKED)
        if kept is not None and kept[0] == key:
            check = kept[1]
        else:
            with st.spinner(t("bnd_checking", lang)):
                check = load_boundary_file(path, store, editor, True, lang=lang, **options)
            st.session_state[_CHECKED] = (key, check)
        _show_report(check.report, lang)
        if not check.ok:
            st.error(t("bnd_failed", lang, n=len(check.report.errors)))
            return
        if not check.changes:
            st.info(t("bnd_nothing", lang))
            return
        st.success(t("bnd_ready", lang, **_counts(check)))
        if not st.button(t("bnd_apply", lang), type="primary", key="bnd_apply"):
            return
        try:
            done = load_boundary_file(path, get_store(), editor, lang=lang, **options)
        except ConflictError as error:
            st.error(t("conflict", lang, error=error))
            return
    st.session_state[_FLASH] = done.summary(lang)
    st.rerun()
