"""The map view as a picture (PNG) for slides, chat groups and the Word brief.

Drawn on the server with matplotlib's Agg canvas: no browser, no network, no tiles. The picture
holds what the live map shows (district outline, subdistrict areas and names, the selected
areas outlined, the sites in their program's colour at the same fanned-out positions, the
alliances) plus what a picture needs to stand alone: a title, a legend, a scale bar, a north
arrow, the caveats (indicative positions, schematic areas) and the sources.

Geometry is drawn in UTM zone 50N (EPSG:32650, metres), the zone of Jinan's 117°E: distances
on the picture are true to well under 0.1 %, so the scale bar is exact, and grid north is true
north to within a fraction of a degree at this longitude.

Text is drawn in a CJK font found on the machine (Debian's ``fonts-noto-cjk`` first, see
:data:`CJK_FAMILIES`); without one no picture is made (:class:`FontMissingError`), never one
with missing-glyph boxes. No ``pyplot``: a ``Figure`` of its own per call, so concurrent
sessions of the dashboard never share matplotlib's global state.
"""

from __future__ import annotations

import datetime as dt
import functools
import io as bytes_io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from pyproj import Transformer
from shapely.ops import polylabel
from shapely.plotting import patch_from_polygon

from geo.data import io
from geo.data.dataset import Dataset
from geo.data.gazetteer import code_names
from geo.data.sitetable import display_positions
from geo.map.labelling import Labeller, PlacedLabel, around, centred
from geo.map.model import AREA_COLOURS, SELECTION_COLOUR, alliance_outlines
from geo.text.labels import join_clauses, localized, precision_label, t

#: CJK font families, best first: Debian's fonts-noto-cjk (what `make` installs), Adobe's
#: release of the same design, then fonts found on other systems (WenQuanYi on older Linux,
#: the Windows and macOS system fonts).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
#: Characters a family must draw to be used (it is checked against the font's own glyph map).
PROBE_TEXT = "市中区党建引领街道社区村示意位置项目图例比例尺北"
#: The picture's projected CRS: UTM zone 50N (metres).
PROJECTED_CRS = "EPSG:32650"
DEFAULT_SIZE = (1920, 1080)
MIN_SIZE, MAX_SIZE = (480, 320), (7680, 4320)
#: Site names are written on the map when the view holds at most this many sites.
LABEL_LIMIT = 60
#: Above this many sites the markers shrink (down to about a third of their size).
DENSE_ABOVE = 300
DPI = 100
BACKGROUND = "#eef1f4"


class FontMissingError(RuntimeError):
    """No CJK font on this machine: install Debian's fonts-noto-cjk (``make`` does)."""


@dataclass(frozen=True)
class CjkFont:
    """The font every text of the picture is drawn in: ``family``, file and face in it."""

    family: str
    path: str
    index: int


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> CjkFont:
    """The first family of :data:`CJK_FAMILIES` installed that draws :data:`PROBE_TEXT`.

    Found once per process (cached).

    Returns
    -------
    CjkFont
        The family, its font file and the face's index in it.

    Raises
    ------
    FontMissingError
        If none is installed (matplotlib's fallback font would draw boxes).
    """
    for family in CJK_FAMILIES:
        try:
            path = font_manager.findfont(FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        font = font_manager.get_font(path)
        if font.family_name != family:  # findfont matched another family of the same file
            continue
        charmap = font.get_charmap()
        if all(ord(ch) in charmap for ch in PROBE_TEXT):
            return CjkFont(family, str(path), int(getattr(path, "face_index", 0)))
    raise FontMissingError(
        "no CJK font found (tried " + ", ".join(CJK_FAMILIES) + "); on Debian/Ubuntu: "
        "apt-get install fonts-noto-cjk"
    )


def parse_size(text: str, lang: str = "zh") -> tuple[int, int]:
    """A picture size as the command line writes it.

    Parameters
    ----------
    text
        ``WIDTHxHEIGHT`` in pixels, e.g. ``"1920x1080"`` (``X``, ``×`` and ``*`` also
        separate; spaces ignored).
    lang
        ``"zh"`` or ``"en"``: the language of the error message.

    Returns
    -------
    tuple of (int, int)
        ``(width, height)`` in pixels, within :data:`MIN_SIZE` (480x320) and
        :data:`MAX_SIZE` (7680x4320).

    Raises
    ------
    ValueError
        If ``text`` is not ``WIDTHxHEIGHT`` or the size is out of range (said in ``lang``).
    """
    match = re.fullmatch(r"\s*(\d{1,5})\s*[xX×*]\s*(\d{1,5})\s*", str(text))
    if not match:
        raise ValueError(t("mapimage_bad_size", lang, value=text))
    size = (int(match[1]), int(match[2]))
    if not all(low <= v <= high for v, low, high in zip(size, MIN_SIZE, MAX_SIZE, strict=True)):
        raise ValueError(
            t(
                "mapimage_size_range",
                lang,
                value=text,
                low="x".join(map(str, MIN_SIZE)),
                high="x".join(map(str, MAX_SIZE)),
            )
        )
    return size


@dataclass(frozen=True)
class MapImage:
    """A rendered picture and what was drawn on it (for the brief and the tests)."""

    png: bytes
    size: tuple[int, int]
    font: CjkFont
    texts: tuple[str, ...]  # every string drawn
    labels: tuple[PlacedLabel, ...]  # names written on the map, none overlapping
    dropped: int  # names left out for lack of room
    legend: tuple[str, ...]
    scale_m: float  # the scale bar's length in metres
    scale_px: float  # and in pixels
    sites: int  # sites drawn
    indicative: int  # of which at an indicative position (seat or village, not their own)
    approximate: int  # of which at an approximate position (within about a kilometre)


# --- helpers --------------------------------------------------------------------------------


_NO_LINE_START = "，。、；：？！）》」』”’%·…"


def _wrap(text: str, units: float) -> str:
    """Break ``text`` into lines of about ``units`` full-width characters (a Latin letter or
    digit counts half). The standard textwrap counts characters, not widths, and breaks only
    at spaces, which Chinese text does not have."""
    lines, line, width = [], "", 0.0
    for ch in text:
        w = 0.55 if ord(ch) < 0x2E80 else 1.0
        # a closing mark never starts a line (it stays with the line it ends, slightly over)
        if width + w > units and line and ch not in _NO_LINE_START:
            lines.append(line)
            line, width = "", 0.0
        line += ch
        width += w
    return "\n".join([*lines, line]) if line else "\n".join(lines)


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) of about a fifth of ``span_m``."""
    target = max(span_m / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def _distance_text(metres: float, lang: str) -> str:
    if metres >= 1000:
        return t("mapimage_km", lang, n=f"{metres / 1000:g}")
    return t("mapimage_m", lang, n=f"{metres:g}")


def _program_colours(sites: pd.DataFrame, programs: pd.DataFrame) -> list[str]:
    """Each site's colour on the live map: that of the first of its programs in the vocabulary's
    order (sitelayer's ``programsOf(bits)[0]``), the first program's if it names none."""
    keys, colours = programs["key"].tolist(), programs["color"].tolist()
    order = {key: i for i, key in enumerate(keys)}
    out = []
    for value in sites["programs"].fillna(""):
        found = [order[p] for p in io.split_list(value) if p in order]
        out.append(colours[min(found)] if found else colours[0])
    return out


def _positions(data: Dataset, sites: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Where the live map draws ``sites`` (WGS-84): the prepared table's fanned-out positions."""
    table = data.site_table
    rows = table.rows_of(sites) if len(table.ids) else np.full(len(sites), -1)
    if len(rows) and (rows >= 0).all() and (table.ids[rows] == sites["id"].to_numpy()).all():
        return table.lon[rows], table.lat[rows]
    return display_positions(sites)


def _fit_extent(
    bounds: tuple[float, float, float, float], width_px: float, height_px: float, pad: float
) -> tuple[float, float, float, float]:
    """``bounds`` padded and widened to the axes' aspect ratio (equal scale on both axes)."""
    west, south, east, north = bounds
    cx, cy = (west + east) / 2, (south + north) / 2
    w = max(east - west, 500.0) * (1 + 2 * pad)
    h = max(north - south, 500.0) * (1 + 2 * pad)
    ratio = width_px / height_px
    if w / h < ratio:
        w = h * ratio
    else:
        h = w / ratio
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


# --- the picture ------------------------------------------------------------------------------


def render_map_image(
    data: Dataset,
    sites: pd.DataFrame,
    alliances: pd.DataFrame | None = None,
    selected: Sequence[str] = (),
    lang: str = "zh",
    size: tuple[int, int] = DEFAULT_SIZE,
    title: str = "",
    subtitle: str = "",
    today: dt.date | None = None,
    sources: Sequence[str] = (),
    layout: str | None = None,
    text_size: float = 1.0,
) -> MapImage:
    """The map of one view as a PNG.

    Parameters
    ----------
    data
        The dataset (outline, areas, subdistricts, programs, the sites' prepared table).
    sites
        The sites to draw: rows of ``data.sites`` (WGS-84 ``lon``/``lat``, degrees).
    alliances
        The alliances to outline (None: none).
    selected
        Subdistrict codes to outline and zoom to (none: the whole district).
    lang
        ``zh`` or ``en``.
    size
        (width, height) in pixels; a landscape picture has its legend at the right, a portrait
        one below the map.
    title, subtitle
        Written at the top of the legend panel (e.g. the filter in words).
    today
        The date printed on the picture (default: today).
    sources
        Readable citations of what the picture shows, printed at its foot.
    layout
        ``right`` (legend panel at the right) or ``below``; default: ``right`` for a landscape
        picture, ``below`` for a portrait one.
    text_size
        Multiplies every text size: a picture printed small (the Word brief) needs larger type
        than one shown on a screen.

    Returns
    -------
    MapImage
        The PNG and what was drawn on it: texts, names placed (none overlapping) and left
        out, legend, scale bar (metres and pixels), sites drawn and how many of them at an
        indicative or approximate position. Geometry is drawn in UTM zone 50N (EPSG:32650,
        metres).

    Raises
    ------
    FontMissingError
        If the machine has no CJK font.
    ValueError
        If ``size`` is out of range, ``layout`` is not ``right`` or ``below``, or ``lang``
        is not ``zh`` or ``en``.
    """
    parse_size(f"{size[0]}x{size[1]}", lang)  # the same range check as the command line's
    layout = layout or ("right" if size[0] >= size[1] else "below")
    if layout not in ("right", "below"):
        raise ValueError(f"layout must be 'right' or 'below', got {layout!r}")
    font = find_cjk_font()
    parts = (data, sites, alliances, selected, lang, size, title, subtitle, today, sources)
    for _ in range(5):  # smaller type until the legend panel holds everything
        image, overflow = _render(*parts, layout, text_size, font)
        if not overflow:
            break
        text_size *= 0.88
    return image


def _render(
    data: Dataset,
    sites: pd.DataFrame,
    alliances: pd.DataFrame | None,
    selected: Sequence[str],
    lang: str,
    size: tuple[int, int],
    title: str,
    subtitle: str,
    today: dt.date | None,
    sources: Sequence[str],
    layout: str,
    text_size: float,
    font: CjkFont,
) -> tuple[MapImage, bool]:
    """One drawing of :func:`render_map_image`; True with it if the panel's text overflowed."""
    width, height = size
    scale = max(min(width / 1920, height / 1080), 0.45)

    def props(points: float, bold: bool = False) -> FontProperties:
        return FontProperties(
            family=font.family, size=points * scale * text_size, weight="bold" if bold else "normal"
        )

    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    landscape = layout == "right"
    if landscape:
        map_rect, panel_rect = [0.01, 0.02, 0.71, 0.96], [0.74, 0.02, 0.25, 0.96]
    else:
        map_rect, panel_rect = [0.01, 0.35, 0.98, 0.64], [0.02, 0.005, 0.96, 0.335]
    ax = fig.add_axes(map_rect)
    panel = fig.add_axes(panel_rect)
    panel.set_axis_off()
    ax.set_facecolor(BACKGROUND)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#b0bec5")

    # geometry in metres
    outline = data.outline.to_crs(PROJECTED_CRS)
    areas = data.areas.to_crs(PROJECTED_CRS)
    chosen = areas[areas["code"].isin(selected)]
    bounds = tuple(chosen.total_bounds if len(chosen) else outline.total_bounds)
    ax_box = ax.get_window_extent()
    x0, y0, x1, y1 = _fit_extent(bounds, ax_box.width, ax_box.height, 0.12 if len(chosen) else 0.04)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")

    schematic = bool(areas["schematic"].any())
    _draw_areas(ax, areas, outline, chosen, scale)

    to_metres = Transformer.from_crs("EPSG:4326", PROJECTED_CRS, always_xy=True)
    n_alliances = 0
    if alliances is not None and len(alliances):
        outlines = alliance_outlines(alliances, data.sites, table=data.site_table)
        for shape in (o.shape for o in outlines):
            projected = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(PROJECTED_CRS).iloc[0]
            style = {"edgecolor": "#009988", "linewidth": 2.2 * scale, "linestyle": (0, (6, 4))}
            if projected.geom_type in ("Polygon", "MultiPolygon"):
                ax.add_patch(patch_from_polygon(projected, facecolor="#00998814", **style))
            else:
                xs, ys = projected.xy
                ax.plot(xs, ys, color=style["edgecolor"], lw=style["linewidth"], ls="--")
            n_alliances += 1

    # sites, as on the live map: exact ones filled with a white rim, indicative ones as
    # translucent discs with a dashed rim in the program's colour
    lon, lat = _positions(data, sites)
    xs, ys = to_metres.transform(np.asarray(lon, float), np.asarray(lat, float))
    colours = np.asarray(_program_colours(sites, data.programs), dtype=object)
    exact = (sites["location_precision"] == "exact").to_numpy()
    symbol = scale * max(1.0, text_size * 0.8)  # symbols grow with the type, a little less
    # a 7.5 px radius (as scatter area in pt²), smaller where thousands of sites crowd
    density = min(1.0, max(0.35, (DENSE_ABOVE / max(len(sites), 1)) ** 0.5))
    marker = (7.5 * symbol * density * 72 / DPI * 2) ** 2
    _draw_sites(ax, xs, ys, colours, exact, marker, scale)

    # names: areas first, then sites, each where it overlaps nothing already there
    renderer = canvas.get_renderer()
    labeller = Labeller(ax, renderer, leader=16 * scale, pad=2 * scale, line_width=0.8 * scale)
    frame = ax.transAxes.transform  # names keep off the scale bar and the north arrow
    labeller.block(*frame((0, 0)), *frame((0.22, 0.11)))
    labeller.block(*frame((0.92, 0.8)), *frame((1, 1)))
    if len(sites) <= LABEL_LIMIT:  # names keep off the markers (above, they cover the map)
        radius = 9 * symbol
        for px, py in ax.transData.transform(np.column_stack([xs, ys])) if len(xs) else []:
            labeller.block(px - radius, py - radius, px + radius, py + radius)
    _write_names(
        labeller,
        data,
        areas,
        chosen,
        selected,
        sites,
        xs,
        ys,
        (x0, y0, x1, y1),
        props,
        symbol,
        scale,
    )

    # scale bar (matplotlib's own) and north arrow
    scale_m = _nice_length(x1 - x0)
    bar = AnchoredSizeBar(
        ax.transData,
        scale_m,
        _distance_text(scale_m, lang),
        "lower left",
        pad=0.6,
        borderpad=0.8,
        sep=5 * scale,
        frameon=True,
        size_vertical=(y1 - y0) / 220,
        fontproperties=props(12),
    )
    bar.patch.set_alpha(0.85)
    bar.patch.set_edgecolor("#b0bec5")
    ax.add_artist(bar)
    to_px = ax.transData.transform
    scale_px = float(to_px((x0 + scale_m, y0))[0] - to_px((x0, y0))[0])
    ax.annotate(
        t("mapimage_north", lang),
        xy=(0.965, 0.95),
        xytext=(0.965, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontproperties=props(15, True),
        arrowprops={
            "facecolor": "#263238",
            "edgecolor": "#263238",
            "width": 5 * scale,
            "headwidth": 16 * scale,
            "headlength": 16 * scale,
        },
        zorder=8,
    )
    if not len(sites):
        ax.text(
            0.5,
            0.5,
            t("mapimage_empty", lang),
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontproperties=props(18, True),
            color="#8a3b00",
            zorder=9,
            bbox={"facecolor": "#fff3e0", "edgecolor": "#ffcc80", "boxstyle": "round,pad=0.6"},
        )

    # the panel: title, legend, caveats, sources, date
    legend_entries = _legend(
        data, sites, colours, exact, schematic, bool(len(chosen)), n_alliances, lang, symbol
    )
    foot = [t("mapimage_sources", lang, sources=join_clauses(sources, lang))] if sources else []
    foot.append(t("mapimage_made", lang, date=_date_text(today or dt.date.today(), lang)))
    texts = ([title] if title else [], [subtitle] if subtitle else [])
    notes = _caveats(sites, schematic, lang)
    bottom = _write_panel(panel, renderer, props, scale, legend_entries, texts, notes, foot, lang)

    buffer = bytes_io.BytesIO()
    canvas.print_png(buffer)
    texts = tuple(
        text.get_text()
        for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_fontname"))
        if text.get_text()
    )
    image = MapImage(
        png=buffer.getvalue(),
        size=(width, height),
        font=font,
        texts=texts,
        labels=tuple(labeller.placed),
        dropped=labeller.dropped,
        legend=tuple(entry[1] for entry in legend_entries),
        scale_m=scale_m,
        scale_px=scale_px,
        sites=len(sites),
        indicative=position_counts(sites)[0],
        approximate=position_counts(sites)[1],
    )
    return image, bottom < 0


def _draw_sites(ax, xs, ys, colours, exact, marker: float, scale: float) -> None:
    """Sites as on the live map: an exact one filled, with a white rim; any other translucent,
    with a dashed rim in its program's colour."""
    if exact.any():
        ax.scatter(
            xs[exact],
            ys[exact],
            s=marker,
            c=list(colours[exact]),
            edgecolors="white",
            linewidths=1.5 * scale,
            zorder=5,
        )
    if (~exact).any():
        ax.scatter(
            xs[~exact],
            ys[~exact],
            s=marker * 1.15,
            c=list(colours[~exact]),
            alpha=0.55,
            edgecolors=list(colours[~exact]),
            linewidths=2.0 * scale,
            linestyle="--",
            zorder=5,
        )


def _draw_areas(
    ax, areas: gpd.GeoDataFrame, outline: gpd.GeoDataFrame, chosen: gpd.GeoDataFrame, scale: float
) -> None:
    """The subdistrict areas (dashed, as on the live map; the others veiled when some are
    selected), the district outline, the selected areas' outline."""
    line, fill, outline_colour = AREA_COLOURS["light"]
    selected = set(chosen["code"])
    for code, geometry in zip(areas["code"], areas.geometry, strict=True):
        veil = 0.7 if selected and code not in selected else 0.25
        ax.add_patch(patch_from_polygon(geometry, facecolor=fill, alpha=veil, edgecolor="none"))
        ax.add_patch(
            patch_from_polygon(
                geometry, facecolor="none", edgecolor=line, linewidth=1.0 * scale, linestyle="--"
            )
        )
    for geometries, colour, width in (
        (outline.geometry, outline_colour, 2.6),
        (chosen.geometry, SELECTION_COLOUR, 4.2),
    ):
        for geometry in geometries:
            ax.add_patch(
                patch_from_polygon(
                    geometry, facecolor="none", edgecolor=colour, linewidth=width * scale
                )
            )


def _write_names(
    labeller: Labeller,
    data: Dataset,
    areas: gpd.GeoDataFrame,
    chosen: gpd.GeoDataFrame,
    selected: Sequence[str],
    sites: pd.DataFrame,
    xs: np.ndarray,
    ys: np.ndarray,
    extent: tuple[float, float, float, float],
    props,
    symbol: float,
    scale: float,
) -> None:
    """The areas' names at their visual centres (the live map writes them at the seats, where
    the sites crowd), the selected first; then, for a view of few sites, the sites' names."""
    x0, y0, x1, y1 = extent
    halo = {"path_effects": _halo(3 * scale)}
    short = code_names(data.subdistricts, "short_name")
    order = sorted(range(len(areas)), key=lambda i: areas["code"].iloc[i] not in set(selected))
    for i in order:
        code, geometry = areas["code"].iloc[i], areas.geometry.iloc[i]
        point = polylabel(geometry, tolerance=50.0)
        if x0 <= point.x <= x1 and y0 <= point.y <= y1 and code in short:
            strong = code in set(selected) or not len(chosen)
            labeller.place(
                short[code],
                point.x,
                point.y,
                "area",
                centred(24 * scale),
                leader=False,
                fontproperties=props(15 if strong else 13, True),
                color="#37474f" if strong else "#78909c",
                zorder=6,
                **halo,
            )
    if len(sites) > LABEL_LIMIT:
        return
    candidates = around(10 * symbol, 34 * symbol)
    for name, x, y in zip(sites["name"], xs, ys, strict=True):
        if x0 <= x <= x1 and y0 <= y <= y1:
            labeller.place(
                str(name),
                x,
                y,
                "site",
                candidates,
                fontproperties=props(11.5),
                color="#263238",
                zorder=7,
                **halo,
            )


def _write_panel(
    panel, renderer, props, scale: float, entries: list[tuple], heads, notes, foot, lang: str
) -> float:
    """Title and subtitle (``heads``), the legend, the caveats and the foot, down the panel;
    returns where the text ended (below 0: it did not fit)."""
    titles, subtitles = heads
    cursor = _Cursor(panel, renderer, 6 * scale)
    for title in titles:
        cursor.write(title, props(22, True), "#1a237e")
    for subtitle in subtitles:
        cursor.write(subtitle, props(15), "#37474f")
    wide = panel.get_window_extent().width > 2 * panel.get_window_extent().height
    legend = panel.legend(
        [entry[0] for entry in entries],
        [entry[1] for entry in entries],
        loc="upper left",
        bbox_to_anchor=(0, cursor.y),
        frameon=False,
        prop=props(12.5),
        title=t("mapimage_legend", lang),
        title_fontproperties=props(13.5, True),
        alignment="left",
        borderaxespad=0,
        handlelength=1.4,
        handleheight=1.1,
        labelspacing=0.45,
        ncols=3 if wide else 1,
    )
    cursor.skip(legend.get_window_extent(renderer).height + 10 * scale)
    for note in notes:
        cursor.write(note, props(11), "#8a3b00")
    for note in foot:
        cursor.write(note, props(10), "#546e7a")
    return cursor.y


def _halo(width: float) -> list:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _date_text(day: dt.date, lang: str) -> str:
    return t("brief_date", lang, year=day.year, month=day.month, day=day.day)


class _Cursor:
    """Writes blocks of text down the panel, each under the last."""

    def __init__(self, panel, renderer, gap: float) -> None:
        self.panel, self.renderer, self.gap, self.y = panel, renderer, gap, 1.0
        box = panel.get_window_extent()
        self.width, self.height = box.width, box.height

    def write(self, text: str, fp: FontProperties, colour: str) -> None:
        """``text`` wrapped to the panel's width (a CJK character is about 1 em wide)."""
        em = fp.get_size_in_points() * DPI / 72
        artist = self.panel.text(
            0,
            self.y,
            _wrap(text, self.width / em - 0.5),
            transform=self.panel.transAxes,
            va="top",
            ha="left",
            fontproperties=fp,
            color=colour,
            linespacing=1.35,
        )
        self.skip(artist.get_window_extent(self.renderer).height + self.gap)

    def skip(self, pixels: float) -> None:
        self.y -= pixels / self.height


def _legend(
    data: Dataset,
    sites: pd.DataFrame,
    colours: np.ndarray,
    exact: np.ndarray,
    schematic: bool,
    selection: bool,
    alliances: int,
    lang: str,
    scale: float,
) -> list[tuple]:
    """(handle, label) pairs: the programs of the sites drawn (in their map colour), the two
    kinds of position, the outline, the areas, the selection and the alliances."""
    name_col = localized("name", lang)
    used = set(colours.tolist())
    entries = [
        (_dot(colour, scale), name)
        for name, colour in zip(data.programs[name_col], data.programs["color"], strict=True)
        if colour in used
    ]
    if exact.any():
        entries.append((_dot("#607d8b", scale), precision_label("exact", lang)))
    if (~exact).any():
        approximate = (sites["location_precision"] == "approximate").to_numpy()
        if approximate.any() and (~exact & ~approximate).any():
            label = t("mapimage_not_exact", lang)
        elif approximate.any():
            label = precision_label("approximate", lang)
        else:
            label = t("mapimage_indicative", lang)
        entries.append((_dot("#607d8b", scale, dashed=True), label))
    line, fill, outline = AREA_COLOURS["light"]
    entries.append((Line2D([], [], color=outline, lw=2.6 * scale), t("map_outline", lang)))
    areas_label = t("map_areas" if schematic else "map_areas_official", lang)
    entries.append((Patch(facecolor=fill, edgecolor=line, linestyle="--"), areas_label))
    if selection:
        entries.append(
            (Line2D([], [], color=SELECTION_COLOUR, lw=4.2 * scale), t("mapimage_selected", lang))
        )
    if alliances:
        entries.append(
            (
                Patch(facecolor="#00998814", edgecolor="#009988", linestyle="--"),
                t("map_alliances_schematic", lang),
            )
        )
    return entries


def _dot(colour: str, scale: float, dashed: bool = False) -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker="o",
        markersize=11 * scale,
        markerfacecolor=colour,
        markeredgecolor=colour if dashed else "white",
        alpha=0.55 if dashed else 1.0,
        markeredgewidth=2 * scale if dashed else 1.2 * scale,
    )


def _caveats(sites: pd.DataFrame, schematic: bool, lang: str) -> list[str]:
    """What a reader must know before trusting a position or a boundary."""
    notes = caveat_positions(sites, lang)
    if schematic:
        notes.append(t("schematic_note", lang))
    notes.append(t("mapimage_caveat_basemap", lang))
    return notes


def position_counts(sites: pd.DataFrame) -> tuple[int, int]:
    """How many ``sites`` are drawn at an indicative and at an approximate position.

    Parameters
    ----------
    sites
        Sites with ``location_precision``.

    Returns
    -------
    tuple of (int, int)
        The number at an indicative position (:data:`INDICATIVE`: only their subdistrict,
        district or village/community is known) and at an approximate one (within about a
        kilometre).
    """
    precision = sites["location_precision"]
    return int(precision.isin(INDICATIVE).sum()), int((precision == "approximate").sum())


def caveat_positions(sites: pd.DataFrame, lang: str = "zh") -> list[str]:
    """The caveats on the positions of ``sites``.

    Parameters
    ----------
    sites
        Sites with ``location_precision``.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError where a caveat is written).

    Returns
    -------
    list of str
        A line on the indicative positions and one on the approximate ones, each with its
        count of the total; empty if every site is exact.
    """
    indicative, approximate = position_counts(sites)
    total, notes = len(sites), []
    if indicative:
        key = (
            "mapimage_caveat_all_positions" if indicative == total else "mapimage_caveat_positions"
        )
        notes.append(t(key, lang, n=indicative, total=total))
    if approximate:
        notes.append(t("mapimage_caveat_approximate", lang, n=approximate, total=total))
    return notes


#: Precisions drawn at a stand-in position: the seat of the subdistrict or district, or the
#: village's/community's placed position.
INDICATIVE = ("subdistrict", "district", "unit")
