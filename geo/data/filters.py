"""The record filter (subdistricts, programs, kinds, years, the year shown, text) and its URL
form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from geo.data import io
from geo.data.gazetteer import Gazetteer

#: Query-parameter names, as they appear in a shared URL.
PARAM_STREET, PARAM_PROGRAM, PARAM_KIND = "street", "program", "kind"
PARAM_YEAR_FROM, PARAM_YEAR_TO, PARAM_TEXT = "year_from", "year_to", "q"
#: The year the map shows (the year view: sites built by then and not yet merged or closed).
PARAM_AS_OF = "year"
FILTER_PARAMS = (
    PARAM_STREET,
    PARAM_PROGRAM,
    PARAM_KIND,
    PARAM_YEAR_FROM,
    PARAM_YEAR_TO,
    PARAM_TEXT,
    PARAM_AS_OF,
)


@dataclass(frozen=True)
class RecordFilter:
    """What the user asked to see. Empty selections mean "all"; ``None`` years mean open.

    ``as_of`` is the year the map shows (the year view): only records built by then (a known
    ``year`` no later) and not merged or closed by then (no ``end_year``, or a later one);
    ``None`` shows every year.
    """

    subdistricts: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    text: str = ""
    as_of: int | None = None


@dataclass(frozen=True)
class FilterVocabulary:
    """The values a filter may take: subdistrict codes with their names, programs, kinds.

    Subdistricts are looked up in ``gazetteer`` (:class:`geo.data.gazetteer.Gazetteer`, the one the
    ledger import and the boundary loader use); without one, a gazetteer of
    ``subdistrict_names`` alone is made (codes, names, with or without 街道 and the district's
    prefixes). ``years`` bounds the year range; ``as_of_years`` the year view.
    """

    subdistrict_names: Mapping[str, str]
    programs: tuple[str, ...]
    kinds: tuple[str, ...]
    years: tuple[int, int] = (1949, 2100)
    gazetteer: Gazetteer | None = field(default=None, repr=False, compare=False)
    #: The first and last year the year view offers; None when it offers none (the records
    #: span fewer than two years): a ``year`` parameter is then ignored.
    as_of_years: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.gazetteer is None:
            object.__setattr__(self, "gazetteer", Gazetteer.of_subdistricts(self.subdistrict_names))

    def subdistrict_code(self, value: str) -> str | None:
        """The 9-digit subdistrict code that ``value`` names, or None.

        Parameters
        ----------
        value
            A 9-digit code, a 12-digit ``...000`` code, or a name in any form the gazetteer
            knows (with or without 街道/街道办事处, full-width, with spaces).

        Returns
        -------
        str or None
            The 9-digit code of :attr:`subdistrict_names`, or None if ``value`` names none.
        """
        code = self.gazetteer.subdistrict(value)
        if code is None and len(value.strip()) == 12 and value.strip().endswith("000"):
            code = self.gazetteer.subdistrict(value.strip()[:9])
        return code if code in self.subdistrict_names else None


def filter_records(records: pd.DataFrame, record_filter: RecordFilter) -> pd.DataFrame:
    """Rows of ``records`` (sites or alliances) that pass ``record_filter``.

    Parameters
    ----------
    records
        Sites or alliances. Each part of the filter that is set needs its column:
        subdistricts ``subdistrict_code``, programs ``programs`` (``;``-separated), kinds
        ``kind``, years and the year shown ``year``, text ``name`` (and ``description`` when
        present; the search is case-insensitive). With ``as_of`` set, a record is kept if its
        ``year`` is known and no later than ``as_of`` and, when there is an ``end_year``
        column (sites: the year merged or closed), its ``end_year`` is empty or later than
        ``as_of``: a site closed in 2024 is shown up to 2023.
    record_filter
        The filter; an empty filter keeps every row.

    Returns
    -------
    pandas.DataFrame
        The rows that pass, with the same columns (an empty frame when none does).

    Raises
    ------
    ValueError
        If a part of the filter is set and ``records`` lacks the column it needs: a filter
        that cannot be applied must not silently keep every row.
    """
    f = record_filter
    needed = {
        "subdistrict_code": bool(f.subdistricts),
        "programs": bool(f.programs),
        "kind": bool(f.kinds),
        "year": f.year_from is not None or f.year_to is not None or f.as_of is not None,
        "name": bool(f.text.strip()),
    }
    missing = [column for column, used in needed.items() if used and column not in records]
    if missing:
        raise ValueError(
            f"records lack the column(s) {', '.join(missing)} that the filter needs; "
            f"columns: {', '.join(map(str, records.columns))}"
        )
    mask = np.ones(len(records), dtype=bool)
    if f.subdistricts:
        mask &= records["subdistrict_code"].isin(f.subdistricts).to_numpy()
    if f.programs:
        mask &= io.has_program(records["programs"], f.programs)
    if f.kinds:
        mask &= records["kind"].isin(f.kinds).to_numpy()
    if f.year_from is not None or f.year_to is not None:
        years = records["year"].astype("Float64")
        low = -np.inf if f.year_from is None else f.year_from
        high = np.inf if f.year_to is None else f.year_to
        mask &= ((years >= low) & (years <= high)).fillna(False).to_numpy(dtype=bool)
    if f.as_of is not None:
        mask &= _standing(records, f.as_of)
    if f.text.strip():
        needle = f.text.strip().lower()
        hay = records["name"].fillna("")
        if "description" in records:
            hay = hay + " " + records["description"].fillna("")
        mask &= hay.str.lower().str.contains(needle, regex=False).to_numpy()
    return records[mask]


def _standing(records: pd.DataFrame, year: int) -> np.ndarray:
    """Which records stand in ``year``: built by then (a known year no later), not yet merged
    or closed (no ``end_year``, or a later one)."""
    built = records["year"].astype("Float64").le(year).fillna(False).to_numpy(dtype=bool)
    if "end_year" not in records:
        return built
    ends = records["end_year"].astype("Float64")
    return built & (ends.isna() | ends.gt(year)).fillna(False).to_numpy(dtype=bool)


def count_undated(records: pd.DataFrame, record_filter: RecordFilter) -> int:
    """How many rows the year view leaves out only because their year is unknown.

    Parameters
    ----------
    records
        Sites or alliances, with the columns :func:`filter_records` needs for
        ``record_filter`` and a ``year`` column.
    record_filter
        The filter; its ``as_of`` is not applied (the other parts are).

    Returns
    -------
    int
        The rows that pass the rest of the filter and have no ``year``: 0 when ``as_of`` is
        None (every year shown: nothing is left out for its year).

    Raises
    ------
    ValueError
        As :func:`filter_records`, if ``records`` lack a column the filter needs.
    """
    if record_filter.as_of is None:
        return 0
    rest = filter_records(records, replace(record_filter, as_of=None))
    return int(rest["year"].isna().sum())


def to_query_params(record_filter: RecordFilter) -> dict[str, str | list[str]]:
    """The filter as query parameters, only what differs from "all".

    Parameters
    ----------
    record_filter
        The filter.

    Returns
    -------
    dict
        Parameter name -> value: lists for subdistricts (9-digit codes), programs and kinds,
        strings for the years, the year shown and the stripped text; parameters left at
        "all" are absent.
    """
    f = record_filter
    params: dict[str, str | list[str]] = {}
    if f.subdistricts:
        params[PARAM_STREET] = list(f.subdistricts)
    if f.programs:
        params[PARAM_PROGRAM] = list(f.programs)
    if f.kinds:
        params[PARAM_KIND] = list(f.kinds)
    if f.year_from is not None:
        params[PARAM_YEAR_FROM] = str(f.year_from)
    if f.year_to is not None:
        params[PARAM_YEAR_TO] = str(f.year_to)
    if f.text.strip():
        params[PARAM_TEXT] = f.text.strip()
    if f.as_of is not None:
        params[PARAM_AS_OF] = str(f.as_of)
    return params


def _values(params: Mapping[str, str | list[str]], name: str) -> list[str]:
    raw = params.get(name, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    # "a,b" is accepted as well as repeated parameters
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def from_query_params(
    params: Mapping[str, str | list[str]], vocabulary: FilterVocabulary
) -> tuple[RecordFilter, list[tuple[str, str]]]:
    """Parse query parameters into a filter; never raises on bad input.

    Parameters
    ----------
    params
        Query parameters (as ``st.query_params`` gives them): each value a string or a list of
        strings; a list value may also be written ``a,b``. Subdistricts may be given by code or
        name; years must lie within ``vocabulary.years``, the year shown (``year``) within
        ``vocabulary.as_of_years``; text is cut to 100 characters.
    vocabulary
        The values allowed.

    Returns
    -------
    tuple of (RecordFilter, list of (str, str))
        The filter, and the ``(parameter, value)`` pairs ignored (unknown values, bad years, a
        ``year_to`` before ``year_from``, a year shown that the year view does not offer), so
        that the caller can show a notice.
    """
    ignored: list[tuple[str, str]] = []
    streets = []
    for value in _values(params, PARAM_STREET):
        code = vocabulary.subdistrict_code(value)
        if code is None:
            ignored.append((PARAM_STREET, value))
        elif code not in streets:
            streets.append(code)

    def _choose(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        chosen = []
        for value in _values(params, name):
            if value in allowed and value not in chosen:
                chosen.append(value)
            elif value not in allowed:
                ignored.append((name, value))
        return tuple(chosen)

    def _year(name: str, span: tuple[int, int] | None) -> int | None:
        values = _values(params, name)
        if not values:
            return None
        value = values[0]
        if span is not None and re.fullmatch(r"[0-9]{1,4}", value):
            if span[0] <= int(value) <= span[1]:
                return int(value)
        ignored.append((name, value))
        return None

    programs = _choose(PARAM_PROGRAM, vocabulary.programs)
    kinds = _choose(PARAM_KIND, vocabulary.kinds)
    year_from = _year(PARAM_YEAR_FROM, vocabulary.years)
    year_to = _year(PARAM_YEAR_TO, vocabulary.years)
    as_of = _year(PARAM_AS_OF, vocabulary.as_of_years)
    if year_from is not None and year_to is not None and year_from > year_to:
        ignored.append((PARAM_YEAR_TO, str(year_to)))
        year_to = None
    raw_text = params.get(PARAM_TEXT) or ""
    text = str(raw_text if isinstance(raw_text, str) else (list(raw_text) or [""])[0])
    text = text.strip()[:100]  # free text: commas are part of it
    record_filter = RecordFilter(
        tuple(streets), programs, kinds, year_from, year_to, text, as_of=as_of
    )
    return record_filter, ignored
