"""Official subdistrict boundary files: found, matched, measured and reported before storing.

The file is read by :mod:`geo.intake.vectorfile` (any common format, encoding and CRS). Here its
code and name fields are found (by their names or by what they hold), each area is matched to
one subdistrict (by code, else by name), and the report (Chinese or English) says what
matched, what is missing, the CRS, each area in km² against the district outline, and the
sites that would fall outside their subdistrict's official area. Nothing here writes:
:mod:`geo.intake.boundary_load` stores a report's areas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.config import DISTRICT_CODE, AreasSource, areas_source, cli_language
from geo.data import io
from geo.data.gazetteer import Gazetteer, code_names
from geo.data.problems import Problems
from geo.intake import vectorfile
from geo.intake.vectorfile import VectorFileError, VectorLayer
from geo.isolation import ParseLimits
from geo.text.labels import join_list, precision_label, t

WGS84 = vectorfile.WGS84
#: Field names that usually hold the code / the name (lower case), best first.
CODE_FIELDS = (
    "xzqdm",
    "行政区代码",
    "行政区划代码",
    "区划代码",
    "街道代码",
    "code",
    "adcode",
    "gbcode",
    "gb",
    "xzqhdm",
    "jddm",
    "代码",
    "dm",
)
NAME_FIELDS = (
    "xzqmc",
    "行政区名称",
    "行政区划名称",
    "街道名称",
    "name",
    "xzqhmc",
    "jdmc",
    "街道",
    "名称",
    "mc",
)
#: An area with less of itself than this inside the district outline (widened by
#: :data:`OUTLINE_MARGIN_M`) is not the district's: the file is elsewhere, or its CRS wrong.
MIN_SHARE_INSIDE = 0.5
OUTLINE_MARGIN_M = 1000.0
#: Areas summing to more than this fraction away from the outline's area are pointed out.
AREA_SUM_TOLERANCE = 0.1
_POLYGONAL = ("Polygon", "MultiPolygon")
_GEOMETRY_KINDS = {
    "Point": "bnd_geom_point",
    "MultiPoint": "bnd_geom_point",
    "LineString": "bnd_geom_line",
    "MultiLineString": "bnd_geom_line",
    "LinearRing": "bnd_geom_line",
}
SEVERITIES = ("error", "warning", "info")
#: The columns of :attr:`BoundaryReport.features`.
FEATURE_COLUMNS = [
    "feature",
    "file_code",
    "file_name",
    "code",
    "name",
    "matched_by",
    "status",
    "area_km2",
]


@dataclass(frozen=True)
class Finding:
    """One line of the report: a label key of :mod:`geo.text.labels` and its values."""

    key: str
    severity: str = "info"
    values: dict = field(default_factory=dict)

    def line(self, lang: str = "zh") -> str:
        """The finding as one line of the report, prefixed with its level.

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        str
            :meth:`describe`, after ``错误：`` / ``提示：`` (``error:`` / ``warning:``) for
            errors and warnings; a note (``info``) without a prefix.
        """
        if self.severity == "info":
            return self.describe(lang)
        level = t(f"severity_{self.severity}", lang)
        return t("bnd_line_level", lang, level=level, text=self.describe(lang))

    def describe(self, lang: str = "zh") -> str:
        """The finding's text in ``lang``.

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError); a CRS among the values is
            named in that language, a list of label keys joined.

        Returns
        -------
        str
            The label :attr:`key` of :mod:`geo.text.labels` filled with :attr:`values`.
        """
        values = {k: _shown(v, lang) for k, v in self.values.items()}
        return t(self.key, lang, **values)


def _shown(value: object, lang: str) -> object:
    """A finding's value in ``lang``: a CRS named, a list of label keys joined."""
    if isinstance(value, CRS):
        return vectorfile.describe_crs(value, lang)
    if isinstance(value, list):
        return join_list((t(v, lang) for v in value), lang)
    return value


@dataclass(frozen=True)
class BoundaryReport(Problems):
    """What a boundary file holds and what loading it would do.

    ``features`` has one row per feature of the layer read: ``feature`` (1-based),
    ``file_code`` and ``file_name`` as written, the matched ``code`` (9 digits) and ``name``
    (empty if none), ``matched_by`` (``code``, ``name`` or empty), ``status`` and
    ``area_km2``. ``areas`` holds one row per matched subdistrict, in the subdistricts'
    order, ready to store: ``code``, ``name``, ``file_name``, ``area_km2``, ``share``
    (of the district outline's area) and a ``MultiPolygon`` in EPSG:4326 (degrees).
    ``missing`` lists the subdistricts (``code``, ``name``) the file does not cover;
    ``sites_outside`` the sites (``id``, ``name``, ``subdistrict``, ``precision``,
    ``distance_m``) outside their subdistrict's new area. ``findings`` are the errors,
    warnings and notes; with any error nothing may be stored.
    """

    file: str
    layer: str = ""
    driver: str = ""
    encoding: str = ""
    crs_declared: CRS | None = None
    crs_used: CRS | str | None = None
    crs_how: str = ""
    code_field: str = ""
    name_field: str = ""
    features: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FEATURE_COLUMNS))
    areas: gpd.GeoDataFrame = field(
        default_factory=lambda: gpd.GeoDataFrame(
            {c: [] for c in ("code", "name", "file_name", "area_km2", "share")},
            geometry=[],
            crs=WGS84,
        )
    )
    missing: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["code", "name"]))
    sites_outside: pd.DataFrame = field(default_factory=pd.DataFrame)
    district_km2: float = float("nan")
    findings: tuple[Finding, ...] = ()

    def problems(self) -> tuple[Finding, ...]:
        """The findings, in the order found (any error forbids storing the areas)."""
        return self.findings

    @property
    def total_km2(self) -> float:
        """The matched areas' total in km² (on the district's Gauss-Kruger projection)."""
        return float(self.areas["area_km2"].sum())

    def source(self) -> str:
        """The citation stored with each area: the file and the CRS it was read in (in Chinese).

        Returns
        -------
        str
            E.g. ``边界文件《街道.shp》（CGCS2000 3度带高斯-克吕格投影 第39带，...（EPSG:4527））``.
        """
        return t("bnd_source", "zh", file=self.file, crs=vectorfile.describe_crs(self.crs_used))

    def lines(self, lang: str = "zh") -> list[str]:
        """The report as text lines, without the findings (the command line prints both).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        list of str
            :meth:`header_lines`, one line per feature (code and name as written, what it matched,
            km² and share of the district), the summary (if there is no error) and one line per
            site outside its new area.
        """
        return self.header_lines(lang) + self._feature_lines(lang)

    def header_lines(self, lang: str = "zh") -> list[str]:
        """The file, layer, text encoding, CRS and fields, one line each (those known).

        Parameters
        ----------
        lang
            ``"zh"`` or ``"en"`` (another value raises ValueError).

        Returns
        -------
        list of str
            The lines.
        """
        out = [t("bnd_line_file", lang, file=self.file)]
        if self.layer:
            n = len(self.features)
            out.append(t("bnd_line_layer", lang, layer=self.layer, driver=self.driver, n=n))
        if self.encoding:
            out.append(t("bnd_line_encoding", lang, encoding=self.encoding))
        if self.crs_used is not None:
            key = (
                "bnd_line_crs_none"
                if self.crs_declared is None
                else "bnd_line_crs_same"
                if self.crs_how in ("declared", "given") or self.crs_used == self.crs_declared
                else "bnd_line_crs"
            )
            out.append(
                t(
                    key,
                    lang,
                    declared=vectorfile.describe_crs(self.crs_declared, lang),
                    used=vectorfile.describe_crs(self.crs_used, lang),
                    how=t(f"bnd_crs_how_{self.crs_how}", lang),
                )
            )
        if self.layer:
            out.append(
                t(
                    "bnd_line_fields",
                    lang,
                    code=self.code_field or "–",
                    name=self.name_field or "–",
                )
            )
        return out

    def _feature_lines(self, lang: str) -> list[str]:
        out = []
        for row in self.features.itertuples(index=False):
            matched = (
                t("bnd_line_matched", lang, name=row.name, how=t(f"bnd_by_{row.matched_by}", lang))
                if row.matched_by
                else t(f"bnd_status_{row.status}", lang)
            )
            share = t("bnd_line_share", lang, pct=f"{100 * row.area_km2 / self.district_km2:.1f}")
            out.append(
                f"  {row.feature:>3}  {row.file_code or '–':<12}  {row.file_name or '–':<10}  "
                f"→ {matched}  {row.area_km2:.2f} km²{share}"
            )
        if self.ok and len(self.features):
            out.append(
                t(
                    "bnd_line_summary",
                    lang,
                    n=len(self.areas),
                    count=len(self.areas) + len(self.missing),
                    total=f"{self.total_km2:.1f}",
                    district=f"{self.district_km2:.1f}",
                    pct=f"{100 * self.total_km2 / self.district_km2:.1f}",
                )
            )
        for row in self.sites_outside.itertuples(index=False):
            out.append(
                "  "
                + t(
                    "bnd_line_site",
                    lang,
                    site=row.name,
                    subdistrict=row.subdistrict,
                    precision=row.precision,
                    m=f"{row.distance_m:.0f}",
                )
            )
        return out


# --- codes and names -------------------------------------------------------------------------


def normalise_code(value: object) -> str | None:
    """A division code as text, or None.

    Parameters
    ----------
    value
        A cell: text or a number; spaces and a trailing ``.0`` are dropped (``370103002.0``).

    Returns
    -------
    str or None
        The 9- or 12-digit code (``370103002``, ``370103002000``), or None if ``value`` is not
        one.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\s+", "", str(value))
    text = re.sub(r"\.0+$", "", text)
    return text if re.fullmatch(r"\d{9}|\d{12}", text) else None


@dataclass(frozen=True)
class BoundaryNames:
    """The district's subdistricts as the boundary matcher sees them: ``names`` code -> official
    name (in order), and the one gazetteer (:mod:`geo.data.gazetteer`) that the ledger import
    and the URL's filters use for every form of a name."""

    names: dict[str, str]
    forms: Gazetteer

    @classmethod
    def from_frame(cls, subdistricts: pd.DataFrame) -> BoundaryNames:
        """The gazetteer of a subdistricts table.

        Parameters
        ----------
        subdistricts
            ``subdistricts.csv`` (:func:`geo.data.io.load_subdistricts`): ``code``, ``name``; its
            ``code_12``, ``short_name``, ``name_alt`` and ``pinyin`` are forms if present.

        Returns
        -------
        BoundaryNames
            Codes -> official names in the table's order, and the forms of each.
        """
        names = code_names(subdistricts)
        units = pd.DataFrame(columns=["code", "name", "short_name", "subdistrict_code"])
        programs = pd.DataFrame(columns=["key", "name_zh"])
        return cls(names, Gazetteer.from_frames(subdistricts, units, programs))

    def code_of(self, name: object) -> str | None:
        """The 9-digit code of the subdistrict ``name`` names in any form, or None.

        Parameters
        ----------
        name
            A name as a file writes it (``市中区 大观园街道办事处``, ``大观园``).

        Returns
        -------
        str or None
            The code, or None if it names none of :attr:`names`.
        """
        code = self.forms.subdistrict(name) if name else None
        return code if code in self.names else None


def _values(frame: pd.DataFrame, column: str | None) -> list[str]:
    if column is None:
        return [""] * len(frame)
    return [
        "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in frame[column]
    ]


def _rank(column: str, known: tuple[str, ...]) -> int:
    name = column.strip().lower()
    return len(known) - known.index(name) if name in known else 0


def _resolve_field(frame: pd.DataFrame, wanted: str) -> str | None:
    for column in frame.columns:
        if column == wanted:
            return column
    lowered = [c for c in frame.columns if str(c).lower() == wanted.lower()]
    return lowered[0] if lowered else None


def choose_fields(frame: pd.DataFrame, gazetteer: BoundaryNames) -> tuple[str | None, str | None]:
    """The columns most likely holding the code and the name.

    A column counts by what it holds first (how many of its values are codes of the
    district's subdistricts, or their names), then by its name (:data:`CODE_FIELDS`,
    :data:`NAME_FIELDS`). A column of 9- or 12-digit codes of elsewhere is still the code
    column (the report then says the file is of another district).

    Parameters
    ----------
    frame
        A layer's features (a GeoDataFrame; its geometry column is not considered).
    gazetteer
        The district's subdistricts.

    Returns
    -------
    tuple of (str or None, str or None)
        The code column and the name column (never the same one); None where no column fits.
    """
    columns = [c for c in frame.columns if c != frame.geometry.name]
    codes = {}
    names = {}
    for column in columns:
        values = _values(frame, column)
        normalised = [normalise_code(v) for v in values]
        like = sum(c is not None for c in normalised)
        hits = sum(c is not None and c[:9] in gazetteer.names for c in normalised)
        if like:
            codes[column] = (hits, _rank(column, CODE_FIELDS), like)
        named = sum(gazetteer.code_of(v) is not None for v in values if v and not normalise_code(v))
        if named or _rank(column, NAME_FIELDS):
            names[column] = (named, _rank(column, NAME_FIELDS))
    code = max(codes, key=codes.get) if codes else None
    names.pop(code, None)
    name = max(names, key=names.get) if names else None
    return code, name


# --- matching --------------------------------------------------------------------------------


def _polygonal(geometry) -> tuple[shapely.MultiPolygon | None, bool]:
    """(the polygonal part as a MultiPolygon or None, whether it had to be repaired)."""
    if geometry is None or geometry.is_empty:
        return None, False
    repaired = False
    if not geometry.is_valid:
        geometry, repaired = shapely.make_valid(geometry), True
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in _POLYGONAL]
    parts = [q for p in parts for q in shapely.get_parts(p)]  # MultiPolygons into Polygons
    parts = [p for p in parts if not p.is_empty]
    return (shapely.MultiPolygon(parts) if parts else None), repaired


def _project(geometries: list, metric: CRS) -> np.ndarray:
    """EPSG:4326 shapes on the Gauss-Kruger projection of the district's own meridian, in
    metres (as Chinese surveys state areas; within the district the scale error is < 1e-5)."""
    return gpd.GeoSeries(geometries, crs=WGS84).to_crs(metric).to_numpy()


def _km2(projected: np.ndarray) -> np.ndarray:
    """Areas in km² of shapes in metres (0 for a missing one)."""
    return np.nan_to_num(shapely.area(projected).astype(float)) / 1e6


def _match(code: str | None, name: str, gazetteer: BoundaryNames) -> tuple[str, str, str]:
    """(matched code or "", matched_by, status) of one feature."""
    by_name = gazetteer.code_of(name)
    if code is not None and code[:9] in gazetteer.names:
        if len(code) == 12 and not code.endswith("000"):
            return "", "", "unit"
        return code[:9], "code", "matched"
    if code is not None and not code.startswith(DISTRICT_CODE):
        return "", "", "other"
    if by_name:
        return by_name, "name", "matched"
    return "", "", "unmatched"


@dataclass
class _Candidate:
    layer: VectorLayer
    code_field: str | None
    name_field: str | None
    features: pd.DataFrame
    geometry: list
    findings: list[Finding]
    projected: np.ndarray | None = None  # ``geometry`` in metres (see _project)

    @property
    def matched(self) -> int:
        return int(self.features["code"][self.features["code"] != ""].nunique())

    def findings_have_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def _examine(
    layer: VectorLayer,
    gazetteer: BoundaryNames,
    code_field: str | None,
    name_field: str | None,
    metric: CRS,
) -> _Candidate:
    """Fields, polygons and matches of one layer (findings: what went wrong or was fixed)."""
    frame = layer.frame
    findings = [Finding(n.key, "warning", n.values) for n in layer.notes]
    columns = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name) or "–"
    auto_code, auto_name = choose_fields(frame, gazetteer)
    fields = {}
    for key, wanted, auto in (("code", code_field, auto_code), ("name", name_field, auto_name)):
        if wanted:
            fields[key] = _resolve_field(frame, wanted)
            if fields[key] is None:
                findings.append(
                    Finding("bnd_field_missing", "error", {"field": wanted, "fields": columns})
                )
        else:
            fields[key] = auto
    if not name_field and fields["name"] == fields["code"]:
        fields["name"] = None
    empty = pd.DataFrame(columns=FEATURE_COLUMNS)
    if not len(frame):
        findings.append(Finding("bnd_empty", "error", {"layer": layer.ref.name}))
        return _Candidate(layer, fields["code"], fields["name"], empty, [], findings)
    if fields["code"] is None and fields["name"] is None and not code_field and not name_field:
        findings.append(Finding("bnd_no_fields", "error", {"fields": columns}))
    polygons, repaired, kinds = [], 0, set()
    for geometry in frame.geometry:
        shape, fixed = _polygonal(geometry)
        polygons.append(shape)
        repaired += fixed
        if geometry is not None and not geometry.is_empty:
            kinds.add(_GEOMETRY_KINDS.get(geometry.geom_type, "bnd_geom_other"))
    if all(p is None for p in polygons):
        findings.append(
            Finding("bnd_not_polygons", "error", {"layer": layer.ref.name, "types": sorted(kinds)})
        )
    if repaired:
        findings.append(Finding("bnd_repaired", "warning", {"n": repaired}))
    # a field named but missing: nothing is matched (the rows are shown as written)
    can_match = not any(f.key in ("bnd_field_missing", "bnd_no_fields") for f in findings)
    codes, names = _values(frame, fields["code"]), _values(frame, fields["name"])
    projected = _project(polygons, metric)
    km2 = _km2(projected)
    rows = []
    for number, (raw_code, raw_name, shape, area) in enumerate(
        zip(codes, names, polygons, km2, strict=True), start=1
    ):
        code, matched_by, status = _match(normalise_code(raw_code), raw_name, gazetteer)
        if shape is None:
            code, matched_by, status = "", "", "empty"
        elif not can_match:
            code, matched_by, status = "", "", "unmatched"
        rows.append(
            {
                "feature": number,
                "file_code": raw_code.strip(),
                "file_name": raw_name.strip(),
                "code": code,
                "name": gazetteer.names.get(code, ""),
                "matched_by": matched_by,
                "status": status,
                "area_km2": float(area) if shape is not None else 0.0,
            }
        )
    features = pd.DataFrame(rows, columns=FEATURE_COLUMNS)
    return _Candidate(
        layer, fields["code"], fields["name"], features, polygons, findings, projected
    )


def _matching_findings(candidate: _Candidate, gazetteer: BoundaryNames) -> list[Finding]:
    features = candidate.features
    findings = []
    for row in features.itertuples(index=False):
        if row.matched_by == "code" and row.file_name:
            by_name = gazetteer.code_of(row.file_name)
            if by_name and by_name != row.code:
                findings.append(
                    Finding(
                        "bnd_code_name_differ",
                        "warning",
                        {
                            "feature": row.feature,
                            "code": row.file_code,
                            "name": row.file_name,
                            "matched": row.name,
                        },
                    )
                )
        if row.status == "unmatched":
            findings.append(
                Finding(
                    "bnd_unmatched",
                    "warning",
                    {
                        "feature": row.feature,
                        "code": row.file_code or "–",
                        "name": row.file_name or "–",
                    },
                )
            )
    others = features[features["status"] == "other"]
    if len(others) and (features["matched_by"] != "").any():
        examples = "、".join(
            (others["file_name"].where(others["file_name"] != "", others["file_code"])).head(3)
        )
        findings.append(
            Finding("bnd_other_district", "info", {"n": len(others), "examples": examples})
        )
    units = features[features["status"] == "unit"]
    blank = features[features["status"] == "empty"]
    if len(blank):
        findings.append(Finding("bnd_empty_geometry", "warning", {"n": len(blank)}))
    matched = features[features["matched_by"] != ""]
    if matched.empty and len(features):
        if len(units) == len(features) - len(blank):
            findings.append(Finding("bnd_units_file", "error", {"n": len(units)}))
        else:
            shown = features["file_name"].where(features["file_name"] != "", features["file_code"])
            examples = "、".join(v for v in shown.head(4) if v) or "–"
            findings.append(
                Finding(
                    "bnd_wrong_district",
                    "error",
                    {
                        "district": DISTRICT_CODE,
                        "examples": examples,
                        "count": len(gazetteer.names),
                    },
                )
            )
    elif len(units):
        findings.append(Finding("bnd_units_ignored", "info", {"n": len(units)}))
    for code, group in matched.groupby("code", sort=False):
        if len(group) > 1:
            findings.append(
                Finding(
                    "bnd_merged_parts", "info", {"name": gazetteer.names[code], "n": len(group)}
                )
            )
    return findings


def _metric_crs(outline: gpd.GeoDataFrame) -> CRS:
    """A CRS in metres for the district: CGCS2000 Gauss-Kruger on its nearest 3° meridian."""
    lon = float(outline.to_crs(WGS84).geometry.union_all().centroid.x)
    return vectorfile.gauss_kruger_crs(3 * round(lon / 3), zone_in_easting=False)


def _assemble(
    candidate: _Candidate, gazetteer: BoundaryNames, district_km2: float
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """One MultiPolygon per matched subdistrict (parts of the same one merged), in order;
    and the same shapes in metres."""
    features = candidate.features
    rows, shapes, projected = [], [], []
    for code, name in gazetteer.names.items():
        chosen = features.index[features["code"] == code]
        if not len(chosen):
            continue
        parts = [candidate.geometry[i] for i in chosen]
        parts_m = [candidate.projected[i] for i in chosen]
        shape, shape_m = parts[0], parts_m[0]
        if len(parts) > 1:
            shape, _ = _polygonal(shapely.union_all(parts))
            shape_m, _ = _polygonal(shapely.union_all(parts_m))
        file_names = features.loc[chosen, "file_name"].replace("", np.nan).dropna().unique()
        rows.append({"code": code, "name": name, "file_name": "、".join(file_names)})
        shapes.append(shape)
        projected.append(shape_m)
    if not rows:
        return BoundaryReport("").areas, np.array([], dtype=object)
    frame = pd.DataFrame(rows)
    projected = np.array(projected, dtype=object)
    frame["area_km2"] = _km2(projected)
    frame["share"] = frame["area_km2"] / district_km2 if district_km2 else np.nan
    return gpd.GeoDataFrame(frame, geometry=shapes, crs=WGS84), projected


def _placement_findings(
    areas: gpd.GeoDataFrame,
    projected: np.ndarray,
    outline: gpd.GeoDataFrame,
    district_km2: float,
    crs_used: CRS | str,
    total: int,
    metric: CRS,
) -> list[Finding]:
    """Areas lying (mostly) outside the district, and a sum far from the district's area."""
    if areas.empty:
        return []
    district = outline.to_crs(metric).geometry.union_all().buffer(OUTLINE_MARGIN_M)
    inside = shapely.area(shapely.intersection(projected, district))
    share = inside / np.maximum(shapely.area(projected), 1e-9)
    outside = share < MIN_SHARE_INSIDE
    if outside.all():
        west, south, east, north = areas.total_bounds
        return [
            Finding(
                "bnd_all_outside",
                "error",
                {"crs": crs_used, "bounds": f"{west:.4f}, {south:.4f}, {east:.4f}, {north:.4f}"},
            )
        ]
    findings = [
        Finding("bnd_outside", "error", {"name": name, "pct": f"{100 * s:.0f}"})
        for name, s, out in zip(areas["name"], share, outside, strict=True)
        if out
    ]
    area_sum = float(areas["area_km2"].sum())
    if len(areas) == total and abs(area_sum / district_km2 - 1) > AREA_SUM_TOLERANCE:
        findings.append(
            Finding(
                "bnd_area_sum",
                "warning",
                {"total": f"{area_sum:.1f}", "district": f"{district_km2:.1f}"},
            )
        )
    return findings


def sites_outside(
    areas: gpd.GeoDataFrame, sites: pd.DataFrame, outline: gpd.GeoDataFrame, lang: str = "zh"
) -> pd.DataFrame:
    """The sites outside their subdistrict's area in ``areas``.

    Parameters
    ----------
    areas
        ``code``, ``name`` and geometry, WGS-84 (EPSG:4326, degrees).
    sites
        ``id``, ``name``, ``subdistrict_code``, ``lon``/``lat`` (WGS-84 degrees, the point
        drawn) and ``location_precision``; sites without coordinates, or of a subdistrict
        ``areas`` lacks, are not judged. None or empty: none is outside.
    outline
        The district outline (its position picks the metric CRS for distances).
    lang
        ``"zh"`` or ``"en"``: the language of the precision labels (another value raises
        ValueError).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``name``, ``subdistrict`` (the area's name), ``precision`` (label in
        ``lang``) and ``distance_m`` (metres to the area, on the district's Gauss-Kruger
        projection), one row per site outside; empty with those columns if none is.
    """
    columns = ["id", "name", "subdistrict", "precision", "distance_m"]
    if areas.empty or sites is None or sites.empty:
        return pd.DataFrame(columns=columns)
    chosen = sites[sites["subdistrict_code"].isin(areas["code"])]
    chosen = chosen[chosen["lon"].notna() & chosen["lat"].notna()]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    metric = _metric_crs(outline)
    by_code = areas.set_index("code")
    shapes = by_code.geometry.loc[chosen["subdistrict_code"]].to_numpy()
    points = shapely.points(chosen["lon"].to_numpy(float), chosen["lat"].to_numpy(float))
    out = ~shapely.covers(shapes, points)
    if not out.any():
        return pd.DataFrame(columns=columns)
    far = chosen[out]
    shapes_m = gpd.GeoSeries(shapes[out], crs=WGS84).to_crs(metric).to_numpy()
    points_m = gpd.GeoSeries(points[out], crs=WGS84).to_crs(metric).to_numpy()
    return pd.DataFrame(
        {
            "id": far["id"].to_numpy(),
            "name": far["name"].to_numpy(),
            "subdistrict": by_code.loc[far["subdistrict_code"], "name"].to_numpy(),
            "precision": [precision_label(p, lang) for p in far["location_precision"]],
            "distance_m": shapely.distance(shapes_m, points_m),
        }
    )


def check_boundary_file(
    path: Path,
    subdistricts: pd.DataFrame,
    outline: gpd.GeoDataFrame,
    sites: pd.DataFrame | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    crs: str | None = None,
    lang: str = "zh",
    limits: ParseLimits | None = None,
) -> BoundaryReport:
    """Read a boundary file and report what storing it would do; never raises for the file.

    The file is read in a child process with limits (:func:`geo.intake.vectorfile.read_file`): a
    file too large (an archive's unpacked size or compression ratio, the vertices, the
    memory or time its reading takes) or one that kills its reader is an error of the report.

    Parameters
    ----------
    path
        A ``.zip``/``.kmz`` as emailed, a ``.shp`` (beside its ``.shx``, ``.dbf``, ``.prj``,
        perhaps ``.cpg``), a ``.gpkg``, ``.geojson``/``.json`` or ``.kml``, or a folder
        holding one (e.g. a shapefile's uploaded parts). Of several layers, the one with no
        error and the most subdistricts matched is read.
    subdistricts
        The district's subdistricts (``code``, ``name``, ``short_name``, ``name_alt``).
    outline
        The district outline (any CRS): areas are measured and placed against it.
    sites
        The sites as drawn (``id``, ``name``, ``subdistrict_code``, WGS-84 ``lon``/``lat``,
        ``location_precision``), to list those outside their new area; None to skip.
    code_field, name_field
        The columns holding the 9- or 12-digit code and the name; found automatically if
        None (a named column that does not exist is an error of the report).
    crs
        The CRS of the coordinates if the file's is missing or wrong (``EPSG:4527``,
        ``GCJ-02``...); else as declared, corrected or inferred.
    lang
        Language of the precision labels in ``sites_outside``.
    limits
        What reading the file may cost (:func:`geo.config.parse_limits` by default).

    Returns
    -------
    BoundaryReport
        The areas found and matched (one MultiPolygon per subdistrict, WGS-84, EPSG:4326,
        degrees; areas in km² on the district's Gauss-Kruger projection), with the findings;
        an error among them (unreadable file, no polygons, wrong district, areas outside the
        outline...) forbids storing the areas, which are then empty.
    """
    path = Path(path)
    name = path.name
    if path.is_dir():  # a shapefile's uploaded parts: named by the files given
        name = "、".join(sorted(p.name for p in path.iterdir() if p.is_file())) or name
    gazetteer = BoundaryNames.from_frame(subdistricts)
    outline_wgs = outline.to_crs(WGS84)
    metric = _metric_crs(outline_wgs)
    district_km2 = float(_km2(_project(list(outline_wgs.geometry), metric)).sum())
    near_lon = float(outline_wgs.geometry.union_all().centroid.x)
    try:
        layers, failures = vectorfile.read_file(path, crs=crs, near_lon=near_lon, limits=limits)
    except VectorFileError as problem:
        return BoundaryReport(name, findings=(Finding(problem.key, "error", problem.values),))
    candidates = [_examine(layer, gazetteer, code_field, name_field, metric) for layer in layers]
    if not candidates:
        problem = failures[0]
        return BoundaryReport(name, findings=(Finding(problem.key, "error", problem.values),))
    best = max(
        candidates,
        key=lambda c: (not c.findings_have_errors(), c.matched, len(c.features)),
    )
    findings = list(best.findings)
    others = [c.layer.ref.name for c in candidates if c is not best]
    others += [p.values.get("file", p.key) for p in failures]
    if others:
        findings.append(
            Finding(
                "bnd_layer_chosen",
                "info",
                {"layer": best.layer.ref.name, "n": best.matched, "others": "、".join(others)},
            )
        )
    if not best.findings_have_errors():
        findings += _matching_findings(best, gazetteer)
    layer = best.layer
    if path.is_dir():  # named after the file read
        name = layer.ref.path.name
    report = dict(
        file=name,
        layer=layer.ref.name,
        driver=layer.ref.driver,
        encoding=(layer.encoding or "").upper(),
        crs_declared=layer.crs_declared,
        crs_used=layer.crs_used,
        crs_how=layer.crs_how,
        code_field=str(best.code_field or ""),
        name_field=str(best.name_field or ""),
        features=best.features,
        district_km2=district_km2,
    )
    if any(f.severity == "error" for f in findings):
        return BoundaryReport(**report, findings=tuple(findings))
    areas, projected = _assemble(best, gazetteer, district_km2)
    findings += _placement_findings(
        areas,
        projected,
        outline_wgs,
        district_km2,
        report["crs_used"],
        len(gazetteer.names),
        metric,
    )
    missing_codes = [c for c in gazetteer.names if c not in set(areas["code"])]
    missing = pd.DataFrame(
        {"code": missing_codes, "name": [gazetteer.names[c] for c in missing_codes]}
    )
    if len(missing) and len(areas):
        findings.append(
            Finding(
                "bnd_missing", "warning", {"n": len(missing), "names": "、".join(missing["name"])}
            )
        )
    outside = sites_outside(areas, sites, outline_wgs, lang) if sites is not None else None
    if outside is not None and len(outside):
        findings.append(Finding("bnd_sites_outside", "warning", {"n": len(outside)}))
    return BoundaryReport(
        **report,
        areas=areas,
        missing=missing,
        sites_outside=outside if outside is not None else pd.DataFrame(),
        findings=tuple(sorted(findings, key=lambda f: SEVERITIES.index(f.severity))),
    )


def load_configured_areas(source: AreasSource | None = None) -> gpd.GeoDataFrame:
    """The configured subdistrict areas, WGS-84 (EPSG:4326, degrees).

    ``source`` defaults to :func:`geo.config.areas_source`: the schematic Voronoi areas
    shipped in ``data/`` (:func:`geo.data.io.load_areas`), unless ``SHIZHONG_AREAS_FILE`` names
    an official boundary file. That one is read by :func:`check_boundary_file`, as the Manage
    page and ``python -m geo areas`` read it (any format, encoding and CRS; code and name
    fields found or named by ``source``): its matched subdistricts, with their official names.

    Parameters
    ----------
    source
        Where the areas come from; None for the configured source.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code`` (9-digit), ``name``, ``schematic`` (bool: True for the schematic file
        unless it says otherwise, False for an official file) and ``geometry``.

    Raises
    ------
    ValueError
        If the schematic file lacks the code field ``source`` names (the message lists the
        fields it has), or the official file cannot be loaded; the message is then the
        report's errors (in the command line's language), e.g. a named code field that is
        missing, with the fields that exist.
    """
    source = source or areas_source()
    if source.schematic:  # the project's own file: code, name, schematic, EPSG:4326
        return io.load_areas(source)
    report = check_boundary_file(
        source.path,
        io.load_subdistricts(),
        io.load_outline(),
        code_field=source.code_field,
        name_field=source.name_field,
        crs=source.crs,
    )
    if not report.ok:
        lang = cli_language()
        raise ValueError(f"{source.path}: " + " ".join(f.describe(lang) for f in report.errors))
    areas = report.areas
    return gpd.GeoDataFrame(
        {
            "code": areas["code"].to_numpy(),
            "name": areas["name"].to_numpy(),
            "schematic": np.zeros(len(areas), dtype=bool),
        },
        geometry=areas.geometry.to_numpy(),
        crs=io.CRS,
    )
