"""Vector files as people hand them out, read into WGS-84 (EPSG:4326, degrees).

A ``.zip`` (or ``.kmz``) as it is emailed, a shapefile's loose parts, a GeoPackage, GeoJSON or
KML. A shapefile's text encoding is found from its ``.cpg`` or, without one, from the bytes
(strict UTF-8, else GB18030): GDAL falls back to ISO-8859-1 there and returns mojibake without
an error, so every shapefile is read as ISO-8859-1 (which keeps the bytes) and decoded here.
The CRS is the one declared (or given), corrected when the coordinates contradict it (a
Gauss-Kruger easting with or without its zone number, metres under a geographic CRS), or
inferred from the coordinates' magnitudes when the file declares none.

Problems with the file raise :class:`VectorFileError`, whose ``key`` is a label of
:mod:`geo.labels` (section "boundary files") and ``values`` fill it; what was corrected or
inferred comes back as :class:`Note` objects of the same kind.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo import datum
from geo.labels import t

WGS84 = "EPSG:4326"
#: What a file may be (lower-case suffix -> GDAL driver); archives are unpacked first.
DRIVERS = {
    ".shp": "ESRI Shapefile",
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
}
ARCHIVES = (".zip", ".kmz")
#: A shapefile's parts that must be there beside the ``.shp``.
SHAPEFILE_PARTS = (".shx", ".dbf")
#: Unpacking stops beyond this many bytes (a boundary file is a few MB; this is a guard).
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
#: Encodings tried, in order, for a shapefile's text when its ``.cpg`` does not say (or lies).
TEXT_ENCODINGS = ("utf-8", "gb18030")
_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.CRSError,
    OSError,
    ValueError,
    UnicodeDecodeError,
)


class VectorFileError(Exception):
    """A file that cannot be read as it is; ``key`` names the label, ``values`` fill it."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key}: {values}")
        self.key, self.values = key, values


@dataclass(frozen=True)
class Note:
    """Something the reader corrected, inferred or had to know (a label key and its values)."""

    key: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class LayerRef:
    """One layer of one file: ``path`` (inside an unpacked archive if need be), its GDAL
    ``driver`` and ``layer`` name; ``name`` is how a person would call it."""

    path: Path
    driver: str
    layer: str
    name: str


@dataclass(frozen=True)
class VectorLayer:
    """A layer read into EPSG:4326: its attribute columns and ``geometry``.

    ``crs_declared`` is the CRS the file declares (None: none), ``crs_used`` the one the
    coordinates were read in (``GCJ-02``/``BD-09`` for those datums), ``crs_how`` how it was
    chosen: ``declared``, ``given``, ``corrected`` or ``inferred``. ``encoding`` is the text
    encoding used (None where the format fixes it, e.g. GeoPackage). ``notes`` say what was
    corrected or inferred.
    """

    ref: LayerRef
    frame: gpd.GeoDataFrame
    crs_declared: CRS | None
    crs_used: CRS | str
    crs_how: str
    encoding: str | None
    notes: tuple[Note, ...]


# --- finding the layers ----------------------------------------------------------------------


@contextlib.contextmanager
def open_layers(path: Path) -> Iterator[tuple[list[LayerRef], list[VectorFileError]]]:
    """The layers of ``path`` and the problems of the files that could not be opened.

    A context manager: an archive is unpacked into a temporary folder that lives as long as
    the context.

    Parameters
    ----------
    path
        A file of :data:`DRIVERS`, an archive of :data:`ARCHIVES` (member names decoded as
        their maker wrote them, unsafe parts dropped, at most :data:`MAX_UNPACKED_BYTES`) or a
        folder (e.g. a shapefile's uploaded parts); hidden and ``__MACOSX`` files are skipped.

    Yields
    ------
    tuple of (list of LayerRef, list of VectorFileError)
        Every layer of every readable file, and the problems of the files that could not be
        opened (a shapefile without its ``.shx`` or ``.dbf``, an unreadable file).

    Raises
    ------
    VectorFileError
        If there is nothing to read at all: no such file, an unsupported suffix, a broken,
        oversized or empty archive, a folder without a vector file, or no file that opens.
    """
    path = Path(path)
    if not path.exists():
        raise VectorFileError("bnd_no_file", file=path.name)
    with tempfile.TemporaryDirectory(prefix="boundary-") as tmp:
        if path.is_dir():
            files = _candidates(path)
        elif path.suffix.lower() in ARCHIVES:
            files = _candidates(_unpack(path, Path(tmp)))
            if not files:
                raise VectorFileError(
                    "bnd_archive_empty", file=path.name, names=_listing(Path(tmp))
                )
        elif path.suffix.lower() in DRIVERS:
            files = [path]
        else:
            raise VectorFileError("bnd_unsupported", file=path.name, suffix=path.suffix or "–")
        if not files:
            raise VectorFileError("bnd_nothing_found", file=path.name, names=_listing(path))
        layers, problems = [], []
        for file in files:
            try:
                layers += _layers_of(file, path)
            except VectorFileError as problem:
                problems.append(problem)
        if not layers:
            raise problems[0]
        yield layers, problems


def _candidates(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in DRIVERS and not _hidden(p.relative_to(folder))
    )


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "__MACOSX")) for part in relative.parts)


def _listing(folder: Path) -> str:
    names = [p.name for p in sorted(folder.rglob("*")) if p.is_file()] if folder.is_dir() else []
    return "、".join(names[:12]) or "–"


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: zips from a Chinese Windows store GBK names
    without the UTF-8 flag, which Python decodes as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unpack(archive: Path, target: Path) -> Path:
    """Unpack ``archive`` into ``target`` (names made safe: no absolute or ``..`` parts)."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [m for m in bundle.infolist() if not m.is_dir()]
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise VectorFileError(
                    "bnd_archive_too_big", file=archive.name, mb=MAX_UNPACKED_BYTES // 2**20
                )
            for member in members:
                parts = [
                    p for p in re.split(r"[\\/]+", _member_name(member)) if p not in ("", ".", "..")
                ]
                if not parts:
                    continue
                out = target.joinpath(*parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(bundle.read(member))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise VectorFileError("bnd_bad_archive", file=archive.name, detail=str(error)) from error
    return target


def _sibling(path: Path, suffix: str) -> Path | None:
    """``path`` with ``suffix`` in any letter case (old tools write ``.SHX``, ``.DBF``)."""
    for candidate in path.parent.iterdir():
        if candidate.stem == path.stem and candidate.suffix.lower() == suffix:
            return candidate
    return None


def _layers_of(file: Path, given: Path) -> list[LayerRef]:
    driver = DRIVERS[file.suffix.lower()]
    shown = file.name if given.is_dir() or file == given else f"{given.name} → {file.name}"
    if driver == "ESRI Shapefile":
        missing = [s for s in SHAPEFILE_PARTS if _sibling(file, s) is None]
        if missing:
            raise VectorFileError("bnd_shapefile_parts", file=shown, missing="、".join(missing))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = pyogrio.list_layers(file)
    except _READ_ERRORS as error:
        raise VectorFileError("bnd_unreadable", file=shown, detail=_detail(error, file)) from error
    return [
        LayerRef(file, driver, str(name), shown if len(found) == 1 else f"{shown}: {name}")
        for name, _kind in found
    ]


def _detail(error: BaseException, path: Path | None = None) -> str:
    """The reader's own words, first sentence only, without the (temporary) folder."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if path is not None:
        text = text.replace(str(path), path.name)
    return text.split(";")[0].strip()[:300]


# --- reading one layer -----------------------------------------------------------------------


def read_layer(ref: LayerRef, crs: str | None = None, near_lon: float | None = None) -> VectorLayer:
    """Read one layer into WGS-84 (EPSG:4326, degrees), its text decoded and its CRS resolved.

    Parameters
    ----------
    ref
        The layer (from :func:`open_layers`).
    crs
        The CRS the coordinates are in, overriding what the file declares: anything pyproj
        reads (``EPSG:4527``, WKT) or ``GCJ-02`` / ``BD-09`` (longitude/latitude).
    near_lon
        Longitude (degrees) of the place the file should cover: the central meridian of a
        Gauss-Kruger file whose eastings carry no zone number and whose CRS is not declared.

    Returns
    -------
    VectorLayer
        The features in EPSG:4326 (2-D, (lon, lat)), with the CRS declared and used, how it
        was chosen, the text encoding and notes on what was corrected or inferred. A KML
        layer is WGS-84 by definition.

    Raises
    ------
    VectorFileError
        If the layer cannot be read, or its CRS is unknown and cannot be inferred.
    """
    frame, encoding, notes = _read_frame(ref)
    frame = frame.set_geometry(shapely.force_2d(frame.geometry.to_numpy()), crs=frame.crs)
    bounds = _bounds(frame)
    declared = None if ref.driver == "KML" else frame.crs
    if ref.driver == "KML":  # KML is WGS-84 longitude/latitude by definition (OGC 07-147r2)
        declared = CRS.from_epsg(4326)
    used, how, shift, crs_notes = _resolve_crs(declared, bounds, crs, near_lon)
    notes += crs_notes
    geometry = frame.geometry.to_numpy()
    if shift:
        geometry = shapely.transform(geometry, lambda xy: xy + np.array([shift, 0.0]))
    if isinstance(used, str):  # GCJ-02 / BD-09 longitude/latitude
        convert = datum.gcj02_to_wgs84 if used == datum.GCJ02 else datum.bd09_to_wgs84
        out = gpd.GeoDataFrame(
            frame.drop(columns=frame.geometry.name),
            geometry=datum.transform_geometry(geometry, convert),
            crs=WGS84,
        )
    else:
        out = gpd.GeoDataFrame(
            frame.drop(columns=frame.geometry.name), geometry=geometry, crs=used
        ).to_crs(WGS84)
    return VectorLayer(ref, out, declared, used, how, encoding, tuple(notes))


def _read_frame(ref: LayerRef) -> tuple[gpd.GeoDataFrame, str | None, list[Note]]:
    shapefile = ref.driver == "ESRI Shapefile"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if not shapefile:
                try:
                    return gpd.read_file(ref.path, layer=ref.layer), None, []
                except UnicodeDecodeError:  # e.g. a GeoJSON saved in GBK: decode it here
                    pass
            frame = gpd.read_file(ref.path, layer=ref.layer, encoding="ISO-8859-1")
    except _READ_ERRORS as error:
        detail = _detail(error, ref.path)
        raise VectorFileError("bnd_unreadable", file=ref.name, detail=detail) from error
    declared = _cpg_encoding(ref.path) if shapefile else None
    return _decode(frame, declared, shapefile)


def _cpg_encoding(shp: Path) -> str | None:
    """The Python codec the shapefile's ``.cpg`` names (``UTF-8``, ``GBK``, ``936``...)."""
    cpg = _sibling(shp, ".cpg")
    if cpg is None:
        return None
    text = cpg.read_bytes().decode("ascii", errors="ignore").strip().upper()
    text = text.removeprefix("ANSI").strip()
    if text.isdigit():
        text = "utf-8" if text == "65001" else f"cp{text}"
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _decode_tolerant(raw: bytes, encoding: str) -> str | None:
    """``raw`` decoded strictly, allowing only a multi-byte character cut off at the end (a
    .dbf field's width counts bytes); None if it is not ``encoding``."""
    for cut in range(4):
        try:
            return raw[: len(raw) - cut].decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode(
    frame: gpd.GeoDataFrame, declared: str | None, shapefile: bool
) -> tuple[gpd.GeoDataFrame, str, list[Note]]:
    """Re-decode the text of a frame read as ISO-8859-1 (every byte kept) in the encoding
    that fits: the declared one, else strict UTF-8, else GB18030."""
    geometry = frame.geometry.name
    names = [c for c in frame.columns if c != geometry]
    text = [c for c in names if frame[c].map(lambda v: isinstance(v, str)).any()]
    raw_names = [c.encode("latin-1") for c in names]
    raw_values = {
        c: [v.encode("latin-1") if isinstance(v, str) else None for v in frame[c]] for c in text
    }
    everything = raw_names + [v for values in raw_values.values() for v in values if v]
    order = list(dict.fromkeys([declared, *TEXT_ENCODINGS] if declared else TEXT_ENCODINGS))
    chosen = next((e for e in order if all(_fits(v, e, strict=True) for v in everything)), None)
    chosen = chosen or next((e for e in order if all(_fits(v, e) for v in everything)), None)
    notes = []
    if chosen is None:
        chosen = order[-1]
        notes.append(Note("bnd_encoding_unknown", {"encoding": chosen.upper()}))
    elif declared and chosen != declared:
        notes.append(
            Note("bnd_encoding_mismatch", {"declared": declared.upper(), "used": chosen.upper()})
        )
    elif not declared and shapefile and any(max(v, default=0) > 127 for v in everything):
        notes.append(Note("bnd_encoding_detected", {"encoding": chosen.upper()}))
    elif not shapefile and chosen != "utf-8":  # GeoJSON, KML and GeoPackage are UTF-8
        notes.append(Note("bnd_encoding_not_utf8", {"encoding": chosen.upper()}))

    def decode(raw: bytes) -> str:
        return _decode_tolerant(raw, chosen) or raw.decode(chosen, errors="replace")

    out = frame.copy()
    for column in text:
        out[column] = [decode(v) if v is not None else None for v in raw_values[column]]
    renamed, seen = {}, set()
    for column, raw in zip(names, raw_names, strict=True):
        name = decode(raw).strip() or column
        while name in seen:  # two long names cut to the same 10 bytes
            name += "_"
        seen.add(name)
        renamed[column] = name
    return out.rename(columns=renamed), chosen, notes


def _fits(raw: bytes, encoding: str, strict: bool = False) -> bool:
    if strict:
        try:
            raw.decode(encoding)
            return True
        except UnicodeDecodeError:
            return False
    return _decode_tolerant(raw, encoding) is not None


# --- the CRS ---------------------------------------------------------------------------------


def _bounds(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float] | None:
    geometry = frame.geometry.to_numpy()
    geometry = geometry[~(shapely.is_missing(geometry) | shapely.is_empty(geometry))]
    return None if len(geometry) == 0 else tuple(shapely.total_bounds(geometry))


def _geographic_range(bounds) -> bool:
    west, south, east, north = bounds
    return -180 <= west <= east <= 180 and -90 <= south <= north <= 90


def _transverse_mercator(crs: CRS) -> tuple[float, float] | None:
    """(central meridian, false easting) of a Transverse Mercator CRS, else None."""
    operation = crs.coordinate_operation if crs.is_projected else None
    if operation is None or "transverse mercator" not in operation.method_name.lower():
        return None
    params = {p.name.lower(): p.value for p in operation.params}
    meridian = params.get("longitude of natural origin")
    easting = params.get("false easting")
    return None if meridian is None or easting is None else (meridian, easting)


def describe_crs(crs: CRS | str | None, lang: str = "zh") -> str:
    """How a person would name a CRS.

    Parameters
    ----------
    crs
        A pyproj CRS, ``GCJ-02``/``BD-09``, or None (no CRS declared).
    lang
        ``"zh"`` or ``"en"`` (another value raises ValueError where a label is used).

    Returns
    -------
    str
        The CGCS2000 family (EPSG:4490, the Gauss-Kruger zones 4491-4554) and WGS-84 in
        words, others by name, each with its EPSG code; ``GCJ-02``/``BD-09`` as they are; the
        label for "not declared" for None.
    """
    if crs is None:
        return t("bnd_crs_none", lang)
    if isinstance(crs, str):
        return crs
    code = crs.to_epsg(min_confidence=70)
    params = _transverse_mercator(crs)
    if code in (4326, 4490):
        return t(f"bnd_crs_{code}", lang)
    if code and params and 4491 <= code <= 4554:
        meridian, easting = params
        three = code >= 4513
        key = "bnd_crs_gk_zone" if easting > 1e6 else "bnd_crs_gk_cm"
        return t(
            key,
            lang,
            width=3 if three else 6,
            zone=int(easting // 1e6),
            cm=f"{meridian:g}",
            code=code,
        )
    return f"{crs.name} (EPSG:{code})" if code else crs.name


def gauss_kruger_crs(meridian: float, zone_in_easting: bool) -> CRS:
    """The CGCS2000 3-degree Gauss-Kruger CRS for a central meridian.

    Parameters
    ----------
    meridian
        The central meridian, degrees east (75-135; rounded to the nearest multiple of 3).
    zone_in_easting
        True for the CRS whose eastings start with the zone number (EPSG:4513-4533), False
        for the one without (EPSG:4534-4554).

    Returns
    -------
    pyproj.CRS
        The CRS (metres).

    Raises
    ------
    ValueError
        If ``meridian`` is outside 75-135 degrees east (the message shows it).
    """
    zone = round(meridian / 3)
    if not 25 <= zone <= 45:
        raise ValueError(f"meridian must be 75-135 degrees east, got {meridian!r}")
    return CRS.from_epsg((4513 if zone_in_easting else 4534) + zone - 25)


def _infer_crs(bounds, near_lon: float | None) -> CRS | None:
    """The CRS the coordinates' magnitudes point to (CGCS2000 assumed), or None."""
    west, south, east, north = bounds
    if _geographic_range(bounds):
        return CRS.from_epsg(4490)
    if not 1e6 <= south <= north < 1e7:  # northings of China in metres
        return None
    if west >= 1e7:  # the zone number leads the easting
        zone = int(west // 1e6)
        if int(east // 1e6) != zone:
            return None
        if 25 <= zone <= 45:  # 3-degree zones
            return CRS.from_epsg(4513 + zone - 25)
        if 13 <= zone <= 23:  # 6-degree zones
            return CRS.from_epsg(4491 + zone - 13)
        return None
    if 0 < west and east < 1e6 and near_lon is not None and 73.5 <= near_lon <= 136.5:
        return gauss_kruger_crs(3 * round(near_lon / 3), zone_in_easting=False)
    return None


def _zone_variant(crs: CRS, zone_in_easting: bool) -> CRS | None:
    """The same CGCS2000 Gauss-Kruger zone with (EPSG:4491-4501, 4513-4533) or without
    (4502-4512, 4534-4554) the zone number in the easting; None outside that family."""
    code = crs.to_epsg(min_confidence=70) or 0
    for with_zone, without in ((4491, 4502), (4513, 4534)):
        span = without - with_zone
        if zone_in_easting and without <= code < without + span:
            return CRS.from_epsg(code - span)
        if not zone_in_easting and with_zone <= code < with_zone + span:
            return CRS.from_epsg(code + span)
    return None


def _fit_zone(crs: CRS, bounds) -> tuple[CRS, float, Note | None]:
    """(CRS, metres to add to the eastings, note) so that the eastings fit the false easting:
    a Gauss-Kruger CRS without the zone number read with eastings that carry it, or the
    reverse. Within the CGCS2000 family the matching EPSG code is used instead of a shift."""
    params = _transverse_mercator(crs)
    if params is None:
        return crs, 0.0, None
    meridian, false_easting = params
    west, _south, east, _north = bounds
    zone = int(west // 1e6)
    if false_easting == 500_000 and west >= 1e7 and int(east // 1e6) == zone:
        if zone * 3 == meridian or zone * 6 - 3 == meridian:
            variant = _zone_variant(crs, zone_in_easting=True)
            values = {"declared": crs, "zone": zone, "used": variant or crs}
            return variant or crs, 0.0 if variant else -zone * 1e6, Note("bnd_zone_removed", values)
    if false_easting > 1e6 and 0 < west and east < 1e6:
        variant = _zone_variant(crs, zone_in_easting=False)
        values = {"declared": crs, "zone": int(false_easting // 1e6), "used": variant or crs}
        shift = 0.0 if variant else false_easting - 500_000
        return variant or crs, shift, Note("bnd_zone_added", values)
    return crs, 0.0, None


def _given_crs(crs: str) -> CRS | str:
    with contextlib.suppress(ValueError):
        named = datum.normalise_datum(crs)
        if named in (datum.GCJ02, datum.BD09):
            return named
    try:
        return CRS.from_user_input(crs)
    except CRSError as error:
        raise VectorFileError("bnd_bad_crs", crs=crs) from error


def _resolve_crs(
    declared: CRS | None, bounds, given: str | None, near_lon: float | None
) -> tuple[CRS | str, str, float, list[Note]]:
    """(CRS to read the coordinates in, how it was chosen, easting shift, notes)."""
    if bounds is None:  # nothing to place: the caller reports the empty layer
        return declared or CRS.from_epsg(4326), "declared", 0.0, []
    if given:
        crs = _given_crs(given)
        if isinstance(crs, str):
            return crs, "given", 0.0, []
        crs, shift, note = _fit_zone(crs, bounds)
        return crs, "given", shift, [note] if note else []
    if declared is not None:
        fits = _geographic_range(bounds) == bool(declared.is_geographic)
        if fits:
            crs, shift, note = _fit_zone(declared, bounds)
            return crs, "corrected" if note else "declared", shift, [note] if note else []
    inferred = _infer_crs(bounds, near_lon)
    shown = ", ".join(f"{v:.6g}" for v in bounds)
    if inferred is None:
        raise VectorFileError(
            "bnd_crs_unknown" if declared is None else "bnd_crs_contradicted",
            declared=declared,
            bounds=shown,
        )
    key = "bnd_crs_inferred" if declared is None else "bnd_crs_contradicted_inferred"
    note = Note(key, {"declared": declared, "used": inferred})
    return inferred, "inferred", 0.0, [note]
