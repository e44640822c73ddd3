"""The presentation tour (大屏): its items, and what each step shows.

Every tour opens on the district overview (the totals, every program on the map), then goes
through the programs or the subdistricts. No step shows an empty chart or a zero: a count
that is zero is left out, a step without sites shows no chart (its dated events instead), a
program without sites shows its district-wide scope, and a subdistrict without sites or
figures shows its villages and communities (from the official division list).
"""

from __future__ import annotations

import html
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.config import DISTRICT_CODE
from geo.data import citations
from geo.data.filters import RecordFilter, filter_records
from geo.data.gazetteer import code_names
from geo.data.kpi import (
    FIGURE_KEY,
    computed_counts,
    format_change,
    format_period,
    format_target,
    headline_first,
    reported_metrics,
)
from geo.text import vocab
from geo.text.labels import check_lang, list_separator, localized, t

BY_PROGRAM, BY_STREET = "program", "street"
#: The first step of every tour: the whole district.
OVERVIEW = "district"
#: The 历年变化 slide (its kind and its key): after the overview, when the data span years.
YEARS = "years"
DEFAULT_INTERVAL_S, MIN_INTERVAL_S, MAX_INTERVAL_S = 30, 2, 3600


@dataclass(frozen=True)
class TourSettings:
    """From the URL: ``by`` (program|street), ``tour`` (0 pauses), ``interval`` (seconds),
    and where to start (``program=``, ``street=`` or ``step=years``)."""

    by: str = BY_PROGRAM
    running: bool = True
    interval_s: int = DEFAULT_INTERVAL_S
    start: str | None = None


def tour_settings(params: Mapping[str, str | list[str]]) -> TourSettings:
    """Read the tour's URL parameters; bad values fall back to the defaults.

    Parameters
    ----------
    params
        The page's query parameters (e.g. ``st.query_params``); a value may be a string or
        a list (its first item is used). Read: ``by`` (``street`` or ``subdistrict`` tours
        the subdistricts, anything else the programs; without ``by``, a ``street=`` and no
        ``program=`` tours the subdistricts), ``interval`` (whole seconds, clamped to
        :data:`MIN_INTERVAL_S`..:data:`MAX_INTERVAL_S`), ``tour`` (``0``, ``false`` or
        ``off`` pauses) and ``program=``/``street=`` (the key to start at, by the mode);
        ``step=years`` starts at the 历年变化 slide (:data:`YEARS`), where the tour has one.

    Returns
    -------
    TourSettings
        The settings; never raises on bad values.
    """

    def first(name: str) -> str:
        value = params.get(name, "")
        return (value[0] if value else "") if isinstance(value, list) else str(value)

    by = BY_STREET if first("by") in (BY_STREET, "subdistrict") else BY_PROGRAM
    if not first("by") and first("street") and not first("program"):
        by = BY_STREET
    interval = first("interval")
    seconds = int(interval) if interval.isdigit() else DEFAULT_INTERVAL_S
    seconds = min(max(seconds, MIN_INTERVAL_S), MAX_INTERVAL_S)
    start = first(by) or first("step") or None
    return TourSettings(by, first("tour") not in ("0", "false", "off"), seconds, start)


@dataclass(frozen=True)
class TourItem:
    kind: str  # district (the overview) | years (历年变化) | program | street
    key: str
    title: str
    description: str
    source: str

    @property
    def filter(self) -> RecordFilter:
        """The records this item shows: all for the overview, else its subdistrict or program.

        Returns
        -------
        RecordFilter
            Empty for the overview and the 历年变化 slide, ``subdistricts=(key,)`` for a
            subdistrict, ``programs=(key,)`` for a program.
        """
        if self.kind in (OVERVIEW, YEARS):
            return RecordFilter()
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
    sites: pd.DataFrame | None = None,
    metrics: pd.DataFrame | None = None,
) -> list[TourItem]:
    """The district overview, the 历年变化 slide when the data span years, then every program
    of the vocabulary or every subdistrict, in the data's order; a subdistrict whose code is
    in ``official`` (an official area loaded) is not called schematic.

    Parameters
    ----------
    by
        :data:`BY_STREET` (``"street"``) for the subdistricts; anything else for the programs.
    programs
        The program vocabulary (``key``, ``name_*``, ``description_*``, ``source``).
    subdistricts
        The gazetteer (``code``, ``name``).
    units
        Villages/communities (``subdistrict_code``, ``unit_type``): a subdistrict item says
        how many of each it holds (a kind with none is left out).
    lang
        ``"zh"`` or ``"en"``: titles and descriptions.
    official
        Subdistrict codes whose area is official.
    sites, metrics
        The site records (``year``, optional ``end_year``) and reported figures; when given
        and :func:`has_history` finds several years in them, the 历年变化 item (key
        :data:`YEARS`) follows the overview. None (either): no such item.

    Returns
    -------
    list of TourItem
        The overview item (key :data:`geo.config.DISTRICT_CODE`) first, the 历年变化 item
        where there is one, then one item per program or subdistrict.

    Raises
    ------
    ValueError
        If ``lang`` is not supported (:func:`geo.text.labels.check_lang`).
    """
    suffix = check_lang(lang)
    overview = TourItem(
        OVERVIEW,
        DISTRICT_CODE,
        t("present_overview", lang),
        t("present_overview_text", lang, streets=len(subdistricts), programs=len(programs)),
        "nbs-2023",
    )
    rest = _items(by, programs, subdistricts, units, lang, official, suffix)
    if sites is None or metrics is None or not has_history(sites, metrics):
        return [overview, *rest]
    return [overview, years_item(sites, metrics, lang), *rest]


def has_history(sites: pd.DataFrame, metrics: pd.DataFrame) -> bool:
    """Whether the data span years: sites of two or more years, or a figure with two or
    more periods.

    Parameters
    ----------
    sites
        Site records (``year``, Int64 or float; unknown years are not counted).
    metrics
        Reported figures (:data:`geo.data.kpi.FIGURE_KEY` columns, ``year``, ``quarter``
        optional): several rows of one figure are several periods.

    Returns
    -------
    bool
        True when the tour has a 历年变化 slide.
    """
    if sites["year"].dropna().nunique() >= 2:
        return True
    return _several_periods(metrics)


def _several_periods(metrics: pd.DataFrame) -> bool:
    """Whether a figure has two rows (two periods): no comparison needs computing for that."""
    return bool(metrics.duplicated(list(FIGURE_KEY)).any())


def year_range(sites: pd.DataFrame, metrics: pd.DataFrame) -> tuple[int, int] | None:
    """The years the 历年变化 chart counts: from the first year a site was built to the last
    year the data name (a site's year, the year one was merged or closed, a figure's year).

    Parameters
    ----------
    sites
        Site records (``year``; ``end_year`` optional).
    metrics
        Reported figures (``year``).

    Returns
    -------
    tuple of int, or None
        ``(first, last)``; None when no site has a year.
    """
    built = sites["year"].dropna().astype(int)
    if built.empty:
        return None
    last = [int(built.max())]
    if "end_year" in sites:
        last += sites["end_year"].dropna().astype(int).tolist()
    last += metrics["year"].dropna().astype(int).tolist() if "year" in metrics else []
    return int(built.min()), max(last)


def sites_per_year(sites: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """How many sites stand in each year, per kind: built by then (a known ``year`` no later)
    and not yet merged or closed (no ``end_year``, or a later one: a site closed in 2024
    counts up to 2023), as the map's year view shows them
    (:func:`geo.data.filters.filter_records` with ``as_of``).

    Parameters
    ----------
    sites
        Site records (``kind``, ``year``; ``end_year`` optional).
    years
        The first and last year counted (:func:`year_range`).

    Returns
    -------
    pandas.DataFrame
        Indexed by year (every year of the range, oldest first); one int column per kind of
        :data:`geo.text.vocab.KINDS` that has a site in some year (in that order), and
        ``total``.
    """
    rows = {}
    for year in range(years[0], years[1] + 1):
        standing = filter_records(sites, RecordFilter(as_of=year))
        rows[year] = standing["kind"].value_counts()
    table = pd.DataFrame(rows).T.reindex(columns=list(vocab.KINDS)).fillna(0).astype(int)
    table = table.loc[:, table.sum() > 0]
    table["total"] = table.sum(axis=1).astype(int)
    table.index.name = "year"
    return table


def years_item(sites: pd.DataFrame, metrics: pd.DataFrame, lang: str = "zh") -> TourItem:
    """The 历年变化 item: what it shows, in words.

    Parameters
    ----------
    sites
        Site records (``year``, ``end_year`` optional).
    metrics
        Reported figures.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    TourItem
        Kind and key :data:`YEARS`; its description names the years counted (and how many
        sites are not, for want of a year) when the sites span two or more years, else only
        the figures; no source of its own (each figure and count says its own).
    """
    span = year_range(sites, metrics)
    if span is not None and span[1] > span[0] and sites["year"].dropna().nunique() >= 2:
        text = t("tour_trend_text", lang, first=span[0], last=span[1])
        undated = int(sites["year"].isna().sum())
        if undated:
            text += t("tour_trend_undated", lang, n=undated)
    else:
        text = t("tour_trend_text_figures", lang)
    return TourItem(YEARS, YEARS, t("tour_trend_title", lang), text, "")


def _items(by, programs, subdistricts, units, lang, official, suffix) -> list[TourItem]:
    if by == BY_STREET:
        counts = units.groupby("subdistrict_code")["unit_type"].value_counts()
        items = []
        for code, name in zip(subdistricts["code"], subdistricts["name"], strict=True):
            communities = int(counts.get((code, "community"), 0))
            villages = int(counts.get((code, "village"), 0))
            # no zero is said: a part with none is left out
            parts = [
                t(f"present_holds_{kind}", lang, n=n)
                for kind, n in (("communities", communities), ("villages", villages))
                if n
            ]
            text = t("present_holds", lang, parts=t("present_and", lang).join(parts))
            if code not in official:
                text += t("present_schematic", lang)
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
    """Index of the item whose key is ``start`` (0 if none or unknown).

    Parameters
    ----------
    items
        The tour's items (:func:`tour_items`).
    start
        A program key or subdistrict code (:attr:`TourSettings.start`), or None.

    Returns
    -------
    int
        The index of the first item with that key, else 0 (the overview).
    """
    keys = [item.key for item in items]
    return keys.index(start) if start in keys else 0


@dataclass(frozen=True)
class Tile:
    """One figure of a step: ``counted`` tiles are counts of this system's records (or of the
    official division list), the others figures a source reports."""

    value: str
    label: str
    note: str
    counted: bool


@dataclass(frozen=True)
class Trend:
    """A figure with several periods on the 历年变化 slide: its ``name``, its ``values`` as
    (period, value) oldest first, its ``change`` against the period before and its share of
    its ``target`` (:func:`geo.data.kpi.format_change`, :func:`geo.data.kpi.format_target`;
    ``""`` if none), and its ``sources`` in words (each source with the periods it gives)."""

    name: str
    values: tuple[tuple[str, str], ...]
    change: str
    target: str
    sources: str


@dataclass(frozen=True)
class Step:
    item: TourItem
    sites: pd.DataFrame
    metrics: pd.DataFrame  # reported, with "display", headline first
    counts: dict[str, int]  # computed from the sites
    tiles: tuple[Tile, ...] = ()
    events: pd.DataFrame | None = None  # the item's dated events (date, title), by date
    district_scope: bool = False  # a program without sites: its scope is the whole district
    colour: str = "#ff5252"
    # the 历年变化 slide: sites standing per year and kind (sites_per_year; None: no chart),
    # the sites left out for want of a year, and the figures with several periods
    years: pd.DataFrame | None = None
    undated: int = 0
    trends: tuple[Trend, ...] = ()

    @property
    def chart(self) -> bool:
        """Whether the step has a chart: only over sites (never an empty chart)."""
        return not self.sites.empty


#: How many reported figures a step shows as tiles.
STEP_FIGURES = 3


def step_for(
    item: TourItem,
    sites: pd.DataFrame,
    metrics: pd.DataFrame,
    units: pd.DataFrame,
    alliances: pd.DataFrame,
    programs: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    sources: pd.DataFrame | None = None,
    lang: str = "zh",
) -> Step:
    """What one tour step shows: the item's sites, its reported metrics (headline first) and
    counts, and the tiles that say them, none of them zero.

    ``programs`` (the vocabulary) orders the figures and gives a program its colour;
    ``events`` (``date``, ``program``, ``title_zh``/``title_en``) the dated events shown when
    there is no chart; ``sources`` makes the tiles' citations readable.

    Parameters
    ----------
    item
        The tour item; its :attr:`TourItem.filter` chooses the sites and metrics.
    sites
        All site records (filtered here).
    metrics
        All reported metrics (chosen by :func:`geo.data.kpi.reported_metrics`).
    units
        Villages/communities: resolve metric scopes, and give the overview's and an empty
        subdistrict's counts.
    alliances
        Alliances, to resolve metric scopes.
    programs
        The program vocabulary, or None (figures unordered, default colour, no program
        count on the overview).
    events
        Dated events, or None (none). The overview keeps them all, a program's step its
        own, a subdistrict's step none.
    sources
        The source table, or None (citations shown as raw source ids).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    Step
        The step: its sites, metrics (headline first if ``programs`` is given), counts,
        events (by date) and tiles (at most :data:`STEP_FIGURES` reported figures, then
        the counts). The 历年变化 item's step (kind :data:`YEARS`) holds every site, the
        figures with several periods (``metrics``, and as ``trends``: at most
        :data:`TREND_FIGURES`) and the sites standing per year (``years``, when the sites
        span two or more years); no tiles (its chart and list say the counts and figures,
        and a big screen has no room for them twice).
    """
    if item.kind == YEARS:
        return _years_step(item, sites, metrics, units, alliances, programs, sources, lang)
    chosen = filter_records(sites, item.filter)
    counts = computed_counts(chosen)
    figures = reported_metrics(metrics, item.filter, units, sites, alliances)
    if programs is not None:
        figures = headline_first(figures, programs)
    step_counts = {
        "sites": counts.sites,
        "subdistricts": counts.subdistricts,
        "programs": counts.programs,
    }
    dated = _events(item, events, lang)
    colour = "#ff5252"
    if programs is not None and item.kind == BY_PROGRAM:
        colours = code_names(programs, "color", key="key")
        colour = str(colours.get(item.key, colour))
    step = Step(
        item=item,
        sites=chosen,
        metrics=figures,
        counts=step_counts,
        events=dated,
        district_scope=item.kind == BY_PROGRAM and chosen.empty,
        colour=colour,
    )
    tiles = _tiles(step, units, sources, lang, n_programs=0 if programs is None else len(programs))
    return Step(**{**step.__dict__, "tiles": tuple(tiles)})


#: How many figures with several periods the 历年变化 slide lists.
TREND_FIGURES = 3


def _years_step(item, sites, metrics, units, alliances, programs, sources, lang) -> Step:
    figures = reported_metrics(metrics, item.filter, units, sites, alliances)
    figures = figures[figures["periods"].ge(2)] if "periods" in figures else figures.iloc[0:0]
    if programs is not None:
        figures = headline_first(figures, programs)
    span = year_range(sites, metrics)
    several = span is not None and sites["year"].dropna().nunique() >= 2
    years = sites_per_year(sites, span) if several else None
    undated = int(sites["year"].isna().sum()) if several else 0
    counts = computed_counts(sites)
    return Step(
        item=item,
        sites=sites,
        metrics=figures,
        counts={"sites": counts.sites, "subdistricts": counts.subdistricts},
        events=pd.DataFrame(columns=["date", "title"]),
        years=years,
        undated=undated,
        trends=tuple(trends(figures.head(TREND_FIGURES), sources, lang)),
    )


def trends(figures: pd.DataFrame, sources: pd.DataFrame | None = None, lang: str = "zh"):
    """The figures with several periods as the 历年变化 slide lists them.

    Parameters
    ----------
    figures
        Rows of :func:`geo.data.kpi.reported_metrics` (with ``history``).
    sources
        The source table, or None (references shown as they are stored).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    list of Trend
        One per row, in order: every period's value oldest first, the change and target in
        words, and the sources, each followed by the periods it gives
        (``2022年、2023年：…；截至2024年：…``).
    """
    name_col = localized("name", lang)
    references = [entry[4] for history in figures.get("history", ()) for entry in history]
    said = (
        {r: str(r) for r in references}
        if sources is None
        else citations.cite_each(references, sources, lang)
    )
    out = []
    for row in figures.itertuples(index=False):
        values, cited = [], {}
        for year, quarter, period, display, source in row.history:
            label = format_period(year, period, lang, quarter)
            values.append((label, display))
            cited.setdefault(said[source], []).append(label)
        sep = list_separator(lang)
        words = t("tour_trend_sources_sep", lang).join(
            t("tour_trend_cited", lang, periods=sep.join(labels), citation=citation)
            for citation, labels in cited.items()
        )
        out.append(
            Trend(
                getattr(row, name_col),
                tuple(values),
                format_change(row, lang),
                format_target(row, lang),
                t("tour_trend_sources", lang, sources=words),
            )
        )
    return out


def trends_html(items: tuple[Trend, ...] | list[Trend], lang: str = "zh") -> str:
    """The 历年变化 slide's list of figures as HTML; every text is escaped.

    Parameters
    ----------
    items
        The figures (:func:`trends`).
    lang
        ``"zh"`` or ``"en"``: the heading.

    Returns
    -------
    str
        A ``<div class="sz-spot">`` with a heading and one ``<li>`` per figure: its name in
        bold, its values period by period (``2022年 12 个 → 2023年 20 个``), its change and
        target, and its sources in small print; ``""`` for no figure.
    """
    if not items:
        return ""
    arrow = html.escape(t("tour_trend_arrow", lang))
    rows = []
    for item in items:
        values = arrow.join(
            f"{html.escape(period)} {html.escape(value)}" for period, value in item.values
        )
        said = t("change_sep", lang).join(part for part in (item.change, item.target) if part)
        said_html = f"<br>{html.escape(said)}" if said else ""
        rows.append(
            f"<li><b>{html.escape(item.name)}</b>{values}{said_html}"
            f'<div class="sz-src">{html.escape(item.sources)}</div></li>'
        )
    heading = html.escape(t("tour_trend_figures", lang))
    return f'<div class="sz-spot"><p>{heading}</p><ul class="sz-events">{"".join(rows)}</ul></div>'


def _events(item: TourItem, events: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    if events is None or events.empty:
        return pd.DataFrame(columns=["date", "title"])
    chosen = events if item.kind != BY_PROGRAM else events[events["program"] == item.key]
    if item.kind == BY_STREET:
        chosen = events.iloc[0:0]  # events are district-wide or a program's
    out = pd.DataFrame(
        {"date": chosen["date"].astype(str), "title": chosen[localized("title", lang)]}
    )
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def _tiles(
    step: Step, units: pd.DataFrame, sources: pd.DataFrame | None, lang: str, n_programs: int
) -> list[Tile]:
    item, counts = step.item, step.counts
    name_col = localized("name", lang)
    tiles = []
    for row in step.metrics.head(STEP_FIGURES).itertuples(index=False):
        period = format_period(row.year, getattr(row, "period", "year"), lang)
        cited = row.source if sources is None else citations.cite(row.source, sources, lang)
        note = f"{period} · {t('source', lang)} {cited}"
        tiles.append(Tile(row.display, getattr(row, name_col), note, counted=False))
    counted = t("count_note", lang)
    if item.kind == OVERVIEW:
        tiles.append(Tile(str(counts["sites"]), t("count_sites", lang), counted, True))
        streets = units["subdistrict_code"].nunique()
        tiles.append(Tile(str(streets), t("present_streets", lang), t("present_nbs", lang), True))
        if n_programs:
            tiles.append(Tile(str(n_programs), t("present_programs", lang), counted, True))
        return tiles
    second = "programs" if item.kind == BY_STREET else "subdistricts"
    for key in ("sites", second):
        if counts[key]:
            tiles.append(Tile(str(counts[key]), t(f"count_{key}", lang), counted, True))
    if item.kind == BY_STREET and not tiles:  # nothing recorded yet: what the area holds
        here = units[units["subdistrict_code"] == item.key]["unit_type"].value_counts()
        for kind in ("community", "village"):
            if here.get(kind, 0):
                label = t(f"present_units_{kind}", lang)
                tiles.append(Tile(str(int(here[kind])), label, t("present_nbs", lang), True))
    if step.district_scope:
        if len(step.events):
            label = t("present_events", lang)
            tiles.append(Tile(str(len(step.events)), label, counted, True))
        tiles.append(
            Tile(
                t("present_scope_value", lang),
                t("present_scope", lang),
                t("present_scope_note", lang),
                True,
            )
        )
    return tiles


def kpi_tile_html(value: str, label: str, note: str, counted: bool) -> str:
    """One KPI tile as HTML; every text is escaped (record text is data, never markup).

    Parameters
    ----------
    value
        The figure, as displayed.
    label
        What it counts or measures.
    note
        The small print (period and source, or how it was counted).
    counted
        True for a count of this system's records (CSS class ``counted``), False for a
        reported figure.

    Returns
    -------
    str
        A ``<div class="sz-tile">`` holding the value, label and note. A unit after the
        number (``"40,000 元"``) is its own smaller ``sz-unit`` span, so that it stays beside
        the number; a long number takes the ``sz-long`` class (a size that keeps it on one
        line in a tile a third of the panel wide).
    """
    kind = "sz-tile counted" if counted else "sz-tile"
    # geo.data.kpi.format_value writes the number (no space in it), one space, then the unit as
    # stated; the space stays in the unit's span, so the text reads exactly as the value.
    number, space, unit = value.partition(" ")
    if not any(c.isdigit() for c in number):  # not a figure with its unit: shown as it is
        number, space, unit = value, "", ""
    size = "sz-value sz-long" if len(number) > 5 else "sz-value"
    shown = html.escape(number)
    if unit:
        shown += f'<span class="sz-unit">{space}{html.escape(unit)}</span>'
    return (
        f'<div class="{kind}"><div class="{size}">{shown}</div>'
        f'<div class="sz-label">{html.escape(label)}</div>'
        f'<div class="sz-note">{html.escape(note)}</div></div>'
    )


def site_names(step: Step, limit: int = 8) -> list[str]:
    """The names of a step's sites to list, at most ``limit`` of them.

    Parameters
    ----------
    step
        The tour step (:func:`step_for`).
    limit
        How many names to give at most.

    Returns
    -------
    list of str
        The first ``limit`` names in the sites' order, then ``"…"`` if there are more.
    """
    names = step.sites["name"].tolist()
    return names[:limit] + (["…"] if len(names) > limit else [])
