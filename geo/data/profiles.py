"""What a subdistrict's or a program's profile page shows, computed from the data."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.data import io
from geo.data.filters import RecordFilter, filter_records
from geo.data.kpi import reported_metrics
from geo.text.labels import check_lang


@dataclass(frozen=True)
class SubdistrictProfile:
    """What a subdistrict's page shows (:func:`subdistrict_profile`).

    ``center`` is **(lat, lon)** (folium's order) of a point inside the area, or of the
    estimated seat if there is no area; ``bounds`` are west, south, east, north; both WGS-84
    (EPSG:4326, degrees). ``seat_uncertainty_km`` is the text of ``subdistricts.csv``.
    """

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
    """What the page of subdistrict ``code`` shows.

    Parameters
    ----------
    code
        The subdistrict's 9-digit code.
    subdistricts, units
        The reference tables (:func:`geo.data.io.load_subdistricts`,
        :func:`geo.data.io.load_units`).
    areas
        Subdistrict areas, WGS-84 (EPSG:4326, degrees), with ``code`` and ``schematic``.
    sites, metrics, alliances
        The records (sites with ``subdistrict_code`` and ``programs``).

    Returns
    -------
    SubdistrictProfile
        Its name, the (lat, lon) center and bounds of its area (of its seat if it has none;
        ``schematic`` is then True), its units, its sites, the programs those sites take part in
        (in order of first appearance), and the reported metrics about it
        (:func:`geo.data.kpi.reported_metrics`).

    Raises
    ------
    ValueError
        If ``code`` is not a subdistrict of ``subdistricts`` (the message lists the codes).
    """
    rows = subdistricts[subdistricts["code"] == code]
    if rows.empty:
        codes = ", ".join(subdistricts["code"])
        raise ValueError(f"code must be a subdistrict's 9-digit code, got {code!r}; codes: {codes}")
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
    """What a program's page shows (:func:`program_profile`), in one language."""

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
    """What the page of program ``key`` shows.

    Parameters
    ----------
    key
        A program key of ``programs``.
    programs
        The program vocabulary (:func:`geo.data.io.load_programs`).
    sites, metrics, units, alliances
        The records and the units (to place metrics about a unit, site or alliance).
    events
        Dated items (:func:`geo.data.io.load_events`).
    lang
        ``"zh"`` or ``"en"``: the language of the name, description and event titles.

    Returns
    -------
    ProgramProfile
        Its name, description, source and colour; its sites; its reported metrics; and its
        timeline (``date``, ``title``, ``source``; oldest first).

    Raises
    ------
    ValueError
        If ``key`` is not a program of ``programs`` (the message lists the keys), or ``lang``
        is not ``"zh"`` or ``"en"``.
    """
    rows = programs[programs["key"] == key]
    if rows.empty:
        raise ValueError(
            f"key must be a program key, got {key!r}; keys: {', '.join(programs['key'])}"
        )
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
