"""The frame's shared state: language, the filter panel and its URL mirror, the page context."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from geo.data import filters
from geo.data.dataset import Dataset
from geo.data.filters import RecordFilter
from geo.data.gazetteer import Gazetteer, code_names
from geo.map import basemaps
from geo.text import vocab
from geo.text.labels import DEFAULT_LANG, LANGS, kind_label, localized, t
from ui import typesize
from ui.data import load_dataset
from ui.settings import basemap_settings

# Session-state keys of the shared filter widgets.
K_STREET, K_PROGRAM, K_KIND, K_YEARS, K_TEXT = (
    "f_street",
    "f_program",
    "f_kind",
    "f_years",
    "f_text",
)
K_LANG, K_BASEMAP = "lang", "basemap"
#: The year view (逐年查看: the year the map shows) and its 播放/暂停 button.
K_AS_OF, K_PLAY = "f_as_of", "f_play"
_PENDING, _IGNORED, _INIT, _CTX = "f_pending", "f_ignored", "f_init", "sz_context"
_PARSED, _BAD_LANG = "f_parsed", "f_bad_lang"
_PLAYING, _PLAY_LAST = "f_playing", "f_play_last"
YEAR_FLOOR = 2015
#: The year view's first option: every year (no year chosen).
ALL_YEARS = "all"
#: Seconds each year stays on the map while the year view plays (播放).
PLAY_STEP_S = 2.5
#: The player's clock tick; a year is held ``PLAY_STEP_S`` from when its map has painted.
PLAY_TICK_S = 0.5
#: Session-state keys the map's page sets (ui.widgets.after_map): since when it waits for the
#: map to paint this run's sites, and when it last had. A step waits for the paint (up to
#: ``PAINT_WAIT_S``): on a busy machine a slow paint does not eat the year's time on screen.
PAINT_PENDING, PAINTED_AT = "sz_paint_pending", "sz_painted_at"
#: A session's first look at the overview (ui/firstlook.py): "holding" until its map has
#: painted, then "over".
FIRST_LOOK, FIRST_LOOK_HOLDING, FIRST_LOOK_OVER = "sz_first_look", "holding", "over"
PAINT_WAIT_S = 30.0


@dataclass(frozen=True)
class Context:
    """What a page needs: language, data, the active filter and the records it selects."""

    lang: str
    data: Dataset
    filter: RecordFilter
    sites: pd.DataFrame
    alliances: pd.DataFrame
    basemap: basemaps.Basemap


def _data_years(data: Dataset) -> pd.Series:
    """Every known year of the sites and figures (int)."""
    return pd.concat([data.sites["year"], data.metrics["year"]]).dropna().astype(int)


def year_span(data: Dataset) -> tuple[int, int] | None:
    """The first and last year of the sites and figures: the years the year view offers; None
    if they span fewer than two years (then there is no year view)."""
    years = _data_years(data)
    if years.nunique() < 2:
        return None
    return int(years.min()), int(years.max())


def year_bounds(data: Dataset) -> tuple[int, int]:
    years = _data_years(data)
    low = min([YEAR_FLOOR, *years.tolist()])
    high = max([dt.date.today().year, *years.tolist()])
    return low, high


@st.cache_resource(max_entries=2)
def _gazetteer(version: int, _data: Dataset) -> Gazetteer:
    """The one gazetteer of ``_data``'s reference tables, made once per data version (not on
    every rerun: its forms take a few milliseconds to build)."""
    return Gazetteer.from_frames(_data.subdistricts, _data.units, _data.programs)


def vocabulary(data: Dataset) -> filters.FilterVocabulary:
    return filters.FilterVocabulary(
        subdistrict_names=dict(
            zip(data.subdistricts["code"], data.subdistricts["name"], strict=True)
        ),
        programs=tuple(data.programs["key"]),
        kinds=vocab.KINDS,
        years=year_bounds(data),
        gazetteer=_gazetteer(data.version, data),
        as_of_years=year_span(data),
    )


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118


def _apply_to_widgets(
    record_filter: RecordFilter, bounds: tuple[int, int], span: tuple[int, int] | None
) -> None:
    st.session_state[K_STREET] = list(record_filter.subdistricts)
    st.session_state[K_PROGRAM] = list(record_filter.programs)
    st.session_state[K_KIND] = list(record_filter.kinds)
    low = record_filter.year_from if record_filter.year_from is not None else bounds[0]
    high = record_filter.year_to if record_filter.year_to is not None else bounds[1]
    st.session_state[K_YEARS] = (max(low, bounds[0]), min(high, bounds[1]))
    st.session_state[K_TEXT] = record_filter.text
    as_of = record_filter.as_of
    shown = span is not None and as_of is not None and span[0] <= as_of <= span[1]
    st.session_state[K_AS_OF] = as_of if shown else ALL_YEARS


def _filter_from_widgets(bounds: tuple[int, int], span: tuple[int, int] | None) -> RecordFilter:
    low, high = st.session_state.get(K_YEARS, bounds)
    as_of = st.session_state.get(K_AS_OF, ALL_YEARS)
    return RecordFilter(
        subdistricts=tuple(st.session_state.get(K_STREET, [])),
        programs=tuple(st.session_state.get(K_PROGRAM, [])),
        kinds=tuple(st.session_state.get(K_KIND, [])),
        year_from=None if low <= bounds[0] else int(low),
        year_to=None if high >= bounds[1] else int(high),
        text=st.session_state.get(K_TEXT, "").strip(),
        as_of=None if span is None or as_of == ALL_YEARS else int(as_of),
    )


def request_filter(**changes) -> None:
    """Change the shared filter from a page (map click, chart click) and rerun.

    Widgets are already drawn when a page runs, so the change is applied at the top of the
    next run, before the filter panel is built.
    """
    st.session_state[_PENDING] = changes
    st.rerun()


def _reset() -> None:
    st.session_state[_PENDING] = {"reset": True}
    st.session_state[_PLAYING] = False


def _toggle_play(span: tuple[int, int]) -> None:
    """播放: from the year shown (the first year if every year or the last is shown) on; 暂停:
    stop there."""
    if st.session_state.get(_PLAYING):
        st.session_state[_PLAYING] = False
        return
    shown = st.session_state.get(K_AS_OF, ALL_YEARS)
    if shown == ALL_YEARS or not span[0] <= int(shown) < span[1]:
        st.session_state[K_AS_OF] = span[0]
    st.session_state[_PLAYING] = True


def current_language() -> str:
    """The session's language: from the URL on its first run (``?lang=en``), then the switch."""
    if K_LANG not in st.session_state:
        wanted = (_url_params().get(K_LANG) or [DEFAULT_LANG])[0]
        if wanted not in LANGS:
            st.session_state[_BAD_LANG] = wanted
        st.session_state[K_LANG] = wanted if wanted in LANGS else DEFAULT_LANG
    return st.session_state[K_LANG]


def setup(panel: bool = True, first_look: bool = False) -> Context:
    """Run once per script run from app.py: language, URL -> filter, filter panel, context.

    ``panel=False`` (the big screen) draws no filter panel and leaves the URL alone;
    ``first_look`` (ui/firstlook.py) puts a line in the panel's place: the panel comes in the
    next run, once the map has painted.
    """
    params = _url_params()
    settings = basemap_settings()
    bad_params: list[tuple[str, str]] = []
    lang = current_language()
    if _BAD_LANG in st.session_state:
        bad_params.append((K_LANG, st.session_state.pop(_BAD_LANG)))
    if K_BASEMAP not in st.session_state:
        default = settings.default if settings.default in basemaps.KEYS else basemaps.NONE
        wanted = (params.get(K_BASEMAP) or [default])[0]
        if wanted not in basemaps.KEYS:
            bad_params.append((K_BASEMAP, wanted))
        st.session_state[K_BASEMAP] = wanted if wanted in basemaps.KEYS else default
    if typesize.KEY not in st.session_state:
        scale, bad_scale = typesize.from_url(params.get(typesize.PARAM, []))
        if bad_scale is not None:
            bad_params.append((typesize.PARAM, bad_scale))
        st.session_state[typesize.KEY] = scale
    basemap, notice = basemaps.resolve(st.session_state[K_BASEMAP], settings)
    data = load_dataset(lang)
    if not panel:
        return _remember(Context(lang, data, RecordFilter(), data.sites, data.alliances, basemap))
    typesize.apply(st.session_state[typesize.KEY])
    vocab_ = vocabulary(data)
    bounds, span = vocab_.years, vocab_.as_of_years
    if not st.session_state.get(_INIT):
        record_filter, ignored = filters.from_query_params(params, vocab_)
        _apply_to_widgets(record_filter, bounds, span)
        st.session_state[_IGNORED] = bad_params + ignored
        st.session_state[_PARSED] = record_filter
        st.session_state[_INIT] = True
    pending = st.session_state.pop(_PENDING, None)
    if pending is not None:
        reset = pending.pop("reset", False)
        current = RecordFilter() if reset else _filter_from_widgets(bounds, span)
        _apply_to_widgets(RecordFilter(**{**current.__dict__, **pending}), bounds, span)
    shown = st.session_state.get(K_AS_OF, ALL_YEARS)
    if shown != ALL_YEARS and (span is None or not span[0] <= int(shown) <= span[1]):
        st.session_state[K_AS_OF] = ALL_YEARS  # the data changed: that year is offered no more
    record_filter = _filter_from_widgets(bounds, span)
    if record_filter != st.session_state.get(_PARSED):  # the link's notice no longer applies
        st.session_state[_IGNORED] = []
    if first_look:
        st.sidebar.caption(t("filters_coming", lang))
    else:
        _filter_panel(data, lang, (bounds, span), record_filter, notice)
    extra = {K_LANG: lang} if lang != DEFAULT_LANG else {}
    if st.session_state[K_BASEMAP] != settings.default:
        extra[K_BASEMAP] = st.session_state[K_BASEMAP]
    if st.session_state[typesize.KEY] != typesize.NORMAL:
        extra[typesize.PARAM] = st.session_state[typesize.KEY]
    _mirror_to_url(record_filter, extra)
    context = Context(
        lang,
        data,
        record_filter,
        filters.filter_records(data.sites, record_filter),
        filters.filter_records(data.alliances, record_filter),
        basemap,
    )
    return _remember(context)


def _remember(context: Context) -> Context:
    st.session_state[_CTX] = context
    return context


def first_look_holding() -> bool:
    """Whether this run is a session's first look (ui/firstlook.py): what is not on the first
    screen waits."""
    return st.session_state.get(FIRST_LOOK) == FIRST_LOOK_HOLDING


def get_context() -> Context:
    """The context app.py built for this run."""
    return st.session_state[_CTX]


def _filter_panel(
    data: Dataset,
    lang: str,
    years: tuple[tuple[int, int], tuple[int, int] | None],
    record_filter: RecordFilter,
    basemap_notice: str | None,
) -> None:
    """The sidebar: language, type size, basemap, then the filter's widgets. ``years``: the
    year range's bounds and the year view's span (None: no year view)."""
    bounds, span = years
    names = code_names(data.subdistricts)
    programs = dict(
        zip(
            data.programs["key"],
            data.programs[localized("name", lang)],
            strict=True,
        )
    )
    with st.sidebar:
        st.radio(
            t("language", lang),
            LANGS,
            key=K_LANG,
            horizontal=True,
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        )
        st.radio(
            t("text_size", lang),
            typesize.SCALES,
            key=typesize.KEY,
            horizontal=True,
            format_func=lambda scale: typesize.label(scale, lang),
        )
        st.selectbox(
            t("basemap", lang),
            basemaps.KEYS,
            key=K_BASEMAP,
            format_func=lambda key: basemaps.label(key, lang),
        )
        if basemap_notice:
            st.info(t(basemap_notice, lang), icon="ℹ️")
        st.header(t("filters", lang))
        ignored = st.session_state.get(_IGNORED)
        if ignored:
            st.warning(
                t("ignored_params", lang) + ", ".join(f"{k}={v}" for k, v in ignored), icon="⚠️"
            )
        st.multiselect(
            t("filter_street", lang),
            list(names),
            key=K_STREET,
            format_func=names.get,
            placeholder=t("all", lang),
        )
        st.multiselect(
            t("filter_program", lang),
            list(programs),
            key=K_PROGRAM,
            format_func=programs.get,
            placeholder=t("all", lang),
        )
        st.multiselect(
            t("filter_kind", lang),
            list(vocab.KINDS),
            key=K_KIND,
            format_func=lambda k: kind_label(k, lang),
            placeholder=t("all", lang),
        )
        st.slider(t("filter_years", lang), bounds[0], bounds[1], key=K_YEARS)
        if span is not None:
            _year_view(data, lang, span, record_filter)
        st.text_input(t("filter_text", lang), key=K_TEXT, max_chars=100)
        st.button(t("filter_reset", lang), on_click=_reset, width="stretch")
        st.caption(t("share_hint", lang))


def _year_view(
    data: Dataset, lang: str, span: tuple[int, int], record_filter: RecordFilter
) -> None:
    """逐年查看: the year the map shows (every year first), 播放/暂停, and what is shown."""
    st.select_slider(
        t("year_view", lang),
        [ALL_YEARS, *range(span[0], span[1] + 1)],
        key=K_AS_OF,
        format_func=lambda year: (
            t("year_view_all", lang) if year == ALL_YEARS else t("year_view_year", lang, year=year)
        ),
        help=t("year_view_help", lang),
    )
    playing = bool(st.session_state.get(_PLAYING))
    st.button(
        t("year_pause" if playing else "year_play", lang),
        key=K_PLAY,
        on_click=_toggle_play,
        args=(span,),
        icon=":material/pause:" if playing else ":material/play_arrow:",
        help=t("year_play_help", lang, s=PLAY_STEP_S),
        width="stretch",
    )
    if record_filter.as_of is not None:
        caption = t("year_view_caption", lang, year=record_filter.as_of)
        undated = filters.count_undated(data.sites, record_filter)
        if undated:
            caption += t("year_view_undated", lang, n=undated)
        st.caption(caption)
    if playing:
        # this run (a whole run of the app) shows the year: the next one is due in a step
        st.session_state[_PLAY_LAST] = time.monotonic()
        _player(span, lang)


@st.fragment(run_every=PLAY_TICK_S)
def _player(span: tuple[int, int], lang: str) -> None:
    """While the year view plays: ``PLAY_STEP_S`` after the year's run, or after its map has
    painted where the page has a map, one year on (a rerun of the whole app, so that the counts,
    the charts and the map follow), until the last year has been shown (or every year is chosen
    again)."""
    shown = st.session_state.get(K_AS_OF, ALL_YEARS)
    year = span[0] if shown == ALL_YEARS else int(shown)
    now = time.monotonic()
    pending = st.session_state.get(PAINT_PENDING)
    since = max(st.session_state.get(_PLAY_LAST, 0.0), st.session_state.get(PAINTED_AT, 0.0))
    painting = pending is not None and now - pending < PAINT_WAIT_S
    if not painting and now - since >= PLAY_STEP_S:
        if shown == ALL_YEARS or year >= span[1]:
            st.session_state[_PLAYING] = False
            st.rerun()
        request_filter(as_of=year + 1)
    st.caption(t("year_playing", lang, n=year - span[0] + 1, total=span[1] - span[0] + 1))


#: Query parameters a page reads for itself (the Manage page's ``place=unit:CODE`` to-do
#: links): the frame's URL mirror keeps them.
PAGE_PARAMS = ("place",)


def _mirror_to_url(record_filter: RecordFilter, extra: dict[str, str]) -> None:
    current = _url_params()
    kept = {k: current[k] for k in PAGE_PARAMS if current.get(k)}
    wanted: dict[str, str | list[str]] = {
        **filters.to_query_params(record_filter),
        **extra,
        **kept,
    }
    normalised = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if normalised != current:
        st.query_params.from_dict(wanted)


def set_single(field: str, value: str) -> None:
    """Make filter ``field`` (``subdistricts`` or ``programs``) exactly ``[value]``.

    Safe in widget callbacks only (they run before the filter panel is drawn); elsewhere use
    :func:`request_filter`.
    """
    st.session_state[_PENDING] = {field: (value,)}
