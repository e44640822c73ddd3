"""Figures entered by hand (the Manage page's 手工录入指标): one period of a reported figure,
checked as a row of a figures ledger is, made into a record for the store.

A figure (上报指标) is the rows of one name about one scope (:data:`geo.data.kpi.FIGURE_KEY`),
one row per period (a year, or a quarter of it). An entry for a period the figure already has
updates that row (its id is kept); a new period gets the id a ledger import would give it
(``imp-m-`` and a digest of name, scope and period), so that importing the same period later
updates it instead of adding it twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.config import DISTRICT_CODE
from geo.data import io
from geo.data.dataset import Dataset
from geo.data.validate import Issue, References, validate_metrics
from geo.text.labels import MESSAGES, message, t

#: The fields of an entry in the order the form asks them (and its problems are listed).
FIELDS = (
    "name_zh",
    "name_en",
    "unit",
    "program",
    "scope_type",
    "scope_code",
    "year",
    "quarter",
    "period",
    "value",
    "qualifier",
    "target",
    "target_source",
    "source",
    "better",
)
#: Fields that must not be blank.
REQUIRED = ("name_zh", "unit", "program", "scope_type", "scope_code", "year", "value", "source")
#: What the problems of an entry name as their file (an Issue's ``file``).
ENTRY_FILE = ""


@dataclass(frozen=True)
class FigureEntry:
    """One period of a figure as a person entered it (text or numbers, untrimmed).

    ``quarter`` and ``target`` may be None or blank; ``target_source`` blank means the
    entry's ``source``.
    """

    name_zh: str
    unit: str
    program: str
    scope_type: str
    scope_code: str
    year: object
    value: object
    source: str
    quarter: object = None
    period: str = "year"
    qualifier: str = "exact"
    target: object = None
    target_source: str = ""
    better: str = "up"
    name_en: str = ""


def _text(value: object) -> str:
    """A form's value as text: None/NaN/NA blank, a whole float without its ``.0``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _number_text(value: object) -> str:
    """A typed number without its thousands separators (``40,000`` and ``40，000`` read 40000)."""
    return _text(value).replace(",", "").replace("，", "").replace(" ", "")


def figure_scopes(data: Dataset) -> dict[str, set[str]]:
    """What a figure of each scope type may be about.

    Parameters
    ----------
    data
        The dataset (its subdistricts, units, sites and alliances).

    Returns
    -------
    dict
        Scope type -> codes: ``district`` the district's code, ``subdistrict`` and ``unit``
        the gazetteer's codes, ``site`` and ``alliance`` the stored ids.
    """
    return {
        "district": {DISTRICT_CODE},
        "subdistrict": set(data.subdistricts["code"]),
        "unit": set(data.units["code"]),
        "site": set(data.sites["id"]),
        "alliance": set(data.alliances["id"]),
    }


def figure_rows(metrics: pd.DataFrame, name_zh: str, scope_type: str, scope_code: str):
    """The stored periods of one figure (the same name about the same scope).

    Parameters
    ----------
    metrics
        Reported metrics (``name_zh``, ``scope_type``, ``scope_code``).
    name_zh, scope_type, scope_code
        The figure's key (:data:`geo.data.kpi.FIGURE_KEY`); compared without surrounding
        spaces.

    Returns
    -------
    pandas.DataFrame
        The rows of that figure, in the table's order (empty for a new figure).
    """
    same = (
        (metrics["name_zh"].astype(str).str.strip() == name_zh.strip())
        & (metrics["scope_type"].astype(str).str.strip() == scope_type.strip())
        & (metrics["scope_code"].astype(str).str.strip() == scope_code.strip())
    )
    return metrics[same]


def entry_id(name_zh: str, scope_type: str, scope_code: str, year: object, quarter: object) -> str:
    """The id of a new period: the one a ledger import gives the same row
    (``geo.intake.rows.metric``), so that a later import updates it.

    Parameters
    ----------
    name_zh, scope_type, scope_code
        The figure's key.
    year
        The period's year.
    quarter
        Its quarter (1-4), or None/blank for a whole year.

    Returns
    -------
    str
        ``imp-m-`` and the first 12 hex digits of the SHA-1 of the parts joined by ``|``.
    """
    parts = [name_zh.strip(), scope_type.strip(), scope_code.strip(), _text(year)]
    if _text(quarter):  # a quarterly figure: one record per quarter (a yearly id unchanged)
        parts.append(f"Q{_text(quarter)}")
    return io.stable_id("imp-m", *parts)


def _same_period(rows: pd.DataFrame, year: str, quarter: str) -> pd.DataFrame:
    years = rows["year"].map(_text)
    quarters = rows["quarter"].map(_text) if "quarter" in rows else pd.Series("", index=rows.index)
    return rows[(years == year) & (quarters == quarter)]


def _raw(rows: Iterable[dict]) -> pd.DataFrame:
    """Records as the all-text table :func:`geo.data.validate.validate_metrics` checks."""
    frame = pd.DataFrame(list(rows), columns=io.METRIC_COLUMNS)
    return frame.apply(lambda column: column.map(_text)).astype(str).reset_index(drop=True)


def figure_record(entry: FigureEntry, data: Dataset) -> tuple[dict | None, list[Issue]]:
    """Check one period of a figure entered by hand and make it a record for the store.

    The checks are the figures ledger's (:func:`geo.data.validate.validate_metrics`: numbers,
    a year of 1949-2100, a quarter of 1-4, known program, scope, qualifier, period and
    direction, a share of at most 100%, the same unit as the figure's other periods), run on
    the figure's stored periods with the entry added, plus the fields a person must fill in.
    Nothing is written here: the caller saves the record through the store.

    Parameters
    ----------
    entry
        What was entered.
    data
        The dataset: its ``metrics`` (the figure's other periods), program vocabulary and
        what a scope may name (:func:`figure_scopes`).

    Returns
    -------
    tuple
        ``(record, issues)``: with no issue, the record (the columns of
        :data:`geo.data.io.METRIC_COLUMNS`; ``value`` and ``target`` float, ``year`` and
        ``quarter`` int, ``target``/``quarter`` None when blank), whose ``id`` is the stored
        row's when the figure already has this period, else :func:`entry_id`; with issues,
        ``None`` and the problems (``file`` :data:`ENTRY_FILE`, no row, the field as
        ``column``, one per field, in :data:`FIELDS` order; :func:`issue_text` words them).
    """
    text = {name: _text(getattr(entry, name)) for name in FIELDS}
    for name in ("value", "target"):
        text[name] = _number_text(getattr(entry, name))
    if text["target"]:
        text["target_source"] = text["target_source"] or text["source"]
    else:
        text["target_source"] = ""
    issues = [
        Issue(ENTRY_FILE, None, name, "", "figure_entry_required")
        for name in REQUIRED
        if not text[name]
    ]
    stored = figure_rows(data.metrics, text["name_zh"], text["scope_type"], text["scope_code"])
    same = _same_period(stored, text["year"], text["quarter"])
    record_id = (
        str(same["id"].iloc[0])
        if len(same)
        else entry_id(
            text["name_zh"], text["scope_type"], text["scope_code"], text["year"], text["quarter"]
        )
    )
    new = {**text, "id": record_id}
    others = stored.drop(index=same.index)
    raw = _raw([*others.to_dict("records"), new])
    gazetteer = References.from_frames(data.subdistricts, data.units, data.programs)
    found = validate_metrics(raw, gazetteer, figure_scopes(data), file=ENTRY_FILE)
    row = len(raw) + 1  # the entry's spreadsheet row (header = 1): the last
    issues += [
        Issue(ENTRY_FILE, None, i.column, i.value, i.key, i.severity)
        for i in found
        if i.row == row and i.severity == "error"
    ]
    issues = _one_per_field(issues)
    if issues:
        return None, issues
    return _typed(new), []


def _one_per_field(issues: list[Issue]) -> list[Issue]:
    """The first problem of each field (a blank one is blank, not also "not a number"), in
    the form's order."""
    first: dict[str, Issue] = {}
    for issue in issues:
        first.setdefault(issue.column, issue)
    order = {name: i for i, name in enumerate(FIELDS)}
    return sorted(first.values(), key=lambda i: order.get(i.column, len(order)))


def _typed(text: dict[str, str]) -> dict:
    """The checked text as the store's types."""
    record = dict(text)
    record["value"] = float(text["value"])
    record["target"] = float(text["target"]) if text["target"] else None
    record["year"] = int(text["year"])
    record["quarter"] = int(text["quarter"]) if text["quarter"] else None
    return {column: record[column] for column in io.METRIC_COLUMNS}


def issue_text(issue: Issue, lang: str = "zh") -> str:
    """One problem of an entry in words: ``数值：百分比不能超过100%``.

    Parameters
    ----------
    issue
        A problem from :func:`figure_record`.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The field as the form names it, then what is wrong.
    """
    problem = message(issue.key, lang) if issue.key in MESSAGES else t(issue.key, lang)
    field = t(f"figure_field_{issue.column}", lang)
    return t("figure_entry_issue", lang, field=field, problem=problem)
