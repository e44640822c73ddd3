"""The presentation tour (大屏): its items, and what each step shows."""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.filters import RecordFilter, filter_records
from geo.kpi import computed_counts, reported_metrics
from geo.labels import check_lang

BY_PROGRAM, BY_STREET = "program", "street"
DEFAULT_INTERVAL_S, MIN_INTERVAL_S, MAX_INTERVAL_S = 30, 2, 3600


@dataclass(frozen=True)
class TourSettings:
    """From the URL: ``by`` (program|street), ``tour`` (0 pauses), ``interval`` (seconds),
    and where to start (``program=`` or ``street=``)."""

    by: str = BY_PROGRAM
    running: bool = True
    interval_s: int = DEFAULT_INTERVAL_S
    start: str | None = None


def tour_settings(params: Mapping[str, str | list[str]]) -> TourSettings:
    """Read the tour's URL parameters; bad values fall back to the defaults."""

    def first(name: str) -> str:
        value = params.get(name, "")
        return (value[0] if value else "") if isinstance(value, list) else str(value)

    by = BY_STREET if first("by") in (BY_STREET, "subdistrict") else BY_PROGRAM
    if not first("by") and first("street") and not first("program"):
        by = BY_STREET
    interval = first("interval")
    seconds = int(interval) if interval.isdigit() else DEFAULT_INTERVAL_S
    seconds = min(max(seconds, MIN_INTERVAL_S), MAX_INTERVAL_S)
    start = first(by) or None
    return TourSettings(by, first("tour") not in ("0", "false", "off"), seconds, start)


@dataclass(frozen=True)
class TourItem:
    kind: str  # program | street
    key: str
    title: str
    description: str
    source: str

    @property
    def filter(self) -> RecordFilter:
        if self.kind == BY_STREET:
            return RecordFilter(subdistricts=(self.key,))
        return RecordFilter(programs=(self.key,))


def tour_items(
    by: str,
    programs: pd.DataFrame,
    subdistricts: pd.DataFrame,
    units: pd.DataFrame,
    lang: str = "zh",
    official: Collection[str] = (),
) -> list[TourItem]:
    """Every program of the vocabulary, or every subdistrict, in the data's order; a
    subdistrict whose code is in ``official`` (an official area loaded) is not called
    schematic."""
    suffix = check_lang(lang)
    if by == BY_STREET:
        counts = units.groupby("subdistrict_code")["unit_type"].value_counts()
        items = []
        for code, name in zip(subdistricts["code"], subdistricts["name"], strict=True):
            communities = int(counts.get((code, "community"), 0))
            villages = int(counts.get((code, "village"), 0))
            text = (
                f"下辖 {communities} 个社区、{villages} 个村（统计局2023年区划）。"
                if lang != "en"
                else f"{communities} communities and {villages} villages (NBS 2023)."
            )
            if code not in official:
                text += "范围为示意。" if lang != "en" else " Area is schematic."
            items.append(TourItem(BY_STREET, code, name, text, "nbs-2023"))
        return items
    return [
        TourItem(BY_PROGRAM, key, name, description, source)
        for key, name, description, source in zip(
            programs["key"],
            programs[f"name_{suffix}"],
            programs[f"description_{suffix}"],
            programs["source"],
            strict=True,
        )
    ]


def start_index(items: list[TourItem], start: str | None) -> int:
    """Index of the item whose key is ``start`` (0 if none or unknown)."""
    keys = [item.key for item in items]
    return keys.index(start) if start in keys else 0


@dataclass(frozen=True)
class Step:
    item: TourItem
    sites: pd.DataFrame
    metrics: pd.DataFrame  # reported, with "display"
    counts: dict[str, int]  # computed from the sites


def step_for(
    item: TourItem,
    sites: pd.DataFrame,
    metrics: pd.DataFrame,
    units: pd.DataFrame,
    alliances: pd.DataFrame,
) -> Step:
    """What one tour step shows: the item's sites, its reported metrics and counts."""
    chosen = filter_records(sites, item.filter)
    counts = computed_counts(chosen)
    return Step(
        item=item,
        sites=chosen,
        metrics=reported_metrics(metrics, item.filter, units, sites, alliances),
        counts={
            "sites": counts.sites,
            "subdistricts": counts.subdistricts,
            "programs": counts.programs,
        },
    )


def kpi_tile_html(value: str, label: str, note: str, counted: bool) -> str:
    """One KPI tile as HTML; every text is escaped (record text is data, never markup)."""
    kind = "sz-tile counted" if counted else "sz-tile"
    return (
        f'<div class="{kind}"><div class="sz-value">{html.escape(value)}</div>'
        f'<div class="sz-label">{html.escape(label)}</div>'
        f'<div class="sz-note">{html.escape(note)}</div></div>'
    )


def site_names(step: Step, limit: int = 8) -> list[str]:
    names = step.sites["name"].tolist()
    return names[:limit] + (["…"] if len(names) > limit else [])
