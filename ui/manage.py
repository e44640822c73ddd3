"""The Manage page's sections: import, fix a location, export, audit trail, backup.

Every write goes through the store (one transaction, versioned, audited) under the
signed-in account, which the store checks (a subdistrict editor writes only their own
subdistricts' records, and their changes wait for a reviewer when review is on). The pickers
offer a subdistrict editor only their own subdistricts' places.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.config import DISTRICT_CODE, state_dir
from geo.data import datum, kpi
from geo.data.access import STREET, Account
from geo.data.completeness import location_completeness, to_place, to_verify
from geo.data.figures import FigureEntry, figure_record, issue_text
from geo.data.gazetteer import code_names
from geo.data.tables import audit_for_people, sites_for_people
from geo.intake.ledger import (
    FIELDS,
    IGNORE,
    UNMATCHED_KEYS,
    ImportResult,
    Lookups,
    Plan,
    describe_plan,
    import_file,
    plan_file,
    remembered_mappings,
    row_ranges,
)
from geo.intake.read import SUFFIXES
from geo.reports import sheets
from geo.store.backup import backup_store, restore_store
from geo.store.edits import relocated
from geo.store.records import ConflictError, ScopeError
from geo.text import vocab
from geo.text.labels import field_label, localized, precision_label, t
from ui import settings
from ui.context import Context
from ui.data import get_store
from ui.review import refused_message
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
            # a whole-file issue has no row: an empty cell, not "None"
            t("col_row", lang): ["" if i.row is None else str(i.row) for i in result.issues],
            t("col_column", lang): [i.column for i in result.issues],
            t("col_value", lang): [i.value for i in result.issues],
            t("col_problem", lang): [i.problem(lang) for i in result.issues],
            t("col_severity", lang): [t(f"severity_{i.severity}", lang) for i in result.issues],
        }
    )


_NO_DEFAULT = ""


def _mapping_editor(plan: Plan, lang: str) -> dict[str, dict]:
    """Each table's columns with the field each goes to, changeable by a select box; returns
    the editor's mapping per header set (what the import then uses, and remembers)."""
    chosen: dict[str, dict] = {}
    for number, sheet in enumerate(plan.sheets):
        key = sheet.layout.key()
        lines = describe_plan(Plan(plan.name, [sheet]), lang)
        with st.expander(lines[0], expanded=True):
            for line in lines[1:]:
                if "→" not in line:
                    st.caption(line.strip())
            fields = [IGNORE, *FIELDS[sheet.entity]]
            columns = [c for c in sheet.layout.columns if c.text]
            cells = st.columns(4)
            mapping = {}
            for index, column in enumerate(columns):
                mapping[column.text] = cells[index % 4].selectbox(
                    column.text,
                    fields,
                    index=fields.index(column.field) if column.field in fields else 0,
                    format_func=lambda f: field_label(f, lang),
                    key=f"map_{number}_{key}_{index}",
                )
            # the office's remembered answers about values go with its columns
            chosen[key] = {
                "columns": mapping,
                "defaults": dict(sheet.defaults),
                "values": {k: dict(v) for k, v in sheet.values.items()},
            }
    return chosen


def _file_defaults(context: Context, lang: str) -> dict[str, str]:
    """Values for the whole file: the datum of unnamed coordinates, the program of rows that
    name none."""
    left, right = st.columns(2)
    datum_choice = left.selectbox(
        t("import_default_datum", lang),
        [_NO_DEFAULT, *datum.DATUMS],
        format_func=lambda d: d or t("import_no_default", lang),
        key="import_default_datum",
    )
    programs = context.data.programs
    names = code_names(programs, localized("name", lang), key="key")
    program = right.selectbox(
        t("import_default_program", lang),
        [_NO_DEFAULT, *names],
        format_func=lambda k: names.get(k) or t("import_no_default", lang),
        key="import_default_program",
    )
    return {k: v for k, v in (("datum", datum_choice), ("programs", program)) if v}


def _choice_names(context: Context, what: str, lang: str) -> dict[str, str]:
    """Code -> name of every program, subdistrict or village/community a value may mean."""
    data = context.data
    if what == "program":
        frame, code, name = data.programs, "key", localized("name", lang)
    elif what == "subdistrict":
        frame, code, name = data.subdistricts, "code", "name"
    else:
        frame, code, name = data.units, "code", "short_name"
    return dict(zip(frame[code], frame[name], strict=True))


def _value_choices(context: Context, result: ImportResult, lang: str) -> dict[str, dict]:
    """A select box for each value that names nothing known (its closest candidates first, then
    everything else of its kind); returns the choices made, column -> {value: code}."""
    st.markdown(f"**{t('import_unmatched', lang)}**")
    chosen: dict[str, dict[str, str]] = {}
    for number, item in enumerate(result.unmatched):
        names = _choice_names(context, item.what, lang)
        closest = [code for code, _ in item.candidates if code in names]
        options = [_NO_DEFAULT, *closest, *(c for c in names if c not in closest)]
        label = t("import_unmatched_value", lang, header=item.header, value=item.value)
        rows = t("import_unmatched_rows", lang, rows=row_ranges(list(item.rows), lang))
        picked = st.selectbox(
            f"{label}（{rows}）",
            options,
            format_func=lambda c, names=names: names.get(c) or t("import_unmatched_pick", lang),
            key=f"value_{number}_{item.header}_{item.value}",
        )
        if picked:
            chosen.setdefault(item.header, {})[item.value] = picked
    return chosen


def _preview(context: Context, result: ImportResult, lang: str) -> None:
    """The first rows as they will be stored, as people read them."""
    data = context.data
    for entity, frame in result.preview.items():
        if frame.empty:
            continue
        st.caption(t("import_preview", lang, entity=t(f"entity_{entity}", lang)))
        if entity == "sites":
            shown = sites_for_people(
                frame, data.subdistricts, data.units, data.programs, data.sources, lang
            )
        else:
            shown = frame.rename(columns=lambda c: field_label(c, lang))
        st.dataframe(shown, hide_index=True, width="stretch")


def import_section(context: Context, editor: Account) -> None:
    """The 导入 tab: a ledger file, then a figure entered by hand (手工录入指标)."""
    _ledger_import(context, editor)
    with st.expander(t("figure_entry_title", context.lang)):
        figure_entry_section(context, editor)


def _ledger_import(context: Context, editor: Account) -> None:
    lang = context.lang
    st.download_button(
        t("template_download", lang),
        lambda: _template_bytes(context),
        "shizhong-template.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    upload = st.file_uploader(
        t("upload_file", lang), type=[s.lstrip(".") for s in SUFFIXES], key="import_file"
    )
    if upload is None:
        return
    store, geocoder = get_store(), settings.geocoder()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        plan = plan_file(path, Lookups.load(), remembered_mappings(store))
        if not plan.ok and not plan.sheets:  # unreadable or refused: nothing to map or choose
            result = ImportResult(issues=plan.issues, plan=plan)
            st.dataframe(_issues_table(result, lang), hide_index=True, width="stretch")
            st.error(t("import_errors", lang, n=len(result.errors)))
            return
        mappings = _mapping_editor(plan, lang)
        defaults = _file_defaults(context, lang)
        options = {
            "source_name": upload.name,
            "mappings": mappings,
            "defaults": defaults,
            "geocoder": geocoder,
        }
        if geocoder is None:
            st.caption(t("import_geocoder_off", lang))

        def checked() -> ImportResult:
            with st.spinner(t("import_checking", lang)):
                bar = st.empty()
                found = import_file(
                    path,
                    store,
                    editor,
                    dry_run=True,
                    geocode_progress=lambda n, total: bar.progress(
                        n / total, text=t("import_geocoding", lang, n=n, total=total)
                    ),
                    **options,
                )
                bar.empty()
            return found

        check = checked()
        if check.unmatched:  # asked, never guessed; the choices are remembered with the import
            options["values"] = _value_choices(context, check, lang)
            if options["values"]:
                check = checked()
        _preview(context, check, lang)
        if check.issues:
            st.dataframe(_issues_table(check, lang), hide_index=True, width="stretch")
        if not check.ok:
            if check.unmatched and all(i.key in UNMATCHED_KEYS for i in check.errors):
                st.warning(t("import_choose_values", lang, n=len(check.unmatched)))
            else:
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
                    store,
                    editor,
                    progress=lambda n, total: bar.progress(n / total),
                    **options,
                )
            except ConflictError as error:
                st.error(t("conflict", lang, error=error))
                return
            except ScopeError as error:  # the store's own check (the rows were checked before)
                st.error(refused_message(error, context))
                return
            if done.ok:
                st.success(t("import_done", lang, summary=done.summary(lang)))
            else:
                st.dataframe(_issues_table(done, lang), hide_index=True, width="stretch")


#: What the 定位 tab places: a village/community, or one site.
PLACE_UNIT, PLACE_SITE = "unit", "site"
K_PLACE_WHAT, K_PLACE_UNIT, K_PLACE_SITE = "place_what", "place_unit", "locate_site"


def request_place(what: str, item: str) -> None:
    """Open the 定位 tab on ``item`` (a unit's 12-digit code or a site's id)."""
    st.session_state[K_PLACE_WHAT] = what
    st.session_state[K_PLACE_UNIT if what == PLACE_UNIT else K_PLACE_SITE] = item


def place_from_link() -> str | None:
    """``?place=unit:CODE`` or ``?place=site:ID`` (the to-do list's links): preselect it and
    say which tab to open."""
    link = st.query_params.get("place")
    if not link or ":" not in link:
        return None
    what, _, item = link.partition(":")
    if what in (PLACE_UNIT, PLACE_SITE) and item:
        if st.session_state.get("_place_link") != link:  # once per link, then the editor's
            st.session_state["_place_link"] = link
            request_place(what, item)
        return what
    return None


_SAVED = "place_saved"


def _saved(message: str, editor: Account) -> None:
    """Rerun (the map then draws the new position) and say it was saved (or submitted for
    review) on that run: a message shown just before a rerun would vanish with it."""
    st.session_state[_SAVED] = "saved_pending" if get_store().needs_review(editor) else message
    st.rerun()


def _write(context: Context, write) -> bool:
    """Run ``write()``; a conflict or a write outside the account's scope is said, not raised.
    True if it was written (or submitted)."""
    try:
        write()
    except ConflictError as error:
        st.error(t("conflict", context.lang, error=error))
        return False
    except ScopeError as error:
        st.error(refused_message(error, context))
        return False
    return True


def _in_scope(frame: pd.DataFrame, editor: Account) -> pd.DataFrame:
    """The rows of ``frame`` (``subdistrict_code``) a subdistrict editor keeps; all for others."""
    if editor.role != STREET:
        return frame
    return frame[frame["subdistrict_code"].isin(editor.streets)]


def locate_section(context: Context, editor: Account) -> None:
    lang = context.lang
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(t(saved, lang))
    completeness(context, links=False, editor=editor)
    st.session_state.setdefault(K_PLACE_WHAT, PLACE_UNIT)
    what = st.segmented_control(
        t("place_what", lang),
        [PLACE_UNIT, PLACE_SITE],
        format_func=lambda w: t(f"place_{w}", lang),
        key=K_PLACE_WHAT,
        required=True,
    )
    if what == PLACE_SITE:
        _place_site(context, editor)
    else:
        _place_unit(context, editor)


def _clicked_point(context: Context, key: str, sites: pd.DataFrame, center=None):
    st.caption(t("locate_hint", context.lang))
    clicked = show_map(
        context,
        key,
        sites=sites,
        center=center,
        zoom=15 if center else None,
        height=520,
        returned=("last_clicked",),
        layer_control=True,
    )
    return (clicked or {}).get("last_clicked")


def _place_unit(context: Context, editor: Account) -> None:
    lang, data = context.lang, context.data
    units = _in_scope(data.units, editor)
    labels = {
        code: f"{name}（{street}）" + ("" if placed else t("place_not_yet", lang))
        for code, name, street, placed in zip(
            units["code"],
            units["short_name"],
            units["subdistrict_code"].map(code_names(data.subdistricts, "short_name")),
            units["lon"].notna(),
            strict=True,
        )
    }
    code = st.selectbox(
        t("place_pick_unit", lang), list(labels), format_func=labels.get, key=K_PLACE_UNIT
    )
    if code is None:
        return
    unit = units[units["code"] == code].iloc[0]
    placed = not pd.isna(unit["lon"])
    its_sites = data.sites[data.sites["unit_code"] == code]
    center = (float(unit["lat"]), float(unit["lon"])) if placed else None
    point = _clicked_point(context, "place_unit_map", its_sites, center)
    if placed:
        st.markdown(
            f"**{t('locate_old', lang)}**: {unit['lon']:.6f}, {unit['lat']:.6f}"
            f"（{md_escape(precision_label(unit['location_precision'], lang))}）"
        )
    st.caption(t("place_unit_sites", lang, n=int((its_sites["placement"] != "own").sum())))
    if not point:
        return
    moved = relocated({"id": code}, point["lng"], point["lat"], context.basemap.datum)
    st.markdown(f"**{t('locate_new', lang)}**: {moved['lon']:.6f}, {moved['lat']:.6f}")
    if st.button(t("locate_save", lang), type="primary", key="place_unit_save"):
        store = get_store()
        current = store.get("units", code)
        record = moved | {"source": t("place_source", "zh", user=editor.name)}
        version = None if current is None else int(current["version"])
        if _write(context, lambda: store.save("units", record, editor, version)):
            _saved("place_unit_saved", editor)


def _place_site(context: Context, editor: Account) -> None:
    lang, data = context.lang, context.data
    sites = _in_scope(data.sites, editor)
    labels = dict(zip(sites["id"], sites["name"] + " · " + sites["id"], strict=True))
    site_id = st.selectbox(
        t("locate_pick", lang), list(labels), format_func=labels.get, key=K_PLACE_SITE
    )
    if site_id is None:
        return
    site = sites[sites["id"] == site_id].iloc[0]
    point = _clicked_point(context, "locate_map", sites[sites["id"] == site_id])
    old = (
        f"{site['own_lon']:.6f}, {site['own_lat']:.6f}"
        f"（{md_escape(precision_label(site['own_precision'], lang))}）"
    )
    st.markdown(f"**{t('locate_old', lang)}**: {old}")
    _verify(context, site, editor)
    if not point:
        return
    # the click is in the basemap's datum (GCJ-02 on AMap): stored as WGS-84
    record = relocated(site.to_dict(), point["lng"], point["lat"], context.basemap.datum)
    st.markdown(f"**{t('locate_new', lang)}**: {record['lon']:.6f}, {record['lat']:.6f}")
    if st.button(t("locate_save", lang), type="primary"):
        version = int(site["version"])
        if _write(context, lambda: get_store().save("sites", record, editor, version)):
            _saved("locate_saved", editor)


def _verify(context: Context, site: pd.Series, editor: Account) -> None:
    """The site's last verification (核实日期, 核实人) and a button confirming it today."""
    lang = context.lang
    st.markdown(f"**{t('verify_title', lang)}**")
    if site.get("verified_on"):
        by = md_escape(site["verified_by"])
        st.caption(t("verify_last", lang, on=site["verified_on"], by=by))
    else:
        st.caption(t("verify_never", lang))
    note = st.text_input(t("verify_note", lang), key=f"verify_note_{site['id']}")
    if st.button(t("verify_button", lang), key=f"verify_{site['id']}"):
        today = date.today().isoformat()
        if _write(context, lambda: get_store().verify(site["id"], editor, today, note.strip())):
            _saved("verify_saved", editor)


def completeness(context: Context, links: bool, editor: Account | None = None) -> None:
    """Per subdistrict: villages/communities placed, sites placed exactly, by unit or only to
    the subdistrict, and verified in the last 12 months; the list of what is still to place
    (``links``: to the 定位 tab) and of the sites to verify (an editor's own subdistricts)."""
    lang, data = context.lang, context.data
    st.markdown(f"**{t('completeness_title', lang)}**")
    st.dataframe(
        location_completeness(data.sites, data.units, data.subdistricts, lang),
        hide_index=True,
        width="stretch",
    )
    _to_verify(context, editor)
    todo = to_place(data.sites, data.units)
    with st.expander(t("todo_title", lang, n=len(todo))):
        if todo.empty:
            st.caption(t("todo_none", lang))
            return
        streets = code_names(data.subdistricts, "short_name")
        for row in todo.head(300).itertuples(index=False):
            text = t(f"todo_{row.what}", lang, name=row.name)
            text += f"（{streets.get(row.subdistrict_code, t('district_wide', lang))}）"
            if links:
                st.page_link(
                    "app_pages/manage.py",
                    label=text,
                    query_params={"place": f"{row.what}:{row.id}"},
                )
            else:
                left, right = st.columns([5, 1])
                left.text(text)
                right.button(
                    t("todo_place", lang),
                    key=f"todo_{row.what}_{row.id}",
                    on_click=request_place,
                    args=(row.what, row.id),
                )


def _to_verify(context: Context, editor: Account | None) -> None:
    """The sites not verified in the last 12 months (a subdistrict editor's own), longest
    unverified first."""
    lang, data = context.lang, context.data
    sites = data.sites if editor is None else _in_scope(data.sites, editor)
    todo = to_verify(sites)
    with st.expander(t("todo_verify_title", lang, n=len(todo))):
        if todo.empty:
            st.caption(t("todo_verify_none", lang))
            return
        streets = code_names(data.subdistricts, "short_name")
        lines = [
            t(
                "todo_verify_item",
                lang,
                name=md_escape(row.name),
                street=streets.get(row.subdistrict_code, t("district_wide", lang)),
                when=row.verified_on or t("verify_never", lang),
            )
            for row in todo.head(300).itertuples(index=False)
        ]
        st.markdown("\n".join(f"- {line}" for line in lines))


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


def audit_section(context: Context, editor: Account) -> None:
    lang = context.lang
    log = get_store().audit_log(500)
    shown = audit_for_people(log, context.data.units, lang)
    st.dataframe(shown, hide_index=True, width="stretch", height=360)
    if log.empty:
        return
    when, action, record = (
        shown[t(k, lang)] for k in ("audit_col_at", "audit_col_action", "audit_col_record")
    )
    choices = dict(zip(log["id"], when + " · " + action + " · " + record, strict=True))
    audit_id = st.selectbox(
        t("audit_pick", lang), list(choices), format_func=choices.get, key="audit_pick"
    )
    if st.button(t("audit_revert", lang)):
        try:
            get_store().revert(int(audit_id), editor)
        except (ConflictError, KeyError) as error:
            st.error(t("conflict", lang, error=error))
            return
        except ScopeError as error:
            st.error(refused_message(error, context))
            return
        pending = get_store().needs_review(editor)
        st.success(t("saved_pending" if pending else "audit_reverted", lang))
        st.rerun()


def backup_section(context: Context, editor: Account) -> None:
    from geo.store.backup import RestoreError

    lang, store = context.lang, get_store()
    if (
        store.engine.dialect.name != "sqlite"
    ):  # the same file, copied row by row (geo.store.records)
        st.caption(t("backup_postgres_note", lang))
    kept = st.session_state.pop("restore_kept", None)  # said once, after the rerun
    if kept:
        st.success(t("backup_restored", lang) + " " + t("restore_kept", lang, path=kept))
    if st.button(t("backup_make", lang)):
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = backup_store(store, state_dir() / "backups" / f"shizhong-{stamp}.sqlite")
        st.download_button(
            t("backup_download", lang), path.read_bytes(), path.name, "application/vnd.sqlite3"
        )
    upload = st.file_uploader(t("backup_restore", lang), type=["sqlite", "db"], key="restore")
    if upload is not None and st.button(t("backup_restore", lang), type="primary"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "restore.sqlite"
            path.write_bytes(upload.getvalue())
            try:
                kept = restore_store(store, path, editor)
            except ValueError as error:  # refused: the store is unchanged
                why = error.text(lang) if isinstance(error, RestoreError) else error
                st.error(t("cli_not_restored", lang, error=why))
                return
        st.session_state["restore_kept"] = str(kept)
        st.rerun()


# --- a figure entered by hand (手工录入指标) ---------------------------------------------------

_NEW_FIGURE = ""
_FIGURE_SAVED = "figure_saved"


def _scope_names(context: Context, editor: Account) -> dict[str, dict[str, str]]:
    """Scope type -> {code: name} of what a figure may be about, as far as ``editor`` may
    write (a subdistrict editor: their own subdistricts' places, never the whole district)."""
    data, lang = context.data, context.lang
    streets = data.subdistricts.assign(subdistrict_code=data.subdistricts["code"])
    sites = _in_scope(data.sites, editor)
    scopes = {
        "district": {DISTRICT_CODE: t("scope_district", lang)},
        "subdistrict": code_names(_in_scope(streets, editor)),
        "unit": code_names(_in_scope(data.units, editor), "short_name"),
        "site": dict(zip(sites["id"], sites["name"], strict=True)),
        "alliance": code_names(_in_scope(data.alliances, editor), "name", key="id"),
    }
    if editor.role == STREET:
        del scopes["district"]
    return scopes


def _figures(context: Context, editor: Account) -> dict[str, pd.Series]:
    """The figures ``editor`` may add a period to, by key: each its latest period's row."""
    data = context.data
    metrics = data.metrics
    if editor.role == STREET:
        owners = kpi.metric_subdistricts(metrics, data.units, data.sites, data.alliances)
        metrics = metrics[owners.isin(editor.streets)]
    latest = kpi.compare_periods(metrics)
    return {row["figure"]: row for _, row in latest.iterrows()}


def _pick(label: str, options: dict, key: str, index: int = 0, chosen: object = None):
    """A select box over ``options`` (value -> what it shows), at ``chosen`` if it is one of
    them, else at ``index``."""
    values = list(options)
    if chosen in options:
        index = values.index(chosen)
    return st.selectbox(label, values, index=index, format_func=options.get, key=key)


def _new_figure(context: Context, scopes: dict[str, dict[str, str]]) -> dict:
    """The fields of a new figure: names, unit, program and scope."""
    lang = context.lang
    programs = code_names(context.data.programs, localized("name", lang), key="key")
    left, right = st.columns(2)
    fields = {
        "name_zh": left.text_input(t("figure_entry_name", lang), key="fig_name"),
        "name_en": right.text_input(t("figure_entry_name_en", lang), key="fig_name_en"),
        "unit": left.text_input(t("figure_entry_unit", lang), key="fig_unit_new"),
    }
    with right:
        fields["program"] = _pick(t("figure_entry_program", lang), programs, "fig_program")
    types = {kind: t(f"figure_entry_scope_{kind}", lang) for kind in scopes}
    left, right = st.columns(2)
    with left:
        fields["scope_type"] = _pick(t("figure_entry_scope_type", lang), types, "fig_scope_type")
    with right:
        names = scopes[fields["scope_type"]]
        key = f"fig_scope_{fields['scope_type']}"
        fields["scope_code"] = _pick(t("figure_entry_scope", lang), names, key) or ""
    return fields


def figure_entry_section(context: Context, editor: Account) -> None:
    """手工录入指标: a period of an existing figure, or a new figure, checked as a ledger's row
    is (:func:`geo.data.figures.figure_record`: nothing is written while there is an error)
    and written through the store like every edit: a subdistrict editor only their own
    subdistricts' figures, held for review when review is on."""
    lang = context.lang
    saved = st.session_state.pop(_FIGURE_SAVED, None)
    if saved:
        st.success(saved)
    st.caption(t("figure_entry_help", lang))
    scopes = _scope_names(context, editor)
    known = _figures(context, editor)
    shown = {_NEW_FIGURE: t("figure_entry_new", lang)}
    for key, row in known.items():
        where = scopes.get(row["scope_type"], {}).get(row["scope_code"], row["scope_code"])
        shown[key] = f"{row['name_zh']}（{where}）"
    picked = _pick(t("figure_entry_pick", lang), shown, "fig_pick", index=1 if known else 0)
    if not known and editor.role == STREET:
        st.caption(t("figure_entry_none_in_scope", lang))
    row = known.get(picked)
    # the widgets the figure fills in have a key per figure, so that choosing another fills
    # in its own values
    tag = picked or "new"
    if row is None:
        fields = _new_figure(context, scopes)
        period, qualifier, better = "year", "exact", "up"
    else:
        held = [
            f"{kpi.format_period(year, kind, lang, quarter)} {value}"
            for year, quarter, kind, value, _ in row["history"]
        ]
        st.caption(md_escape(t("figure_entry_periods", lang, periods="、".join(held))))
        fields = {k: row[k] for k in ("name_zh", "name_en", "program", "scope_type", "scope_code")}
        # the unit as the figure has it, changeable (a different one is refused)
        fields["unit"] = st.text_input(
            t("figure_entry_unit", lang), value=row["unit"], key=f"fig_unit_{tag}"
        )
        period, qualifier, better = row["period"], row["qualifier"], row["better"]
    entry = _period_fields(context, fields, (period, qualifier, better), tag)
    if not st.button(t("figure_entry_save", lang), type="primary", key="fig_save"):
        return
    record, issues = figure_record(entry, context.data)
    if issues:
        # our own words (the field and what is wrong), never what was typed
        lines = "\n".join(f"- {issue_text(issue, lang)}" for issue in issues)
        st.error(t("figure_entry_refused", lang) + "\n\n" + lines)
        return
    store = get_store()
    current = store.get("metrics", record["id"])
    version = None if current is None else int(current["version"])
    if _write(context, lambda: store.save("metrics", record, editor, version)):
        when = kpi.format_period(record["year"], record["period"], lang, record["quarter"])
        value = kpi.format_value(record["value"], record["unit"], record["qualifier"])
        done = t("figure_entry_saved", lang, name=record["name_zh"], period=when, value=value)
        pending = store.needs_review(editor)
        st.session_state[_FIGURE_SAVED] = t("saved_pending", lang) if pending else md_escape(done)
        for key in ("fig_value", "fig_target", "fig_target_src"):  # not saved twice by mistake
            st.session_state.pop(key, None)
        st.rerun()


def _period_fields(context: Context, fields: dict, defaults: tuple, tag: str) -> FigureEntry:
    """The period's fields (year, quarter, value, target, sources, direction) as an entry;
    ``defaults`` are the figure's period, qualifier and direction, ``tag`` names the figure
    in the keys of the widgets it fills in."""
    lang = context.lang
    period, qualifier, better = defaults
    left, middle, right = st.columns(3)
    year = left.number_input(
        t("figure_entry_year", lang), value=date.today().year, step=1, key="fig_year"
    )
    quarters = {0: t("figure_entry_whole_year", lang)}
    for n in range(1, 5):
        quarters[n] = t("figure_entry_quarter_n", lang, quarter=t(f"quarter_{n}", lang), n=n)
    with middle:
        quarter = _pick(t("figure_entry_quarter", lang), quarters, "fig_quarter")
    periods = {p: t(f"figure_entry_period_{p}", lang) for p in vocab.PERIODS}
    with right:
        period = _pick(t("figure_entry_period", lang), periods, f"fig_period_{tag}", chosen=period)
    left, right = st.columns(2)
    value = left.text_input(t("figure_entry_value", lang), key="fig_value")
    qualifiers = {q: t(f"figure_entry_qualifier_{q}", lang) for q in vocab.QUALIFIERS}
    with right:
        qualifier = _pick(
            t("figure_entry_qualifier", lang), qualifiers, f"fig_qualifier_{tag}", chosen=qualifier
        )
    source = st.text_input(
        t("figure_entry_source", lang), key="fig_source", help=t("figure_entry_source_help", lang)
    )
    left, right = st.columns(2)
    target = left.text_input(t("figure_entry_target", lang), key="fig_target")
    target_source = right.text_input(t("figure_entry_target_source", lang), key="fig_target_src")
    directions = {b: t(f"figure_entry_better_{b}", lang) for b in vocab.BETTER}
    better = _pick(t("figure_entry_better", lang), directions, f"fig_better_{tag}", chosen=better)
    return FigureEntry(
        name_zh=fields["name_zh"],
        name_en=fields["name_en"],
        unit=fields["unit"],
        program=fields["program"] or "",
        scope_type=fields["scope_type"] or "",
        scope_code=fields["scope_code"] or "",
        year=int(year),
        quarter=quarter or None,
        period=period,
        value=value,
        qualifier=qualifier,
        target=target,
        target_source=target_source,
        source=source,
        better=better,
    )
