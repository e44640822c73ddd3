"""Importing an office's file: its Excel ledger (台账) as kept, the Excel template, or a CSV.

One short pipeline over one module per phase:

1. :mod:`geo.intake.read`: the file's tables (every sheet; merged cells filled);
2. :mod:`geo.intake.headers`: the header row wherever it is, each column's field (one synonym
   table, a remembered or given mapping), the rows above it, 合计 rows and blank rows skipped;
3. :mod:`geo.intake.geocode`: addresses without coordinates geocoded, when a key is configured;
4. :mod:`geo.intake.rows`: each row normalised to a record (vocabularies, WGS-84);
5. :mod:`geo.data.validate`: the records' rules and positions;
6. :mod:`geo.intake.changes`: what is added, changed or unchanged; then one transaction.

Nothing is written unless the whole file is valid; every problem names the sheet, the file's
own row number, the column as the file heads it and the cell as written. Rows are matched by
id (a stable one is made from a row's identifying fields), so importing the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.config import DISTRICT_CODE
from geo.data import io, kpi, validate
from geo.data.access import ADMIN, Account, account_of, owner_name, owner_of
from geo.data.gazetteer import name_key
from geo.data.problems import Problems
from geo.data.validate import Issue
from geo.intake import rows as normalise
from geo.intake.boundaries import load_configured_areas
from geo.intake.changes import diff
from geo.intake.headers import (
    FIELDS,
    IGNORE,
    REQUIRED,
    Layout,
    find_layout,
    normalise_header,
)
from geo.intake.lookups import Lookups, key_of
from geo.intake.read import ReadError, Table, read_tables
from geo.intake.rows import Context, Row, stable_id
from geo.reports.sheets import EXAMPLE_MARK, NOTE_MARK, SHEETS
from geo.store.records import Change, Store
from geo.text.labels import field_label, join_list, t

__all__ = [
    "FIELDS",
    "IGNORE",
    "ImportResult",
    "describe_plan",
    "describe_unmatched",
    "Lookups",
    "Plan",
    "SheetPlan",
    "import_file",
    "parse_mapping",
    "parse_values",
    "plan_file",
    "row_ranges",
    "UNMATCHED_KEYS",
    "Unmatched",
    "stable_id",
]

#: What each kind of table writes to, in the store.
COLUMNS = {
    "sites": io.SITE_COLUMNS,
    "metrics": io.METRIC_COLUMNS,
    "alliances": io.ALLIANCE_COLUMNS,
    "units": io.UNIT_LOCATION_COLUMNS,
}
#: The order tables are read in (figures may name sites and alliances of the same file).
ORDER = ("units", "sites", "alliances", "metrics")
_TOTALS = ("合计", "小计", "总计")
#: How notes and sign-off rows under the data begin (a 注：1. … row, 审核人：… 填表人：…).
_NOTES = re.compile(
    r"^(注|说明|备注|附注)\s*[:：]|^(填表说明|填报说明|审核人|填表人|制表人|填报人|联系电话|"
    r"单位负责人|负责人|经办人|审核|制表|联系人)"
)
#: The issue keys of a cell that names nothing known (asked about, see :class:`Unmatched`), and
#: the vocabulary each is looked up in.
UNMATCHED_KEYS = {
    "unknown_program": "program",
    "unknown_subdistrict": "subdistrict",
    "unknown_unit": "unit",
    "ambiguous_unit": "unit",
}
#: The vocabulary (an attribute of :class:`Lookups`) a chosen value of each field is read in.
_VOCABULARY_OF = {
    "programs": "programs",
    "program": "programs",
    "subdistrict": "subdistricts",
    "unit": "units",
    "members": "units",
    "inferred": "units",
    "kind": "kinds",
}
_PREVIEW_ROWS = 5


@dataclass
class SheetPlan:
    """One table of the file: where its header is, what its columns mean, its data rows."""

    table: Table
    layout: Layout
    label: str
    subdistrict: str = ""
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    above: list[tuple[int, str]] = field(default_factory=list)  # (row, text) over the header
    totals: list[int] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (row, text) of notes/sign-off
    blank: int = 0
    remembered: bool = False
    automatic: Layout | None = None  # the layout as found, before any mapping was applied
    defaults: dict[str, str] = field(default_factory=dict)  # remembered file-level values
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # remembered value choices

    @property
    def entity(self) -> str:
        """The kind of table (``sites``, ``metrics``, ``alliances`` or ``units``)."""
        return self.layout.entity

    @property
    def header_row(self) -> int:
        """The sheet's row number (1-based) of the header's last row."""
        return self.table.row_number(self.layout.header_rows[-1])

    def headers(self) -> dict[str, str]:
        """Field -> the header text of its column (for messages).

        Returns
        -------
        dict of str to str
            One entry per field a column is mapped to (the first such column).
        """
        return {f: self.layout.columns[i].text for f, i in self.layout.fields.items()}


@dataclass
class Plan(Problems):
    """What a file holds and how it will be read, before anything is normalised."""

    name: str
    sheets: list[SheetPlan] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def problems(self) -> list[Issue]:
        """The plan's issues, in the order found."""
        return self.issues


@dataclass(frozen=True)
class Unmatched:
    """A value that names nothing known, asked about rather than guessed.

    ``sheet`` is the table as messages name it, ``header`` the column as the file heads it,
    ``field`` its field, ``value`` the cell as written, ``rows`` the file's row numbers that hold
    it, ``what`` the vocabulary (``program``, ``subdistrict`` or ``unit``) and ``candidates``
    the closest ``(code, name)`` pairs, closest first.
    """

    sheet: str
    header: str
    field: str
    value: str
    rows: tuple[int, ...]
    what: str
    candidates: tuple[tuple[str, str], ...]


@dataclass
class ImportResult(Problems):
    """What an import found and did (or, on a dry run, would do)."""

    issues: list[Issue] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    applied: bool = False
    #: Applied as a submission: the records wait for a reviewer (a subdistrict editor's import).
    pending: bool = False
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list, repr=False)
    plan: Plan | None = field(default=None, repr=False)
    preview: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    rows: int = 0
    unmatched: list[Unmatched] = field(default_factory=list)

    def problems(self) -> list[Issue]:
        """The issues, in the order found (any error means nothing was written)."""
        return self.issues

    def summary(self, lang: str = "zh") -> str:
        """One line: the records added, changed and unchanged (``would be`` on a dry run).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        str
            The line in ``lang``, counts summed over the entities.
        """
        total = {name: sum(getattr(self, name).values()) for name in ("added", "changed")}
        key = "import_summary_dry" if self.dry_run else "import_summary"
        line = t(key, lang, unchanged=sum(self.unchanged.values()), **total)
        return line + t("import_pending", lang) if self.pending else line


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """Column mappings as the command line's ``--map`` gives them.

    Parameters
    ----------
    pairs
        ``HEADER=FIELD`` strings, e.g. ``["阵地名称=name", "备注=ignore"]``; a field of
        ``ignore``, ``忽略`` or nothing ignores the column. The fields are checked when the
        mapping is applied.

    Returns
    -------
    dict of str to str
        Header text -> field, e.g. ``{"阵地名称": "name", "备注": ""}`` (:data:`IGNORE`).

    Raises
    ------
    ValueError
        For a pair without ``=`` or without a header (the message shows it).
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, target = pair.partition("=")
        if not sep or not header.strip():
            raise ValueError(f"expected HEADER=FIELD, got {pair!r}")
        target = target.strip()
        mapping[header.strip()] = IGNORE if target.lower() in ("", "ignore", "忽略") else target
    return mapping


def parse_values(pairs: list[str]) -> dict[str, dict[str, str]]:
    """What unmatched values mean, as the command line's ``--value`` gives them.

    Parameters
    ----------
    pairs
        ``列名:原值=目标`` strings, e.g. ``["项目类别:新就业=新就业群体党建"]``: the column as
        the file heads it (or its field), the value as written, and the name or code it means.
        A full-width colon is read as a colon.

    Returns
    -------
    dict of str to dict of str to str
        Column -> {value as written: target}.

    Raises
    ------
    ValueError
        For a pair without ``:`` or ``=``, or with an empty part (the message shows it).
    """
    values: dict[str, dict[str, str]] = {}
    for pair in pairs:
        column, sep, rest = pair.replace("：", ":", 1).partition(":")
        raw, equals, target = rest.partition("=")
        if not sep or not equals or not column.strip() or not raw.strip() or not target.strip():
            raise ValueError(f"expected 列名:原值=目标 (COLUMN:VALUE=TARGET), got {pair!r}")
        values.setdefault(column.strip(), {})[raw.strip()] = target.strip()
    return values


# --- 1-2. reading and laying out ------------------------------------------------------------


def _template_entity(title: str) -> str | None:
    name = title.strip().lower()
    for entity, (label, _) in SHEETS.items():
        if name in (entity, label):
            return entity
    return None


def _is_total(cells: list[str]) -> bool:
    """A 合计/小计/总计 row: its first filled cell starts with one of those words."""
    first = next((normalise_header(c) for c in cells if c.strip()), "")
    return first.startswith(_TOTALS)


def _is_note(cells: list[str]) -> bool:
    """A note or sign-off row under the data: its first filled cell begins as notes do
    (注：, 说明：, 填表说明, 审核人, 填表人, 联系电话 ...), or one text merged across the whole
    table."""
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        return False
    if _NOTES.match(filled[0]):
        return True
    return len(cells) >= 3 and len(filled) == len(cells) and len(set(filled)) == 1


def _sheet_plan(
    table: Table,
    csv: bool,
    lookups: Lookups,
    mappings: dict[str, dict],
    overrides: dict[str, str],
    defaulted: set[str] | frozenset[str],
    issues: list[Issue],
) -> SheetPlan | None:
    template = _template_entity(table.name)
    layout = find_layout(table.rows, template)
    if layout is None:
        if any(any(row) for row in table.rows) and table.name != "lists":
            issues.append(Issue(table.name, None, "", table.name, "unknown_sheet", "warning"))
        return None
    automatic = layout
    known = mappings.get(layout.key()) or {}
    remembered = bool(known)
    try:
        if remembered:
            layout = layout.remap(known.get("columns", {}))
        if overrides:
            layout = layout.remap(overrides)
    except ValueError as error:
        issues.append(Issue(table.name, None, "", str(error), "bad_mapping"))
        return None
    entity = layout.entity
    if template or csv:
        label = f"{SHEETS[entity][0] if entity in SHEETS else t('entity_units')} {entity}"
    else:
        label = table.name
    plan = SheetPlan(
        table,
        layout,
        label,
        remembered=remembered,
        automatic=automatic,
        defaults=dict(known.get("defaults", {})),
        values={k: dict(v) for k, v in known.get("values", {}).items()},
    )
    if "subdistrict" not in layout.fields and entity in ("sites", "units", "alliances"):
        plan.subdistrict = lookups.subdistrict_of_title(table.name) or ""
    plan.above = [
        (table.row_number(i), " ".join(dict.fromkeys(c for c in table.rows[i] if c)))
        for i in layout.skipped
        if any(table.rows[i])
    ]
    header_number = plan.header_row
    for column in layout.columns:
        if column.field or not column.text:
            continue
        key = "serial_column" if column.serial else "unknown_column"
        issues.append(Issue(label, header_number, column.text, "", key, "warning"))
    fields = layout.fields
    for required in REQUIRED[entity]:
        if required not in fields and required not in defaulted | set(plan.defaults):
            header = _field_header(entity, required)
            issues.append(Issue(label, header_number, header, "", "missing_column"))
    for index in range(layout.data_start, len(table.rows)):
        cells = table.rows[index]
        number = table.row_number(index)
        values = {f: cells[i] for f, i in fields.items() if i < len(cells)}
        if plan.notes or _is_note(cells):  # notes end the data: what follows is notes too
            if any(cells):
                text = " ".join(dict.fromkeys(c for c in cells if c))
                plan.notes.append((number, text))
                issues.append(Issue(label, number, "", text[:80], "note_row", "warning"))
        elif not any(cells) or not any(values.values()):
            plan.blank += 1
        elif _is_total(cells):
            plan.totals.append(number)
            text = next(c for c in cells if c)
            issues.append(Issue(label, number, "", text, "total_row", "warning"))
        elif cells[0].startswith(NOTE_MARK) or values.get("id", "").startswith(EXAMPLE_MARK):
            continue  # the template's explanation and example rows
        else:
            plan.rows.append((number, values))
    return plan


def _field_header(entity: str, key: str) -> str:
    """How the template heads a field (for a message about a missing column)."""
    for column in SHEETS.get(entity, (None, ()))[1]:
        if column.key == key:
            return column.header
    return t(f"field_{key}")


def plan_file(
    path: Path,
    lookups: Lookups,
    mappings: dict[str, dict] | None = None,
    overrides: dict[str, str] | None = None,
    defaulted: set[str] | frozenset[str] = frozenset(),
) -> Plan:
    """Read ``path`` and lay out each table: header row, column -> field, data rows.

    Parameters
    ----------
    path
        An .xlsx, .xlsm, .xls, .ods or .csv file.
    lookups
        The vocabularies (a sheet named after a subdistrict supplies it to its rows).
    mappings
        Mappings per header set (:meth:`Layout.key`): ``{"columns": {header text: field},
        "defaults": {field: value}}`` (remembered ones, or the editor's choices).
    overrides
        {header text: field} applied to every table (the command line's ``--map``); a field
        of :data:`IGNORE` ignores the column.
    defaulted
        Fields the whole file has a value for (see ``defaults`` of :func:`import_file`): a
        table needs no column for them.

    Returns
    -------
    Plan
        One :class:`SheetPlan` per table laid out (sheets naming no fields are skipped with a
        warning), and the issues found: an unreadable file, missing required columns, 合计
        rows, unknown columns, a bad mapping, a file without data rows.
    """
    plan = Plan(path.name)
    try:
        tables = read_tables(path)
    except ReadError as error:
        plan.issues.append(Issue(path.name, None, "", error.detail, error.key))
        return plan
    csv = path.suffix.lower() in (".csv", ".txt")
    for table in tables:
        sheet = _sheet_plan(
            table, csv, lookups, mappings or {}, overrides or {}, defaulted, plan.issues
        )
        if sheet is not None:
            plan.sheets.append(sheet)
    if not any(sheet.rows for sheet in plan.sheets):
        plan.issues.append(Issue(path.name, None, "", "", "empty_file"))
    return plan


def remembered_mappings(store: Store) -> dict[str, dict]:
    """The mappings imports used before.

    Parameters
    ----------
    store
        The store holding the remembered mappings.

    Returns
    -------
    dict of str to dict
        Header-set key (:meth:`~geo.intake.headers.Layout.key`) -> ``{"columns": {header:
        field}, "defaults": {field: value}}``.
    """
    frame = store.read("mappings")
    return {r["id"]: json.loads(r["mapping"]) for r in frame.to_dict("records")}


def _mapping_changes(plan: Plan, store: Store, defaults: dict[str, str]) -> list[Change]:
    """The mapping of each table that was not read right without help (or was remembered
    before), stored by its header set with the import: the next file with the same headers
    is read the same way. A workbook whose sheets share one header set remembers it once."""
    stored = {r["id"]: r for r in store.read("mappings").to_dict("records")}
    changes: dict[str, Change] = {}
    for sheet in plan.sheets:
        key = sheet.layout.key()
        used = {**sheet.defaults, **defaults}
        helped = sheet.layout != sheet.automatic or used or sheet.values
        if not helped and key not in stored:
            continue  # read right without help: nothing to remember
        columns = {c.text: c.field for c in sheet.layout.columns if c.text}
        remembered = {"columns": columns, "defaults": used}
        if sheet.values:
            remembered["values"] = sheet.values
        record = {
            "id": key,
            "headers": json.dumps([c.text for c in sheet.layout.columns], ensure_ascii=False),
            "mapping": json.dumps(remembered, ensure_ascii=False, sort_keys=True),
        }
        old = stored.get(key)
        if old is None:
            changes[key] = Change("mappings", "insert", record)
        elif old["mapping"] != record["mapping"]:
            changes[key] = Change("mappings", "update", record, old["version"])
    return list(changes.values())


def row_ranges(numbers: list[int], lang: str = "zh") -> str:
    """Row numbers as people write them.

    Parameters
    ----------
    numbers
        Row numbers, ascending.
    lang
        ``"zh"`` or ``"en"``: how the ranges are listed (:func:`geo.text.labels.join_list`).

    Returns
    -------
    str
        ``[1, 2, 3, 5]`` -> ``"1–3、5"`` (English: ``"1–3, 5"``).
    """
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return join_list(parts, lang)


def describe_plan(plan: Plan, lang: str = "zh") -> list[str]:
    """The plan as lines for people.

    Parameters
    ----------
    plan
        A plan of :func:`plan_file`.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).

    Returns
    -------
    list of str
        Per table: where its header is, what was skipped above it, each column and the field
        it goes to, the rows read and skipped, and whether the sheet's name gives the
        subdistrict.
    """
    lines = []
    for sheet in plan.sheets:
        entity = t(f"entity_{sheet.entity}", lang)
        row = row_ranges([sheet.table.row_number(i) for i in sheet.layout.header_rows], lang)
        if sheet.label.endswith(f" {sheet.entity}") and len(plan.sheets) == 1:
            head = t("layout_csv", lang, file=plan.name, entity=entity, row=row)
        else:
            head = t(
                "layout_sheet", lang, file=plan.name, sheet=sheet.table.name, entity=entity, row=row
            )
        if sheet.remembered:
            head += t("layout_remembered", lang)
        lines.append(head)
        if sheet.above:
            text = " / ".join(text for _, text in sheet.above)
            rows = row_ranges([n for n, _ in sheet.above], lang)
            lines.append("  " + t("layout_above", lang, rows=rows, text=text))
        for column in sheet.layout.columns:
            if column.text:
                lines.append(f"  {column.text} → {field_label(column.field, lang)}")
        counts = t("layout_rows", lang, n=len(sheet.rows))
        if sheet.totals:
            counts += t("layout_totals", lang, n=len(sheet.totals))
        if sheet.notes:
            counts += t("layout_notes", lang, rows=row_ranges([n for n, _ in sheet.notes], lang))
        if sheet.blank:
            counts += t("layout_blank", lang, n=sheet.blank)
        lines.append("  " + counts)
        if sheet.subdistrict:
            name = sheet.table.name
            lines.append("  " + t("layout_sheet_subdistrict", lang, name=name))
    return lines


# --- values a person chose -----------------------------------------------------------------


def _field_of(sheet: SheetPlan, column: str) -> str | None:
    """The field of the column that ``column`` names in ``sheet``: its header as written, its
    field's key or its field's label."""
    wanted = normalise_header(column)
    for header in sheet.layout.columns:
        if header.text and header.field and normalise_header(header.text) == wanted:
            return header.field
    for key in sheet.layout.fields:
        if wanted in (normalise_header(key), normalise_header(field_label(key))):
            return key
    return None


def _apply_values(
    plan: Plan, given: dict[str, dict[str, str]], lookups: Lookups, issues: list[Issue]
) -> None:
    """Add the given choices (column -> {value as written: target}) to each table that has the
    column; a target that names nothing, or a column no table has, is an error."""
    for column, choices in given.items():
        found = False
        for sheet in plan.sheets:
            key = _field_of(sheet, column)
            if key is None:
                continue
            found = True
            table = getattr(lookups, _VOCABULARY_OF.get(key, ""), None)
            for raw, target in choices.items():
                if table is None or not table.get(key_of(target)):
                    shown = f"{raw}={target}"
                    issues.append(Issue(sheet.label, None, column, shown, "bad_value_choice"))
                    continue
                sheet.values.setdefault(key, {})[name_key(raw)] = target
        if not found:
            issues.append(Issue(plan.name, None, column, "", "bad_value_column"))


def _unmatched(issues: list[Issue], plan: Plan, lookups: Lookups) -> list[Unmatched]:
    """Each distinct value that names no program, subdistrict or village/community, with the
    rows that hold it and the closest candidates."""
    sheets = {sheet.label: sheet for sheet in plan.sheets}
    groups: dict[tuple, list[int]] = {}
    for issue in issues:
        what = UNMATCHED_KEYS.get(issue.key)
        if what is None or issue.row is None or issue.severity != "error":
            continue
        sheet = sheets.get(issue.file)
        fields = {header: key for key, header in sheet.headers().items()} if sheet else {}
        key = (issue.file, issue.column, fields.get(issue.column, ""), issue.value, what)
        groups.setdefault(key, []).append(issue.row)
    found = []
    for (label, header, key, value, what), rows in groups.items():
        within = sheets[label].subdistrict if label in sheets else ""
        candidates = tuple(lookups.names.candidates(what, value, within))
        found.append(
            Unmatched(label, header, key, value, tuple(sorted(set(rows))), what, candidates)
        )
    return found


def describe_unmatched(unmatched: list[Unmatched], lang: str = "zh") -> list[str]:
    """The unmatched values as lines for people, each with its closest candidates and how to
    say what it means on the command line.

    Parameters
    ----------
    unmatched
        :attr:`ImportResult.unmatched`.
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError).

    Returns
    -------
    list of str
        One line per value, e.g. ``「项目类别」“新就业”（第 4、5 行）未能识别，最接近：
        新就业群体党建、…；可用 --value 项目类别:新就业=新就业群体党建 指定``.
    """
    lines = []
    for item in unmatched:
        names = join_list((name for _, name in item.candidates), lang)
        first = item.candidates[0][1] if item.candidates else "…"
        lines.append(
            t(
                "unmatched_value",
                lang,
                header=item.header,
                value=item.value,
                rows=row_ranges(list(item.rows), lang),
                candidates=names or t("unmatched_none", lang),
                hint=f"--value {item.header}:{item.value}={first}",
            )
        )
    return lines


# --- 3-5. normalising and checking ----------------------------------------------------------


def _addresses_to_geocode(plan: Plan) -> list[str]:
    wanted = []
    for sheet in plan.sheets:
        if sheet.entity not in ("sites", "units"):
            continue
        for _, values in sheet.rows:
            if values.get("address", "").strip() and not (
                values.get("lon", "").strip() or values.get("lat", "").strip()
            ):
                wanted.append(values["address"].strip())
    return wanted


def _as_text_frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns)
    return frame.apply(lambda c: c.map(lambda v: "" if v is None or v != v else str(v)))


def _remap(issues: list[Issue], entries: list[tuple[SheetPlan, int, dict]]) -> list[Issue]:
    """Validator issues (row = index + 2, column keys) in the file's terms."""
    aliases = {
        "subdistrict_code": "subdistrict",
        "unit_code": "unit",
        "member_codes": "members",
        "inferred_codes": "inferred",
        "scope_code": "scope",
        "lon/lat": "lon",
    }
    out = []
    for issue in issues:
        if issue.row is None:
            out.append(issue)
            continue
        sheet, number, values = entries[issue.row - 2]
        key = aliases.get(issue.column, issue.column)
        if key == "unit" and sheet.entity == "metrics" and "unit" not in sheet.headers():
            key = "value"  # a figures ledger without a 单位 column: the unit is in the value cell
        # quote the cell as the user wrote it (a name), not the code it was looked up to
        value = values.get(key, issue.value) if key != "lon" else issue.value
        header = sheet.headers().get(key) or field_label(key)
        out.append(Issue(sheet.label, number, header, value, issue.key, issue.severity))
    return out


def _new_only(found: list[Issue], reported: list[Issue], plan: Plan) -> list[Issue]:
    """Validator issues about cells the row-by-row reading has not already flagged
    (longitude, latitude and datum count as one cell: a location problem is reported once)."""
    location = {
        sheet.label: {sheet.headers().get(k, k) for k in ("lon", "lat", "datum", "address")}
        for sheet in plan.sheets
    }

    def cell(issue: Issue) -> tuple:
        where = location.get(issue.file, set())
        return issue.file, issue.row, "<location>" if issue.column in where else issue.column

    seen = {cell(i) for i in reported}
    return [i for i in found if cell(i) not in seen]


def _validate(
    entity: str, records: list[dict], lookups: Lookups, scopes: dict, store: Store
) -> list[Issue]:
    raw = _as_text_frame(records, COLUMNS[entity])
    if entity == "sites":
        found = validate.validate_sites(raw, lookups.gazetteer)
    elif entity == "metrics":
        found = validate.validate_metrics(raw, lookups.gazetteer, scopes)
    elif entity == "alliances":
        found = validate.validate_alliances(raw, lookups.gazetteer)
    else:
        found = [
            Issue("", i + 2, "unit", r["id"], "unknown_unit")
            for i, r in enumerate(records)
            if r["id"] not in lookups.unit_parent
        ]
    if entity in ("sites", "units") and records:
        typed = pd.DataFrame(records)
        typed[["lon", "lat"]] = typed[["lon", "lat"]].astype(float)
        if entity == "units":
            typed["subdistrict_code"] = typed["id"].map(lookups.unit_parent).fillna("")
        # a seat stands in for an unknown position: only positions a source gave are checked
        own = typed["location_precision"].isin(("exact", "approximate"))
        located = typed[typed["lon"].notna() & typed["lat"].notna() & own]
        if len(located):
            spatial = validate.check_locations(
                located, io.load_outline(), store.effective_areas(load_configured_areas())
            )
            found += spatial
    return found


def _periods_of_stored(records: list[dict], stored: pd.DataFrame) -> list[Issue]:
    """A figures ledger's rows against the figures already stored (other periods, other files).

    A row without its own id about a period the store holds (same figure, year and quarter)
    updates that record rather than adding a second value for the period; a row in another
    unit than the stored periods of its figure is refused (``unit_mixed``): its periods could
    not be compared."""
    if stored.empty:
        return []
    figure = [*kpi.FIGURE_KEY]
    quarters = stored["quarter"].astype("Float64").fillna(0).astype(int)
    years = stored["year"].astype("Float64").fillna(0).astype(int)
    ids = {
        (*key, year, quarter): id_
        for key, year, quarter, id_ in zip(
            stored[figure].itertuples(index=False, name=None),
            years,
            quarters,
            stored["id"],
            strict=True,
        )
    }
    units = dict(
        zip(stored[figure].itertuples(index=False, name=None), stored["unit"], strict=False)
    )
    issues = []
    for index, record in enumerate(records):
        key = tuple(str(record[c]) for c in figure)
        year = int(record["year"]) if str(record["year"]).isdigit() else 0
        period = (*key, year, int(record["quarter"] or 0))
        if record["id"].startswith("imp-m-") and period in ids:
            record["id"] = ids[period]
        if key in units and record["unit"] and record["unit"] != units[key]:
            issues.append(Issue("", index + 2, "unit", record["unit"], "unit_mixed"))
    return issues


# --- the import's phases ----------------------------------------------------------------------


@dataclass
class _Entry:
    """One normalised row, with where it came from (for messages) and the version it carries."""

    record: dict
    sheet: SheetPlan
    number: int
    values: dict
    version: int | None


@dataclass
class _RunContext:
    """What every row of one import is read with."""

    lookups: Lookups
    source: str
    defaults: dict[str, str]
    geocoded: dict | None
    progress: Callable[[int, int], None] | None


def _normalise_rows(
    plan: Plan, run: _RunContext, stored: dict[str, pd.DataFrame], result: ImportResult
) -> tuple[dict[str, list[_Entry]], dict[str, set]]:
    """Phase 4: every row of every table to a record (coordinates converted to WGS-84), and
    the ids a figure may name (the store's and this file's)."""
    total = sum(len(s.rows) for s in plan.sheets)
    result.rows = total
    done = 0
    entries: dict[str, list[_Entry]] = {}
    site_ids = set(stored["sites"]["id"])
    alliance_ids = set(stored["alliances"]["id"])
    for sheet in sorted(plan.sheets, key=lambda s: ORDER.index(s.entity)):
        column_datum = next(
            (c.datum for c in sheet.layout.columns if c.field in ("lon", "lat") and c.datum),
            None,
        )
        pair_datum = next(
            (c.datum for c in sheet.layout.columns if c.field == "lonlat" and c.datum), None
        )
        context = Context(
            sheet.label,
            sheet.headers(),
            run.lookups,
            run.source,
            sheet_subdistrict=sheet.subdistrict,
            column_datum=column_datum,
            defaults={**sheet.defaults, **run.defaults},
            geocoded=run.geocoded,
            choices=sheet.values,
            pair_datum=pair_datum,
        )
        for number, values in sheet.rows:
            row = Row(context, number, values, result.issues)
            if sheet.entity == "sites":
                record = normalise.site(row)
                site_ids.add(record["id"])
            elif sheet.entity == "units":
                record = normalise.unit_location(row)
            elif sheet.entity == "alliances":
                record = normalise.alliance(row)
                alliance_ids.add(record["id"])
            else:
                record = normalise.metric(row, {"site": site_ids, "alliance": alliance_ids})
            entry = _Entry(record, sheet, number, values, row.version())
            entries.setdefault(sheet.entity, []).append(entry)
            done += 1
            if run.progress is not None and (done % 200 == 0 or done == total):
                run.progress(done, total)
    for entity in ("sites", "units"):
        normalise.to_wgs84([e.record for e in entries.get(entity, [])])
    scopes = {
        "district": {DISTRICT_CODE},
        "subdistrict": set(run.lookups.gazetteer.subdistricts),
        "unit": set(run.lookups.gazetteer.unit_parent),
        "site": site_ids,
        "alliance": alliance_ids,
    }
    return entries, scopes


def _check(
    entries: dict[str, list[_Entry]],
    scopes: dict[str, set],
    lookups: Lookups,
    store: Store,
    plan: Plan,
    result: ImportResult,
) -> None:
    """Phase 5: the records' rules and positions, each issue moved back to the file's own
    sheet, row and column; and a preview of each table's first records."""
    for entity, rows in entries.items():
        records = [e.record for e in rows]
        found = _validate(entity, records, lookups, scopes, store)
        if entity == "metrics":
            found += _periods_of_stored(records, store.read_metrics())
        located = [(e.sheet, e.number, e.values) for e in rows]
        result.issues += _new_only(_remap(found, located), result.issues, plan)
        result.preview[entity] = pd.DataFrame(records[:_PREVIEW_ROWS], columns=COLUMNS[entity])


def _plan_changes(
    entries: dict[str, list[_Entry]],
    stored: dict[str, pd.DataFrame],
    plan: Plan,
    result: ImportResult,
) -> None:
    """Phase 6: what each table adds, changes or leaves unchanged against ``stored``."""
    versions = {s.label: s.headers().get("version", "version") for s in plan.sheets}
    for entity, rows in entries.items():
        outcome = diff(
            entity,
            [e.record for e in rows],
            [(e.sheet.label, e.number) for e in rows],
            [e.version for e in rows],
            stored[entity],
            COLUMNS[entity],
            versions,
        )
        result.issues += outcome.issues
        result.changes += outcome.changes
        for name in ("added", "changed", "unchanged"):
            if getattr(outcome, name):
                getattr(result, name)[entity] = getattr(outcome, name)


def _check_scope(
    entries: dict[str, list[_Entry]],
    stored: dict[str, pd.DataFrame],
    account: Account,
    lookups: Lookups,
    result: ImportResult,
) -> None:
    """Phase 5b: every row the account may not write (another subdistrict's, or the
    district's) is an error naming its row and subdistrict, as is a row that would change a
    stored record of another subdistrict (the same id)."""
    if account.role == ADMIN:
        return
    written = {
        (entity, str(e.record.get("id"))): e.record
        for entity, rows in entries.items()
        for e in rows
    }
    indexed = {entity: frame.set_index("id", drop=False) for entity, frame in stored.items()}

    def lookup(entity: str, record_id: str) -> dict | None:
        if (entity, record_id) in written:
            return written[(entity, record_id)]
        frame = indexed.get(entity)
        if frame is None or record_id not in frame.index:
            return None
        return frame.loc[record_id].to_dict()

    names = lookups.names.subdistrict_names
    for entity, rows in entries.items():
        if entity in ("mappings",):
            continue
        for entry in rows:
            record_id = str(entry.record.get("id"))
            owners = [owner_of(entity, entry.record, lookup)]
            if record_id in indexed[entity].index:
                owners.append(owner_of(entity, indexed[entity].loc[record_id].to_dict(), lookup))
            for owner in dict.fromkeys(owners):
                if account.may_write(owner):
                    continue
                column = entry.sheet.headers().get("subdistrict", "")
                shown = owner_name(owner, names)
                result.issues.append(
                    Issue(entry.sheet.label, entry.number, column, shown, "out_of_scope")
                )


# --- the import -------------------------------------------------------------------------------


def import_file(
    path: Path,
    store: Store,
    user: str | Account,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lookups: Lookups | None = None,
    source_name: str | None = None,
    mapping: dict[str, str] | None = None,
    mappings: dict[str, dict] | None = None,
    defaults: dict[str, str] | None = None,
    geocoder=None,
    geocode_progress: Callable[[int, int], None] | None = None,
    values: dict[str, dict[str, str]] | None = None,
) -> ImportResult:
    """Check ``path`` completely, then (unless ``dry_run`` or any error) apply it in one
    transaction, remembering each table's column mapping with it.

    Parameters
    ----------
    path
        The ledger, template or CSV.
    store
        Where the records go.
    user
        Who imports (:class:`geo.data.access.Account`, or a plain name: the server's
        operator, an administrator), for the audit trail. A subdistrict editor's rows of
        another subdistrict are errors (each naming its row and subdistrict: nothing is
        written); their changes wait for a reviewer when review is on.
    dry_run
        Check and report only; nothing is written.
    progress
        ``progress(done, total)``: rows checked, then records written.
    lookups
        The vocabularies (loaded from ``data/`` if not given).
    source_name
        The file's name as the user knows it (default: ``path``'s), cited as each row's source.
    mapping
        {header text: field} for every table (``--map``); :data:`IGNORE` ignores a column.
    mappings
        Per header set (``Layout.key()``): ``{"columns": {header text: field}, "defaults":
        {...}}``, e.g. the editor's choices on the Manage page; remembered mappings from the
        store apply where none is given. What an applied import used is remembered.
    defaults
        Field -> value for the whole file, used where a row's cell is empty or the file has
        no such column: e.g. ``{"datum": "GCJ-02"}`` for coordinates that neither a 坐标系
        column nor their header names, ``{"programs": "new_employment"}`` for a ledger of one
        program. Given values are read like cells (names or keys).
    geocoder
        A :class:`geo.intake.geocode.Geocoder` for addresses without coordinates (None: offline,
        such rows are placed at their seat and say so).
    geocode_progress
        ``geocode_progress(done, total)``: addresses asked.
    values
        What values that name nothing known mean: column (as the file heads it, or its field)
        -> {value as written: the name or code it means}, e.g. ``{"项目类别": {"新就业":
        "新就业群体党建"}}`` (the command line's ``--value``, the Manage page's choices). An
        applied import remembers them with its header set, so the next file from that office
        needs no choice; choices remembered before apply where none is given.

    Returns
    -------
    ImportResult
        Every issue (each naming the sheet, the file's row, the column as headed and the
        cell as written), the records added, changed and unchanged per entity, the planned
        changes, the plan, a preview of the first normalised records (coordinates in
        WGS-84, EPSG:4326, degrees) and whether anything was written: nothing is if any
        issue is an error, on a dry run, or when nothing changes. A file that cannot be
        read is an issue, not an exception.

    Raises
    ------
    geo.store.records.ConflictError
        If a record changed in the store while the file was being checked (nothing is
        written).
    """
    from geo.intake.geocode import geocode_all  # the network client only when it is used

    result = ImportResult(dry_run=dry_run)
    lookups = lookups or Lookups.load()
    known = {**remembered_mappings(store), **(mappings or {})}
    plan = plan_file(path, lookups, known, mapping, set(defaults or {}))
    result.plan = plan
    result.issues += plan.issues
    _apply_values(plan, values or {}, lookups, result.issues)
    if not result.ok:
        return result
    geocoded = None
    if geocoder is not None:
        addresses = _addresses_to_geocode(plan)
        geocoded, problems = geocode_all(addresses, geocoder, store, geocode_progress)
        for problem in problems:
            result.issues.append(Issue(path.name, None, "", problem, "geocoder_failed", "warning"))
    # the records as they are now: the changes are made against this reading, and a save by
    # someone else while this import checks makes its write a conflict (nothing written)
    stored = {entity: store.read(entity) for entity in COLUMNS}
    context = _RunContext(
        lookups, f"import:{source_name or path.name}", defaults or {}, geocoded, progress
    )
    entries, scopes = _normalise_rows(plan, context, stored, result)
    _check(entries, scopes, lookups, store, plan, result)
    if result.errors:
        result.unmatched = _unmatched(result.issues, plan, lookups)
        return result
    _check_scope(entries, stored, account_of(user), lookups, result)
    if result.errors:
        return result
    _plan_changes(entries, stored, plan, result)
    if result.errors or dry_run or not result.changes:
        return result
    remember = _mapping_changes(plan, store, defaults or {})
    title = source_name or path.name
    store.apply(result.changes + remember, user, progress=progress, action="import", title=title)
    result.applied = True
    result.pending = store.needs_review(user)
    return result
