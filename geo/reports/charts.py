"""Plotly figures for the pages. Every bar is a count of records, labelled as such."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from geo.data import io
from geo.data.gazetteer import code_names
from geo.map.model import KIND_COLOURS
from geo.text.labels import kind_label, localized, t

_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "height": 360,
    "legend": {"orientation": "h", "y": -0.25},
    "bargap": 0.25,
    "font": {"family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
}


def explode_programs(sites: pd.DataFrame) -> pd.DataFrame:
    """One row per (site, program): a site in two programs counts once in each (vectorised).

    Parameters
    ----------
    sites
        Site records with ``id``, ``subdistrict_code`` and ``programs`` (``;``-separated
        program keys; spaces ignored, empty or missing: no row).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``subdistrict_code``, ``program``, with a fresh 0..n-1 index.
    """
    programs = io.program_lists(sites["programs"])
    pairs = pd.DataFrame(
        {"id": sites["id"], "subdistrict_code": sites["subdistrict_code"], "program": programs}
    ).explode("program")
    pairs = pairs[pairs["program"].notna() & (pairs["program"] != "")]
    return pairs.reset_index(drop=True)


def records_by_subdistrict(
    sites: pd.DataFrame, subdistricts: pd.DataFrame, programs: pd.DataFrame, lang: str = "zh"
) -> go.Figure:
    """Stacked bars: records per subdistrict (all 17 shown), one colour per program.

    Each bar's ``customdata`` is the subdistrict code, for click-to-filter. A site in two
    programs counts once in each (:func:`explode_programs`); a program with no record here
    gets no trace (and no legend entry).

    Parameters
    ----------
    sites
        The (filtered) site records: ``id``, ``subdistrict_code``, ``programs``.
    subdistricts
        The gazetteer (``code``, ``short_name``), in the x axis' order.
    programs
        The program vocabulary (``key``, ``name_zh``/``name_en``, ``color``), in stacking
        order.
    lang
        ``"zh"`` or ``"en"``: program names, title and axis label.

    Returns
    -------
    plotly.graph_objects.Figure
        A stacked bar chart of record counts.
    """
    pairs = explode_programs(sites)
    counts = pairs.groupby(["subdistrict_code", "program"]).size()
    name_col = localized("name", lang)
    figure = go.Figure()
    x = subdistricts["short_name"].tolist()
    for key, name, colour in zip(
        programs["key"], programs[name_col], programs["color"], strict=True
    ):
        y = [int(counts.get((code, key), 0)) for code in subdistricts["code"]]
        if any(y):
            figure.add_bar(
                x=x,
                y=y,
                name=name,
                marker_color=colour,
                customdata=subdistricts["code"].tolist(),
                hovertemplate="%{x} · " + name + ": %{y}<extra></extra>",
            )
    figure.update_layout(
        barmode="stack",
        title=t("chart_by_subdistrict", lang),
        yaxis_title=t("records_count_axis", lang),
        **_LAYOUT,
    )
    return figure


def records_by_program(sites: pd.DataFrame, programs: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Bars: records per program (all 12 shown); ``customdata`` is the program key.

    Parameters
    ----------
    sites
        The (filtered) site records (``id``, ``subdistrict_code``, ``programs``); a site in
        two programs counts once in each.
    programs
        The program vocabulary (``key``, ``name_zh``/``name_en``, ``color``), in bar order;
        programs without records show as zero bars.
    lang
        ``"zh"`` or ``"en"``: program names, title and axis label.

    Returns
    -------
    plotly.graph_objects.Figure
        A bar chart of record counts, one bar per program in its colour.
    """
    counts = explode_programs(sites)["program"].value_counts()
    name_col = localized("name", lang)
    figure = go.Figure(
        go.Bar(
            x=programs[name_col].tolist(),
            y=[int(counts.get(k, 0)) for k in programs["key"]],
            marker_color=programs["color"].tolist(),
            customdata=programs["key"].tolist(),
            hovertemplate="%{x}: %{y}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("chart_by_program", lang), yaxis_title=t("records_count_axis", lang), **_LAYOUT
    )
    return figure


def five_models_figure(models: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """The five collective-economy models as a table: the source gives names, not numbers.

    Parameters
    ----------
    models
        One row per model, in display order, with ``name_zh``/``name_en`` and
        ``how_zh``/``how_en`` (its description).
    lang
        ``"zh"`` or ``"en"``: which columns are shown, and the headers and title.

    Returns
    -------
    plotly.graph_objects.Figure
        A table figure: running number, name, description.
    """
    name_col, how_col = localized("name", lang), localized("how", lang)
    figure = go.Figure(
        go.Table(
            header={
                "values": ["#", t("field_name", lang), t("field_description", lang)],
                "fill_color": "#999933",
                "font": {"color": "white", "size": 14},
                "align": "left",
            },
            cells={
                "values": [
                    list(range(1, len(models) + 1)),
                    models[name_col].tolist(),
                    models[how_col].tolist(),
                ],
                "align": "left",
                "height": 30,
                "font": {"size": 13},
            },
        )
    )
    figure.update_layout(title=t("chart_five_models", lang), **{**_LAYOUT, "height": 280})
    return figure


def timeline_figure(items: pd.DataFrame, lang: str = "zh") -> go.Figure:
    """Dated items (``date`` YYYY or YYYY-MM, ``title``) on a time axis.

    Parameters
    ----------
    items
        Rows with ``date`` (``YYYY`` or ``YYYY-MM``; anything after the month is ignored,
        an unreadable date is not drawn) and ``title`` (text, already in the page's
        language), e.g. a program profile's timeline.
    lang
        ``"zh"`` or ``"en"``: the title.

    Returns
    -------
    plotly.graph_objects.Figure
        One labelled marker per item on a date axis (y axis hidden).
    """
    dates = pd.to_datetime(
        items["date"].astype(str).str.slice(0, 7), format="mixed", errors="coerce"
    )
    figure = go.Figure(
        go.Scatter(
            x=dates,
            y=[0] * len(items),
            mode="markers+text",
            text=items["title"].tolist(),
            textposition="top center",
            marker={"size": 14, "color": "#c62828"},
            hovertemplate="%{x|%Y-%m}: %{text}<extra></extra>",
        )
    )
    figure.update_yaxes(visible=False, range=[-1, 2])
    figure.update_layout(title=t("timeline", lang), **{**_LAYOUT, "height": 260})
    return figure


def step_chart(
    sites: pd.DataFrame,
    by: str,
    subdistricts: pd.DataFrame,
    programs: pd.DataFrame,
    lang: str = "zh",
    height: int = 300,
) -> go.Figure:
    """The big screen's chart, dark: a program's records per subdistrict, or a subdistrict's
    records per program (only bars above zero; counts of records, labelled as such).

    Parameters
    ----------
    sites
        The step's site records (``id``, ``subdistrict_code``, ``programs``).
    by
        ``"street"`` (a subdistrict's step): one bar per program, in the vocabulary's order
        and colours, a site in two programs counting in each; any other value (``"program"``):
        one bar per subdistrict, in the gazetteer's order, each site counted once.
    subdistricts
        The gazetteer (``code``, ``short_name``).
    programs
        The program vocabulary (``key``, ``name_zh``/``name_en``, ``color``).
    lang
        ``"zh"`` or ``"en"``: bar names and title.
    height
        Figure height, in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        A bar chart on a transparent background (``plotly_dark``), values written above
        the bars, y axis hidden.
    """
    pairs = explode_programs(sites)
    name_col = localized("name", lang)
    if by == "street":
        counts = pairs["program"].value_counts()
        keys = [k for k in programs["key"] if counts.get(k, 0)]
        names = code_names(programs, name_col, key="key")
        colours = code_names(programs, "color", key="key")
        x, y, colour = (
            [names[k] for k in keys],
            [int(counts[k]) for k in keys],
            [colours[k] for k in keys],
        )
    else:
        counts = pairs.drop_duplicates("id")["subdistrict_code"].value_counts()
        codes = [c for c in subdistricts["code"] if counts.get(c, 0)]
        short = code_names(subdistricts, "short_name")
        x, y, colour = [short[c] for c in codes], [int(counts[c]) for c in codes], "#ff5252"
    figure = go.Figure(go.Bar(x=x, y=y, marker_color=colour, text=y, textposition="outside"))
    figure.update_layout(
        **_big_screen_layout(t("records_count_axis", lang), height),
        yaxis={"visible": False, "range": [0, max(y or [1]) * 1.3]},
    )
    return figure


def years_chart(per_year: pd.DataFrame, lang: str = "zh", height: int = 300) -> go.Figure:
    """The big screen's 历年变化 chart, dark: the sites standing in each year, stacked by kind
    (counts of records, labelled as such), each year's total written above its bar.

    Parameters
    ----------
    per_year
        Sites standing per year (:func:`geo.reports.present.sites_per_year`): indexed by
        year, one column per kind of :data:`geo.text.vocab.KINDS` and ``total``.
    lang
        ``"zh"`` or ``"en"``: kind names and title.
    height
        Figure height, in pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        Stacked bars (one trace per kind, in the map's kind colours) on a transparent
        background (``plotly_dark``), one category per year, y axis hidden.
    """
    years = [str(year) for year in per_year.index]
    figure = go.Figure()
    for kind in per_year.columns:
        if kind == "total":
            continue
        name = kind_label(kind, lang)
        figure.add_bar(
            x=years,
            y=per_year[kind].astype(int).tolist(),
            name=name,
            marker_color=KIND_COLOURS.get(kind, "#ff5252"),
            hovertemplate="%{x} · " + name + ": %{y}<extra></extra>",
        )
    totals = per_year["total"].astype(int).tolist() if "total" in per_year else []
    # on a category axis an annotation's x is the category's position (a year such as "2021"
    # would be read as position 2021)
    for position, total in enumerate(totals):
        figure.add_annotation(x=position, y=total, text=str(total), showarrow=False, yshift=14)
    figure.update_layout(
        barmode="stack",
        **_big_screen_layout(t("tour_trend_chart", lang), height),
        legend={
            "orientation": "h",
            "y": -0.15,
            "font": {"size": 14, "color": "#e3ecf5"},
            "traceorder": "normal",
        },
        xaxis={"type": "category"},
        yaxis={"visible": False, "range": [0, max(totals or [1]) * 1.3]},
    )
    return figure


def _big_screen_layout(title: str, height: int) -> dict:
    """The big screen's chart layout: dark, transparent, large CJK type, ``title`` on top."""
    return {
        "template": "plotly_dark",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 44, "b": 10},
        "title": {"text": title, "font": {"size": 20, "color": "#e3ecf5"}},
        "font": {
            "size": 18,
            "color": "#e3ecf5",
            "family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif",
        },
    }
