"""Plotly figures for the pages. Every bar is a count of records, labelled as such."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from geo.labels import localized, t

_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "height": 360,
    "legend": {"orientation": "h", "y": -0.25},
    "bargap": 0.25,
    "font": {"family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
}


def explode_programs(sites: pd.DataFrame) -> pd.DataFrame:
    """One row per (site, program): a site in two programs counts once in each (vectorised)."""
    programs = sites["programs"].fillna("").astype(str).str.replace(" ", "").str.split(";")
    pairs = pd.DataFrame(
        {"id": sites["id"], "subdistrict_code": sites["subdistrict_code"], "program": programs}
    ).explode("program")
    pairs = pairs[pairs["program"].notna() & (pairs["program"] != "")]
    return pairs.reset_index(drop=True)


def records_by_subdistrict(
    sites: pd.DataFrame, subdistricts: pd.DataFrame, programs: pd.DataFrame, lang: str = "zh"
) -> go.Figure:
    """Stacked bars: records per subdistrict (all 17 shown), one colour per program.

    Each bar's ``customdata`` is the subdistrict code, for click-to-filter.
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
    """Bars: records per program (all 12 shown); ``customdata`` is the program key."""
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
    """The five collective-economy models as a table: the source gives names, not numbers."""
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
    """Dated items (``date`` YYYY or YYYY-MM, ``title``) on a time axis."""
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
    records per program (only bars above zero; counts of records, labelled as such)."""
    pairs = explode_programs(sites)
    name_col = localized("name", lang)
    if by == "street":
        counts = pairs["program"].value_counts()
        keys = [k for k in programs["key"] if counts.get(k, 0)]
        names = dict(zip(programs["key"], programs[name_col], strict=True))
        colours = dict(zip(programs["key"], programs["color"], strict=True))
        x, y, colour = (
            [names[k] for k in keys],
            [int(counts[k]) for k in keys],
            [colours[k] for k in keys],
        )
    else:
        counts = pairs.drop_duplicates("id")["subdistrict_code"].value_counts()
        codes = [c for c in subdistricts["code"] if counts.get(c, 0)]
        short = dict(zip(subdistricts["code"], subdistricts["short_name"], strict=True))
        x, y, colour = [short[c] for c in codes], [int(counts[c]) for c in codes], "#ff5252"
    figure = go.Figure(go.Bar(x=x, y=y, marker_color=colour, text=y, textposition="outside"))
    figure.update_layout(
        template="plotly_dark",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        height=height,
        margin={"l": 10, "r": 10, "t": 44, "b": 10},
        title={"text": t("records_count_axis", lang), "font": {"size": 20, "color": "#e3ecf5"}},
        font={
            "size": 18,
            "color": "#e3ecf5",
            "family": "Noto Sans CJK SC, Microsoft YaHei, sans-serif",
        },
        yaxis={"visible": False, "range": [0, max(y or [1]) * 1.3]},
    )
    return figure
