"""Normalising a ledger's rows into records: one function per kind of table.

Each row's values are looked up in the vocabularies (any wording of a kind, program,
subdistrict or village), its coordinates converted to WGS-84, and every problem recorded as an
:class:`~geo.data.validate.Issue` naming the sheet, the file's own row number, the column as the
file
heads it and the cell as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from geo.config import DISTRICT_CODE
from geo.data import datum
from geo.data.figures import entry_id
from geo.data.gazetteer import name_key
from geo.data.io import stable_id
from geo.data.validate import Issue
from geo.intake.coords import parse_coordinate, parse_pair
from geo.intake.lookups import Lookups, key_of
from geo.reports.sheets import BETTER_CHOICES, PERIOD_CHOICES, YES_NO_CHOICES

#: 是/否 and 年度/截至 as the template writes them, any case.
_YES_NO = {key_of(k): v for k, v in YES_NO_CHOICES.items()}
_PERIODS = {key_of(k): v for k, v in PERIOD_CHOICES.items()}
_BETTER = {key_of(k): v for k, v in BETTER_CHOICES.items()}
_SPLIT = re.compile(r"[;；、,，\n/]+")
_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d|2100)(?!\d)")
#: What a formula starts with (OWASP's list): such text is never stored as a name.
FORMULA_STARTS = ("=", "+", "-", "@")


#: The key under which a normalised record carries its coordinates' datum until
#: :func:`to_wgs84` converts them.
DATUM_KEY = "_datum"


def to_wgs84(records: list[dict]) -> None:
    """Convert the records' coordinates to WGS-84 (EPSG:4326, degrees), in place.

    One vectorised call per datum (a row at a time costs 0.3 ms for the GCJ-02 inverse).

    Parameters
    ----------
    records
        Normalised records with ``lon``, ``lat`` (degrees, NaN for none) and the datum they
        are in under :data:`DATUM_KEY` (WGS-84 if absent; a canonical name of
        :data:`geo.data.datum.DATUMS`).

    Returns
    -------
    None
        Each record's ``lon``, ``lat`` are replaced by WGS-84 degrees rounded to 1e-7 degree
        (about 1 cm); the datum key is removed.
    """
    by_datum: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        given = record.pop(DATUM_KEY, datum.WGS84)
        if record["lon"] != record["lon"]:  # NaN: nothing to convert
            continue
        if given == datum.WGS84:
            record["lon"], record["lat"] = round(record["lon"], 7), round(record["lat"], 7)
        else:
            by_datum.setdefault(given, []).append(index)
    for given, indices in by_datum.items():
        lon = np.array([records[i]["lon"] for i in indices], dtype=float)
        lat = np.array([records[i]["lat"] for i in indices], dtype=float)
        x, y = datum.to_wgs84(lon, lat, given)
        for i, a, b in zip(indices, np.round(x, 7), np.round(y, 7), strict=True):
            records[i]["lon"], records[i]["lat"] = float(a), float(b)


@dataclass(frozen=True)
class Context:
    """What every row of one table shares: where it comes from and what its columns say."""

    label: str  # the sheet as messages name it
    headers: dict[str, str]  # field -> the column's header as the file writes it
    lookups: Lookups
    default_source: str
    sheet_subdistrict: str = ""  # a sheet named after a subdistrict supplies it
    column_datum: str | None = None  # the datum a coordinate header names (经度（高德）)
    defaults: dict[str, str] | None = None  # field -> value for the whole file (an empty cell)
    geocoded: dict | None = None  # address -> the geocoder's answer (None: not configured)
    # field -> {name_key(value as written): what a person chose it means}
    choices: dict[str, dict[str, str]] | None = None
    pair_datum: str | None = None  # the datum a 经纬度 header names (经纬度（高德）)


class Row:
    """One row's values (field -> text) and the problems found while normalising it."""

    def __init__(self, context: Context, number: int, values: dict[str, str], issues: list):
        self.context, self.number, self.values, self.issues = context, number, values, issues

    def get(self, key: str) -> str:
        """The row's text for field ``key``, else the file's default for it, else ``""``.

        Parameters
        ----------
        key
            A field.

        Returns
        -------
        str
            The stripped cell, or the default of :attr:`Context.defaults`, or ``""``.
        """
        return self.values.get(key, "").strip() or (self.context.defaults or {}).get(key, "")

    def fail(self, key: str, message: str, value: str | None = None, severity="error") -> None:
        """Record a problem in the row's cell of field ``key``.

        Parameters
        ----------
        key
            The field; the issue names the column by its header in the file.
        message
            The message key of :mod:`geo.text.labels` (e.g. ``unknown_kind``).
        value
            The value shown in the issue; the cell's text by default.
        severity
            ``error`` (the file is not imported) or ``warning``.

        Returns
        -------
        None
            The :class:`~geo.data.validate.Issue` is appended to :attr:`issues`.
        """
        header = self.context.headers.get(key, key)
        shown = self.get(key) if value is None else value
        self.issues.append(Issue(self.context.label, self.number, header, shown, message, severity))

    def refuse_formula(self, key: str) -> None:
        """Record a ``formula_text`` error if the cell of ``key`` reads like a formula.

        Parameters
        ----------
        key
            A name field (``name``, ``name_zh``).

        Returns
        -------
        None
            A name starting with ``=``, ``+``, ``-`` or ``@`` is refused: once exported it
            would run as a formula in Excel or WPS.
        """
        if self.get(key).startswith(FORMULA_STARTS):
            self.fail(key, "formula_text")

    def lookup(self, key: str, table: dict[str, str], message: str) -> str:
        """The stored code the row's cell of ``key`` names.

        Parameters
        ----------
        key
            The field.
        table
            The vocabulary (:func:`~geo.intake.lookups.key_of` of a word -> code).
        message
            The message key of the issue recorded when the cell names nothing in ``table``.

        Returns
        -------
        str
            The code; ``""`` for an empty cell; the text as written (with the issue recorded) if
            it names nothing.
        """
        text = self.get(key)
        if not text:
            return ""
        found = table.get(key_of(text)) or self.chosen(key, text, table)
        if found is None:
            self.fail(key, message)
            return text
        return found

    def chosen(self, key: str, text: str, table) -> str | None:
        """What a person chose ``text`` means in the column of field ``key``, if they did.

        Parameters
        ----------
        key
            The field.
        text
            The value as written.
        table
            The vocabulary the choice is looked up in (a choice is a name or a code).

        Returns
        -------
        str or None
            The code of the choice; None if no choice was made for this value.
        """
        choice = ((self.context.choices or {}).get(key) or {}).get(name_key(text))
        return table.get(key_of(choice)) if choice else None

    def lookup_many(self, key: str, table: dict[str, str], message: str) -> list[str]:
        """The stored codes the row's cell of ``key`` lists.

        Parameters
        ----------
        key
            The field; its cell may list several values separated by ``;``, ``、``, ``,``, ``/``
            or line breaks (half- or full-width: the cell is NFKC-normalised first).
        table
            The vocabulary (:func:`~geo.intake.lookups.key_of` of a word -> code).
        message
            The message key of the issue recorded for each part that names nothing.

        Returns
        -------
        list of str
            The codes found, each once, in the cell's order (parts naming nothing are left out).
        """
        found: list[str] = []
        for part in _SPLIT.split(unicodedata.normalize("NFKC", self.get(key))):
            if not part.strip():
                continue
            code = table.get(key_of(part)) or self.chosen(key, part, table)
            if code is None:
                self.fail(key, message, part.strip())
            elif code not in found:
                found.append(code)
        return found

    def subdistrict(self) -> str:
        """The row's subdistrict code: its own column, else the one the sheet's name gives.

        Returns
        -------
        str
            The 9-digit code; the text as written (with an ``unknown_subdistrict`` issue) if the
            cell names none; ``""`` if neither the cell nor the sheet names one.
        """
        if self.get("subdistrict"):
            return self.lookup(
                "subdistrict", self.context.lookups.subdistricts, "unknown_subdistrict"
            )
        return self.context.sheet_subdistrict

    def unit_code(self, text: str, key: str, subdistrict: str) -> str:
        """The 12-digit code of the village or community ``text`` names.

        Parameters
        ----------
        text
            The name (or code) as written.
        key
            The field, for the issue.
        subdistrict
            A 9-digit subdistrict code to choose among units of the same name, or ``""``.

        Returns
        -------
        str
            The code; ``text`` itself, with an ``unknown_unit`` or ``ambiguous_unit`` issue, if it
            names no unit or more than one.
        """
        lookups = self.context.lookups
        codes = lookups.units.get(key_of(text), []) or self.chosen(key, text, lookups.units) or []
        if subdistrict and len(codes) > 1:
            codes = [c for c in codes if lookups.unit_parent[c] == subdistrict]
        if len(codes) == 1:
            return codes[0]
        self.fail(key, "ambiguous_unit" if codes else "unknown_unit", text)
        return text

    def unit(self, key: str, subdistrict: str) -> str:
        """The 12-digit code of the unit the row's cell of ``key`` names (see :meth:`unit_code`).

        Parameters
        ----------
        key
            The field (``unit``, or ``scope`` for a figure about a unit).
        subdistrict
            The row's subdistrict code, used to choose among units of the same name when it is a
            known subdistrict.

        Returns
        -------
        str
            The code, ``""`` for an empty cell, or the text as written with an issue.
        """
        text = self.get(key)
        if not text:
            return ""
        return self.unit_code(
            text, key, subdistrict if subdistrict in self.context.lookups.seats else ""
        )

    def year(self, field: str = "year") -> str:
        """A four-digit year from ``2024``, ``2024年``, ``2024-05-01`` or ``2024.0``.

        Parameters
        ----------
        field
            The field holding the year (``year``, or ``end_year`` for a site's end).

        Returns
        -------
        str
            The year (1940-2100), ``""`` for an empty cell, or the text as written if it holds
            no single year (validation then reports it).
        """
        text = unicodedata.normalize("NFKC", self.get(field)).strip()
        if not text:
            return ""
        found = _YEAR.findall(text)
        if len(found) == 1 and not re.search(r"[^\d\s年度.\-/:月日T]", text):
            return found[0]
        return text  # left as written: validation reports it as not a year

    def version(self) -> int | None:
        """The record version the row was exported with.

        Returns
        -------
        int or None
            The version; None for an empty cell, or (with a ``not_version`` issue) a cell that is
            not a whole number.
        """
        text = unicodedata.normalize("NFKC", self.get("version")).strip()
        if not text:
            return None
        if re.fullmatch(r"[0-9]+", text):
            return int(text)
        self.fail("version", "not_version")
        return None

    def position(self) -> tuple[float, float, str, str] | None:
        """The row's coordinates as written, or None if it has none.

        A coordinate that cannot be used (half a pair, not a coordinate, no or an unknown datum)
        is reported and gives NaN; the precision stays as given, so that one problem is reported
        once.

        Returns
        -------
        tuple of (float, float, str, str) or None
            ``(lon, lat, precision, datum)``: degrees in ``datum`` (the cell's, else the one the
            header names, else the file's default; :func:`to_wgs84` converts a whole table at
            once), the precision given or ``exact``.
        """
        lon_text, lat_text = self.get("lon"), self.get("lat")
        if not lon_text and not lat_text:
            return self._pair()
        precision = self._precision()
        if not lon_text or not lat_text:
            self.fail("lon" if not lon_text else "lat", "lonlat_pair")
            return np.nan, np.nan, precision, datum.WGS84
        lon, lat = parse_coordinate(lon_text), parse_coordinate(lat_text)
        for key, value in (("lon", lon), ("lat", lat)):
            if value is None:
                self.fail(key, "not_coordinate")
        given = self._datum()
        if lon is None or lat is None or given is None:
            return np.nan, np.nan, precision, datum.WGS84
        return lon, lat, precision, given

    def _precision(self) -> str:
        return (
            self.lookup("location_precision", self.context.lookups.precisions, "unknown_precision")
            or "exact"
        )

    def _pair(self) -> tuple[float, float, str, str] | None:
        """Both coordinates from one 经纬度 cell, or from a 位置 (address) cell that holds a
        pair instead of an address."""
        text = self.get("lonlat")
        if not text:
            pair = parse_pair(self.get("address"))
            if pair is None:
                return None
            self.values["address"] = ""  # the cell held coordinates, not an address
        else:
            pair = parse_pair(text)
            if pair is None:
                self.fail("lonlat", "not_coordinate_pair")
                return np.nan, np.nan, self._precision(), datum.WGS84
        precision = self._precision()
        given = self._datum("lonlat")
        if given is None:
            return np.nan, np.nan, precision, datum.WGS84
        return pair[0], pair[1], precision, given

    def _datum(self, key: str = "lon") -> str | None:
        text = self.values.get("datum", "").strip()  # the cell, then the header, then the file
        if not text and key == "lonlat" and self.context.pair_datum:
            return self.context.pair_datum
        if not text and self.context.column_datum:
            return self.context.column_datum
        text = text or self.get("datum")
        if text:
            try:
                return datum.normalise_datum(text)
            except ValueError:
                self.fail("datum", "unknown_datum", text)
                return None
        self.fail("datum", "datum_required", "")
        return None

    def geocoded(self) -> tuple[float, float, str, str] | None:
        """The position of the row's address, from the geocoder's answers.

        Returns
        -------
        tuple of (float, float, str, str) or None
            ``(lon, lat, precision, "WGS-84")`` (Tianditu answers in CGCS2000, WGS-84 here), the
            precision from the match level; None if the row has no address or no geocoder is
            configured, or (with an ``address_not_found`` warning) there is no answer with a
            position for it.
        """
        address = self.get("address")
        answers = self.context.geocoded
        if not address or answers is None:
            return None
        answer = answers.get(address) or {}
        if answer.get("lon") is None or answer.get("lat") is None:
            self.fail("address", "address_not_found", severity="warning")
            return None
        precision = answer.get("location_precision") or "approximate"
        return float(answer["lon"]), float(answer["lat"]), precision, datum.WGS84


def site(row: Row) -> dict:
    """A site record from a row of a sites table.

    Parameters
    ----------
    row
        The row; problems are recorded on it.

    Returns
    -------
    dict
        The record's fields (codes looked up, ``programs`` ``;``-separated, ``year`` and
        ``end_year`` as four digits or ``""``, ``inferred`` bool), its ``id`` (the row's, else
        :func:`stable_id` of kind, name, subdistrict and unit) and its position: the row's
        coordinates, else its geocoded address, else its subdistrict's seat (precision
        ``subdistrict``); ``lon``, ``lat`` in degrees of the datum under :data:`DATUM_KEY`
        until :func:`to_wgs84` makes them WGS-84.
    """
    lookups = row.context.lookups
    row.refuse_formula("name")
    subdistrict = row.subdistrict()
    unit = row.unit("unit", subdistrict)
    if unit in lookups.unit_parent and not subdistrict:
        subdistrict = lookups.unit_parent[unit]
    record = {
        "name": row.get("name"),
        "kind": row.lookup("kind", lookups.kinds, "unknown_kind"),
        "subdistrict_code": subdistrict,
        "unit_code": unit,
        "programs": ";".join(row.lookup_many("programs", lookups.programs, "unknown_program")),
        "year": row.year(),
        "end_year": row.year("end_year"),
        "description": row.get("description"),
        "source": row.get("source") or row.context.default_source,
        "inferred": row.lookup("inferred", _YES_NO, "not_yes_no") == "true",
    }
    position = row.position() or row.geocoded()
    if position is None:
        if subdistrict in lookups.seats:  # placed at the (estimated) seat, marked as such
            if row.get("address") and row.context.geocoded is None:
                row.fail("address", "address_offline", severity="warning")
            lon, lat = lookups.seats[subdistrict]
            position = (lon, lat, "subdistrict", datum.WGS84)
        else:
            row.fail("lon", "no_location", "")
            position = (np.nan, np.nan, "", datum.WGS84)
    lon, lat, precision, given = position
    record.update(lon=lon, lat=lat, location_precision=precision, **{DATUM_KEY: given})
    record["id"] = row.get("id") or stable_id(
        "imp", record["kind"], record["name"], subdistrict, unit
    )
    return record


def unit_location(row: Row) -> dict:
    """A village's or community's position from a row of a 村/居 ledger.

    Parameters
    ----------
    row
        The row; problems are recorded on it (a row without coordinates or a found address
        gets ``no_location``).

    Returns
    -------
    dict
        ``id`` (the unit's 12-digit code), ``lon``, ``lat`` (degrees of the datum under
        :data:`DATUM_KEY` until :func:`to_wgs84` makes them WGS-84; NaN if none),
        ``location_precision``, ``source`` (the row's, else the file's).
    """
    subdistrict = row.subdistrict()
    code = row.unit("unit", subdistrict)
    position = row.position() or row.geocoded()
    if position is None:
        row.fail("lon", "no_location", "")
        position = (np.nan, np.nan, "", datum.WGS84)
    lon, lat, precision, given = position
    return {
        "id": code,
        "lon": lon,
        "lat": lat,
        "location_precision": precision,
        "source": row.get("source") or row.context.default_source,
        DATUM_KEY: given,
    }


def metric(row: Row, known: dict[str, set[str]]) -> dict:
    """A reported figure from a row of the template's 指标 sheet.

    Parameters
    ----------
    row
        The row; problems are recorded on it.
    known
        Scope type (``site``, ``alliance``) -> the ids a figure may be about.

    Returns
    -------
    dict
        The figure's fields: ``scope_type`` (``district`` if empty) and ``scope_code`` (the
        district's code, a subdistrict's or unit's code, or a known id), ``qualifier``
        (``exact`` if empty), ``period`` (``year`` if empty), ``value`` as written (validation
        checks it), and ``id`` (the row's, else :func:`stable_id` of name, scope and year).
    """
    lookups = row.context.lookups
    row.refuse_formula("name_zh")
    scope_type = row.lookup("scope_type", lookups.scopes, "unknown_scope_type") or "district"
    scope_text = row.get("scope")
    scope = ""
    if scope_type == "district":
        scope = DISTRICT_CODE
    elif scope_type == "subdistrict":
        scope = row.lookup("scope", lookups.subdistricts, "unknown_scope")
    elif scope_type == "unit":
        scope = row.unit("scope", "")
    elif scope_text:
        scope = scope_text if scope_text in known.get(scope_type, set()) else ""
        if not scope:
            row.fail("scope", "unknown_scope")
    value, unit, qualifier = amount(row.get("value"))
    if unit and row.get("unit") and unicodedata.normalize("NFKC", row.get("unit")) != unit:
        row.fail("value", "unit_in_cell_differs")
    source = row.get("source") or row.context.default_source
    record = {
        "name_zh": row.get("name_zh"),
        "name_en": row.get("name_en"),
        "value": value,
        "unit": row.get("unit") or unit,  # as written: m² stays m²
        "qualifier": row.lookup("qualifier", lookups.qualifiers, "unknown_qualifier") or qualifier,
        "scope_type": scope_type,
        "scope_code": scope or scope_text,
        "program": row.lookup("program", lookups.programs, "unknown_program"),
        "year": _year_of_period(row),
        "period": row.lookup("period", _PERIODS, "unknown_period") or "year",
        "source": source,
        "quarter": _quarter(row.get("quarter")) or _quarter_in(row.get("year")),
        "target": amount(row.get("target"))[0],
        "target_source": row.get("target_source") or (source if row.get("target") else ""),
        "better": row.lookup("better", _BETTER, "unknown_better") or "up",
    }
    record["id"] = row.get("id") or entry_id(
        record["name_zh"], scope_type, record["scope_code"], record["year"], record["quarter"]
    )
    return record


#: A figure as offices write it: ``40,000元``, ``43%``, ``100余人``, ``约30个``, ``45岁以下``.
_AMOUNT = re.compile(
    r"(?P<pre>约|近|大约|超过|逾|不少于|不低于|不超过|不高于|≥|≤|>|<|~|≈)?"
    r"(?P<number>[+-]?\d[\d,]*(?:\.\d+)?)"
    r"(?P<more>余|多)?(?P<unit>[^\d\s]*?)(?P<post>以上|以下|以内|左右|余|多)?"
)
_QUALIFIED = {
    **dict.fromkeys(("约", "近", "大约", "~", "≈", "左右"), "approx"),
    **dict.fromkeys(("超过", "逾", "不少于", "不低于", "≥", ">", "余", "多", "以上"), "at_least"),
    **dict.fromkeys(("不超过", "不高于", "≤", "<", "以下", "以内"), "at_most"),
}


def amount(text: str) -> tuple[str, str, str]:
    """A figure's cell split into its number, its unit and its qualifier.

    Parameters
    ----------
    text
        The cell as written: ``40,000元``, ``43%``, ``100余人``, ``约30个``, ``45岁以下``,
        ``1053`` (full-width forms are read as half-width).

    Returns
    -------
    tuple of str
        The number without separators (``"40000"``), the unit written with it (``"元"``, or
        ``""``) and the qualifier it implies (``exact``, ``at_least`` for 余/多/以上,
        ``at_most`` for 以下/以内, ``approx`` for 约/左右); a cell that is no such figure comes
        back as written, with no unit, for validation to report.
    """
    written = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    found = _AMOUNT.fullmatch(written)
    if not found:
        return written, "", "exact"
    words = [found[part] for part in ("pre", "more", "post") if found[part]]
    qualifier = next((_QUALIFIED[w] for w in words if w in _QUALIFIED), "exact")
    return found["number"].replace(",", ""), found["unit"], qualifier


_QUARTERS = {"一": "1", "二": "2", "三": "3", "四": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
_QUARTER = re.compile(r"(?:第?([一二三四1-4])季度?|q([1-4]))", re.IGNORECASE)


def _quarter(text: str) -> str:
    """``1``, ``第一季度``, ``一季度``, ``Q1`` -> ``"1"``; empty -> ``""``; else as written."""
    written = unicodedata.normalize("NFKC", text).strip()
    found = _QUARTER.fullmatch(written)
    return _QUARTERS[found[1] or found[2]] if found else written


def _year_of_period(row: Row) -> str:
    """The year of a figure's period, also from ``2024年第二季度`` or ``2024Q2``."""
    written = row.year()
    if _quarter_in(written):
        found = _YEAR.findall(unicodedata.normalize("NFKC", written))
        return found[0] if len(found) == 1 else written
    return written


def _quarter_in(year: str) -> str:
    """The quarter a year cell names as well (``2024年第二季度``, ``2024Q2``), or ``""``."""
    written = unicodedata.normalize("NFKC", year)
    found = re.search(r"(?:第?([一二三四])季度|q([1-4])|第([1-4])季度)", written, re.IGNORECASE)
    return _QUARTERS[next(g for g in found.groups() if g)] if found else ""


def alliance(row: Row) -> dict:
    """An alliance from a row of the template's 联建 sheet.

    Parameters
    ----------
    row
        The row; problems are recorded on it.

    Returns
    -------
    dict
        The alliance's fields: ``member_codes`` and ``inferred_codes`` ``;``-separated unit
        codes, ``programs`` ``;``-separated keys, and ``id`` (the row's, else
        :func:`stable_id` of name and subdistrict).
    """
    lookups = row.context.lookups
    row.refuse_formula("name")
    subdistrict = row.subdistrict()
    members = [
        row.unit_code(p.strip(), "members", subdistrict)
        for p in _SPLIT.split(unicodedata.normalize("NFKC", row.get("members")))
        if p.strip()
    ]
    inferred = [
        row.unit_code(p.strip(), "inferred", subdistrict)
        for p in _SPLIT.split(unicodedata.normalize("NFKC", row.get("inferred")))
        if p.strip()
    ]
    record = {
        "name": row.get("name"),
        "kind": row.lookup("kind", lookups.alliance_kinds, "unknown_alliance_kind"),
        "subdistrict_code": subdistrict,
        "member_codes": ";".join(members),
        "inferred_codes": ";".join(inferred),
        "programs": ";".join(row.lookup_many("programs", lookups.programs, "unknown_program")),
        "year": row.year(),
        "description": row.get("description"),
        "membership_note": row.get("membership_note"),
        "source": row.get("source") or row.context.default_source,
    }
    record["id"] = row.get("id") or stable_id("imp-a", record["name"], subdistrict)
    return record
