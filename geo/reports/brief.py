"""汇报材料: a Word brief (.docx) of one view of the dashboard, made on the server, offline.

A :class:`~geo.reports.pageviews.View` is what one page shows (``geo.reports.pageviews``, whose
functions this
module re-exports). :func:`build_brief` writes it as a document
an office can hand in after light editing: title and date, the scope in words, the map as a
picture (``geo.map.image``), the reported figures with their periods and citations, the
records, the programs and their timeline, and footnotes with the full sources and the caveats.

Layout after GB/T 9704-2012 (公文格式): A4, margins 37/35/28/26 mm, body 仿宋 三号 (16 pt) at
a fixed 28 pt line, headings 黑体, tables 宋体, page numbers "— 1 —".
"""

from __future__ import annotations

import datetime as dt
import io as bytes_io
import re
from collections.abc import Iterable

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Mm, Pt, RGBColor

from geo.data import io, kpi
from geo.data.citations import cite, parse_reference, sources_list
from geo.data.completeness import verified_share
from geo.data.dataset import Dataset
from geo.data.gazetteer import code_names
from geo.map.image import MapImage, caveat_positions, position_counts
from geo.reports.docxparts import (
    Footnotes,
    add_page_number,
    keep_row_together,
    repeat_header,
    set_fonts,
)
from geo.reports.pageviews import (
    View,
    view_sources,
)
from geo.text import vocab
from geo.text.labels import (
    check_lang,
    join_clauses,
    join_list,
    kind_label,
    list_separator,
    localized,
    precision_label,
    t,
)

#: Above this many records the brief lists them per subdistrict and kind instead of one by one
#: (a brief of 10,000 rows is 300 pages nobody hands in; the Records page exports them all).
MAX_RECORD_ROWS = 300

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
    """A number as section numbers are written in Chinese.

    Parameters
    ----------
    n
        The number, 1 to 99.

    Returns
    -------
    str
        1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三.

    Raises
    ------
    ValueError
        If ``n`` is outside 1..99 (the message shows it).
    """
    if not 1 <= n <= 99:
        raise ValueError(f"n must be 1..99, got {n!r}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def _numbered(key: str, n: int, lang: str) -> str:
    """The heading number label ``key`` for ``n``: ``{cn}`` in Chinese numerals, ``{n}`` in
    digits (a number past 99, which Chinese numerals here do not reach, in digits too)."""
    return t(key, lang, n=n, cn=chinese_number(n) if 1 <= n <= 99 else n)


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
        self.sections += 1
        number = _numbered("brief_heading_number", self.sections, self.lang)
        self.doc.add_paragraph(number + text, style="Heading 1")

    def subheading(self, number: int, text: str) -> None:
        prefix = _numbered("brief_subheading_number", number + 1, self.lang)
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

    Raises
    ------
    ValueError
        If ``lang`` is not ``"zh"`` or ``"en"``.
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
    kinds = join_list((f"{kind_label(k, lang)} {n}" for k, n in counts.by_kind.items() if n), lang)
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
        names = join_list(view.units["short_name"], lang)
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
            caption,
            t(
                "brief_map_sources",
                lang,
                sources=join_clauses(view_sources(view, data, lang), lang),
            ),
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
                    kpi.format_period(
                        row.year,
                        getattr(row, "period", "year"),
                        lang,
                        getattr(row, "quarter", None),
                    ),
                    row.source,
                ]
                for i, row in enumerate(view.metrics.itertuples(index=False), start=1)
            ),
            cite_col=4,
            caption=caption,
            centered=(0, 2, 3),
        )
        w.paragraph(t("brief_figures_note", lang), size=12)
        _comparisons(w, view.metrics, lang)

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
        names = code_names(data.programs, localized("name", lang), key="key")
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
    verified, total = verified_share(view.sites, today)
    if total:
        share = f"{verified / total:.0%}"
        w.paragraph(t("brief_note_verified", lang, v=verified, n=total, p=share))
    w.paragraph(t("brief_note_generated", lang))
    if bool(data.areas["schematic"].any()):
        w.paragraph(t("schematic_note", lang))
    if listed:
        _records_appendix(w, view, lang)
    return w.save()


def _comparisons(w: _Writer, metrics: pd.DataFrame, lang: str) -> None:
    """Each figure with several periods in a sentence: its latest value, its change against the
    period before and its share of its target, each with its source (footnoted at its first
    citation). A figure with one period is the table's row alone."""
    if "periods" not in metrics:
        return
    compared = metrics[metrics["periods"].fillna(0).astype(int) >= 2]
    if compared.empty:
        return
    w.paragraph(t("brief_compare_intro", lang))
    name_col = localized("name", lang)
    for row in compared.itertuples(index=False):
        period = kpi.format_period(
            row.year, getattr(row, "period", "year"), lang, getattr(row, "quarter", None)
        )
        paragraph = w.paragraph(
            t(
                "brief_compare_now",
                lang,
                name=getattr(row, name_col),
                period=period,
                value=row.display,
            )
        )
        paragraph.add_run(t("brief_source_prefix", lang))
        w.cite_into(paragraph, row.source)
        paragraph.add_run(t("brief_source_suffix", lang))
        change = kpi.format_change(row, lang)
        if change:
            previous = row.history[-2]  # (year, quarter, period, display, source)
            paragraph.add_run(t("brief_compare_change", lang, change=change))
            paragraph.add_run(t("brief_compare_previous", lang, value=previous[3]))
            w.cite_into(paragraph, previous[4])
            paragraph.add_run(t("brief_source_suffix", lang))
        target = kpi.format_target(row, lang)
        if target:
            paragraph.add_run(t("brief_compare_target", lang, target=target))
            paragraph.add_run(t("brief_compare_target_source", lang))
            w.cite_into(paragraph, getattr(row, "target_source", "") or row.source)
            paragraph.add_run(t("brief_source_suffix", lang))
        paragraph.add_run(t("brief_compare_end", lang))


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
    names = code_names(data.subdistricts)
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
            paragraph.add_run(list_separator(lang))
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
    names = code_names(data.subdistricts)
    programs = code_names(data.programs, localized("name", lang), key="key")
    sep = list_separator(lang)
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
