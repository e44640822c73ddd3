"""What a subdistrict's or a program's profile page shows, computed from the data."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import io
from geo.filters import RecordFilter, filter_records
from geo.kpi import reported_metrics
from geo.labels import check_lang


@dataclass(frozen=True)
class SubdistrictProfile:
    code: str
    name: str
    seat_uncertainty_km: str
    center: tuple[float, float]  # (lat, lon) of the area's representative point, WGS-84
    bounds: tuple[float, float, float, float]  # west, south, east, north of the area
    schematic: bool
    units: pd.DataFrame
    sites: pd.DataFrame
    programs: list[str]
    metrics: pd.DataFrame


def subdistrict_profile(
    code: str,
    subdistricts: pd.DataFrame,
    units: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    sites: pd.DataFrame,
    metrics: pd.DataFrame,
    alliances: pd.DataFrame,
) -> SubdistrictProfile:
    """Profile of subdistrict ``code`` (9 digits).

    Raises
    ------
    KeyError
        If ``code`` is not a subdistrict of the data.
    """
    rows = subdistricts[subdistricts["code"] == code]
    if rows.empty:
        raise KeyError(f"unknown subdistrict code {code!r}")
    row = rows.iloc[0]
    area = areas[areas["code"] == code]
    point = area.geometry.iloc[0].representative_point() if len(area) else None
    center = (point.y, point.x) if point is not None else (row["seat_lat"], row["seat_lon"])
    scope = RecordFilter(subdistricts=(code,))
    here = filter_records(sites, scope)
    programs = list(dict.fromkeys(p for value in here["programs"] for p in io.split_list(value)))
    return SubdistrictProfile(
        code=code,
        name=row["name"],
        seat_uncertainty_km=row["seat_uncertainty_km"],
        center=center,
        bounds=tuple(area.total_bounds) if len(area) else (center[1], center[0]) * 2,
        schematic=bool(area["schematic"].any()) if len(area) else True,
        units=units[units["subdistrict_code"] == code][
            ["code", "name", "short_name", "unit_type_zh"]
        ].reset_index(drop=True),
        sites=here,
        programs=programs,
        metrics=reported_metrics(metrics, scope, units, sites, alliances),
    )


@dataclass(frozen=True)
class ProgramProfile:
    key: str
    name: str
    description: str
    source: str
    color: str
    sites: pd.DataFrame
    metrics: pd.DataFrame
    timeline: pd.DataFrame  # date, title, source


def program_profile(
    key: str,
    programs: pd.DataFrame,
    sites: pd.DataFrame,
    metrics: pd.DataFrame,
    units: pd.DataFrame,
    alliances: pd.DataFrame,
    events: pd.DataFrame,
    lang: str = "zh",
) -> ProgramProfile:
    """Profile of program ``key``: description, sites, metrics and dated items (oldest first).

    Raises
    ------
    KeyError
        If ``key`` is not a program of the vocabulary.
    """
    rows = programs[programs["key"] == key]
    if rows.empty:
        raise KeyError(f"unknown program {key!r}")
    row = rows.iloc[0]
    suffix = check_lang(lang)
    scope = RecordFilter(programs=(key,))
    these = events[events["program"] == key]
    timeline = pd.DataFrame(
        {"date": these["date"], "title": these[f"title_{suffix}"], "source": these["source"]}
    )
    return ProgramProfile(
        key=key,
        name=row[f"name_{suffix}"],
        description=row[f"description_{suffix}"],
        source=row["source"],
        color=row["color"],
        sites=filter_records(sites, scope),
        metrics=reported_metrics(metrics, scope, units, sites, alliances),
        timeline=timeline.sort_values("date", kind="stable").reset_index(drop=True),
    )
