"""What a ledger's columns mean: one synonym table, the header row found wherever it is.

Offices word their headers in many ways (阵地名称, 点位名称, 站点名称 ...). :data:`SYNONYMS`
maps the usual wordings, Chinese and English, to the fields of each kind of table; the
template's own headers and field keys are included. A header is compared after Unicode
normalisation (full-width brackets and letters as half-width), without spaces, line breaks,
required-field stars or a trailing colon; a bracketed part is tried off as well
(``经度（高德）`` is ``经度``) and, when it names a map, gives the column's datum.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from geo.data import datum
from geo.reports.sheets import SHEETS

#: Every kind of table a file may hold: the three template sheets and a ledger of villages and
#: communities with their positions (村/居 台账).
ENTITIES = ("sites", "metrics", "alliances", "units")
#: Ignored columns: a running number, or a column that names no field.
IGNORE = ""

#: Headers of one column holding both coordinates (``117.0012,36.6512``). A 位置 column is an
#: address column whose cells may hold such a pair instead (:meth:`geo.intake.rows.Row.position`).
_LONLAT = (
    "经纬度",
    "坐标",
    "经纬度坐标",
    "坐标(经纬度)",
    "gps坐标",
    "lnglat",
    "lonlat",
    "coordinates",
)
#: Usual header wordings per field, beside the template's headers and keys.
_EXTRA: dict[str, dict[str, tuple[str, ...]]] = {
    "sites": {
        "name": (
            "名称",
            "阵地名称",
            "点位名称",
            "站点名称",
            "场所名称",
            "阵地",
            "站点",
            "点位",
            "name",
            "site",
            "sitename",
        ),
        "kind": ("类型", "阵地类型", "类别", "站点类型", "点位类型", "kind", "type", "category"),
        "subdistrict": (
            "街道",
            "所属街道",
            "街道办事处",
            "所属街道办事处",
            "街道名称",
            "镇街",
            "subdistrict",
            "street",
        ),
        "unit": (
            "村/社区",
            "村(社区)",
            "所属村(社区)",
            "所属村/社区",
            "村居",
            "所属村居",
            "社区/村",
            "所属社区",
            "社区",
            "村",
            "unit",
            "community",
            "village",
        ),
        "programs": ("项目", "项目类别", "工作类别", "所属项目", "项目名称", "programs", "program"),
        "year": ("年份", "年度", "建成年份", "建设年份", "建成时间", "year"),
        "end_year": (
            "撤并年份",
            "停用年份",
            "撤销年份",
            "撤并/停用年份",
            "撤并时间",
            "停用时间",
            "end_year",
        ),
        "lon": ("经度", "东经", "lng", "lon", "long", "longitude", "x", "x坐标"),
        "lat": ("纬度", "北纬", "lat", "latitude", "y", "y坐标"),
        "lonlat": _LONLAT,
        "datum": ("坐标系", "坐标来源", "坐标类型", "坐标系统", "datum", "crs"),
        "address": ("地址", "详细地址", "具体地址", "位置", "address"),
        "description": ("备注", "说明", "简介", "description", "note", "notes"),
        "source": ("来源", "数据来源", "source"),
        "location_precision": ("位置精度", "定位精度", "precision"),
    },
    "units": {
        "unit": (
            "村/社区",
            "村(社区)",
            "村(社区)名称",
            "村/社区名称",
            "村居",
            "村居名称",
            "所属村(社区)",
            "村委会/居委会",
            "村(居)委会",
            "社区名称",
            "村名",
            "unit",
        ),
        "subdistrict": ("街道", "所属街道", "街道办事处", "镇街", "subdistrict"),
        "lon": ("经度", "东经", "lng", "lon", "longitude", "x"),
        "lat": ("纬度", "北纬", "lat", "latitude", "y"),
        "lonlat": _LONLAT,
        "datum": ("坐标系", "坐标来源", "坐标类型", "datum"),
        "address": ("地址", "详细地址", "办公地址", "address"),
        "location_precision": ("位置精度", "定位精度", "precision"),
        "source": ("来源", "数据来源", "source"),
    },
    "metrics": {
        "name_zh": ("指标", "指标名称", "名称", "指标项", "统计指标"),
        "value": ("数值", "数量", "值", "完成值", "实际值", "指标值", "完成情况", "数据"),
        "unit": ("单位", "计量单位"),
        "year": ("年份", "年度", "统计年度", "报送年度", "统计期", "期间", "时间"),
        "quarter": ("季度", "报送季度", "统计季度"),
        "target": ("目标值", "目标", "年度目标", "目标数", "计划值", "任务目标"),
        "target_source": ("目标来源", "目标依据", "目标出处"),
        "better": ("变化方向", "方向", "评价方向", "趋势方向"),
        "program": ("项目", "所属项目", "项目类别", "工作类别", "项目名称", "program"),
        "scope": ("范围", "统计范围", "适用范围", "所属单位"),
        "source": ("来源", "数据来源", "source"),
    },
    "alliances": {"name": ("名称", "联建名称"), "members": ("成员", "成员村", "成员单位")},
}
#: Headers of a running number: ignored with a notice, never an error.
SERIAL = ("序号", "编号序号", "no", "no.", "#", "序")

#: Fields a table needs, per kind (the rest are optional).
REQUIRED = {
    "sites": ("name", "programs"),
    "metrics": ("name_zh", "value", "program"),  # the unit may be written in the value cell
    "alliances": ("name", "members"),
    "units": ("unit",),
}
#: Fields that only a kind of table has: they tell the kind from the headers.
_TELLING = {
    "metrics": {"value", "qualifier", "scope_type"},
    "alliances": {"members", "inferred", "membership_note"},
    "sites": {"name", "kind", "programs"},
}
#: A bracketed part of a header: ``经度（高德）``.
_BRACKETS = re.compile(r"[(\[【<《].*?[)\]】>》]")
_DROP = re.compile(r"[\s*＊:：]+")


def check_entity(entity: str) -> str:
    """``entity`` if it is a kind of table of :data:`ENTITIES`.

    Parameters
    ----------
    entity
        The kind of table named by a caller.

    Returns
    -------
    str
        ``entity``.

    Raises
    ------
    ValueError
        If ``entity`` is not one of :data:`ENTITIES` (the message names it and them).
    """
    if entity not in ENTITIES:
        raise ValueError(f"entity must be one of {', '.join(ENTITIES)}; got {entity!r}")
    return entity


def normalise_header(text: str) -> str:
    """The form headers are compared in.

    Parameters
    ----------
    text
        A header cell (converted with ``str``).

    Returns
    -------
    str
        NFKC-normalised (full-width letters and brackets as half-width), lower case, without
        spaces, line breaks, stars or colons.
    """
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def _table(entity: str) -> dict[str, str]:
    words: dict[str, str] = {}
    for field_key, synonyms in _EXTRA.get(entity, {}).items():
        for word in synonyms:
            words.setdefault(normalise_header(word), field_key)
    if entity in SHEETS:
        for column in SHEETS[entity][1]:
            words[normalise_header(column.header)] = column.key
            words[normalise_header(column.key)] = column.key
    return words


#: entity -> {normalised header: field}: the one synonym table.
SYNONYMS: dict[str, dict[str, str]] = {entity: _table(entity) for entity in ENTITIES}
#: entity -> every field a column may be mapped to (in template order).
FIELDS: dict[str, tuple[str, ...]] = {
    entity: tuple(dict.fromkeys(SYNONYMS[entity].values())) for entity in ENTITIES
}


@dataclass(frozen=True)
class Header:
    """What one column's header says.

    ``field`` is the field it names (or :data:`IGNORE`), ``datum`` the datum its brackets name
    (``经度（高德）`` -> GCJ-02) or None, ``serial`` True for a running number's column.
    """

    text: str
    field: str
    datum: str | None = None
    serial: bool = False


def match_header(text: str, entity: str) -> Header:
    """The field the header ``text`` names in a table of ``entity``.

    Parameters
    ----------
    text
        The header cell as written.
    entity
        The kind of table, one of :data:`ENTITIES`.

    Returns
    -------
    Header
        Its field by :data:`SYNONYMS` (tried again without a bracketed part, which may name
        the column's datum); :data:`IGNORE` for an empty header, a running number (``serial``)
        or a header naming no field.

    Raises
    ------
    ValueError
        If ``entity`` is not one of :data:`ENTITIES`.
    """
    key = normalise_header(text)
    words = SYNONYMS[check_entity(entity)]
    if not key:
        return Header(text, IGNORE)
    if key in SERIAL:
        return Header(text, IGNORE, serial=True)
    if key in words:
        return Header(text, words[key])
    bare = _BRACKETS.sub("", unicodedata.normalize("NFKC", key))
    if bare in words:
        hint = "".join(_BRACKETS.findall(unicodedata.normalize("NFKC", key)))
        try:
            named = datum.normalise_datum(hint.strip("()[]【】<>《》")) if hint else None
        except ValueError:
            named = None
        return Header(text, words[bare], named)
    return Header(text, IGNORE)


@dataclass
class Layout:
    """Where a table's header is and what each column means.

    ``header_rows`` are the indices (into :class:`~geo.intake.read.Table.rows`) of the one or
    two header rows; ``columns`` has one :class:`Header` per column; ``skipped`` the indices of
    the rows above the header (titles, 填报单位/日期 ...).
    """

    entity: str
    header_rows: tuple[int, ...]
    columns: list[Header]
    skipped: list[int] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, int]:
        """Field -> column index (the first column naming it)."""
        found: dict[str, int] = {}
        for index, column in enumerate(self.columns):
            if column.field and column.field not in found:
                found[column.field] = index
        return found

    @property
    def data_start(self) -> int:
        """Index of the first row under the header."""
        return self.header_rows[-1] + 1

    def key(self) -> str:
        """The header set's fingerprint: a remembered mapping is found by it.

        Returns
        -------
        str
            ``map-`` and 16 hex digits of a SHA-1 of the entity and the normalised header texts.
        """
        texts = [normalise_header(c.text) for c in self.columns]
        digest = hashlib.sha1(json.dumps([self.entity, texts]).encode("utf-8")).hexdigest()
        return f"map-{digest[:16]}"

    def remap(self, overrides: dict[str, str]) -> Layout:
        """A copy with some columns mapped by hand.

        Parameters
        ----------
        overrides
            Header text (compared normalised) -> field of this layout's entity, or
            :data:`IGNORE` to ignore that column; headers that are not in the table are ignored.

        Returns
        -------
        Layout
            The copy; columns not named in ``overrides`` keep their meaning.

        Raises
        ------
        ValueError
            If a field of ``overrides`` is not a field of the entity (the message lists the
            fields known), or the layout's entity is not one of :data:`ENTITIES`.
        """
        allowed = set(FIELDS[check_entity(self.entity)]) | {IGNORE}
        bad = {f for f in overrides.values() if f not in allowed}
        if bad:
            raise ValueError(
                f"unknown field(s) {sorted(bad)} for {self.entity}; known: {FIELDS[self.entity]}"
            )
        wanted = {normalise_header(k): v for k, v in overrides.items()}
        columns = [
            Header(c.text, wanted[normalise_header(c.text)], c.datum, c.serial)
            if normalise_header(c.text) in wanted
            else c
            for c in self.columns
        ]
        return Layout(self.entity, self.header_rows, columns, list(self.skipped))


#: How many rows from the top are searched for the header.
HEADER_SEARCH_ROWS = 30


def _headers(cells: list[str], entity: str) -> list[Header]:
    return [match_header(cell, entity) for cell in cells]


def _score(headers: list[Header]) -> int:
    return len({h.field for h in headers if h.field})


def _combined(upper: list[str], lower: list[str]) -> list[str]:
    """Two header rows as one: the lower cell where there is one (经度 under 坐标)."""
    return [low or up for up, low in zip(upper, lower, strict=True)]


def _merged_above(upper: list[str], lower: list[str]) -> bool:
    """Whether ``upper`` is the first row of a two-row header over ``lower``: at least two of
    its cells repeat the cell below (merged cells are filled with their value)."""
    return sum(1 for u, w in zip(upper, lower, strict=True) if u and u == w) >= 2


def find_layout(rows: list[list[str]], entity: str | None = None) -> Layout | None:
    """The header row(s) of a table and what its columns mean.

    ``entity`` fixes the kind of table (a template sheet's title says it); otherwise the kind
    whose fields the best header row names is chosen: figures if it names a value, alliances
    if it names members, a villages/communities ledger if it names a unit and coordinates or
    an address but no site name, else sites. A header of two rows (merged cells over 经度 and
    纬度) is read as one.

    Parameters
    ----------
    rows
        The table's cells as text, row by row (:class:`geo.intake.read.Table.rows`).
    entity
        The kind of table, one of :data:`ENTITIES`, or None to find it.

    Returns
    -------
    Layout or None
        The layout, or None if no row of the first :data:`HEADER_SEARCH_ROWS` names at least
        two fields (one for a one-column table).

    Raises
    ------
    ValueError
        If ``entity`` is given and is not one of :data:`ENTITIES`.
    """
    best: tuple[int, int, str, tuple[int, ...], list[str]] | None = None
    kinds = (check_entity(entity),) if entity else ENTITIES
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if c) < 1:
            continue
        candidates = [((index,), cells)]
        if index + 1 < len(rows):
            candidates.append(((index, index + 1), _combined(cells, rows[index + 1])))
        for header_rows, texts in candidates:
            for kind in kinds:
                headers = _headers(texts, kind)
                score = _score(headers)
                # a second header row must add fields of its own, not repeat the first
                if len(header_rows) == 2 and score <= _score(_headers(cells, kind)):
                    continue
                rank = (score, -len(header_rows))
                if best is None or rank > (best[0], best[1]):
                    best = (score, -len(header_rows), kind, header_rows, texts)
    if best is None:
        return None
    score, _, _, header_rows, texts = best
    top = header_rows[0]
    if len(header_rows) == 1 and top > 0 and _merged_above(rows[top - 1], rows[top]):
        header_rows = (top - 1, top)  # a header of two rows whose cells are merged downwards
    width = sum(1 for c in texts if c)
    if score < 2 and not (score == 1 and width == 1):
        return None
    kind = entity or _kind_of({h.field for h in _headers(texts, "sites") if h.field}, texts)
    return Layout(kind, header_rows, _headers(texts, kind), list(range(header_rows[0])))


def _kind_of(site_fields: set[str], texts: list[str]) -> str:
    for kind in ("metrics", "alliances"):
        named = {h.field for h in _headers(texts, kind) if h.field}
        if named & _TELLING[kind] and len(named) >= len(site_fields):
            return kind
    unit_fields = {h.field for h in _headers(texts, "units") if h.field}
    located = {"lon", "lat"} <= unit_fields or "address" in unit_fields
    if "unit" in unit_fields and located and "name" not in site_fields:
        return "units"
    return "sites"
