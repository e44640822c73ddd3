"""Row-level validation of the data files (pandera schemas plus cross-file and spatial rules).

Every problem is an :class:`Issue` naming the file, the row as a spreadsheet shows it (header =
row 1), the column, the value and what is wrong, in Chinese or English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from geo.data import citations, io
from geo.data.gazetteer import code_names
from geo.data.problems import Problems
from geo.text import vocab
from geo.text.labels import message, t


@dataclass(frozen=True)
class Issue:
    """One problem in one cell. ``row`` is the spreadsheet row (header = 1), None for the file."""

    file: str
    row: int | None
    column: str
    value: str
    key: str
    severity: str = "error"

    def describe(self, lang: str = "zh") -> str:
        """One line: where (file, row, column), the value as written, what is wrong, how bad.

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        str
            E.g. ``sites.csv 第3行「lon」“abc”：不是数字（错误）``.
        """
        level = t(f"severity_{self.severity}", lang)
        where = (
            t("issue_at_row", lang, file=self.file, row=self.row)
            if self.row is not None
            else self.file
        )
        column = t("issue_column", lang, column=self.column)
        value = t("issue_value", lang, value=self.value)
        return t(
            "issue_line",
            lang,
            where=where,
            column=column,
            value=value,
            column_if_any=column if self.column else "",
            value_if_any=value if self.value else "",
            problem=message(self.key, lang),
            level=level,
        )

    def problem(self, lang: str = "zh") -> str:
        """What is wrong, without where (for a table that has its own columns).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        str
            The message of :attr:`key` in ``lang`` (the key itself if it has none).
        """
        return message(self.key, lang)

    def __str__(self) -> str:
        return self.describe("en")


@dataclass
class Report(Problems):
    """Outcome of :func:`geo.load.validate_dataset`: issues and record counts."""

    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def problems(self) -> list[Issue]:
        """The issues, in the order found."""
        return self.issues


# --- element checks --------------------------------------------------------------------------


def _is_number(value: str) -> bool:
    try:
        return np.isfinite(float(str(value).strip()))
    except ValueError:
        return False


def _is_year(value: str) -> bool:
    text = str(value).strip()
    return text == "" or (re.fullmatch(r"[0-9]{4}", text) is not None and 1949 <= int(text) <= 2100)


def _non_empty(error: str = "empty") -> pa.Check:
    return pa.Check(lambda s: s.str.strip().str.len() > 0, error=error)


def _isin(values: Iterable[str], error: str, allow_empty: bool = False) -> pa.Check:
    allowed = set(values) | ({""} if allow_empty else set())
    return pa.Check(lambda s: s.str.strip().isin(allowed), error=error)


def _each_in(values: Iterable[str], error: str) -> pa.Check:
    allowed = set(values)
    return pa.Check(
        lambda v: bool(io.split_list(v)) and all(p in allowed for p in io.split_list(v)),
        element_wise=True,
        error=error,
    )


def _column(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), unique=unique, nullable=False, coerce=True)


def _optional(*checks: pa.Check) -> pa.Column:
    """A text column a file may lack (one written before the column existed)."""
    return pa.Column(str, checks=list(checks), nullable=False, coerce=True, required=False)


_ID = _column(_non_empty(), unique=True)
_TEXT = _column(_non_empty())
_NUMBER = _column(pa.Check(_is_number, element_wise=True, error="not_number"))
_YEAR = _column(pa.Check(_is_year, element_wise=True, error="not_year"))


def _run(schema: pa.DataFrameSchema, raw: pd.DataFrame, file: str) -> list[Issue]:
    try:
        schema.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _issues_from_failures(errors.failure_cases, file)
    return []


def _issues_from_failures(failures: pd.DataFrame, file: str) -> list[Issue]:
    issues = []
    for case in failures.itertuples(index=False):
        if case.check == "column_in_dataframe":
            issues.append(Issue(file, None, str(case.failure_case), "", "missing_column"))
            continue
        key = "duplicate" if case.check == "field_uniqueness" else str(case.check)
        row = None if pd.isna(case.index) else int(case.index) + 2
        issues.append(Issue(file, row, str(case.column), str(case.failure_case), key))
    return sorted(set(issues), key=lambda i: (i.row or 0, i.column, i.key))


# --- per-file validation ---------------------------------------------------------------------


@dataclass(frozen=True)
class References:
    """What records may refer to: subdistrict codes, unit code -> subdistrict, program keys."""

    subdistricts: frozenset[str]
    unit_parent: dict[str, str]
    programs: frozenset[str]

    @classmethod
    def from_frames(cls, subdistricts, units, programs) -> References:
        """The gazetteer of the reference tables.

        Parameters
        ----------
        subdistricts
            With ``code`` (9 digits).
        units
            With ``code`` (12 digits) and ``subdistrict_code``.
        programs
            With ``key``.

        Returns
        -------
        References
            The subdistrict codes, unit code -> subdistrict code, and the program keys.
        """
        return cls(
            frozenset(subdistricts["code"]),
            code_names(units, "subdistrict_code"),
            frozenset(programs["key"]),
        )


def validate_sites(
    raw: pd.DataFrame, gazetteer: References, file: str = "sites.csv"
) -> list[Issue]:
    """Schema and reference rules of a raw (all-text) sites table.

    Parameters
    ----------
    raw
        The table as read by :func:`read_raw`: the columns of :data:`geo.data.io.SITE_COLUMNS`,
        all text; ``lon``, ``lat`` in WGS-84 degrees.
    gazetteer
        The codes and keys records may refer to.
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        Missing columns, empty or duplicate ids, unknown kinds, subdistricts, units, programs
        and precisions, non-numeric coordinates, bad years (``end_year`` is optional and may
        be empty), an end year before the site's year (``end_before_start``), a unit of
        another subdistrict, a site without a subdistrict that is not placed at district
        level. Positions are checked
        by :func:`check_locations`.
    """
    schema = pa.DataFrameSchema(
        {
            "id": _ID,
            "name": _TEXT,
            "kind": _column(_isin(vocab.KINDS, "unknown_kind")),
            "subdistrict_code": _column(_isin(gazetteer.subdistricts, "unknown_subdistrict", True)),
            "unit_code": _column(_isin(gazetteer.unit_parent, "unknown_unit", True)),
            "programs": _column(_each_in(gazetteer.programs, "unknown_program")),
            "year": _YEAR,
            # optional (a table from before end years has no such column)
            "end_year": pa.Column(
                str,
                checks=[pa.Check(_is_year, element_wise=True, error="not_year")],
                coerce=True,
                required=False,
            ),
            "description": pa.Column(str, coerce=True),
            "source": _TEXT,
            "lon": _NUMBER,
            "lat": _NUMBER,
            "location_precision": _column(_isin(vocab.PRECISIONS, "unknown_precision")),
            "inferred": _column(_isin(("true", "false", "True", "False"), "not_yes_no")),
        }
    )
    issues = _run(schema, raw, file)
    if {"subdistrict_code", "unit_code", "location_precision"} <= set(raw.columns):
        # vectorised: a ledger may have tens of thousands of rows
        street = raw["subdistrict_code"].str.strip()
        unit = raw["unit_code"].str.strip()
        parent = unit.map(gazetteer.unit_parent).fillna("")
        elsewhere = (parent != "") & (street != "") & (parent != street)
        for index in raw.index[elsewhere.to_numpy()]:
            issues.append(
                Issue(file, index + 2, "unit_code", unit[index], "unit_not_in_subdistrict")
            )
        unplaced = (street == "") & (raw["location_precision"].str.strip() != "district")
        for index in raw.index[unplaced.to_numpy()]:
            issues.append(Issue(file, index + 2, "subdistrict_code", "", "subdistrict_required"))
    if {"year", "end_year"} <= set(raw.columns):
        start, end = _year_numbers(raw["year"]), _year_numbers(raw["end_year"])
        for index in raw.index[(end < start).to_numpy()]:
            value = raw["end_year"][index]
            issues.append(Issue(file, index + 2, "end_year", value, "end_before_start"))
    return issues


def _year_numbers(values: pd.Series) -> pd.Series:
    """An all-text column's valid years (:func:`_is_year`) as numbers, NaN elsewhere."""
    text = values.astype(str).str.strip()
    number = pd.to_numeric(text.where(text.str.fullmatch(r"[0-9]{4}")), errors="coerce")
    return number.where(number.between(1949, 2100))


def validate_metrics(
    raw: pd.DataFrame, gazetteer: References, scopes: dict[str, set[str]], file: str = "metrics.csv"
) -> list[Issue]:
    """Schema and reference rules of a raw (all-text) metrics table.

    Parameters
    ----------
    raw
        The table as read by :func:`read_raw` (the columns of :data:`geo.data.io.METRIC_COLUMNS`).
    gazetteer
        The codes and keys records may refer to.
    scopes
        Scope type -> the codes a figure of that type may be about (a type it lacks is not
        checked).
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        Schema problems (values, units, qualifiers, scope types, programs, years, periods,
        sources), a ``to_date`` figure without a year, and an unknown scope code.
    """
    schema = pa.DataFrameSchema(
        {
            "id": _ID,
            "name_zh": _TEXT,
            "name_en": pa.Column(str, coerce=True),
            "value": _NUMBER,
            "unit": _column(_non_empty("no_unit")),
            "qualifier": _column(_isin(vocab.QUALIFIERS, "unknown_qualifier")),
            "scope_type": _column(_isin(vocab.SCOPE_TYPES, "unknown_scope_type")),
            "scope_code": _TEXT,
            "program": _column(_isin(gazetteer.programs, "unknown_program")),
            "year": _YEAR,
            "period": _column(_isin(vocab.PERIODS, "unknown_period")),
            "source": _TEXT,
            # 0007: optional, so that a file from before them still reads
            "quarter": _optional(_isin(("1", "2", "3", "4"), "not_quarter", allow_empty=True)),
            "target": _optional(
                pa.Check(
                    lambda v: not str(v).strip() or _is_number(v),
                    element_wise=True,
                    error="not_number",
                )
            ),
            "better": _optional(_isin(vocab.BETTER, "unknown_better", allow_empty=True)),
        }
    )
    issues = _run(schema, raw, file)
    issues += _over_full_shares(raw, file) + _mixed_units(raw, file)
    if {"period", "year"} <= set(raw.columns):
        for index, row in raw.iterrows():
            if row["period"].strip() == "to_date" and not row["year"].strip():
                issues.append(Issue(file, index + 2, "year", "", "period_needs_year"))
    if {"scope_type", "scope_code"} <= set(raw.columns):
        for index, row in raw.iterrows():
            known = scopes.get(row["scope_type"].strip())
            if (
                known is not None
                and row["scope_code"].strip()
                and row["scope_code"].strip() not in known
            ):
                issues.append(
                    Issue(file, index + 2, "scope_code", row["scope_code"], "unknown_scope")
                )
    return issues


def _over_full_shares(raw: pd.DataFrame, file: str) -> list[Issue]:
    """A share (unit ``%``) above 100, as a value or a target."""
    if "unit" not in raw:
        return []
    share = raw["unit"].str.strip() == "%"
    issues = []
    for column in ("value", "target"):
        if column not in raw:
            continue
        number = pd.to_numeric(raw[column].str.strip(), errors="coerce")
        for index in raw.index[share & (number > 100)]:
            issues.append(Issue(file, index + 2, column, raw.at[index, column], "share_over_100"))
    return issues


def _mixed_units(raw: pd.DataFrame, file: str) -> list[Issue]:
    """Rows of one figure (the same name and scope, several periods) in another unit than the
    figure's first row: its periods could not be compared."""
    if not {"name_zh", "unit", "scope_type", "scope_code"} <= set(raw.columns):
        return []
    keys = raw[["name_zh", "scope_type", "scope_code"]].apply(lambda c: c.str.strip())
    units = raw["unit"].str.strip()
    first = units.groupby([keys[c] for c in keys.columns], sort=False).transform("first")
    return [
        Issue(file, index + 2, "unit", units[index], "unit_mixed")
        for index in raw.index[(units != first) & (units != "")]
    ]


def validate_alliances(
    raw: pd.DataFrame, gazetteer: References, file: str = "alliances.csv"
) -> list[Issue]:
    """Schema and reference rules of a raw (all-text) alliances table.

    Parameters
    ----------
    raw
        The table as read by :func:`read_raw` (the columns of :data:`geo.data.io.ALLIANCE_COLUMNS`).
    gazetteer
        The codes and keys records may refer to.
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        Schema problems (kinds, subdistricts, member units, programs, years, sources) and
        inferred members that are not members.
    """
    schema = pa.DataFrameSchema(
        {
            "id": _ID,
            "name": _TEXT,
            "kind": _column(_isin(vocab.ALLIANCE_KINDS, "unknown_alliance_kind")),
            "subdistrict_code": _column(_isin(gazetteer.subdistricts, "unknown_subdistrict")),
            "member_codes": _column(_each_in(gazetteer.unit_parent, "unknown_unit")),
            "programs": _column(_each_in(gazetteer.programs, "unknown_program")),
            "inferred_codes": pa.Column(str, coerce=True),
            "year": _YEAR,
            "description": pa.Column(str, coerce=True),
            "membership_note": pa.Column(str, coerce=True),
            "source": _TEXT,
        }
    )
    issues = _run(schema, raw, file)
    if {"member_codes", "inferred_codes"} <= set(raw.columns):
        for index, row in raw.iterrows():
            members = set(io.split_list(row["member_codes"]))
            for code in io.split_list(row["inferred_codes"]):
                if code not in members:
                    issues.append(
                        Issue(file, index + 2, "inferred_codes", code, "inferred_not_member")
                    )
    return issues


def validate_details(
    raw: pd.DataFrame, gazetteer: References, file: str = "details.csv"
) -> list[Issue]:
    """Schema and reference rules of the named items (``program`` may be empty).

    Parameters
    ----------
    raw
        The table as read by :func:`read_raw` (``details.csv``).
    gazetteer
        The program keys a ``program`` may name.
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        Empty or duplicate ids, unknown programs or kinds (:data:`geo.text.vocab.DETAIL_KINDS`),
        empty names or sources.
    """
    schema = pa.DataFrameSchema(
        {
            "id": _ID,
            "program": _column(_isin(gazetteer.programs, "unknown_program", allow_empty=True)),
            "kind": _column(_isin(vocab.DETAIL_KINDS, "unknown_detail_kind")),
            "name_zh": _TEXT,
            "source": _TEXT,
        }
    )
    return _run(schema, raw, file)


def validate_references(raws: dict[str, pd.DataFrame], sources: pd.DataFrame) -> list[Issue]:
    """Every ``source`` cites a document of ``sources`` (and one of its sections) or an import.

    Parameters
    ----------
    raws
        File name -> raw table; tables without a ``source`` column are skipped.
    sources
        The documents (:func:`geo.data.io.load_sources`): ``key`` and ``sections`` (``;``-separated;
        empty: any section is accepted).

    Returns
    -------
    list of Issue
        ``unknown_source`` for a source that is neither a document nor ``import:FILE``,
        ``unknown_section`` for a section the document does not list.
    """
    documents = code_names(sources, "sections", key="key")
    issues = []
    for file, raw in raws.items():
        if "source" not in raw.columns:
            continue
        for index, value in raw["source"].items():
            ref = citations.parse_reference(value, documents)
            if ref.kind == "text":
                issues.append(Issue(file, index + 2, "source", value, "unknown_source"))
            elif ref.kind == "document" and ref.section:
                sections = io.split_list(documents[ref.name])
                if sections and not set(ref.sections) <= set(sections):
                    issues.append(Issue(file, index + 2, "source", value, "unknown_section"))
    return issues


def validate_programs(raw: pd.DataFrame, file: str = "programs.csv") -> list[Issue]:
    """Schema rules of the program vocabulary.

    Parameters
    ----------
    raw
        The table as read by :func:`read_raw` (``programs.csv``).
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        Empty or duplicate keys, empty names or sources, colours that are not ``#RRGGBB``.
    """
    hex_colour = re.compile(r"^#[0-9A-Fa-f]{6}$")
    schema = pa.DataFrameSchema(
        {
            "key": _ID,
            "name_zh": _TEXT,
            "name_en": _TEXT,
            "color": _column(
                pa.Check(lambda v: bool(hex_colour.match(v)), element_wise=True, error="bad_color")
            ),
            "source": _TEXT,
        }
    )
    return _run(schema, raw, file)


def check_locations(
    sites: pd.DataFrame, outline: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, file: str = "sites.csv"
) -> list[Issue]:
    """Points inside the district and inside their subdistrict's area.

    Parameters
    ----------
    sites
        Sites with ``lon``, ``lat`` (float, WGS-84, EPSG:4326, degrees; rows with NaN are
        skipped: the schema reports them) and ``subdistrict_code``; the index gives the row
        (index + 2).
    outline
        The district outline, EPSG:4326.
    areas
        Subdistrict areas, EPSG:4326, with ``code`` and ``schematic``.
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        By row: ``outside_district`` (an error), ``outside_subdistrict`` (a warning while the
        area is schematic, an error when it is official); the value is ``"lon, lat"``.
    """
    located = sites[sites["lon"].notna() & sites["lat"].notna()]
    points = io.sites_to_geodataframe(located)
    issues = []
    district = outline.geometry.union_all()
    inside = points.within(district).to_numpy()
    lon, lat = points["lon"].to_numpy(), points["lat"].to_numpy()
    for i in np.flatnonzero(~inside):
        value = f"{lon[i]}, {lat[i]}"
        issues.append(Issue(file, points.index[i] + 2, "lon/lat", value, "outside_district"))
    # each area against its own points at once (vectorised shapely), not point by point
    codes = points["subdistrict_code"].to_numpy()
    geometry = points.geometry.to_numpy()
    for code, area, schematic in zip(
        areas["code"], areas.geometry, areas["schematic"], strict=True
    ):
        mine = np.flatnonzero(inside & (codes == code))
        if not len(mine):
            continue
        outside = mine[~shapely.covers(area, geometry[mine])]
        severity = "warning" if schematic else "error"
        for i in outside:
            value = f"{lon[i]}, {lat[i]}"
            issues.append(
                Issue(file, points.index[i] + 2, "lon/lat", value, "outside_subdistrict", severity)
            )
    issues.sort(key=lambda issue: issue.row)
    return issues


def read_raw(path: Path) -> pd.DataFrame:
    """A CSV as all-text columns, for validation.

    Parameters
    ----------
    path
        A UTF-8 CSV file.

    Returns
    -------
    pandas.DataFrame
        Every column as text, empty cells as ``""`` (nothing stripped or converted).
    """
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


PROGRAM_COLUMNS = [
    "key",
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "color",
    "source",
]


def missing_columns(raw: pd.DataFrame, required: Iterable[str], file: str) -> list[Issue]:
    """One issue per required column absent from ``raw``.

    Parameters
    ----------
    raw
        A table.
    required
        The columns it must have.
    file
        The file's name, for the issues.

    Returns
    -------
    list of Issue
        ``missing_column`` issues (no row), in the order of ``required``.
    """
    return [
        Issue(file, None, column, "", "missing_column")
        for column in required
        if column not in raw.columns
    ]
