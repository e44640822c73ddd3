"""KPIs: reported metrics for a scope, and counts computed from the filtered records.

The two are kept apart on purpose: a reported metric is a figure a source states; a count is
what this dataset happens to hold. The UI labels them differently.

Every reported metric has a period: ``year`` (the value of that year) or ``to_date`` (a total or
state as of that year, "截至"). The year filter treats them differently: a yearly figure shows
when its year lies in the range; a to-date figure as of year Y shows when the range reaches Y
or later (its end is open or >= Y), whatever the range's start, and hides when the range ends
before Y (the total holds later years too).

A figure (上报指标) may hold several periods: the rows of the same name and scope, one per year
(or quarter). :func:`reported_metrics` gives one row per figure, its latest period in the
filter, compared with the period before it and with its target (:func:`compare_periods`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.data import io
from geo.data.filters import RecordFilter
from geo.data.gazetteer import code_names
from geo.text import vocab
from geo.text.labels import t


def format_value(value: float, unit: str, qualifier: str) -> str:
    """``(100, "人", "at_least")`` -> ``"100+ 人"``; ``(70, "%", "exact")`` -> ``"70%"``;
    a share that is at least (以上) reads ``"≥50%"`` ("50+%" would read oddly).

    Parameters
    ----------
    value
        The figure; written with thousands separators and at most two decimals (trailing
        zeros dropped).
    unit
        Its unit as stated (``"人"``, ``"%"``, ``""`` ...); ``%`` and no unit follow the
        number without a space.
    qualifier
        One of :data:`geo.text.vocab.QUALIFIERS`: ``exact``, ``at_least`` (``+``, or ``≥`` for a
        share), ``at_most`` (``≤``), ``approx`` (``≈``).

    Returns
    -------
    str
        The value as displayed.
    """
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    at_least_share = qualifier == "at_least" and unit == "%"
    prefix = {"at_most": "≤", "approx": "≈"}.get(qualifier, "≥" if at_least_share else "")
    suffix = "+" if qualifier == "at_least" and not at_least_share else ""
    space = "" if unit in ("%", "") else " "
    return f"{prefix}{number}{suffix}{space}{unit}"


def format_period(year: object, period: str, lang: str = "zh", quarter: object = None) -> str:
    """A metric's period as shown next to it: ``(2024, "year")`` -> 2024年度,
    ``(2024, "to_date")`` -> 截至2024年 (en: ``2024``, ``as of 2024``); no year -> 年份不详.

    Parameters
    ----------
    year
        The metric's year (anything ``int()`` takes), or None/NaN/``pd.NA`` if unknown.
    period
        ``"to_date"`` (a total or state as of ``year``); anything else reads as ``"year"``.
    lang
        ``"zh"`` or ``"en"``.
    quarter
        The quarter (1-4) of a quarterly figure (``2024年第二季度``), or None/NA.

    Returns
    -------
    str
        The period label.
    """
    if year is None or pd.isna(year):
        return t("period_unknown", lang)
    if quarter is not None and not pd.isna(quarter):
        named = t(f"quarter_{int(quarter)}", lang)
        return t("period_quarter", lang, year=int(year), quarter=named)
    key = "period_to_date" if period == "to_date" else "period_year"
    return t(key, lang, year=int(year))


def metric_subdistricts(
    metrics: pd.DataFrame, units: pd.DataFrame, sites: pd.DataFrame, alliances: pd.DataFrame
) -> pd.Series:
    """The subdistrict code each metric is about ("" for district-wide metrics).

    Parameters
    ----------
    metrics
        Reported metrics with ``scope_type`` (see :data:`geo.text.vocab.SCOPE_TYPES`) and
        ``scope_code``.
    units
        Villages/communities (``code``, ``subdistrict_code``), for ``unit`` scopes.
    sites
        Site records (``id``, ``subdistrict_code``), for ``site`` scopes.
    alliances
        Alliances (``id``, ``subdistrict_code``), for ``alliance`` scopes.

    Returns
    -------
    pandas.Series
        Of str, aligned with ``metrics.index``: the ``scope_code`` itself for a subdistrict
        scope, the subdistrict of the unit, site or alliance otherwise, and ``""`` for a
        district scope or a scope code not found.
    """
    lookup = {
        "unit": code_names(units, "subdistrict_code"),
        "site": dict(zip(sites["id"], sites["subdistrict_code"], strict=True)),
        "alliance": dict(zip(alliances["id"], alliances["subdistrict_code"], strict=True)),
    }

    def _resolve(scope_type: str, code: str) -> str:
        if scope_type == "subdistrict":
            return code
        return lookup.get(scope_type, {}).get(code, "")

    return pd.Series(
        [_resolve(t, c) for t, c in zip(metrics["scope_type"], metrics["scope_code"], strict=True)],
        index=metrics.index,
        dtype=str,
    )


def reported_metrics(
    metrics: pd.DataFrame,
    record_filter: RecordFilter,
    units: pd.DataFrame,
    sites: pd.DataFrame,
    alliances: pd.DataFrame,
) -> pd.DataFrame:
    """Reported metrics in the filter's scope, with a ``display`` string.

    Without a subdistrict selection every metric counts (district-wide ones included); with one,
    only metrics about those subdistricts or their units, sites and alliances. Programs and the
    year range apply (to-date figures by the module's rule); kinds and text search do not
    (metrics have neither). A metric without a year is left out once a year bound is set.
    The year view (``as_of``) ends the range there: each figure as of that year. One row per
    figure: its latest period in the range, compared with the one before
    (:func:`compare_periods`).

    Parameters
    ----------
    metrics
        Reported metrics: ``program``, ``scope_type``, ``scope_code``, ``year``, ``value``,
        ``unit``, ``qualifier`` and optionally ``period`` (``"year"`` if missing).
    record_filter
        The user's filter; its ``subdistricts``, ``programs``, ``year_from``, ``year_to``
        and ``as_of`` are used.
    units, sites, alliances
        The tables that resolve a metric's scope to its subdistrict
        (:func:`metric_subdistricts`).

    Returns
    -------
    pandas.DataFrame
        One row per figure, a copy of its latest chosen row, with ``display``
        (:func:`format_value`) and the comparison of :data:`COMPARED_COLUMNS`.
    """
    f = record_filter
    mask = pd.Series(True, index=metrics.index)
    if f.programs:
        mask &= metrics["program"].isin(f.programs)
    if f.subdistricts:
        mask &= metric_subdistricts(metrics, units, sites, alliances).isin(f.subdistricts)
    scoped = metrics[mask]
    years = scoped["year"].astype("Float64")
    period = scoped["period"] if "period" in scoped else pd.Series("year", index=scoped.index)
    to_date = (period == "to_date") & years.notna()
    in_range = pd.Series(True, index=scoped.index)
    year_to = f.year_to
    if f.as_of is not None:  # the year view: each figure as of that year
        year_to = f.as_of if year_to is None else min(year_to, f.as_of)
    if f.year_from is not None:
        in_range &= ((years >= f.year_from) | to_date).fillna(False).astype(bool)
    if year_to is not None:
        in_range &= (years <= year_to).fillna(False).astype(bool)
    return compare_periods(scoped, in_range)


#: A figure's identity across its periods: the same name about the same scope.
FIGURE_KEY = ("name_zh", "scope_type", "scope_code")


def compare_periods(metrics: pd.DataFrame, shown: pd.Series | None = None) -> pd.DataFrame:
    """One row per figure: its latest shown period, compared with the period before it.

    Parameters
    ----------
    metrics
        Reported metrics (:func:`reported_metrics`' columns; ``quarter``, ``target``,
        ``target_source`` and ``better`` optional), several periods of a figure as several rows.
    shown
        Boolean, aligned with ``metrics``: the rows the filter shows (all if None). A figure's
        latest shown row is its card; its earlier periods count for the comparison whether
        shown or not (the change from 2023 to 2024 is the same whatever the range's start).

    Returns
    -------
    pandas.DataFrame
        The latest row of each figure with a shown row, in the input's order, with ``display``
        (:func:`format_value`) and: ``figure`` (the key of :data:`FIGURE_KEY`), ``periods``
        (how many periods up to this one), ``previous_value`` and ``previous_year`` /
        ``previous_quarter`` / ``previous_period`` (NaN/NA/"" for a first period), ``change``
        (latest minus previous), ``change_pct`` (relative to the previous, in %; NaN for a
        share, whose change is in points, or a previous value of 0), ``target_share`` (the value
        as a % of the row's target, NaN without one), ``tone`` (``good``, ``bad`` or
        ``neutral`` by the figure's ``better`` direction; ``""`` without a previous period),
        ``trend`` (the values of every period up to this one, oldest first) and ``history``
        (per period: (year, quarter, period, display, source)).
    """
    if shown is None:
        shown = pd.Series(True, index=metrics.index)
    frame = metrics.copy()
    defaults = (("quarter", pd.NA), ("target", np.nan), ("better", "up"), ("period", "year"))
    for column, default in defaults:
        if column not in frame:
            frame[column] = default
    if "target_source" not in frame:
        frame["target_source"] = ""
    frame["display"] = [
        format_value(v, u, q)
        for v, u, q in zip(frame["value"], frame["unit"], frame["qualifier"], strict=True)
    ]
    frame["figure"] = [
        "\x1f".join(key) for key in frame[list(FIGURE_KEY)].astype(str).itertuples(index=False)
    ]
    # a year's total after its quarters; an unknown year first
    order = (
        frame["year"].astype("Float64").fillna(0).astype(float).to_numpy() * 10
        + frame["quarter"].astype("Float64").fillna(5).astype(float).to_numpy()
    )
    visible = shown.reindex(frame.index, fill_value=False).to_numpy(dtype=bool)
    # plain records, grouped in Python: per-group pandas calls cost ~10 ms a figure
    records = frame.to_dict("records")
    figures: dict[str, list[int]] = {}
    for position in np.argsort(order, kind="stable"):
        figures.setdefault(records[position]["figure"], []).append(int(position))
    rows = []
    for positions in figures.values():
        last = max((p for p in positions if visible[p]), key=lambda p: order[p], default=None)
        if last is None:
            continue
        history = [records[p] for p in positions if order[p] <= order[last]]
        rows.append(_compared(history, frame.index[last]))
    columns = [*metrics.columns, "display", *COMPARED_COLUMNS]
    if not rows:
        return pd.DataFrame(columns=columns).astype(metrics.dtypes.to_dict())
    out = pd.DataFrame(rows).set_index("_index").rename_axis(None)
    out = out.loc[[i for i in metrics.index if i in out.index]]
    for column, dtype in metrics.dtypes.items():
        if column in out and str(dtype) in ("Int64", "float64", "bool"):
            out[column] = out[column].astype(dtype)
    return out[[c for c in columns if c in out.columns]]


#: The columns :func:`compare_periods` adds after ``display``.
COMPARED_COLUMNS = (
    "figure",
    "periods",
    "previous_value",
    "previous_year",
    "previous_quarter",
    "previous_period",
    "change",
    "change_pct",
    "target_share",
    "tone",
    "trend",
    "history",
)


def _compared(history: list[dict], index: object) -> dict:
    """The latest record of one figure's ``history`` (oldest first) with its comparison."""
    latest = history[-1]
    row = dict(latest)
    row["_index"] = index
    row["periods"] = len(history)
    row["trend"] = tuple(float(r["value"]) for r in history)
    row["history"] = tuple(
        (r["year"], r["quarter"], r["period"], r["display"], r["source"]) for r in history
    )
    target = latest["target"]
    row["target_share"] = (
        float(latest["value"]) / float(target) * 100
        if pd.notna(target) and float(target) != 0
        else np.nan
    )
    row.update(
        previous_value=np.nan,
        previous_year=pd.NA,
        previous_quarter=pd.NA,
        previous_period="",
        change=np.nan,
        change_pct=np.nan,
        tone="",
    )
    if len(history) < 2:
        return row
    before = history[-2]
    previous = float(before["value"])
    change = float(latest["value"]) - previous
    share = latest["unit"] == "%"
    direction = {"up": 1, "down": -1}.get(str(latest["better"]), 0)
    row.update(
        previous_value=previous,
        previous_year=before["year"],
        previous_quarter=before["quarter"],
        previous_period=before["period"],
        change=change,
        change_pct=np.nan if share or previous == 0 else change / abs(previous) * 100,
        tone="neutral"
        if direction == 0 or change == 0
        else ("good" if change * direction > 0 else "bad"),
    )
    return row


def format_change(row, lang: str = "zh") -> str:
    """A figure's change against its previous period, as the brief writes it:
    ``+3 个（+15%），较2023年``; a share's in points: ``+5个百分点，较2023年``;
    ``持平，较2023年`` for no change; ``""`` for a figure with one period (or whose previous
    period has no year).

    Parameters
    ----------
    row
        A row of :func:`compare_periods` (attribute access: a namedtuple or a Series).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The change, its sign first (a card's arrow follows it), then what it is against.
    """
    change, since = change_parts(row, lang)
    return change + t("change_sep", lang) + since if change else ""


def change_parts(row, lang: str = "zh") -> tuple[str, str]:
    """:func:`format_change` in its two parts: the change (``+3 个（+15%）``) and what it is
    against (``较2023年``); ``("", "")`` for a figure with one period.

    Parameters
    ----------
    row
        A row of :func:`compare_periods`.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    tuple of str
        The change, its sign first; the previous period.
    """
    if pd.isna(row.change) or pd.isna(row.previous_year):
        return "", ""
    if pd.isna(row.previous_quarter):
        period = t("period_plain", lang, year=int(row.previous_year))
    else:
        period = format_period(row.previous_year, "year", lang, row.previous_quarter)
    since = t("change_since", lang, period=period)
    if row.change == 0:
        return t("change_none", lang), since
    sign = "+" if row.change > 0 else "-"
    number = f"{abs(row.change):,.2f}".rstrip("0").rstrip(".")
    if row.unit == "%":
        return sign + t("change_points", lang, n=number), since
    space = "" if row.unit == "" else " "
    text = f"{sign}{number}{space}{row.unit}"
    if pd.notna(row.change_pct):
        text += t("change_pct", lang, pct=f"{sign}{abs(row.change_pct):.1f}".removesuffix(".0"))
    return text, since


def format_target(row, lang: str = "zh") -> str:
    """A figure's share of its target: ``完成目标 77%（目标 30 个）``; ``""`` without a target.

    Parameters
    ----------
    row
        A row of :func:`compare_periods`.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The share (whole %) and the target with its unit.
    """
    if pd.isna(row.target_share):
        return ""
    return t(
        "target_share",
        lang,
        pct=f"{row.target_share:.0f}",
        target=format_value(row.target, row.unit, "exact"),
    )


@dataclass(frozen=True)
class Counts:
    """Counts computed from the visible records (not reported figures)."""

    sites: int
    by_kind: dict[str, int]
    subdistricts: int
    programs: int
    alliances: int


def computed_counts(sites: pd.DataFrame, alliances: pd.DataFrame | None = None) -> Counts:
    """Count the filtered ``sites`` per kind, and the subdistricts and programs they cover.

    Parameters
    ----------
    sites
        The visible site records (``kind``, ``subdistrict_code``, ``programs``).
    alliances
        The visible alliances, or None (counted as 0).

    Returns
    -------
    Counts
        ``sites`` (rows), ``by_kind`` (every kind of :data:`geo.text.vocab.KINDS`, zeros
        included), ``subdistricts`` (distinct non-empty codes), ``programs`` (distinct keys)
        and ``alliances`` (rows).
    """
    kinds = sites["kind"].value_counts()
    by_kind = {kind: int(kinds.get(kind, 0)) for kind in vocab.KINDS}
    streets = sites["subdistrict_code"][sites["subdistrict_code"] != ""].nunique()
    # each distinct cell split once: a few hundred cells, not one per site (0.1 s at 100k)
    programs = {p for value in sites["programs"].dropna().unique() for p in io.split_list(value)}
    return Counts(
        len(sites), by_kind, int(streets), len(programs), 0 if alliances is None else len(alliances)
    )


def headline_first(metrics: pd.DataFrame, programs: pd.DataFrame) -> pd.DataFrame:
    """``metrics`` grouped by program (in the vocabulary's order), the headline ones first.

    A program's headline figure is its widest in scope (district-wide before a subdistrict's,
    an alliance's, a unit's or a site's), then the first by id; the headline figures of every
    program come first, then the others, each part in program order. Metrics of a program
    missing from ``programs`` come last.

    Parameters
    ----------
    metrics
        Reported metrics (``program`` column), e.g. from :func:`reported_metrics`.
    programs
        The program vocabulary (``key`` column, in display order).

    Returns
    -------
    pandas.DataFrame
        The same rows, reordered, with a boolean ``headline`` column.
    """
    order = {key: i for i, key in enumerate(programs["key"])}
    scopes = {scope: i for i, scope in enumerate(SCOPE_ORDER)}
    out = metrics.copy()
    out["_rank"] = out["program"].map(order).fillna(len(order)).astype(int)
    out["_scope"] = out["scope_type"].map(scopes).fillna(len(scopes)).astype(int)
    out = out.sort_values(["_rank", "_scope", "id"])
    out["headline"] = ~out["program"].duplicated()
    out = out.sort_values(
        ["headline", "_rank", "_scope", "id"], ascending=[False, True, True, True]
    )
    return out.drop(columns=["_rank", "_scope"])


#: Scopes from the widest: a program's headline figure is its widest.
SCOPE_ORDER = ("district", "subdistrict", "alliance", "unit", "site")
