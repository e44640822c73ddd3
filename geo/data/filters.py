"""The record filter (subdistricts, programs, kinds, years, text) and its URL form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo.data import io
from geo.data.gazetteer import Gazetteer

#: Query-parameter names, as they appear in a shared URL.
PARAM_STREET, PARAM_PROGRAM, PARAM_KIND = "street", "program", "kind"
PARAM_YEAR_FROM, PARAM_YEAR_TO, PARAM_TEXT = "year_from", "year_to", "q"
FILTER_PARAMS = (
    PARAM_STREET,
    PARAM_PROGRAM,
    PARAM_KIND,
    PARAM_YEAR_FROM,
    PARAM_YEAR_TO,
    PARAM_TEXT,
)


@dataclass(frozen=True)
class RecordFilter:
    """What the user asked to see. Empty selections mean "all"; ``None`` years mean open."""

    subdistricts: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    text: str = ""


@dataclass(frozen=True)
class FilterVocabulary:
    """The values a filter may take: subdistrict codes with their names, programs, kinds.

    Subdistricts are looked up in ``gazetteer`` (:class:`geo.data.gazetteer.Gazetteer`, the one the
    ledger import and the boundary loader use); without one, a gazetteer of
    ``subdistrict_names`` alone is made (codes, names, with or without 街道 and the district's
    prefixes).
    """

    subdistrict_names: Mapping[str, str]
    programs: tuple[str, ...]
    kinds: tuple[str, ...]
    years: tuple[int, int] = (1949, 2100)
    gazetteer: Gazetteer | None = field(default=None, repr=False, compare=False)

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
        ``kind``, years ``year``, text ``name`` (and ``description`` when present; the
        search is case-insensitive).
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
        "year": f.year_from is not None or f.year_to is not None,
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
    if f.text.strip():
        needle = f.text.strip().lower()
        hay = records["name"].fillna("")
        if "description" in records:
            hay = hay + " " + records["description"].fillna("")
        mask &= hay.str.lower().str.contains(needle, regex=False).to_numpy()
    return records[mask]


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
        strings for the years and the stripped text; parameters left at "all" are absent.
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
        name; years must lie within ``vocabulary.years``; text is cut to 100 characters.
    vocabulary
        The values allowed.

    Returns
    -------
    tuple of (RecordFilter, list of (str, str))
        The filter, and the ``(parameter, value)`` pairs ignored (unknown values, bad years, a
        ``year_to`` before ``year_from``), so that the caller can show a notice.
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

    def _year(name: str) -> int | None:
        values = _values(params, name)
        if not values:
            return None
        value = values[0]
        low, high = vocabulary.years
        if re.fullmatch(r"[0-9]{1,4}", value) and low <= int(value) <= high:
            return int(value)
        ignored.append((name, value))
        return None

    programs = _choose(PARAM_PROGRAM, vocabulary.programs)
    kinds = _choose(PARAM_KIND, vocabulary.kinds)
    year_from, year_to = _year(PARAM_YEAR_FROM), _year(PARAM_YEAR_TO)
    if year_from is not None and year_to is not None and year_from > year_to:
        ignored.append((PARAM_YEAR_TO, str(year_to)))
        year_to = None
    raw_text = params.get(PARAM_TEXT) or ""
    text = str(raw_text if isinstance(raw_text, str) else (list(raw_text) or [""])[0])
    text = text.strip()[:100]  # free text: commas are part of it
    record_filter = RecordFilter(tuple(streets), programs, kinds, year_from, year_to, text)
    return record_filter, ignored
