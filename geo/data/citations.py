"""Readable citations: a stored source reference plus ``sources.csv`` -> text a person reads.

A record's ``source`` is a reference for the program, not text for people. It is one of:

- ``KEY`` or ``KEY#SECTION``: a document of ``sources.csv`` (e.g. ``article-2024#聚力攻坚``;
  ``KEY#A、B`` for a record drawn from two sections), cited as its short form plus the section:
  《执党建引领之笔，绘基层治理蓝图》济南报道，2024（聚力攻坚）;
- ``import:FILE``: the file an official imported (``geo.intake.ledger`` writes it):
导入文件《台账.xlsx》;
- anything else: what an official typed into the 来源 column, shown as it is.

The keys stay internal: every function here returns what a page shows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pandas as pd

from geo.text.labels import check_lang, preferred_langs, t

IMPORT_PREFIX = "import:"
SECTION_MARK = "#"
#: Between the sections of one reference (``article-2024#融合共治、聚能创新``).
SECTIONS_SEP = "、"


@dataclass(frozen=True)
class Reference:
    """A parsed ``source``: ``kind`` is ``document`` (a key of sources.csv, with an optional
    ``section``), ``import`` (``name`` is the file), ``text`` (typed by hand) or ``none``."""

    kind: str
    name: str
    section: str = ""

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections cited, in order (``A、B`` cites two; none without a section)."""
        return tuple(part.strip() for part in self.section.split(SECTIONS_SEP) if part.strip())


def parse_reference(reference: object, keys: Collection[str]) -> Reference:
    """Split a stored ``source`` into what it refers to.

    Parameters
    ----------
    reference
        The stored value (``None`` and NA read as no source).
    keys
        The document keys of ``sources.csv``: ``KEY#SECTION`` is a document reference only
        when ``KEY`` is one of them, otherwise the whole value is typed text.

    Returns
    -------
    Reference
        ``document`` (``name`` the key, ``section`` what follows ``#``), ``import``
        (``name`` the file), ``text`` (``name`` the whole stripped value) or ``none`` (an
        empty, None or NA value).
    """
    missing = reference is None or (not isinstance(reference, str) and pd.isna(reference))
    text = "" if missing else str(reference).strip()
    if not text:
        return Reference("none", "")
    if text.startswith(IMPORT_PREFIX) and text[len(IMPORT_PREFIX) :].strip():
        return Reference("import", text[len(IMPORT_PREFIX) :].strip())
    key, _, section = text.partition(SECTION_MARK)
    if key.strip() in keys:
        return Reference("document", key.strip(), section.strip())
    return Reference("text", text)


def _first(row: pd.Series, columns: Iterable[str]) -> str:
    for column in columns:
        value = row.get(column, "")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


#: The columns of sources.csv holding a document's short citation, then its full one, per
#: language (the Chinese full citation is ``citation``); a language without either falls back
#: to the next of :func:`geo.text.labels.preferred_langs`.
_SHORT_FIRST = {"zh": ("short_zh", "citation"), "en": ("short_en", "citation_en")}
#: The same, the full citation first.
_FULL_FIRST = {"zh": ("citation", "short_zh"), "en": ("citation_en", "short_en")}


def _documents(sources: pd.DataFrame) -> dict[str, pd.Series]:
    return {str(row["key"]).strip(): row for _, row in sources.iterrows()}


def _cite(ref: Reference, documents: dict[str, pd.Series], lang: str) -> str:
    if ref.kind == "none":
        return t("cite_none", lang)
    if ref.kind == "import":
        return t("cite_import", lang, name=ref.name)
    if ref.kind == "text":
        return ref.name
    row = documents[ref.name]
    order = tuple(column for language in preferred_langs(lang) for column in _SHORT_FIRST[language])
    short = _first(row, order) or ref.name
    return t("cite_section", lang, citation=short, section=ref.section) if ref.section else short


def cite(reference: object, sources: pd.DataFrame, lang: str = "zh") -> str:
    """The readable citation of one stored ``source`` reference.

    Parameters
    ----------
    reference
        E.g. ``"article-2024#聚力攻坚"``, ``"import:台账.xlsx"`` or typed text.
    sources
        The documents (``geo.data.io.load_sources``): ``key``, ``short_zh``, ``short_en``,
        ``citation``, ``citation_en``; a document without a short form is cited in full.
    lang
        ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    str
        E.g. 《执党建引领之笔，绘基层治理蓝图》济南报道，2024（聚力攻坚）; 导入文件《台账.xlsx》;
        typed text as it is; for no source, the label saying so.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"zh"`` or ``"en"``.
    """
    check_lang(lang)
    documents = _documents(sources)
    return _cite(parse_reference(reference, documents), documents, lang)


def cite_each(references: Iterable[object], sources: pd.DataFrame, lang: str = "zh") -> dict:
    """:func:`cite` for many references, each distinct one read once.

    Parameters
    ----------
    references
        Stored ``source`` values (repeats welcome).
    sources
        The documents (:func:`geo.data.io.load_sources`).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    dict
        Each distinct reference -> its readable citation.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"zh"`` or ``"en"``.
    """
    check_lang(lang)
    documents = _documents(sources)
    return {
        value: _cite(parse_reference(value, documents), documents, lang)
        for value in dict.fromkeys(references)
    }


def cite_column(references: pd.Series, sources: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """:func:`cite` for a column of references, each distinct value cited once.

    Parameters
    ----------
    references
        Stored ``source`` values.
    sources
        The documents (:func:`geo.data.io.load_sources`).
    lang
        ``"zh"`` or ``"en"``.

    Returns
    -------
    pandas.Series
        The readable citations (str), with the index of ``references``.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"zh"`` or ``"en"``.
    """
    cited = cite_each(pd.unique(references.astype(object)), sources, lang)
    return references.astype(object).map(cited).astype(str)


def with_citations(
    frame: pd.DataFrame, sources: pd.DataFrame, lang: str = "zh", column: str = "source"
) -> pd.DataFrame:
    """A copy of ``frame`` whose ``column`` holds readable citations instead of references.

    Parameters
    ----------
    frame
        Records with stored ``source`` references.
    sources
        The documents (:func:`geo.data.io.load_sources`).
    lang
        ``"zh"`` or ``"en"``.
    column
        The column of references; a frame without it is returned as a plain copy.

    Returns
    -------
    pandas.DataFrame
        The copy (the same columns, in the same order).

    Raises
    ------
    ValueError
        If ``lang`` is not ``"zh"`` or ``"en"`` and ``frame`` has ``column``.
    """
    out = frame.copy()
    if column in out:
        out[column] = cite_column(out[column], sources, lang)
    return out


def sources_list(
    sources: pd.DataFrame, references: Iterable[object] = (), lang: str = "zh"
) -> pd.DataFrame:
    """Every cited document with its readable citation: a page's list of sources.

    Parameters
    ----------
    sources
        The documents of ``sources.csv`` (all of them are listed: the shipped data cites each).
    references
        The ``source`` values of the records shown (any number, repeats allowed): each
        imported file or typed source among them is listed too, and ``records`` counts them.
    lang
        ``"zh"`` or ``"en"``: which citation of a document is listed.

    Returns
    -------
    pandas.DataFrame
        ``reference`` (internal: the key, ``import:FILE`` or the typed text), ``citation`` (in
        full, for people), ``licence``, ``note`` and ``records`` (how many references cite it);
        documents of sources.csv first, in its order, then the others by first appearance.

    Raises
    ------
    ValueError
        If ``lang`` is not ``"zh"`` or ``"en"``.
    """
    check_lang(lang)
    documents = _documents(sources)
    counts: dict[str, int] = {}
    extra: dict[str, str] = {}
    for value in references:
        ref = parse_reference(value, documents)
        if ref.kind == "document":
            counts[ref.name] = counts.get(ref.name, 0) + 1
        elif ref.kind != "none":
            name = f"{IMPORT_PREFIX}{ref.name}" if ref.kind == "import" else ref.name
            counts[name] = counts.get(name, 0) + 1
            extra.setdefault(name, _cite(ref, documents, lang))
    order = tuple(column for language in preferred_langs(lang) for column in _FULL_FIRST[language])
    rows = [
        {
            "reference": key,
            "citation": _first(row, order) or key,
            "licence": _first(row, ("licence",)),
            "note": _first(row, ("note",)),
            "records": counts.get(key, 0),
        }
        for key, row in documents.items()
    ]
    rows += [
        {"reference": name, "citation": text, "licence": "", "note": "", "records": counts[name]}
        for name, text in extra.items()
    ]
    return pd.DataFrame(rows, columns=["reference", "citation", "licence", "note", "records"])
