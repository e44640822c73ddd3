"""Importing an official's file (Excel template, or CSV in UTF-8/GBK): read, check, apply.

Nothing is written unless the whole file is valid: every problem is reported with its sheet,
row, column, value and what is wrong; a valid file is applied in one transaction. Rows are
matched by id, so importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from geo import datum, io, validate, vocab
from geo.config import DATA_DIR, DISTRICT_CODE
from geo.labels import KIND_LABELS, PRECISION_LABELS
from geo.sheets import (
    ALLIANCE_KIND_LABELS,
    EXAMPLE_MARK,
    NOTE_MARK,
    PERIOD_CHOICES,
    PRECISION_SHORT,
    QUALIFIER_LABELS,
    SCOPE_LABELS,
    SHEETS,
    YES_NO_CHOICES,
)
from geo.store import Change, Store
from geo.validate import Issue

_SPLIT = re.compile(r"[;；、,，\n]+")
_DMS = re.compile(
    r"^\s*([NSEW东西南北])?\s*(\d+(?:\.\d+)?)\s*(?:[°度]\s*(?:(\d+(?:\.\d+)?)\s*['′’分]\s*)?"
    r"(?:(\d+(?:\.\d+)?)\s*(?:[\"″”]|''|秒)\s*)?)?([NSEW东西南北])?\s*$"
)


@dataclass
class Sheet:
    """One table read from the file: entity, how to name it, header per column, rows."""

    entity: str
    label: str
    headers: dict[str, str]  # column key -> header as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, {key: text})


@dataclass
class ImportResult:
    """What an import found and did (or, on a dry run, would do)."""

    issues: list[Issue] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    applied: bool = False
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, lang: str = "en") -> str:
        def total(counts):
            return sum(counts.values())

        if lang == "zh":
            verb = "将" if self.dry_run else "已"
            return (
                f"{verb}新增 {total(self.added)} 条，{verb}修改 {total(self.changed)} 条，"
                f"未变 {total(self.unchanged)} 条"
            )
        verb = "would be " if self.dry_run else ""
        return (
            f"{total(self.added)} {verb}added, {total(self.changed)} {verb}changed, "
            f"{total(self.unchanged)} unchanged"
        )


# --- reading -----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _header_key(entity: str, header: str) -> str | None:
    cleaned = header.strip().lower()
    for column in SHEETS[entity][1]:
        if cleaned in (column.header.lower(), column.key.lower()):
            return column.key
    return None


def _entity_of(title: str, headers: list[str]) -> str | None:
    name = title.strip().lower()
    for entity, (label, _) in SHEETS.items():
        if name in (entity, label):
            return entity
    keys = {h.strip().lower() for h in headers}
    if keys & {"数值", "value"}:
        return "metrics"
    if keys & {"成员", "members"}:
        return "alliances"
    if keys & {"名称", "name"}:
        return "sites"
    return None


def _sheet_from_rows(title: str, table: list[list[str]], issues: list[Issue]) -> Sheet | None:
    table = [row for row in table]
    if not table or not any(table[0]):
        return None
    headers = [_text(h) for h in table[0]]
    entity = _entity_of(title, headers)
    if entity is None:
        if title != "lists":
            issues.append(Issue(title, None, "", title, "unknown_sheet", "warning"))
        return None
    label = f"{SHEETS[entity][0]} {entity}"
    by_position: dict[int, str] = {}
    names: dict[str, str] = {}
    for position, header in enumerate(headers):
        if not header:
            continue
        key = _header_key(entity, header)
        if key is None:
            issues.append(Issue(label, 1, header, header, "unknown_column", "warning"))
        else:
            by_position[position], names[key] = key, header
    required = {"name"} if entity != "metrics" else {"name_zh", "value", "unit", "program"}
    for key in sorted(required - set(names)):
        issues.append(Issue(label, 1, key, "", "missing_column"))
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {key: _text(cells[p]) if p < len(cells) else "" for p, key in by_position.items()}
        first = _text(cells[0]) if cells else ""
        if not any(values.values()) or first.startswith(NOTE_MARK):
            continue
        if values.get("id", "").startswith(EXAMPLE_MARK):
            continue
        rows.append((number, values))
    return Sheet(entity, label, names, rows)


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, as Chinese Excel saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_sheets(path: Path, issues: list[Issue]) -> list[Sheet]:
    """The tables of an .xlsx template or a .csv file (its kind told by its headers)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            book = load_workbook(path, read_only=True, data_only=True)
            tables = [
                (ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                for ws in book.worksheets
            ]
            book.close()
        elif suffix in (".csv", ".txt"):
            text = _decode(path.read_bytes())
            tables = [(path.stem, list(csv.reader(_io.StringIO(text))))]
        else:
            issues.append(Issue(path.name, None, "", suffix, "unsupported_file"))
            return []
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        issues.append(Issue(path.name, None, "", str(error)[:120], "unreadable_file"))
        return []
    sheets = [s for title, t in tables if (s := _sheet_from_rows(title, t, issues))]
    if not sheets or not any(s.rows for s in sheets):
        issues.append(Issue(path.name, None, "", "", "empty_file"))
    return sheets


# --- vocabularies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    """Everything a cell may name, mapped to the stored code (any case, Chinese or English)."""

    kinds: dict[str, str]
    programs: dict[str, str]
    subdistricts: dict[str, str]
    units: dict[str, list[str]]
    unit_parent: dict[str, str]
    seats: dict[str, tuple[float, float]]
    precisions: dict[str, str]
    qualifiers: dict[str, str]
    scopes: dict[str, str]
    alliance_kinds: dict[str, str]
    gazetteer: validate.Gazetteer

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Lookups:
        programs = io.load_programs(data_dir)
        subdistricts = io.load_subdistricts(data_dir)
        units = io.load_units(data_dir)

        def table(pairs):
            return {str(k).strip().lower(): v for k, v in pairs}

        unit_names: dict[str, list[str]] = {}
        for code, name, short in zip(
            units["code"], units["name"], units["short_name"], strict=True
        ):
            for alias in {code, name, short, short.removesuffix("社区")}:
                unit_names.setdefault(alias.lower(), []).append(code)
        return cls(
            kinds=table(
                [(k, k) for k in vocab.KINDS]
                + [(label, k) for k, labels in KIND_LABELS.items() for label in labels]
            ),
            programs=table(
                [(k, k) for k in programs["key"]]
                + list(zip(programs["name_zh"], programs["key"], strict=True))
                + list(zip(programs["name_en"], programs["key"], strict=True))
            ),
            subdistricts=table(
                [(c, c) for c in subdistricts["code"]]
                + [
                    (c12, c)
                    for c12, c in zip(subdistricts["code_12"], subdistricts["code"], strict=True)
                ]
                + list(zip(subdistricts["name"], subdistricts["code"], strict=True))
                + list(zip(subdistricts["short_name"], subdistricts["code"], strict=True))
            ),
            units={k: sorted(set(v)) for k, v in unit_names.items()},
            unit_parent=dict(zip(units["code"], units["subdistrict_code"], strict=True)),
            seats={
                c: (x, y)
                for c, x, y in zip(
                    subdistricts["code"],
                    subdistricts["seat_lon"],
                    subdistricts["seat_lat"],
                    strict=True,
                )
            },
            precisions=table(
                [(p, p) for p in vocab.PRECISIONS]
                + [(v, k) for k, v in PRECISION_SHORT.items()]
                + [(label, k) for k, labels in PRECISION_LABELS.items() for label in labels]
            ),
            qualifiers=table(
                [(q, q) for q in vocab.QUALIFIERS]
                + [(v, k) for k, v in QUALIFIER_LABELS.items()]
                + [("+", "at_least")]
            ),
            scopes=table(
                [(s, s) for s in vocab.SCOPE_TYPES] + [(v, k) for k, v in SCOPE_LABELS.items()]
            ),
            alliance_kinds=table(
                [(a, a) for a in vocab.ALLIANCE_KINDS]
                + [(v, k) for k, v in ALLIANCE_KIND_LABELS.items()]
            ),
            gazetteer=validate.Gazetteer.from_frames(subdistricts, units, programs),
        )


def parse_coordinate(text: str) -> float | None:
    """Decimal degrees or degrees-minutes-seconds (``116°58′30.5″E``, ``36度39分``) -> float."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None
    match = _DMS.match(text)
    if not match or ("°" not in text and "度" not in text):
        return None
    hemi_before, degrees, minutes, seconds, hemi_after = match.groups()
    value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    if (hemi_before or hemi_after or "") in ("S", "W", "南", "西"):
        value = -value
    return value


def stable_id(prefix: str, *parts: str) -> str:
    """An id derived from the row's identifying fields, the same every time it is imported."""
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"


# --- normalising rows ---------------------------------------------------------------------------


class _Row:
    """Collects one row's normalised values and its problems."""

    def __init__(self, sheet: Sheet, number: int, values: dict[str, str], issues: list[Issue]):
        self.sheet, self.number, self.values, self.issues = sheet, number, values, issues

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()

    def fail(self, key: str, message: str, value: str | None = None) -> None:
        header = self.sheet.headers.get(key, key)
        self.issues.append(
            Issue(
                self.sheet.label,
                self.number,
                header,
                self.get(key) if value is None else value,
                message,
            )
        )

    def lookup(self, key: str, table: dict[str, str], message: str) -> str:
        text = self.get(key)
        if not text:
            return ""
        found = table.get(text.lower())
        if found is None:
            self.fail(key, message)
            return text
        return found

    def lookup_many(self, key: str, table: dict[str, str], message: str) -> list[str]:
        found = []
        for part in _SPLIT.split(self.get(key)):
            part = part.strip()
            if not part:
                continue
            code = table.get(part.lower())
            if code is None:
                self.fail(key, message, part)
            elif code not in found:
                found.append(code)
        return found

    def unit(self, key: str, lookups: Lookups, subdistrict: str) -> str:
        text = self.get(key)
        return self.unit_code(text, key, lookups, subdistrict) if text else ""

    def unit_code(self, text: str, key: str, lookups: Lookups, subdistrict: str) -> str:
        codes = lookups.units.get(text.strip().lower(), [])
        if subdistrict and len(codes) > 1:
            codes = [c for c in codes if lookups.unit_parent[c] == subdistrict]
        if len(codes) == 1:
            return codes[0]
        self.fail(key, "ambiguous_unit" if codes else "unknown_unit", text)
        return text

    def version(self) -> int | None:
        text = self.get("version")
        if not text:
            return None
        if re.fullmatch(r"[0-9]+", text):
            return int(text)
        self.fail("version", "not_version")
        return None


def _site(row: _Row, lookups: Lookups, default_source: str) -> dict:
    subdistrict = row.lookup("subdistrict", lookups.subdistricts, "unknown_subdistrict")
    unit = row.unit("unit", lookups, subdistrict if subdistrict in lookups.seats else "")
    if unit in lookups.unit_parent and not subdistrict:
        subdistrict = lookups.unit_parent[unit]
    record = {
        "name": row.get("name"),
        "kind": row.lookup("kind", lookups.kinds, "unknown_kind"),
        "subdistrict_code": subdistrict,
        "unit_code": unit,
        "programs": ";".join(row.lookup_many("programs", lookups.programs, "unknown_program")),
        "year": row.get("year"),
        "description": row.get("description"),
        "source": row.get("source") or default_source,
        "inferred": row.lookup("inferred", YES_NO_CHOICES, "not_yes_no") == "true",
    }
    precision = row.lookup("location_precision", lookups.precisions, "unknown_precision")
    lon_text, lat_text = row.get("lon"), row.get("lat")
    if not lon_text and not lat_text:
        if subdistrict not in lookups.seats:
            row.fail("lon", "no_location")
            lon = lat = np.nan
        else:  # geocoded from the gazetteer: the unit's or subdistrict's (estimated) seat
            lon, lat = lookups.seats[subdistrict]
            precision = "subdistrict"
    elif not lon_text or not lat_text:
        row.fail("lon" if not lon_text else "lat", "lonlat_pair")
        lon = lat = np.nan
    else:
        lon, lat = parse_coordinate(lon_text), parse_coordinate(lat_text)
        for key, value in (("lon", lon), ("lat", lat)):
            if value is None:
                row.fail(key, "not_coordinate")
        datum_text = row.get("datum")
        try:
            given = datum.normalise_datum(datum_text) if datum_text else None
        except ValueError:
            row.fail("datum", "unknown_datum")
            given = None
        if not datum_text:
            row.fail("datum", "datum_required")
        if lon is None or lat is None or given is None:
            lon = lat = np.nan
        else:
            x, y = datum.to_wgs84([lon], [lat], given)
            lon, lat = round(float(x[0]), 7), round(float(y[0]), 7)
        precision = precision or "exact"
    record.update(lon=lon, lat=lat, location_precision=precision or "exact")
    record["id"] = row.get("id") or stable_id(
        "imp", record["kind"], record["name"], subdistrict, unit
    )
    return record


def _metric(row: _Row, lookups: Lookups, default_source: str, known: dict[str, set[str]]) -> dict:
    scope_type = row.lookup("scope_type", lookups.scopes, "unknown_scope_type") or "district"
    scope_text = row.get("scope")
    scope = ""
    if scope_type == "district":
        scope = DISTRICT_CODE
    elif scope_type == "subdistrict":
        scope = row.lookup("scope", lookups.subdistricts, "unknown_scope")
    elif scope_type == "unit":
        scope = row.unit("scope", lookups, "")
    elif scope_text:
        scope = scope_text if scope_text in known.get(scope_type, set()) else ""
        if not scope:
            row.fail("scope", "unknown_scope")
    record = {
        "name_zh": row.get("name_zh"),
        "name_en": row.get("name_en"),
        "value": row.get("value"),
        "unit": row.get("unit"),
        "qualifier": row.lookup("qualifier", lookups.qualifiers, "unknown_qualifier") or "exact",
        "scope_type": scope_type,
        "scope_code": scope or scope_text,
        "program": row.lookup("program", lookups.programs, "unknown_program"),
        "year": row.get("year"),
        "period": row.lookup("period", PERIOD_CHOICES, "unknown_period") or "year",
        "source": row.get("source") or default_source,
    }
    record["id"] = row.get("id") or stable_id(
        "imp-m", record["name_zh"], scope_type, record["scope_code"], record["year"]
    )
    return record


def _alliance(row: _Row, lookups: Lookups, default_source: str) -> dict:
    subdistrict = row.lookup("subdistrict", lookups.subdistricts, "unknown_subdistrict")
    members = [
        row.unit_code(p, "members", lookups, subdistrict)
        for p in _SPLIT.split(row.get("members"))
        if p.strip()
    ]
    inferred = [
        row.unit_code(p, "inferred", lookups, subdistrict)
        for p in _SPLIT.split(row.get("inferred"))
        if p.strip()
    ]
    record = {
        "name": row.get("name"),
        "kind": row.lookup("kind", lookups.alliance_kinds, "unknown_alliance_kind"),
        "subdistrict_code": subdistrict,
        "member_codes": ";".join(members),
        "inferred_codes": ";".join(inferred),
        "programs": ";".join(row.lookup_many("programs", lookups.programs, "unknown_program")),
        "year": row.get("year"),
        "description": row.get("description"),
        "membership_note": row.get("membership_note"),
        "source": row.get("source") or default_source,
    }
    record["id"] = row.get("id") or stable_id("imp-a", record["name"], subdistrict)
    return record


def _as_text_frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns)
    return frame.apply(lambda c: c.map(lambda v: "" if v is None or v != v else str(v)))


def _remap(issues: list[Issue], sheet: Sheet, numbers: list[int]) -> list[Issue]:
    """Issues from the validators (row = index + 2, column keys) in the file's terms."""
    aliases = {
        "subdistrict_code": "subdistrict",
        "unit_code": "unit",
        "member_codes": "members",
        "inferred_codes": "inferred",
        "scope_code": "scope",
        "lon/lat": "lon",
    }
    written = {number: values for number, values in sheet.rows}
    out = []
    for issue in issues:
        row = numbers[issue.row - 2] if issue.row is not None else None
        key = aliases.get(issue.column, issue.column)
        # quote the cell as the user wrote it (a name), not the code it was looked up to
        value = written.get(row, {}).get(key, issue.value) if key != "lon" else issue.value
        out.append(
            Issue(sheet.label, row, sheet.headers.get(key, key), value, issue.key, issue.severity)
        )
    return out


# --- the import --------------------------------------------------------------------------------

_NUMERIC = {"lon", "lat", "value"}


def _same(stored: dict, new: dict, columns: list[str]) -> bool:
    for column in columns:
        a, b = stored.get(column), new.get(column)
        if column in _NUMERIC or column == "year":
            a = None if a is None or a == "" or a != a else float(a)
            b = None if b is None or b == "" or b != b else float(b)
            if a is None or b is None:
                if a is not b:
                    return False
            elif abs(a - b) > 1e-7:
                return False
        elif str(a or "") != str(b or ""):
            return False
    return True


def _typed(entity: str, record: dict) -> dict:
    out = dict(record)
    out["year"] = int(out["year"]) if str(out.get("year", "")).strip() else None
    if entity == "metrics":
        out["value"] = float(out["value"])
    return out


def import_file(
    path: Path,
    store: Store,
    user: str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    lookups: Lookups | None = None,
    source_name: str | None = None,
) -> ImportResult:
    """Check ``path`` completely, then (unless ``dry_run`` or any error) apply it in one
    transaction. ``progress(done, total)`` reports rows checked, then records written."""
    result = ImportResult(dry_run=dry_run)
    lookups = lookups or Lookups.load()
    sheets = read_sheets(path, result.issues)
    if result.errors:
        return result
    default_source = f"import:{source_name or path.name}"
    stored = {entity: store.read(entity) for entity in SHEETS}
    frames: dict[str, tuple[Sheet, list[dict], list[int], list[int | None]]] = {}
    total = sum(len(s.rows) for s in sheets)
    done = 0
    site_ids = set(stored["sites"]["id"])
    alliance_ids = set(stored["alliances"]["id"])
    for sheet in sorted(sheets, key=lambda s: list(SHEETS).index(s.entity)):
        records, numbers, versions = [], [], []
        for number, values in sheet.rows:
            row = _Row(sheet, number, values, result.issues)
            if sheet.entity == "sites":
                record = _site(row, lookups, default_source)
                site_ids.add(record["id"])
            elif sheet.entity == "alliances":
                record = _alliance(row, lookups, default_source)
                alliance_ids.add(record["id"])
            else:
                known = {"site": site_ids, "alliance": alliance_ids}
                record = _metric(row, lookups, default_source, known)
            records.append(record)
            numbers.append(number)
            versions.append(row.version())
            done += 1
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
        if sheet.entity in frames:  # two sheets of one kind (e.g. two CSVs is not possible)
            previous = frames[sheet.entity]
            records, numbers = previous[1] + records, previous[2] + numbers
            versions = previous[3] + versions
        frames[sheet.entity] = (sheet, records, numbers, versions)
    scopes = {
        "district": {DISTRICT_CODE},
        "subdistrict": set(lookups.gazetteer.subdistricts),
        "unit": set(lookups.gazetteer.unit_parent),
        "site": site_ids,
        "alliance": alliance_ids,
    }
    for entity, (sheet, records, numbers, _versions) in frames.items():
        columns = {
            "sites": io.SITE_COLUMNS,
            "metrics": io.METRIC_COLUMNS,
            "alliances": io.ALLIANCE_COLUMNS,
        }[entity]
        raw = _as_text_frame(records, columns)
        if entity == "sites":
            found = validate.validate_sites(raw, lookups.gazetteer)
        elif entity == "metrics":
            found = validate.validate_metrics(raw, lookups.gazetteer, scopes)
        else:
            found = validate.validate_alliances(raw, lookups.gazetteer)
        result.issues += _new_only(_remap(found, sheet, numbers), result.issues, sheet)
        if entity == "sites" and records:
            typed = pd.DataFrame(records, columns=columns)
            typed[["lon", "lat"]] = typed[["lon", "lat"]].astype(float)
            located = typed[typed["lon"].notna() & typed["lat"].notna()]
            if len(located):
                spatial = validate.check_locations(
                    located.reset_index(drop=True), io.load_outline(), io.load_areas()
                )
                index_numbers = [numbers[i] for i in located.index]
                result.issues += _remap(spatial, sheet, index_numbers)
    if result.errors:
        return result
    for entity, (sheet, records, numbers, versions) in frames.items():
        current = {r["id"]: r for r in stored[entity].to_dict("records")}
        columns = {
            "sites": io.SITE_COLUMNS,
            "metrics": io.METRIC_COLUMNS,
            "alliances": io.ALLIANCE_COLUMNS,
        }[entity]
        for record, number, version in zip(records, numbers, versions, strict=True):
            record = _typed(entity, record)
            old = current.get(record["id"])
            if old is None:
                result.changes.append(Change(entity, "insert", record))
                result.added[entity] = result.added.get(entity, 0) + 1
            elif _same(old, record, columns):
                result.unchanged[entity] = result.unchanged.get(entity, 0) + 1
            elif version is not None and version != old["version"]:
                header = sheet.headers.get("version", "version")
                result.issues.append(
                    Issue(sheet.label, number, header, str(version), "stale_version")
                )
            else:
                result.changes.append(Change(entity, "update", record, old["version"]))
                result.changed[entity] = result.changed.get(entity, 0) + 1
    if result.errors or dry_run or not result.changes:
        return result
    store.apply(result.changes, user, progress=progress, action="import")
    result.applied = True
    return result


def _new_only(found: list[Issue], reported: list[Issue], sheet: Sheet) -> list[Issue]:
    """Validator issues about cells the row-by-row reading has not already flagged.

    (Longitude and latitude count as one cell: a location problem is reported once.)
    """
    location = {
        sheet.headers.get("lon", "lon"),
        sheet.headers.get("lat", "lat"),
        sheet.headers.get("datum", "datum"),
    }

    def cell(issue: Issue) -> tuple:
        column = "<location>" if issue.column in location else issue.column
        return issue.file, issue.row, column

    seen = {cell(i) for i in reported}
    return [i for i in found if cell(i) not in seen]
