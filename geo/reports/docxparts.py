"""What python-docx leaves to its users: East Asian fonts, footnotes, page-number fields.

python-docx sets a font's Latin name only (``w:ascii``/``w:hAnsi``); Word draws Chinese text in
the ``w:eastAsia`` font, and the default template's heading styles name theme fonts that win
over both. :func:`set_fonts` writes all three and drops the theme references.

python-docx has no footnotes (python-openxml/python-docx#1, open since 2013; the forks that add
them replace the ``docx`` package itself). :class:`Footnotes` adds the standard footnotes part
(``word/footnotes.xml``, with the separator notes Word expects) and numbered notes referenced
from a run, as Word's own Insert Footnote does.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.shared import Pt

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(element, latin: str, east_asian: str) -> None:
    """Name the fonts of a style's or run's text, theme fonts removed.

    Parameters
    ----------
    element
        A ``w:style``, ``w:r`` or ``w:rPr`` element (python-docx's ``style.element``,
        ``run._r``); its run properties are created if missing.
    latin
        The font for Latin (and complex-script) text (``w:ascii``, ``w:hAnsi``, ``w:cs``).
    east_asian
        The font for Chinese text (``w:eastAsia``).
    """
    rpr = element if element.tag == qn("w:rPr") else element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(name), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def east_asian_font(element) -> str | None:
    """The ``w:eastAsia`` font named on a style's or run's properties.

    Parameters
    ----------
    element
        A ``w:style``, ``w:r`` or ``w:rPr`` element.

    Returns
    -------
    str or None
        The font's name, or None if none is named.
    """
    rpr = element if element.tag == qn("w:rPr") else element.find(qn("w:rPr"))
    fonts = None if rpr is None else rpr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def add_page_number(paragraph) -> None:
    """Append a ``PAGE`` field to ``paragraph``, between em dashes as in 公文: — 1 —.

    Parameters
    ----------
    paragraph
        A python-docx paragraph (the footer's).
    """
    paragraph.add_run("— ")
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
    )
    paragraph._p.append(field)
    paragraph.add_run(" —")


def repeat_header(row) -> None:
    """Repeat a table's ``row`` at the top of every page the table runs onto.

    Parameters
    ----------
    row
        A python-docx table row (the header row).
    """
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def keep_row_together(row) -> None:
    """Never split ``row`` between two pages.

    ``w:cantSplit`` goes before ``w:tblHeader`` as the schema orders them: Word refuses a file
    with them the other way round.

    Parameters
    ----------
    row
        A python-docx table row.
    """
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:cantSplit")
    header = trpr.find(qn("w:tblHeader"))
    if header is not None:
        header.addprevious(flag)
    else:
        trpr.append(flag)


_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)
FOOTNOTE_TEXT, FOOTNOTE_REFERENCE = "FootnoteText", "FootnoteReference"


class Footnotes:
    """The document's footnotes: :meth:`add` puts a numbered note at the end of a paragraph.

    Creating it adds the footnotes part and the ``footnote text`` and ``footnote reference``
    styles (text in ``latin``/``east_asian`` fonts at ``size`` points) to ``document``: make
    one per document.
    """

    def __init__(self, document, latin: str, east_asian: str, size: float) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.document = document
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            parse_xml(_FOOTNOTES_XML),
            document.part.package,
        )
        document.part.relate_to(self.part, RELATIONSHIP_TYPE.FOOTNOTES)
        styles = document.styles
        text = styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = styles["Normal"]
        text.font.size = Pt(size)
        text.paragraph_format.first_line_indent = Pt(0)
        text.paragraph_format.line_spacing = 1.0
        text.paragraph_format.space_after = Pt(0)
        set_fonts(text.element, latin, east_asian)
        mark = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
        mark.font.superscript = True
        self.text_style, self.mark_style = text.style_id, mark.style_id
        self.count = 0

    def add(self, paragraph, note: str) -> int:
        """Append a reference to a new footnote reading ``note`` to ``paragraph``.

        Parameters
        ----------
        paragraph
            A python-docx paragraph of the document.
        note
            The footnote's text (plain text, written as such).

        Returns
        -------
        int
            The footnote's number (1, 2, ...).
        """
        self.count += 1
        number = self.count
        run = paragraph.add_run()
        run.style = self.document.styles["footnote reference"]
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(number))
        run._r.append(reference)
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(number))
        body = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), self.text_style)
        ppr.append(style)
        body.append(ppr)
        body.append(self._run(None, mark=True))
        body.append(self._run(" " + note))
        footnote.append(body)
        self.part.element.append(footnote)
        return number

    def _run(self, text: str | None, mark: bool = False):
        run = OxmlElement("w:r")
        if mark:
            rpr = OxmlElement("w:rPr")
            style = OxmlElement("w:rStyle")
            style.set(qn("w:val"), self.mark_style)
            rpr.append(style)
            run.append(rpr)
            run.append(OxmlElement("w:footnoteRef"))
        else:
            node = OxmlElement("w:t")
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            node.text = text
            run.append(node)
        return run


def footnote_texts(document) -> list[str]:
    """The text of each numbered footnote of ``document``, in order.

    Parameters
    ----------
    document
        A python-docx Document.

    Returns
    -------
    list of str
        The notes' texts, stripped (the separators excluded); empty if it has no footnotes part.
    """
    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.FOOTNOTES)
    except KeyError:
        return []
    root = part.element if hasattr(part, "element") else parse_xml(part.blob)
    notes = []
    for footnote in root.iter(qn("w:footnote")):
        if int(footnote.get(qn("w:id"))) > 0:
            notes.append("".join(node.text or "" for node in footnote.iter(qn("w:t"))).strip())
    return notes
