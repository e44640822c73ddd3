"""KPIs: reported metrics for a scope, and counts computed from the filtered records.

The two are kept apart on purpose: a reported metric is a figure a source states; a count is
what this dataset happens to hold. The UI labels them differently.

Every reported metric has a period: ``year`` (the value of that year) or ``to_date`` (a total or
state as of that year, "截至"). The year filter treats them differently: a yearly figure shows
when its year lies in the range; a to-date figure as of year Y shows when the range reaches Y
or later (its end is open or >= Y), whatever the range's start, and hides when the range ends
before Y (the total holds later years too).
"""

from __future__ import annotations

from dataclasses import dataclass

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


def format_period(year: object, period: str, lang: str = "zh") -> str:
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

    Returns
    -------
    str
        The period label.
    """
    if year is None or pd.isna(year):
        return t("period_unknown", lang)
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

    Parameters
    ----------
    metrics
        Reported metrics: ``program``, ``scope_type``, ``scope_code``, ``year``, ``value``,
        ``unit``, ``qualifier`` and optionally ``period`` (``"year"`` if missing).
    record_filter
        The user's filter; its ``subdistricts``, ``programs``, ``year_from`` and ``year_to``
        are used.
    units, sites, alliances
        The tables that resolve a metric's scope to its subdistrict
        (:func:`metric_subdistricts`).

    Returns
    -------
    pandas.DataFrame
        A copy of the chosen rows with a ``display`` column (:func:`format_value`).
    """
    f = record_filter
    mask = pd.Series(True, index=metrics.index)
    if f.programs:
        mask &= metrics["program"].isin(f.programs)
    if f.subdistricts:
        mask &= metric_subdistricts(metrics, units, sites, alliances).isin(f.subdistricts)
    years = metrics["year"].astype("Float64")
    period = metrics["period"] if "period" in metrics else pd.Series("year", index=metrics.index)
    to_date = (period == "to_date") & years.notna()
    if f.year_from is not None:
        mask &= ((years >= f.year_from) | to_date).fillna(False).astype(bool)
    if f.year_to is not None:
        mask &= (years <= f.year_to).fillna(False).astype(bool)
    chosen = metrics[mask].copy()
    chosen["display"] = [
        format_value(v, u, q)
        for v, u, q in zip(chosen["value"], chosen["unit"], chosen["qualifier"], strict=True)
    ]
    return chosen


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
    by_kind = {kind: int((sites["kind"] == kind).sum()) for kind in vocab.KINDS}
    streets = sites["subdistrict_code"][sites["subdistrict_code"] != ""].nunique()
    programs = {p for value in sites["programs"] for p in io.split_list(value)}
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
