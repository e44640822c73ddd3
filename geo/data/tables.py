"""Records as people read them: headers in their language, names instead of codes, readable
citations; the codes kept as columns of their own (for machines) at the end."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pandas as pd

from geo.data import citations, io
from geo.data.gazetteer import code_names
from geo.text.labels import (
    field_label,
    join_clauses,
    join_list,
    kind_label,
    localized,
    precision_label,
    shows_english_text,
    t,
)


def _names(codes: pd.Series, table: dict[str, str]) -> list[str]:
    return [table.get(c, c) if c else "" for c in codes.fillna("").astype(str)]


def _programs(values: pd.Series, programs: pd.DataFrame, lang: str) -> list[str]:
    names = code_names(programs, localized("name", lang), key="key")
    return [join_list((names.get(p, p) for p in io.split_list(v)), lang) for v in values.fillna("")]


def sites_for_people(
    sites: pd.DataFrame,
    subdistricts: pd.DataFrame,
    units: pd.DataFrame,
    programs: pd.DataFrame,
    sources: pd.DataFrame,
    lang: str = "zh",
) -> pd.DataFrame:
    """``sites`` (store columns, optionally ``placement``) with people's headers and names.

    Parameters
    ----------
    sites
        Site records; ``lon``/``lat`` are WGS-84 degrees.
    subdistricts, units, programs, sources
        The gazetteer, vocabulary and documents the codes and source references name.
    lang
        ``zh`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        Name, kind, subdistrict, village/community, programs, year, precision, (how it is
        placed), longitude, latitude, source (a readable citation), description; then the
        id and the codes.
    """
    streets = code_names(subdistricts)
    unit_names = code_names(units, "short_name")
    out = {
        field_label("name", lang): sites["name"].to_numpy(),
        field_label("kind", lang): [kind_label(k, lang) for k in sites["kind"]],
        field_label("subdistrict", lang): _names(sites["subdistrict_code"], streets),
        field_label("unit", lang): _names(sites["unit_code"], unit_names),
        field_label("programs", lang): _programs(sites["programs"], programs, lang),
        field_label("year", lang): sites["year"].to_numpy(),
        field_label("location_precision", lang): [
            precision_label(p, lang) for p in sites["location_precision"]
        ],
    }
    if "placement" in sites:
        out[t("col_placement", lang)] = [t(f"placement_{p}", lang) for p in sites["placement"]]
    out |= {
        field_label("lon", lang): sites["lon"].to_numpy(),
        field_label("lat", lang): sites["lat"].to_numpy(),
        field_label("source", lang): citations.cite_column(sites["source"], sources, lang),
        field_label("description", lang): sites["description"].to_numpy(),
    }
    if "inferred" in sites:
        out[t("field_inferred", lang)] = [
            t("inferred_yes" if bool(v) else "inferred_no", lang) for v in sites["inferred"]
        ]
    out |= {
        t("col_id", lang): sites["id"].to_numpy(),
        t("col_subdistrict_code", lang): sites["subdistrict_code"].to_numpy(),
        t("col_unit_code", lang): sites["unit_code"].to_numpy(),
        t("col_program_keys", lang): sites["programs"].to_numpy(),
    }
    return pd.DataFrame(out, index=sites.index)


def units_for_people(
    units: pd.DataFrame, subdistricts: pd.DataFrame, sources: pd.DataFrame, lang: str = "zh"
) -> pd.DataFrame:
    """Villages and communities with their placed position (if any), for people.

    Parameters
    ----------
    units : pandas.DataFrame
        The gazetteer's units (:func:`geo.data.io.load_units`: ``code``, ``short_name``,
        ``unit_type``, ``subdistrict_code``), optionally with the placed positions of
        :func:`geo.data.dataset.locate_units` (``lon``, ``lat`` in EPSG:4326 degrees,
        ``location_precision``, ``location_source``).
    subdistricts, sources : pandas.DataFrame
        The subdistricts (``code``, ``name``) and the documents that source references name.
    lang : {"zh", "en"}
        Language of headers and values.

    Returns
    -------
    pandas.DataFrame
        Name, kind (village or community), subdistrict, placed (yes/no), longitude, latitude,
        precision and source (a readable citation, empty when not placed); then the 12-digit
        code. Same index as ``units``, which is not modified.
    """
    streets = code_names(subdistricts)
    placed = units["lon"].notna() if "lon" in units else pd.Series(False, index=units.index)
    return pd.DataFrame(
        {
            field_label("name", lang): units["short_name"].to_numpy(),
            field_label("kind", lang): [
                kind_label("village" if k == "village" else "community", lang)
                for k in units["unit_type"]
            ],
            field_label("subdistrict", lang): _names(units["subdistrict_code"], streets),
            t("col_placed", lang): [t("yes" if p else "no", lang) for p in placed],
            field_label("lon", lang): units.get("lon", pd.Series(index=units.index)).to_numpy(),
            field_label("lat", lang): units.get("lat", pd.Series(index=units.index)).to_numpy(),
            field_label("location_precision", lang): [
                precision_label(p, lang) if p else ""
                for p in units.get("location_precision", pd.Series("", index=units.index))
            ],
            field_label("source", lang): [
                text if was_placed else ""
                for text, was_placed in zip(
                    citations.cite_column(
                        units.get("location_source", pd.Series("", index=units.index)),
                        sources,
                        lang,
                    ),
                    placed,
                    strict=True,
                )
            ],
            t("col_unit_code", lang): units["code"].to_numpy(),
        },
        index=units.index,
    )


#: How a stored column is named for people in the audit trail (a ``field_label`` key or a label).
_AUDIT_FIELDS = {
    "subdistrict_code": "subdistrict",
    "unit_code": "unit",
    "member_codes": "members",
    "inferred_codes": "inferred",
    "scope_code": "scope",
}
#: Columns whose values are too long or internal to print: only "changed" is said.
_AUDIT_OPAQUE = ("geometry", "headers", "mapping")


def _audit_value(column: str, value: object, lang: str) -> str:
    if value is None or value == "":
        return t("audit_empty", lang)
    if column == "kind":
        return kind_label(str(value), lang)
    if column == "location_precision":
        return precision_label(str(value), lang)
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _audit_changes(before: dict | None, after: dict | None, lang: str) -> str:
    if before is None and after is None:
        return ""
    if before is None:
        return t("audit_added", lang)
    if after is None:
        return t("audit_deleted", lang)
    parts = []
    for column in after:
        if (
            column in ("id", "version", "updated_at", "updated_by")
            or before.get(column) == after[column]
        ):
            continue
        label = field_label(_AUDIT_FIELDS.get(column, column), lang)
        if column in _AUDIT_OPAQUE:
            label = t(f"audit_field_{column}", lang)
            parts.append(t("audit_changed_opaque", lang, field=label))
            continue
        parts.append(
            t(
                "audit_changed",
                lang,
                field=label,
                old=_audit_value(column, before.get(column), lang),
                new=_audit_value(column, after[column], lang),
            )
        )
    return join_clauses(parts, lang) or t("audit_unchanged", lang)


def _audit_record(
    entity: str, record_id: str, before: dict | None, after: dict | None, units: dict, lang: str
) -> str:
    record = after or before or {}
    if entity == "units":
        return units.get(record_id, record_id)
    if entity == "mappings":
        return t("audit_field_mapping", lang)
    for column in (f"name_{lang}", "name_zh", "name"):
        if record.get(column):
            return str(record[column])
    return record_id


def _audit_user(user: str, lang: str) -> str:
    if user.startswith("system:"):
        return t("audit_user_system", lang)
    if user.startswith("cli:"):
        return t("audit_user_cli", lang, user=user.removeprefix("cli:"))
    return user


def audit_for_people(log: pd.DataFrame, units: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The audit trail as people read it: when (local time), who, what was done (in words),
    to which record (by name) and what changed; the entry and record ids at the end.

    Parameters
    ----------
    log
        ``Store.audit_log()``: ``id``, ``at`` (UTC, ISO 8601), ``user``, ``action``,
        ``entity``, ``record_id``, ``before`` and ``after`` (JSON text or None), and
        optionally ``submitted_by`` (who submitted a reviewed change).
    units
        The villages and communities (``code``, ``short_name``), to name placed units.
    lang
        ``zh`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        One row per entry, newest first as given: 时间, 操作人 (for a reviewed change, who
        published it), 提交人 (who submitted it; empty otherwise), 操作, 对象, 记录,
        变更内容, then 变更编号 and 记录编号.
    """
    from datetime import datetime

    from geo.data.freshness import local_time

    unit_names = code_names(units, "short_name")
    rows = []
    for entry in log.itertuples(index=False):
        before = json.loads(entry.before) if isinstance(entry.before, str) else None
        after = json.loads(entry.after) if isinstance(entry.after, str) else None
        when = local_time(datetime.fromisoformat(entry.at))
        action = t(f"audit_action_{entry.action}", lang)
        if entry.action not in ("insert", "update", "delete") and (before or after):
            kind = "insert" if before is None else "delete" if after is None else "update"
            action += f" · {t(f'audit_action_{kind}', lang)}"
        rows.append(
            {
                t("audit_col_at", lang): f"{when:%Y-%m-%d %H:%M}",
                t("audit_col_user", lang): _audit_user(entry.user, lang),
                t("audit_col_submitted_by", lang): getattr(entry, "submitted_by", "") or "",
                t("audit_col_action", lang): action,
                t("audit_col_entity", lang): t(f"audit_entity_{entry.entity}", lang),
                t("audit_col_record", lang): _audit_record(
                    entry.entity, entry.record_id, before, after, unit_names, lang
                ),
                t("audit_col_changes", lang): _audit_changes(before, after, lang),
                t("audit_col_id", lang): int(entry.id),
                t("audit_col_record_id", lang): entry.record_id,
            }
        )
    columns = [
        t(k, lang)
        for k in (
            "audit_col_at",
            "audit_col_user",
            "audit_col_submitted_by",
            "audit_col_action",
            "audit_col_entity",
            "audit_col_record",
            "audit_col_changes",
            "audit_col_id",
            "audit_col_record_id",
        )
    ]
    return pd.DataFrame(rows, columns=columns)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def sources_for_people(
    sources: pd.DataFrame, references: Iterable[object] = (), lang: str = "zh"
) -> pd.DataFrame:
    """Every cited document, for people: its full citation, how pages cite it (the short form),
    how many of the records shown cite it; the internal reference at the end.

    Parameters
    ----------
    sources
        The documents of ``sources.csv``.
    references
        The ``source`` values of the records, figures, alliances and events (repeats allowed).
    lang
        ``zh`` or ``en``. The licence and note columns of sources.csv are written in English
        only, so they are listed in English only.

    Returns
    -------
    pandas.DataFrame
    """
    references = list(references)
    listed = citations.sources_list(sources, references, lang)
    short = [citations.cite(key, sources, lang) for key in listed["reference"]]
    # a full citation written in English only (a package, a project note) reads better in
    # Chinese as its Chinese short form
    english_too = shows_english_text(lang)
    full = [
        text if english_too or _CJK.search(text) else brief
        for text, brief in zip(listed["citation"], short, strict=True)
    ]
    out = {
        t("src_col_citation", lang): full,
        t("src_col_short", lang): short,
        t("src_col_records", lang): listed["records"].to_numpy(),
    }
    if english_too:
        out |= {
            t("src_col_licence", lang): listed["licence"].to_numpy(),
            t("src_col_note", lang): listed["note"].to_numpy(),
        }
    out[t("src_col_reference", lang)] = listed["reference"].to_numpy()
    return pd.DataFrame(out)


def submission_for_people(
    changes: list[dict], current: dict, units: pd.DataFrame, lang: str = "zh"
) -> pd.DataFrame:
    """A submission's changes as a reviewer reads them: what, which record, what is done to it
    and what changes against the record as it is now.

    Parameters
    ----------
    changes
        ``Store.submissions()``'s ``changes`` of one submission: dicts with ``entity``,
        ``action``, ``record`` and ``expected_version``.
    current
        ``(entity, id)`` -> the stored record now (absent for a record not stored).
    units
        The villages and communities (``code``, ``short_name``), to name placed units.
    lang
        ``zh`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        One row per change: 对象, 记录, 操作, 变更内容.
    """
    unit_names = code_names(units, "short_name")
    rows = []
    for change in changes:
        entity, record = change["entity"], change["record"]
        before = current.get((entity, str(record["id"])))
        after = None if change["action"] == "delete" else record
        if before is not None:
            before = {k: before.get(k) for k in record if k in before}
        rows.append(
            {
                t("audit_col_entity", lang): t(f"audit_entity_{entity}", lang),
                t("audit_col_record", lang): _audit_record(
                    entity, str(record["id"]), before, after, unit_names, lang
                ),
                t("audit_col_action", lang): t(f"audit_action_{change['action']}", lang),
                t("audit_col_changes", lang): _audit_changes(before, after, lang),
            }
        )
    keys = ("audit_col_entity", "audit_col_record", "audit_col_action", "audit_col_changes")
    return pd.DataFrame(rows, columns=[t(k, lang) for k in keys])
